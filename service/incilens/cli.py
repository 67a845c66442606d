"""The ``incilens`` command: ``lookup`` an ingredient, ``serve`` the API."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from incilens.errors import KnowledgeBaseError
from incilens.knowledge import DEFAULT_KB_PATH, KnowledgeBase
from incilens.models import Ingredient

__all__ = ["main"]


def _fmt_rating(rating: Any) -> str:
    if not rating:
        return "not rated"
    low, high = rating["min"], rating["max"]
    span = f"{low:g}" if low == high else f"{low:g}-{high:g}"
    per_source = "; ".join(f"{s['source']}: {s['value']}" for s in rating["sources"])
    return f"{span} / 5 ({per_source})"


def render_text(ing: Ingredient) -> str:
    """A readable card for one ingredient."""
    lines = [f"{ing.display_name}  [{ing.inci_name}]"]
    if ing.summary:
        lines.append(f"  {ing.summary['text']}")
    elif ing.description:
        lines.append(f"  CosIng: {ing.description['text']}")
    rows: list[tuple[str, str]] = [
        ("functions", ", ".join(f["name"].lower() for f in ing.functions) or "none listed"),
        ("concern", f"{ing.concern['level']} — {ing.concern['reasons'][0]['text']}"),
        ("comedogenic", _fmt_rating(ing.comedogenic)),
        ("irritancy", _fmt_rating(ing.irritancy)),
        ("origin", ing.origin["value"]),
        ("vegan", f"{ing.vegan['status']} — {ing.vegan['reason']}"),
    ]
    if ing.pregnancy:
        rows.append(("pregnancy", ing.pregnancy["note"]))
    if ing.photosensitizing:
        rows.append(("sun", ing.photosensitizing["note"]))
    if ing.side_effects and ing.side_effects["items"]:
        rows.append(("side effects", "; ".join(ing.side_effects["items"])))
    if ing.skin_types and ing.skin_types["not_ideal_for"]:
        rows.append(("not ideal for", ", ".join(ing.skin_types["not_ideal_for"])))
    if ing.flags:
        rows.append(("flags", ", ".join(f["label"] for f in ing.flags)))
    for eu in ing.eu:
        cond = f" ({eu['condition']})" if eu["conditional"] else ""
        rows.append(("EU", f"Annex {eu['annex']}/{eu['ref']}: {eu['status']}{cond}"))
    if ing.synonyms:
        rows.append(("also called", ", ".join(s["name"] for s in ing.synonyms[:8])))
    rows.append(("sources", ", ".join(ing.sources)))
    width = max(len(k) for k, _ in rows)
    lines += [f"  {k.ljust(width)}  {v}" for k, v in rows]
    return "\n".join(lines)


def _lookup(args: argparse.Namespace) -> int:
    kb = KnowledgeBase.load(args.kb or DEFAULT_KB_PATH)
    ing = kb.lookup(args.name)
    if ing is None:
        suggestions = kb.suggest(args.name)
        msg = f"no ingredient called {args.name!r}"
        if suggestions:
            msg += "; did you mean: " + ", ".join(suggestions)
        print(f"incilens: {msg}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(ing.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(render_text(ing))
    return 0


def _serve(args: argparse.Namespace) -> int:
    from gunicorn.app.base import BaseApplication

    from incilens import create_app

    config = {"KB_PATH": args.kb} if args.kb else None
    app = create_app(config)  # loaded before forking: the workers share the knowledge base

    class _Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{args.host}:{args.port}")
            self.cfg.set("workers", args.workers)
            self.cfg.set("threads", args.threads)
            self.cfg.set("timeout", 60)
            self.cfg.set("accesslog", "-")

        def load(self) -> Any:
            return app

    _Server().run()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``incilens`` command."""
    parser = argparse.ArgumentParser(prog="incilens", description=__doc__)
    parser.add_argument("--kb", help="knowledge-base file (default: the packaged one)")
    sub = parser.add_subparsers(dest="command", required=True)
    p_lookup = sub.add_parser("lookup", help="show everything known about one ingredient")
    p_lookup.add_argument("name", help="INCI name, synonym or id (e.g. 'Vitamin E')")
    p_lookup.add_argument("--json", action="store_true", help="print the JSON record")
    p_lookup.set_defaults(func=_lookup)
    p_serve = sub.add_parser("serve", help="run the HTTP API under gunicorn")
    p_serve.add_argument("--host", default="127.0.0.1")
    p_serve.add_argument("--port", type=int, default=8000)
    p_serve.add_argument("--workers", type=int, default=2)
    p_serve.add_argument("--threads", type=int, default=4)
    p_serve.set_defaults(func=_serve)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KnowledgeBaseError as e:
        print(f"incilens: {e.message}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
