/*
 * The one place that branches on the browser: Firefox exposes `browser` (promise-based),
 * Chrome exposes `chrome` (promise-based in MV3 too; Chromium 156 also has `browser`).
 * Side-effect-only so that classic content scripts and ES modules can both use it:
 * globalThis.INCILENS.ext. Firefox is told apart by its extension URL scheme, not by the
 * presence of `browser`, which no longer tells the two apart.
 */
(function (root) {
  "use strict";
  const ns = (root.INCILENS = root.INCILENS || {});
  if (ns.ext) return;
  ns.ext = root.browser && root.browser.runtime ? root.browser : root.chrome;
  let base = "";
  try {
    base = String(ns.ext.runtime.getURL(""));
  } catch {
    base = ""; // no extension context (the extension was removed, or a test without one)
  }
  ns.isFirefox = base.startsWith("moz-extension:");
})(globalThis);
