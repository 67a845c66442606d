import assert from "node:assert/strict";
import { test } from "node:test";
import { dom, INCILENS, sampleReport } from "./helpers.mjs";

const { buildCard, cardRows, createBadge } = INCILENS.ui;

test("the tooltip card says what the ingredient is, its ratings and its EU status", () => {
  const report = sampleReport();
  const retinol = report.ingredients.find((i) => i.text === "Retinol");
  const rows = Object.fromEntries(cardRows(retinol, report));
  assert.match(rows["What it does"], /\w/);
  assert.equal(rows.Vegan, "Vegan");
  assert.match(rows.Pregnancy, /^Caution: /);
  assert.match(rows.Sun, /sunscreen/);
  assert.match(rows["Side effects"], /dryness/);
  assert.match(rows.Flags, /Retinoid/);
  assert.match(rows["EU status"], /Annex III\/376: restricted/);
  const doc = dom("");
  const card = buildCard(doc, retinol, report);
  assert.equal(card.getAttribute("role"), "tooltip");
  assert.equal(card.querySelector("h2").textContent, "Retinol");
  assert.equal(card.querySelector(".pill").textContent, "Moderate concern");
  assert.match(card.textContent, /Sources: .*eu-annex-III\/376/);
});

test("an unrecognised item says so", () => {
  const report = sampleReport();
  const unknown = report.ingredients.find((i) => i.concern === "unknown");
  assert.deepEqual(cardRows(unknown, report), []);
  const card = buildCard(dom(""), unknown, report);
  assert.equal(card.querySelector(".pill").textContent, "Not recognised");
  assert.match(card.textContent, /not in the INCI Lens knowledge base/);
});

test("server text is never parsed as HTML in the card or the badge", () => {
  const report = sampleReport();
  const evil = structuredClone(report.ingredients[0]);
  evil.ingredient.display_name = "<img src=x onerror=alert(1)>";
  evil.ingredient.summary.text = "<script>alert(2)</script>";
  report.summary.counts.unrecognised_items = [{ name: "<b>bold</b>" }];
  const doc = dom("");
  const card = buildCard(doc, evil, report);
  assert.equal(card.querySelector("img,script,b"), null);
  assert.equal(card.querySelector("h2").textContent, "<img src=x onerror=alert(1)>");
  const host = createBadge(doc, report);
  assert.equal(host.shadowRoot.querySelector("img,script,b"), null);
  assert.match(host.shadowRoot.textContent, /Not recognised: <b>bold<\/b>/);
});

test("the summary badge: counts, concern levels, what matters to the profile", () => {
  const report = sampleReport();
  report.summary.for_you = [{ id: "avoid", title: "On your avoid list: fragrance", why: "", items: [{ name: "Parfum", position: 3 }] }];
  const host = createBadge(dom(""), report);
  assert.ok(host.hasAttribute("data-incilens-ui"));
  const text = host.shadowRoot.textContent;
  assert.match(text, /9 ingredients, 8 recognised/);
  assert.deepEqual([...host.shadowRoot.querySelectorAll(".pill")].map((p) => p.textContent), ["3 moderate", "2 low", "3 no concern"]);
  assert.match(text, /For you: On your avoid list: fragrance \(Parfum\)/);
  assert.match(text, /Not recognised: Xyzzyplum Extract/);
});

// The badge anchor, nasty cases first: [markup, id of the list element, displays, expected id].
const DISPLAY = { SPAN: "inline", B: "inline", EM: "inline", A: "inline", TD: "table-cell", TR: "table-row",
  TBODY: "table-row-group", TABLE: "table", LI: "list-item", UL: "block", P: "block", DIV: "block", SECTION: "block" };
const ANCHORS = [
  ["label and list share a paragraph", `<div id="box"><p id="para"><b>Ingredients:</b> <span id="list">Water, Glycerin</span></p></div>`, "list", "para"],
  ["list nested two inline levels deep", `<p id="para">Ingredients: <span><em id="list">Water, Glycerin</em></span></p>`, "list", "para"],
  ["list in a table cell", `<table id="tbl"><tbody><tr><th>Ingredients</th><td id="list">Water, Glycerin</td></tr></tbody></table>`, "list", "tbl"],
  ["list is a block already", `<section><h3>Ingredients</h3><div id="list">Water, Glycerin</div></section>`, "list", "list"],
  ["list is a list item", `<ul><li id="list">Water, Glycerin</li></ul>`, "list", "list"],
  ["the page's CSS decides: a span shown as a block", `<div><p id="para">Ingredients: <span id="list" data-display="block">Water</span></p></div>`, "list", "list"],
  ["the page's CSS decides: a div shown inline", `<section><div id="outer"><b>Ingredients:</b> <div id="list" data-display="inline">Water</div></div></section>`, "list", "outer"],
  ["an inline list straight in body stays where it is", `<span id="list">Water, Glycerin</span>`, "list", "list"],
];

for (const [name, markup, listId, expected] of ANCHORS) {
  test(`the badge never splits a line: ${name}`, () => {
    const doc = dom(markup);
    const displayOf = (el) => el.getAttribute("data-display") || DISPLAY[el.tagName] || "block";
    assert.equal(INCILENS.ui.badgeAnchor(doc.getElementById(listId), displayOf).id, expected);
  });
}

test("the shadow root is styled without an inline <style> where constructable sheets exist", () => {
  const adopted = [];
  class FakeSheet { replaceSync(css) { this.css = css; } }
  const shadow = { adoptedStyleSheets: [], appendChild: () => assert.fail("no <style> element expected") };
  Object.defineProperty(shadow, "adoptedStyleSheets", { get: () => adopted, set: (v) => adopted.push(...v) });
  const doc = { defaultView: { CSSStyleSheet: FakeSheet } };
  assert.equal(INCILENS.ui.styleShadow(doc, shadow), "adopted");
  assert.match(adopted[0].css, /\.card \{/);
  // jsdom has no constructable sheets: the <style> element is the fallback.
  const real = dom("");
  const host = real.createElement("div");
  const root = host.attachShadow({ mode: "open" });
  const how = INCILENS.ui.styleShadow(real, root);
  assert.equal(how, typeof real.defaultView.CSSStyleSheet === "function" && "adoptedStyleSheets" in root ? "adopted" : "element");
  if (how === "element") assert.match(root.querySelector("style").textContent, /\.badge \{/);
});

test("each mark has its own description: name, concern and the safety rows", () => {
  const report = sampleReport();
  const retinol = report.ingredients.find((i) => i.text === "Retinol");
  const aqua = report.ingredients.find((i) => i.text === "Aqua");
  const said = INCILENS.ui.describe(retinol, report);
  assert.match(said, /^Retinol: Moderate concern\. /);
  assert.match(said, /Pregnancy: Caution: /);
  assert.match(said, /EU status: Annex III\/376/);
  assert.notEqual(INCILENS.ui.describe(aqua, report), said);
  const unknown = report.ingredients.find((i) => i.concern === "unknown");
  assert.equal(INCILENS.ui.describe(unknown, report), `${unknown.text}: Not recognised`);
});

test("the card puts the safety rows first and what it does last", () => {
  const report = sampleReport();
  for (const item of report.ingredients.filter((i) => i.ingredient)) {
    const terms = cardRows(item, report).map(([t]) => t);
    const firstOther = terms.findIndex((t) => !["For you", "Pregnancy", "Sun", "EU status", "Flags"].includes(t));
    const lastSafety = Math.max(...["Pregnancy", "Sun", "EU status"].map((t) => terms.indexOf(t)));
    assert.ok(firstOther === -1 || lastSafety < firstOther, `${item.text}: ${terms}`);
    if (terms.includes("What it does")) assert.equal(terms.at(-1), "What it does", item.text);
    assert.ok(!terms.includes("Origin") || cardRows(item, report).find(([t]) => t === "Origin")[1] !== "unknown");
  }
  const retinol = report.ingredients.find((i) => i.text === "Retinol");
  assert.deepEqual(cardRows(retinol, report).slice(0, 3).map(([t]) => t), ["Pregnancy", "Sun", "EU status"]);
});

test("a For-you group without items names its terms, never '()'", () => {
  const cases = [
    [{ title: "Avoid-list terms we do not know", why: "These names matched no ingredient or family, so they were not checked: nuts, xyzzy", items: [] },
      "For you: Avoid-list terms we do not know. These names matched no ingredient or family, so they were not checked: nuts, xyzzy"],
    [{ title: "Something", items: [] }, "For you: Something"],
    [{ title: "On your avoid list: fragrance", why: "You asked to avoid fragrance.", items: [{ name: "Parfum" }] }, "For you: On your avoid list: fragrance (Parfum)"],
  ];
  for (const [group, expected] of cases) assert.equal(INCILENS.ui.forYouLine(group), expected);
});
