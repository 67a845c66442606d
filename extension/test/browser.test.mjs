import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import vm from "node:vm";

const SOURCE = readFileSync(new URL("../src/shared/browser.js", import.meta.url), "utf8");

/** Run the shim in a fresh global holding `globals`; return what it chose. */
function shim(globals) {
  const context = vm.createContext({ ...globals });
  vm.runInContext(SOURCE, context);
  return context.INCILENS;
}

// [what the browser exposes, expected namespace, isFirefox]; the awkward cases first.
const chromeRuntime = { id: "c", getURL: (p) => `chrome-extension://abc/${p}` };
const firefoxRuntime = { id: "f", getURL: (p) => `moz-extension://0f0f/${p}` };
const CASES = [
  ["nothing (a page with the extension gone)", {}, undefined, false],
  ["a `browser` global without runtime (a page's own variable)", { browser: { x: 1 }, chrome: { runtime: chromeRuntime } }, "chrome", false],
  ["Chromium 156: browser and chrome, chrome-extension URLs", { browser: { runtime: chromeRuntime }, chrome: { runtime: chromeRuntime } }, "browser", false],
  ["Chrome: chrome only", { chrome: { runtime: chromeRuntime } }, "chrome", false],
  ["Firefox: browser and chrome", { browser: { runtime: firefoxRuntime }, chrome: { runtime: firefoxRuntime } }, "browser", true],
  ["a runtime whose getURL throws (extension reloaded)", { chrome: { runtime: { getURL: () => { throw new Error("gone"); } } } }, "chrome", false],
];

for (const [name, globals, expected, firefox] of CASES) {
  test(`the browser shim: ${name}`, () => {
    const ns = shim(globals);
    assert.equal(ns.ext, expected ? globals[expected] : undefined);
    assert.equal(ns.isFirefox, firefox);
  });
}

test("the shim runs once: a second injection keeps the first choice", () => {
  const chrome = { runtime: chromeRuntime };
  const context = vm.createContext({ chrome });
  vm.runInContext(SOURCE, context);
  context.browser = { runtime: firefoxRuntime };
  vm.runInContext(SOURCE, context);
  assert.equal(context.INCILENS.ext, chrome);
});
