import assert from "node:assert/strict";
import { test } from "node:test";
import { dom, INCILENS } from "./helpers.mjs";

const { finder, sites } = INCILENS;
const LIST = "Aqua, Glycerin, Niacinamide, Butylene Glycol, Phenoxyethanol, Parfum, Linalool, Sodium Hyaluronate";

const LABELS = [
  // [label, kind], negatives first
  ["", null],
  ["   ", null],
  ["Description", null],
  ["How to use", null],
  ["Ingredient", "strong"],
  ["Ingredients of the month: why we love them", null],
  ["Key ingredients", "weak"],
  ["Hero Ingredients:", "weak"],
  ["Free from ingredients", "weak"],
  ["Ingrédients clés", "weak"],
  ["Ingredients", "strong"],
  ["INGREDIENTS:", "strong"],
  ["Full ingredient list", "strong"],
  ["Full Ingredients List", "strong"],
  ["INCI", "strong"],
  ["Ingredients (INCI)", "strong"],
  ["Ingrédients", "strong"],
  ["Liste des ingrédients", "strong"],
  ["Inhaltsstoffe", "strong"],
  ["Ingredientes", "strong"],
  ["Ingredienti", "strong"],
  ["Composição", "strong"],
  ["Ingrediënten", "strong"],
  ["Samenstelling", "strong"],
];
for (const [label, kind] of LABELS) {
  test(`labelKind(${JSON.stringify(label)}) = ${kind}`, () => assert.equal(finder.labelKind(label), kind));
}

test("knownShare: INCI lists score high, prose and addresses low", () => {
  assert.equal(finder.knownShare(""), 0);
  assert.ok(finder.knownShare("Free shipping, easy returns, secure checkout, gift cards") < 0.2);
  assert.ok(finder.knownShare("12 High Street, London, W1 2AB, United Kingdom") < 0.2);
  assert.ok(finder.knownShare(LIST) > 0.9);
  assert.ok(finder.knownShare("Aqua/Water/Eau, PEG-40 Hydrogenated Castor Oil, CI 77491, Rosa Damascena Flower Water, Xyzzy") >= 0.6);
});

test("scoreCandidate: no separators is never a list; adapters and labels outrank bare runs", () => {
  assert.equal(finder.scoreCandidate({ text: "" }), -Infinity);
  assert.equal(finder.scoreCandidate({ text: "Aqua and glycerin only", label: "strong" }), -Infinity);
  const bare = finder.scoreCandidate({ text: LIST });
  const labelled = finder.scoreCandidate({ text: LIST, label: "strong" });
  const adapter = finder.scoreCandidate({ text: LIST, adapter: true });
  const weak = finder.scoreCandidate({ text: LIST, label: "weak" });
  assert.ok(bare >= finder.MIN_SCORE, String(bare));
  assert.ok(labelled > bare && adapter > bare && weak < bare);
  const prose = finder.scoreCandidate({ text: "Ships fast, free returns, 30 days, any reason, no questions asked" });
  assert.ok(prose < finder.MIN_SCORE, String(prose));
  const page = finder.scoreCandidate({ text: LIST + " lorem ipsum".repeat(2000), label: "strong" });
  assert.ok(page < labelled);
});

test("nothing on a page without a list", () => {
  assert.equal(finder.find(dom("<h1>Serum</h1><p>Buy now, pay later, free returns.</p>")), null);
  assert.equal(finder.find(dom("<h2>Ingredients</h2><p>See packaging.</p>")), null);
});

test("a heading followed by the panel", () => {
  const doc = dom(`<h1>Serum</h1><div class="acc"><h3>Ingredients</h3></div><div id="p"><p>${LIST}</p></div><p>Shipping, returns, payment, gift cards, offers</p>`);
  const found = finder.find(doc);
  assert.ok(found.element.closest("#p"), found.element.outerHTML);
  assert.equal(found.text, LIST);
});

test("aria-controls, details, dt/dd, th/td and inline labels", () => {
  const cases = [
    [`<button aria-controls="panel-7" aria-expanded="false">Full ingredient list</button><div><div id="panel-7" hidden>${LIST}</div></div>`, "panel-7"],
    [`<details id="d"><summary>Ingrédients</summary><p>${LIST}</p></details>`, "d"],
    [`<dl><dt>Inhaltsstoffe</dt><dd id="dd">${LIST}</dd></dl>`, "dd"],
    [`<table><tr><th>INCI</th><td id="td">${LIST}</td></tr></table>`, "td"],
    [`<p id="inline"><strong>Ingredients:</strong> ${LIST}</p>`, "inline"],
    [`<div aria-label="Ingredientes" role="tab" aria-controls="t"></div><section id="t">${LIST}</section>`, "t"],
  ];
  for (const [html, id] of cases) {
    const found = finder.find(dom(html));
    assert.ok(found, html);
    assert.ok(found.element.closest("#" + id), html);
    assert.ok(found.text.includes(LIST));
  }
});

test("the full list wins over a 'key ingredients' block", () => {
  const doc = dom(`<h3>Key ingredients</h3><ul id="key"><li>Niacinamide, brightens</li><li>Glycerin, hydrates</li><li>Parfum, smells nice</li></ul>
    <h3>Ingredients</h3><p id="full">${LIST}</p>`);
  assert.equal(finder.find(doc).element.id, "full");
});

test("a bare comma run with known names is found without any label", () => {
  const doc = dom(`<div><p>Great serum, loved it, would buy again.</p><p id="run">${LIST}</p></div>`);
  assert.equal(finder.find(doc).element.id, "run");
});

test("a list spread over spans and <br>s is one candidate", () => {
  const doc = dom(`<h4>Ingredients</h4><div id="x"><span>Aqua</span>, <span>Glycerin</span>,<br><span>Niacinamide</span>, Parfum, <b>Linalool</b>, Phenoxyethanol</div>`);
  assert.equal(finder.find(doc).element.id, "x");
});

test("adapters are tried first, and fall back to the generic rules", () => {
  const sephora = sites.adapterFor("www.sephora.com");
  assert.equal(sephora.id, "sephora");
  const adapted = dom(`<div id="ingredients"><div>${LIST}</div></div><p id="other">${LIST}, Water</p>`);
  const viaAdapter = finder.find(adapted, { adapter: sephora });
  assert.equal(viaAdapter.rule, "adapter:sephora");
  assert.ok(viaAdapter.element.closest("#ingredients"));
  const redesigned = dom(`<h2>Ingredients</h2><p id="fallback">${LIST}</p>`);
  const viaGeneric = finder.find(redesigned, { adapter: sephora });
  assert.equal(viaGeneric.element.id, "fallback");
  assert.equal(viaGeneric.rule, "label");
});

test("JSON-LD: confirms a DOM candidate, or stands in when the list is not in the page", () => {
  const ld = `<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"Product","name":"Serum","additionalProperty":[{"@type":"PropertyValue","name":"Ingredients","value":"${LIST}"}]}]}</script>`;
  const only = finder.find(dom(`<h1>Serum</h1>${ld}`));
  assert.deepEqual([only.element, only.text, only.rule], [null, LIST, "json-ld"]);
  assert.deepEqual(finder.jsonLdTexts(dom(`<script type="application/ld+json">{broken</script>`)), []);
  const both = finder.find(dom(`${ld}<div id="a"><p>${LIST}</p></div><div id="b"><p>Aqua, Glycerin, Parfum, Linalool, Limonene, Citral</p></div>`));
  assert.equal(both.element.tagName, "P");
  assert.equal(both.element.parentElement.id, "a");
});

test("our own UI is never a candidate", () => {
  const doc = dom(`<div data-incilens-ui=""><p>${LIST}</p></div>`);
  assert.equal(finder.find(doc), null);
});

test("every supported retailer has an adapter and match patterns", () => {
  const ids = sites.ADAPTERS.map((a) => a.id);
  assert.deepEqual(ids, ["sephora", "ulta", "amazon", "boots", "target", "iherb", "yesstyle", "douglas", "lookfantastic"]);
  assert.equal(sites.adapterFor("uk.iherb.com").id, "iherb");
  assert.equal(sites.adapterFor("www.amazon.co.uk").id, "amazon");
  assert.equal(sites.adapterFor("notamazon.com"), null);
  assert.equal(sites.adapterFor("amazon.com.evil.example"), null);
  for (const p of sites.matchPatterns()) assert.match(p, /^https:\/\/(\*\.)?[a-z.]+\/\*$/);
});

test("a script or template that holds the list's words is never the list", () => {
  const cases = [
    `<div id="p"><button>Ingredients</button><div id="slot"></div></div><script>const t = "${LIST}";</script>`,
    `<h3>Ingredients</h3><template><p>${LIST}</p></template>`,
    `<div class="ingredients"><script type="text/plain">${LIST}</script></div>`,
  ];
  for (const body of cases) {
    const found = finder.find(dom(body));
    assert.ok(!found || !["SCRIPT", "TEMPLATE"].includes(found.element && found.element.tagName), body);
    assert.ok(!found || !(found.element && found.element.closest("script,template")), body);
  }
});
