/*
 * The one place that branches on the browser: Firefox exposes `browser` (promise-based),
 * Chrome exposes `chrome` (promise-based in MV3 too). Side-effect-only so that classic content
 * scripts and ES modules can both use it: globalThis.INCILENS.ext.
 */
(function (root) {
  "use strict";
  const ns = (root.INCILENS = root.INCILENS || {});
  if (ns.ext) return;
  ns.ext = root.browser && root.browser.runtime ? root.browser : root.chrome;
  ns.isFirefox = Boolean(root.browser && root.browser.runtime);
})(globalThis);
