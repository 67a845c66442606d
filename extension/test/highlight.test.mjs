import assert from "node:assert/strict";
import { test } from "node:test";
import { dom, INCILENS, SAMPLE_TEXT, sampleReport } from "./helpers.mjs";

const { textModel, spansToPieces, applyHighlights, removeHighlights } = INCILENS.highlight;

test("spansToPieces: pure span arithmetic over segments", () => {
  // "Aqua, Gly" + "cerin" + "\n" (virtual) + "Parfum"
  const text = "Aqua, Glycerin\nParfum";
  const segments = [{ start: 0, end: 9 }, { start: 9, end: 14 }, { start: 15, end: 21 }];
  const spans = [
    { start: -1, end: 2 }, // out of range
    { start: 3, end: 3 }, // empty
    { start: 0, end: 4 },
    { start: 6, end: 14 }, // across two segments
    { start: 2, end: 8 }, // overlaps the first: dropped
    { start: 14, end: 21 }, // starts on the virtual newline
    { start: 10, end: 99 }, // past the end
  ];
  assert.deepEqual(spansToPieces(segments, text, spans), [
    { segment: 0, from: 0, to: 4, index: 2, first: true },
    { segment: 0, from: 6, to: 9, index: 3, first: true },
    { segment: 1, from: 0, to: 5, index: 3, first: false },
    { segment: 2, from: 0, to: 6, index: 5, first: true },
  ]);
  assert.deepEqual(spansToPieces([], "", [{ start: 0, end: 1 }]), []);
});

test("textModel: <br> and blocks become newlines, whitespace maps one for one", () => {
  const doc = dom(`<div id="r"><h4>Ingredients</h4><p>Aqua,\n   Glycerin,<br>Parfum<span>, Lina</span>lool</p><script>var x = "a, b, c";</script></div>`);
  const model = textModel(doc.getElementById("r"));
  assert.equal(model.text, "Ingredients\nAqua,    Glycerin,\nParfum, Linalool\n");
  for (const seg of model.segments) {
    assert.equal(model.text.slice(seg.start, seg.end), seg.node.data.replace(/[\t\n\r\f\v]/g, " "));
  }
  assert.equal(model.segments.length, 5);
});

function render(html) {
  const doc = dom(`<div id="list">${html}</div>`);
  return { doc, root: doc.getElementById("list") };
}

test("the real report's offsets land on the right words across several text nodes", () => {
  const report = sampleReport();
  // The sample text cut into spans, <b> and <br>, as shops do.
  const html = "Ingredients: <span>Aqua</span>, Gly<b>cer</b>in, Parfum,<br>Linalool, <i>Cetearyl Alcohol</i>, Sodium <span>Lauryl</span> Sulfate, Retinol, Phenoxyethanol, Xyzzyplum Extract";
  const { root } = render(html);
  const model = textModel(root);
  assert.equal(model.text, SAMPLE_TEXT.replace("Parfum, Linalool", "Parfum,\nLinalool"));
  const before = root.innerHTML;
  const handle = applyHighlights(model, report.ingredients);
  const marks = [...root.querySelectorAll("mark.incilens-mark")];
  const byItem = new Map();
  for (const m of marks) {
    const i = Number(m.dataset.incilensItem);
    byItem.set(i, (byItem.get(i) || "") + m.textContent);
  }
  assert.deepEqual([...byItem.values()], report.ingredients.map((i) => i.text));
  assert.deepEqual(marks.filter((m) => m.tabIndex === 0).map((m) => m.textContent),
    ["Aqua", "Gly", "Parfum", "Linalool", "Cetearyl Alcohol", "Sodium ", "Retinol", "Phenoxyethanol", "Xyzzyplum Extract"]);
  assert.equal(root.querySelector("mark[data-incilens-item='2']").dataset.incilensConcern, "moderate");
  assert.equal(root.querySelector("mark[data-incilens-item='8']").dataset.incilensConcern, "unknown");
  assert.equal(root.textContent, model.segments.map((s) => s.node.data).join(""));
  assert.equal(handle.marks.length, marks.length);
  removeHighlights(handle);
  assert.equal(root.innerHTML, before);
});

test("removing the highlights puts back the very same text nodes", () => {
  const { root } = render("Aqua, <span>Glycerin</span>, Parfum");
  const nodesBefore = [];
  const walker = root.ownerDocument.createTreeWalker(root, 4);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodesBefore.push(n);
  const htmlBefore = root.innerHTML;
  const model = textModel(root);
  const items = [{ start: 0, end: 4, concern: "none" }, { start: 6, end: 14, concern: "none" }, { start: 16, end: 22, concern: "moderate" }];
  const handle = applyHighlights(model, items);
  assert.equal(root.querySelectorAll("mark").length, 3);
  assert.notEqual(root.innerHTML, htmlBefore);
  assert.equal(removeHighlights(handle), 3);
  assert.equal(root.innerHTML, htmlBefore);
  const nodesAfter = [];
  const again = root.ownerDocument.createTreeWalker(root, 4);
  for (let n = again.nextNode(); n; n = again.nextNode()) nodesAfter.push(n);
  assert.equal(nodesAfter.length, nodesBefore.length);
  nodesAfter.forEach((n, i) => assert.equal(n, nodesBefore[i]));
});

test("if the page replaced our nodes meanwhile, removal leaves the page's version alone", () => {
  const { root } = render("Aqua, Glycerin");
  const handle = applyHighlights(textModel(root), [{ start: 0, end: 4, concern: "none" }]);
  root.textContent = "New text, Niacinamide";
  assert.equal(removeHighlights(handle), 0);
  assert.equal(root.innerHTML, "New text, Niacinamide");
});

test("page text is never parsed as HTML", () => {
  const { doc, root } = render("&lt;img src=x onerror=alert(1)&gt;, Aqua");
  const model = textModel(root);
  applyHighlights(model, [{ start: 0, end: 28, concern: "unknown" }]);
  assert.equal(root.querySelector("img"), null);
  assert.equal(root.querySelector("mark").textContent, "<img src=x onerror=alert(1)>");
  assert.equal(doc.querySelectorAll("img").length, 0);
});
