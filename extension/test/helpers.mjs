// Shared helpers for the node --test suites: a jsdom document, and the classic scripts loaded
// as side-effect modules (they attach themselves to globalThis.INCILENS).
import { readFileSync } from "node:fs";
import { JSDOM } from "jsdom";

await import("../src/shared/messages.js");
await import("../src/shared/sites.js");
await import("../src/content/finder.js");
await import("../src/content/highlight.js");
await import("../src/content/ui.js");
await import("../src/content/claims.js");

export const INCILENS = globalThis.INCILENS;
export const SAMPLE_TEXT =
  "Ingredients: Aqua, Glycerin, Parfum, Linalool, Cetearyl Alcohol, Sodium Lauryl Sulfate, Retinol, Phenoxyethanol, Xyzzyplum Extract";

/** The report the real service gave for SAMPLE_TEXT (incilens analyze --json --text ...). */
export function sampleReport() {
  return JSON.parse(readFileSync(new URL("./fixtures/sample-report.json", import.meta.url), "utf8"));
}

/** A jsdom document holding `body` (an HTML string written by the test itself). */
export function dom(body, url = "https://shop.example/product") {
  return new JSDOM(`<!doctype html><html><head></head><body>${body}</body></html>`, { url }).window.document;
}
