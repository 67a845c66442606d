import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { dom, INCILENS } from "./helpers.mjs";

const { claims } = INCILENS;

// [texts, expected snippets]: the nasty cases first.
const PICKS = [
  [[""], []],
  [["Ingredients: Aqua, Glycerin. Paraben-free"], ["Paraben-free"]], // the sentence with a header word is dropped
  [["Free from parabens. Contains no sulfates."], ["Free from parabens"]], // "contains" is a header word
  [["INCI free of nasties"], []],
  [["Lnci"], []],
  [["Vegan + cruelty free"], []], // "+" may start a "[+/-]" block
  [["Apply to clean skin, morning and evening. Love it, no smell!"], ["Love it, no smell!"]], // "clean" is never sent
  [["Clean", "Clean beauty"], []],
  [["Freedom to glow"], []], // "free" only as a word
  [["A serum (paraben-free) for dull skin"], ["A serum paraben-free for dull skin"]], // brackets go: its line is one bracketed piece
  [["x".repeat(145) + " vegan"], []], // longer than 150 characters
  [["Vegan", "vegan", "VEGAN"], ["Vegan"]],
  [["Paraben-free • Vegan • Formulated without sulfates"], ["Paraben-free", "Vegan", "Formulated without sulfates"]],
  [["Sans parfum.\nOhne Silikone", "0% alcohol"], ["Sans parfum", "Ohne Silikone", "0% alcohol"]],
  [["Glow Serum", "A light serum. Made for every skin."], []],
];
for (const [texts, expected] of PICKS) {
  test(`pickSnippets(${JSON.stringify(texts).slice(0, 60)})`, () => assert.deepEqual(claims.pickSnippets(texts), expected));
}

test("pickSnippets stays within its bounds: 12 snippets, 1,200 characters", () => {
  const many = Array.from({ length: 30 }, (_, i) => `Free from thing ${i}`);
  assert.equal(claims.pickSnippets(many).length, 12);
  const long = Array.from({ length: 30 }, (_, i) => `${i} vegan ` + "y".repeat(130));
  const picked = claims.pickSnippets(long);
  assert.ok(picked.join("").length <= 1200 && picked.length === 8, String(picked.length));
});

const UNCHECKABLE = [
  [["Apply to clean skin."], []],
  [["Gently cleans and cleanses"], []],
  [["Clean"], ["clean"]],
  [["Clean at Sephora is formulated without parabens"], ["clean"]],
  [["A clean-beauty favourite"], ["clean"]],
  [["clean formula, vegan"], ["clean"]],
];
for (const [texts, expected] of UNCHECKABLE) {
  test(`uncheckable(${JSON.stringify(texts)})`, () => assert.deepEqual(claims.uncheckable(texts).map((u) => u.claim), expected));
}

test("compose gives the very texts the service is tested on (tests/core/test_page_claims.py)", () => {
  const cases = JSON.parse(readFileSync(new URL("./fixtures/claim-texts.json", import.meta.url), "utf8"));
  assert.ok(cases.length >= 5);
  for (const c of cases) {
    const { text, offset } = claims.compose(c.snippets, c.list);
    assert.equal(text, c.sent, c.name);
    assert.equal(text.slice(offset), c.list, c.name);
  }
});

test("shiftItems: offsets move back onto the list; items in the claim lines lose theirs", () => {
  const items = [{ start: 3, end: 8, text: "Vegan" }, { start: 40, end: 44, text: "Aqua" }, { start: null, end: null }];
  assert.deepEqual(claims.shiftItems(items, 30).map((i) => [i.start, i.end]), [[null, null], [10, 14], [null, null]]);
  assert.equal(claims.shiftItems(items, 0), items);
});

test("claimLines: contradicted first with the ingredient, then the rest; clean is not judged", () => {
  const lines = claims.claimLines(
    [
      { claim: "vegan", label: "Vegan", verdict: "consistent", items: [] },
      { claim: "paraben_free", label: "Paraben-free", verdict: "contradicted", items: [{ name: "Methylparaben" }] },
      { claim: "fragrance_free", label: "Fragrance-free", verdict: "questionable", explanation: "Holds on the letter, but note Linalool." },
      { claim: "odd", label: "Odd", verdict: "made-up" },
    ],
    [{ claim: "clean", label: "Clean" }],
  );
  assert.deepEqual(lines.map((l) => l.text), [
    "Paraben-free: contradicted, the list contains Methylparaben",
    "Fragrance-free: questionable, Holds on the letter, but note Linalool",
    "Vegan: holds, nothing in the recognised list contradicts it",
    "Clean: not a checkable claim, no rule says which ingredients it leaves out",
  ]);
  assert.deepEqual(claims.claimLines(undefined, undefined), []);
});

test("pageClaims reads the product around the list, never the list, reviews or other products", () => {
  const doc = dom(`
    <nav>Shop paraben-free</nav>
    <main><div class="product">
      <h1>Glow Cream, vegan</h1>
      <ul class="bullets"><li>Paraben-free</li><li>Formulated without sulfates</li><li>Clean</li></ul>
      <p id="list">Aqua, Glycerin, Methylparaben, sans parfum</p>
      <section class="reviews"><p>Says silicone-free but feels greasy</p></section>
      <div data-comp="Recommendations"><p>Also try: alcohol-free toner</p></div>
      <div data-test="product-reviews"><p>Not really fragrance-free</p></div>
    </div></main>
    <p>Free shipping</p>`);
  const list = doc.getElementById("list");
  const got = claims.pageClaims(list, list.textContent);
  assert.deepEqual(got.snippets, ["Glow Cream, vegan", "Paraben-free", "Formulated without sulfates"]);
  assert.deepEqual(got.unchecked.map((u) => u.claim), ["clean"]);
});

test("pageClaims sends nothing when no product heading is near the list", () => {
  const doc = dom(`<h1>Our shop</h1><div><div><div><div><div><div><div><div><div><p id="list">Aqua, Glycerin</p><p>Vegan</p></div></div></div></div></div></div></div></div></div>`);
  const list = doc.getElementById("list");
  assert.deepEqual(claims.pageClaims(list, list.textContent).snippets, []);
  assert.deepEqual(claims.pageClaims(null, "").snippets, []);
});
