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
