/*
 * The message protocol, named once. Types are namespaced by direction
 * (CS = content script, BG = service worker, UI = popup and options pages) and every
 * reply uses one envelope: {ok: true, data} or {ok: false, error: {code, message}}.
 *
 * Side-effect-only file: it works as a classic content script and as an ES module import
 * ("import './messages.js'"), and attaches itself to globalThis.INCILENS.messages.
 */
(function (root) {
  "use strict";
  const ns = (root.INCILENS = root.INCILENS || {});
  if (ns.messages) return;

  const MSG = Object.freeze({
    CS_BG_GET_CONFIG: "cs-bg-get-config",
    CS_BG_ANALYZE_TEXT: "cs-bg-analyze-text",
    CS_BG_REPORT_STATE: "cs-bg-report-state",
    UI_BG_GET_TAB_STATUS: "ui-bg-get-tab-status",
    UI_BG_SCAN_TAB: "ui-bg-scan-tab",
    UI_BG_SET_SITE_ENABLED: "ui-bg-set-site-enabled",
    UI_BG_GET_SELECTION_RESULT: "ui-bg-get-selection-result",
    UI_BG_OPTIONS_CHANGED: "ui-bg-options-changed",
    BG_CS_PING: "bg-cs-ping",
    BG_CS_RESCAN: "bg-cs-rescan",
    BG_CS_REMOVE_HIGHLIGHTS: "bg-cs-remove-highlights",
  });

  const TYPES = new Set(Object.values(MSG));

  /** A successful reply. */
  function ok(data) {
    return { ok: true, data: data === undefined ? null : data };
  }

  /** A failed reply with a stable code and a message that tells the user what to do. */
  function fail(code, message) {
    return { ok: false, error: { code: String(code), message: String(message) } };
  }

  /** True when `msg` is an object whose `type` is one of ours (and, if given, one of `allowed`). */
  function isMessage(msg, allowed) {
    if (!msg || typeof msg !== "object" || typeof msg.type !== "string") return false;
    if (!TYPES.has(msg.type)) return false;
    return !allowed || allowed.includes(msg.type);
  }

  ns.messages = Object.freeze({ MSG, ok, fail, isMessage });
})(globalThis);
