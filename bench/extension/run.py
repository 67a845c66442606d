"""Main-thread time to find and highlight the ingredient list once the API has answered.

    .venv/bin/python bench/extension/run.py [--repeat 30]

Loads the benchmark page (about 5,000 text nodes) in headless Chromium, injects the extension's
own content modules (finder, highlight, ui) into the page, asks the real service (started here,
on loopback) for the report once, then times, in the page, N runs of what the content script
does after the reply: find the list, map the report's offsets to DOM ranges, wrap the marks and
insert the summary badge, plus a forced layout. Between runs the highlights are removed.

Machines are noisy, so the figure is reported beside a baseline measured side by side in the
same page: the naive approach (for each ingredient name, walk every text node of the page and
wrap the first occurrence). Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import urllib.request
import warnings
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bench.extension.page import build_page  # noqa: E402
from tests.live import CHROMIUM_ARGS, LiveServer, chromium_path  # noqa: E402

MODULES = [
    "src/shared/messages.js",
    "src/shared/sites.js",
    "src/content/finder.js",
    "src/content/highlight.js",
    "src/content/ui.js",
]

OURS = """(report) => {
  const { finder, highlight, ui } = window.INCILENS;
  const t0 = performance.now();
  const found = finder.find(document, {});
  const model = highlight.textModel(found.element);
  const handle = highlight.applyHighlights(model, report.ingredients);
  const badge = ui.createBadge(document, report);
  found.element.parentNode.insertBefore(badge, found.element);
  const t1 = performance.now();
  void document.body.offsetHeight;  // the style and layout the writes cause
  const t2 = performance.now();
  const marks = handle.marks.length;
  highlight.removeHighlights(handle);
  badge.remove();
  void document.body.offsetHeight;
  return { script: t1 - t0, total: t2 - t0, marks };
}"""

NAIVE = """(report) => {
  const t0 = performance.now();
  const marks = [];
  for (const item of report.ingredients) {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf(item.text);
      if (at < 0) continue;
      const hit = node.splitText(at);
      hit.splitText(item.text.length);
      const mark = document.createElement("mark");
      hit.parentNode.replaceChild(mark, hit);
      mark.appendChild(hit);
      marks.push(mark);
      break;
    }
  }
  const t1 = performance.now();
  void document.body.offsetHeight;
  const t2 = performance.now();
  for (const m of marks) m.replaceWith(...m.childNodes);
  document.body.normalize();
  void document.body.offsetHeight;
  return { script: t1 - t0, total: t2 - t0, marks: marks.length };
}"""


class QuietLiveServer(LiveServer):
    """``LiveServer`` without the ResourceWarning of its dropped log-file handle."""

    def start(self) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            super().start()


def analyse(url: str, text: str) -> dict:
    request = urllib.request.Request(
        url + "/v1/analyze/text",
        data=json.dumps({"text": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return dict(json.load(response))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--nodes", type=int, default=5000)
    args = parser.parse_args()
    chromium = chromium_path()
    if chromium is None:
        sys.exit("Chromium is not installed (make setup installs it)")
    page_html = build_page(args.nodes)
    with QuietLiveServer() as server, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium, headless=True, args=list(CHROMIUM_ARGS)
        )
        page = browser.new_page()
        page.route("**/*", lambda route: route.fulfill(body=page_html, content_type="text/html"))
        page.goto("https://bench.invalid/product")
        for module in MODULES:
            page.add_script_tag(path=str(REPO / "extension" / module))
        nodes = page.evaluate(
            """() => { const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
                       let n = 0; while (w.nextNode()) n++; return n; }"""
        )
        text = page.evaluate(
            "() => INCILENS.highlight.textModel(INCILENS.finder.find(document, {}).element).text"
        )
        report = analyse(server.url, text)
        ours, naive = [], []
        for _ in range(3):  # warm-up: JIT, style caches
            page.evaluate(OURS, report)
            page.evaluate(NAIVE, report)
        for _ in range(args.repeat):  # interleaved, so both see the same noise
            ours.append(page.evaluate(OURS, report))
            naive.append(page.evaluate(NAIVE, report))
        browser.close()

    def med(runs: list[dict], key: str) -> float:
        return statistics.median(r[key] for r in runs)

    def p90(runs: list[dict]) -> float:
        return sorted(r["total"] for r in runs)[int(0.9 * len(runs))]

    verdict = "met" if med(ours, "total") < 50 else "NOT met"

    print(
        f"page: {nodes} text nodes; list: {len(report['ingredients'])} items; runs: {args.repeat}"
    )
    print(
        f"ours:  {ours[0]['marks']} marks; median script {med(ours, 'script'):.2f} ms, "
        f"with layout {med(ours, 'total'):.2f} ms (p90 {p90(ours):.2f} ms)"
    )
    print(
        f"naive: {naive[0]['marks']} marks; median script {med(naive, 'script'):.2f} ms, "
        f"with layout {med(naive, 'total'):.2f} ms"
    )
    print(f"ratio ours/naive (with layout): {med(ours, 'total') / med(naive, 'total'):.2f}")
    print(f"target: under 50 ms of main-thread time (median, with layout) -> {verdict}")


if __name__ == "__main__":
    main()
