/*
 * The service worker (an event page in Firefox): the only API client. Listeners are registered
 * at top level; per-tab status lives in storage.session (the worker may be stopped at any time);
 * the report cache is an in-memory optimisation that may be lost with the worker.
 */
import "../shared/browser.js";
import "../shared/messages.js";
import "../shared/sites.js";
import { siteEnabled } from "../shared/defaults.js";
import { analyzeText } from "./api-client.js";
import { loadOptions, updateOptions } from "./options-store.js";
import { badgeFor, compactSummary } from "./summary.js";
import { handleSelection, MENU_ID, MENU_TITLE } from "./selection.js";

const ext = globalThis.INCILENS.ext;
const { MSG, ok, fail, isMessage } = globalThis.INCILENS.messages;
const { adapterFor } = globalThis.INCILENS.sites;
const EXT_ORIGIN = ext.runtime.getURL("");
const CACHE_MAX = 30;
const cache = new Map();

// -- senders --------------------------------------------------------------------------------
function fromContentScript(sender) {
  return Boolean(sender && sender.id === ext.runtime.id && sender.tab && Number.isInteger(sender.tab.id)
    && sender.frameId === 0 && typeof sender.url === "string" && !sender.url.startsWith(EXT_ORIGIN));
}

function fromExtensionPage(sender) {
  return Boolean(sender && sender.id === ext.runtime.id && typeof sender.url === "string" && sender.url.startsWith(EXT_ORIGIN));
}

function hostOf(url) {
  try {
    return new URL(url).hostname;
  } catch {
    return "";
  }
}

// -- per-page cache -------------------------------------------------------------------------
function cacheGet(key) {
  if (!cache.has(key)) return null;
  const value = cache.get(key);
  cache.delete(key);
  cache.set(key, value);
  return value;
}

function cacheSet(key, value) {
  cache.set(key, value);
  while (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value);
}

// -- tab state and toolbar badge -------------------------------------------------------------
const tabKey = (tabId) => `tab:${tabId}`;

async function getTabState(tabId) {
  const got = await ext.storage.session.get(tabKey(tabId));
  return got[tabKey(tabId)] || null;
}

async function setTabState(tabId, state) {
  if (state) await ext.storage.session.set({ [tabKey(tabId)]: state });
  else await ext.storage.session.remove(tabKey(tabId));
  const badge = badgeFor(state);
  try {
    await ext.action.setBadgeText({ tabId, text: badge.text });
    await ext.action.setBadgeBackgroundColor({ tabId, color: badge.color });
    await ext.action.setTitle({ tabId, title: badge.title });
  } catch {
    // the tab is gone
  }
}

async function analyzeForTab(tabId, url, text, unchecked) {
  const options = await loadOptions(ext.storage.sync);
  const host = hostOf(url);
  if (!siteEnabled(options, host)) return fail("site_disabled", "INCI Lens is switched off on this site.");
  const key = JSON.stringify([url, options.serverUrl, options.profile, text]);
  let report = cacheGet(key);
  if (!report) {
    await setTabState(tabId, { status: "analysing", url, host, serverUrl: options.serverUrl });
    const reply = await analyzeText(text, options.profile, { baseUrl: options.serverUrl, timeoutMs: options.timeoutSeconds * 1000 });
    if (!reply.ok) {
      await setTabState(tabId, { status: "error", url, host, serverUrl: options.serverUrl, error: reply.error });
      return reply;
    }
    report = reply.data;
    cacheSet(key, report);
  }
  await setTabState(tabId, { status: "done", url, host, serverUrl: options.serverUrl, summary: compactSummary(report, unchecked) });
  return ok(report);
}

// -- injection on demand (toolbar click: activeTab + scripting) -------------------------------
async function ping(tabId) {
  try {
    const reply = await ext.tabs.sendMessage(tabId, { type: MSG.BG_CS_PING }, { frameId: 0 });
    return Boolean(reply && reply.ok);
  } catch {
    return false;
  }
}

async function scanTab(tabId) {
  let url = "";
  try {
    url = (await ext.tabs.get(tabId)).url || "";
  } catch {
    return fail("no_tab", "That tab is gone.");
  }
  const options = await loadOptions(ext.storage.sync);
  if (url && !siteEnabled(options, hostOf(url))) return fail("site_disabled", "INCI Lens is switched off on this site.");
  // The old state (an error, say) is replaced before the scan starts, so a popup polling right
  // after this reply never reads the previous outcome as the new one.
  await setTabState(tabId, { status: "scanning", url, host: hostOf(url) });
  if (await ping(tabId)) {
    await ext.tabs.sendMessage(tabId, { type: MSG.BG_CS_RESCAN }, { frameId: 0 });
    return ok({ injected: false });
  }
  const declared = ext.runtime.getManifest().content_scripts[0];
  try {
    await ext.scripting.insertCSS({ target: { tabId }, files: declared.css });
    await ext.scripting.executeScript({ target: { tabId }, files: declared.js });
  } catch (err) {
    await setTabState(tabId, null);
    return fail("no_access", "INCI Lens cannot read this page (browser pages and the extension store are off limits).");
  }
  return ok({ injected: true });
}

async function setSiteEnabled(tabId, host, enabled) {
  const adapter = adapterFor(host);
  const bare = host.toLowerCase().replace(/^www\./, "");
  const result = await updateOptions(ext.storage.sync, (o) => {
    if (adapter) {
      const set = new Set(o.disabledRetailers);
      if (enabled) set.delete(adapter.id);
      else set.add(adapter.id);
      o.disabledRetailers = [...set];
    } else {
      const set = new Set(o.disabledHosts);
      if (enabled) set.delete(bare);
      else set.add(bare);
      o.disabledHosts = [...set];
    }
    return o;
  });
  if (!result.ok) return fail("bad_options", Object.values(result.errors).join(" "));
  if (!Number.isInteger(tabId)) return ok(null);
  if (enabled) return scanTab(tabId);
  try {
    await ext.tabs.sendMessage(tabId, { type: MSG.BG_CS_REMOVE_HIGHLIGHTS }, { frameId: 0 });
  } catch {
    // no content script there: nothing to remove
  }
  const before = await getTabState(tabId);
  await setTabState(tabId, { status: "disabled", url: before && before.url, host });
  return ok(null);
}

// -- context menu ----------------------------------------------------------------------------
async function handleContextMenuClick(info, tab) {
  return handleSelection(info, tab, {
    makeKey: () => "sel:" + crypto.randomUUID(),
    store: (key, value) => ext.storage.session.set({ [key]: value }),
    open: (key, t) => ext.tabs.create({
      url: ext.runtime.getURL(`src/popup/popup.html?selection=${encodeURIComponent(key)}`),
      ...(t && Number.isInteger(t.index) ? { index: t.index + 1, openerTabId: t.id } : {}),
    }),
    analyze: async (text) => {
      const options = await loadOptions(ext.storage.sync);
      // The selection page shows the summary and each item's name and concern: no records.
      return analyzeText(text, options.profile, { baseUrl: options.serverUrl, timeoutMs: options.timeoutSeconds * 1000, view: "compact" });
    },
  });
}

// -- router ----------------------------------------------------------------------------------
const CS_TYPES = [MSG.CS_BG_GET_CONFIG, MSG.CS_BG_ANALYZE_TEXT, MSG.CS_BG_REPORT_STATE];
const UI_TYPES = [MSG.UI_BG_GET_TAB_STATUS, MSG.UI_BG_SCAN_TAB, MSG.UI_BG_SET_SITE_ENABLED,
  MSG.UI_BG_GET_SELECTION_RESULT, MSG.UI_BG_OPTIONS_CHANGED];

async function route(msg, sender) {
  if (CS_TYPES.includes(msg.type) && !fromContentScript(sender)) return fail("forbidden", "Not from a content script.");
  if (UI_TYPES.includes(msg.type) && !fromExtensionPage(sender)) return fail("forbidden", "Not from an extension page.");
  switch (msg.type) {
    case MSG.CS_BG_GET_CONFIG: {
      const options = await loadOptions(ext.storage.sync);
      const enabled = siteEnabled(options, hostOf(sender.url));
      if (!enabled) await setTabState(sender.tab.id, { status: "disabled", url: sender.url, host: hostOf(sender.url) });
      return ok({ enabled });
    }
    case MSG.CS_BG_ANALYZE_TEXT:
      if (typeof msg.text !== "string" || !msg.text.trim()) return fail("bad_input", "No text.");
      return analyzeForTab(sender.tab.id, sender.url, msg.text, msg.unchecked);
    case MSG.CS_BG_REPORT_STATE: {
      if (msg.status === "not_found") {
        await setTabState(sender.tab.id, { status: "not_found", url: sender.url, host: hostOf(sender.url) });
      } else if (msg.status === "highlighted") {
        const state = await getTabState(sender.tab.id);
        if (state && state.status === "done") {
          state.highlighted = Number.isInteger(msg.count) ? msg.count : 0;
          await ext.storage.session.set({ [tabKey(sender.tab.id)]: state });
        }
      } else {
        return fail("bad_input", "Unknown state.");
      }
      return ok(null);
    }
    case MSG.UI_BG_GET_TAB_STATUS: {
      if (!Number.isInteger(msg.tabId)) return fail("bad_input", "No tab.");
      const [state, options] = await Promise.all([getTabState(msg.tabId), loadOptions(ext.storage.sync)]);
      let url = (state && state.url) || "";
      try {
        url = (await ext.tabs.get(msg.tabId)).url || url;
      } catch {
        // keep what we know
      }
      const host = hostOf(url) || (state && state.host) || "";
      const adapter = adapterFor(host);
      return ok({ state, host, enabled: host ? siteEnabled(options, host) : true, supported: adapter ? adapter.name : null, serverUrl: options.serverUrl });
    }
    case MSG.UI_BG_SCAN_TAB:
      if (!Number.isInteger(msg.tabId)) return fail("bad_input", "No tab.");
      return scanTab(msg.tabId);
    case MSG.UI_BG_SET_SITE_ENABLED:
      if (typeof msg.host !== "string" || !msg.host || typeof msg.enabled !== "boolean") return fail("bad_input", "No site.");
      return setSiteEnabled(msg.tabId, msg.host, msg.enabled);
    case MSG.UI_BG_GET_SELECTION_RESULT: {
      if (typeof msg.key !== "string" || !msg.key.startsWith("sel:")) return fail("bad_input", "No such result.");
      const got = await ext.storage.session.get(msg.key);
      return got[msg.key] ? ok(got[msg.key]) : fail("not_found", "This result has expired; select the text and try again.");
    }
    case MSG.UI_BG_OPTIONS_CHANGED:
      cache.clear();
      return ok(null);
    default:
      return fail("unknown_type", `Unknown message type ${msg.type}.`);
  }
}

ext.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (!isMessage(msg, [...CS_TYPES, ...UI_TYPES])) return false;
  route(msg, sender).then(sendResponse, (err) => sendResponse(fail("internal", String((err && err.message) || err))));
  return true;
});

ext.runtime.onInstalled.addListener(() => {
  Promise.resolve(ext.contextMenus.removeAll()).then(() => {
    ext.contextMenus.create({ id: MENU_ID, title: MENU_TITLE, contexts: ["selection"] });
  });
});

ext.contextMenus.onClicked.addListener((info, tab) => {
  handleContextMenuClick(info, tab);
});

ext.tabs.onRemoved.addListener((tabId) => {
  ext.storage.session.remove(tabKey(tabId));
});

ext.tabs.onUpdated.addListener((tabId, change) => {
  if (change.status === "loading") setTabState(tabId, null);
});

// A handle for the end-to-end tests and for debugging from the worker's console.
globalThis.incilens = Object.freeze({ handleContextMenuClick, cacheSize: () => cache.size });
