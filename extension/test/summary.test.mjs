import assert from "node:assert/strict";
import { test } from "node:test";
import { badgeFor, compactSummary, countConcerns, knownUnchecked } from "../src/background/summary.js";
import { sampleReport } from "./helpers.mjs";

test("countConcerns: moderate and high items, plus what matters to the profile, once each", () => {
  assert.equal(countConcerns({ ingredients: [], summary: { for_you: [] } }), 0);
  const report = sampleReport();
  assert.equal(countConcerns(report), 3); // Parfum, Sodium Lauryl Sulfate, Retinol
  report.summary.for_you = [
    { title: "Avoid", items: [{ position: 3 }, { position: 4 }] }, // Parfum (already counted), Linalool
  ];
  assert.equal(countConcerns(report), 4);
});

test("badgeFor: a number, a warning sign, or nothing", () => {
  assert.equal(badgeFor(null).text, "");
  assert.equal(badgeFor({ status: "not_found" }).text, "");
  assert.equal(badgeFor({ status: "scanning" }).text, "");
  assert.equal(badgeFor({ status: "analysing" }).text, "…");
  const down = badgeFor({ status: "error", error: { message: "Cannot reach the INCI Lens server." } });
  assert.equal(down.text, "!");
  assert.match(down.title, /Cannot reach/);
  const summary = compactSummary(sampleReport());
  assert.equal(badgeFor({ status: "done", summary }).text, "3");
  assert.equal(badgeFor({ status: "done", summary: { ...summary, concerns: 0, concernCounts: { high: 0 } } }).color, "#1d7a3a");
});

test("compactSummary keeps what the popup shows", () => {
  const s = compactSummary(sampleReport());
  assert.deepEqual(
    { items: s.items, recognised: s.recognised, unrecognised: s.unrecognised, concerns: s.concerns, worst: s.worst.map((w) => w.name) },
    { items: 9, recognised: 8, unrecognised: ["Xyzzyplum Extract"], concerns: 3, worst: ["Parfum", "Sodium Lauryl Sulfate", "Retinol"] },
  );
  assert.deepEqual(s.flags.map((f) => f.id), ["fragrance", "fragrance_allergen", "sulfate_surfactant", "retinoid", "comedogenic", "pregnancy_caution", "photosensitising", "eu_restricted"]);
  assert.equal(s.reliability.level, "fair");
});

test("knownUnchecked keeps only the not-checkable claims the extension knows, once each", () => {
  for (const bad of [undefined, null, "clean", {}, [null], [{ claim: "__proto__" }], [{ claim: "toString" }], [{ claim: "vegan" }]]) {
    assert.deepEqual(knownUnchecked(bad), [], JSON.stringify(bad));
  }
  assert.deepEqual(knownUnchecked([{ claim: "clean", label: "<b>x</b>" }, { claim: "clean" }]), [{ claim: "clean", label: "Clean" }]);
});

test("compactSummary: the page's claims, contradicted first with the ingredient, then clean", () => {
  const report = sampleReport();
  report.summary.claims = [
    { claim: "vegan", label: "Vegan", verdict: "consistent", items: [] },
    { claim: "sulfate_free", label: "Sulfate-free", verdict: "contradicted", items: [{ name: "Sodium Lauryl Sulfate", position: 6 }] },
  ];
  const claims = compactSummary(report, [{ claim: "clean" }]).claims;
  assert.deepEqual(claims.map((c) => [c.claim, c.verdict, c.items]), [
    ["sulfate_free", "contradicted", ["Sodium Lauryl Sulfate"]],
    ["vegan", "consistent", []],
    ["clean", "not_checkable", []],
  ]);
  assert.deepEqual(compactSummary(sampleReport()).claims, []);
});
