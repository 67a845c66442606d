/*
 * The popup: the page summary for the current tab (or, with ?selection=KEY, the result of the
 * context-menu analysis). Opening it is the "toolbar click": on a site without declared content
 * scripts it asks the service worker to inject them (activeTab + scripting).
 * All text goes in through textContent.
 */
import "../shared/browser.js";
import "../shared/messages.js";
import { compactSummary } from "../background/summary.js";

const ext = globalThis.INCILENS.ext;
const { MSG } = globalThis.INCILENS.messages;
const $ = (id) => document.getElementById(id);
const LEVELS = ["high", "moderate", "low", "none", "unknown"];
const LEVEL_LABEL = { high: "high", moderate: "moderate", low: "low", none: "no concern", unknown: "not recognised" };
const POLL_MS = 400;
const POLL_LIMIT = 60;

function send(message) {
  return ext.runtime.sendMessage(message).catch((err) => ({ ok: false, error: { code: "internal", message: String(err) } }));
}

function setStatus(text, isError) {
  const el = $("status");
  el.textContent = text;
  el.classList.toggle("error", Boolean(isError));
}

function list(parentId, heading, entries, decorate) {
  const parent = $(parentId);
  parent.replaceChildren();
  if (!entries.length) return;
  const h3 = document.createElement("h3");
  h3.textContent = heading;
  const ul = document.createElement("ul");
  entries.forEach((entry, i) => {
    const li = document.createElement("li");
    li.textContent = entry;
    if (decorate) decorate(li, i);
    ul.appendChild(li);
  });
  parent.append(h3, ul);
}

function renderSummary(summary, items) {
  $("summary").hidden = false;
  const n = summary.concerns;
  $("summary-title").textContent = `${n} concern${n === 1 ? "" : "s"}`;
  $("counts").textContent = `${summary.items} ingredient${summary.items === 1 ? "" : "s"}, ${summary.recognised} recognised`;
  const levels = $("levels");
  levels.replaceChildren();
  for (const level of LEVELS) {
    const count = summary.concernCounts[level] || 0;
    if (!count) continue;
    const li = document.createElement("li");
    li.className = `pill c-${level}`;
    li.dataset.level = level;
    li.textContent = `${count} ${LEVEL_LABEL[level]}`;
    levels.appendChild(li);
  }
  // A group without items (avoid-list terms the server does not know) shows the server's reason,
  // which names the terms, instead of an empty list.
  list("for-you", "For you", summary.forYou.map((g) => (g.items.length ? `${g.title}: ${g.items.join(", ")}` : `${g.title}. ${g.why || ""}`.trim())));
  list("worst", "Worth a look", summary.worst.map((w) => `${w.name} (${w.concern})`));
  list("flags", "Flags", summary.flags.map((f) => `${f.label}: ${f.items.join(", ")}`));
  // The page's claims checked against the list, contradicted first ("clean": not checkable).
  list("claims", "The page's claims", (summary.claims || []).map((c) => c.text), (li, i) => li.setAttribute("data-verdict", summary.claims[i].verdict));
  $("unrecognised").hidden = !summary.unrecognised.length;
  $("unrecognised").textContent = "Not recognised: " + summary.unrecognised.join(", ");
  const rel = summary.reliability;
  $("reliability").hidden = !(rel && rel.message);
  $("reliability").textContent = rel ? rel.message : "";
  const table = $("items");
  table.hidden = !items;
  if (items) {
    const body = table.tBodies[0];
    body.replaceChildren();
    for (const item of items) {
      const tr = document.createElement("tr");
      const name = document.createElement("td");
      name.textContent = (item.ingredient && item.ingredient.display_name) || item.text;
      const concern = document.createElement("td");
      const pill = document.createElement("span");
      pill.className = `pill c-${LEVEL_LABEL[item.concern] ? item.concern : "unknown"}`;
      pill.textContent = LEVEL_LABEL[item.concern] || "not recognised";
      concern.appendChild(pill);
      tr.append(name, concern);
      body.appendChild(tr);
    }
  }
}

function renderState(state) {
  $("retry").hidden = true;
  $("summary").hidden = true;
  switch (state && state.status) {
    case "done":
      if (!state.summary.listFound) {
        setStatus("An ingredient-like block was found, but the service found no list in it.");
        return true;
      }
      setStatus(state.highlighted === 0
        ? "The list was found in the page's product data, not in its text, so nothing is highlighted."
        : "Ingredients on this page are highlighted; hover or focus one for details.");
      renderSummary(state.summary, null);
      return true;
    case "error":
      setStatus(state.error.message, true);
      $("retry").hidden = false;
      return true;
    case "not_found":
      setStatus("No ingredient list found on this page. If the list is in a collapsed section, open it and INCI Lens will pick it up.");
      return true;
    case "disabled":
      setStatus("INCI Lens is off for this site.");
      return true;
    case "analysing":
      setStatus("Analysing the ingredient list…");
      return false;
    default:
      setStatus("Looking for the ingredient list…");
      return false;
  }
}

async function pollTab(tabId) {
  for (let i = 0; i < POLL_LIMIT; i++) {
    const reply = await send({ type: MSG.UI_BG_GET_TAB_STATUS, tabId });
    if (!reply.ok) {
      setStatus(reply.error.message, true);
      return;
    }
    if (renderState(reply.data.state)) return;
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  setStatus("INCI Lens found no ingredient list on this page in time.", true);
}

async function scan(tabId) {
  setStatus("Looking for the ingredient list…");
  const reply = await send({ type: MSG.UI_BG_SCAN_TAB, tabId });
  if (!reply.ok) {
    setStatus(reply.error.message, true);
    return;
  }
  await pollTab(tabId);
}

async function tabMode(tabId) {
  const reply = await send({ type: MSG.UI_BG_GET_TAB_STATUS, tabId });
  if (!reply.ok) {
    setStatus(reply.error.message, true);
    return;
  }
  const info = reply.data;
  $("server").textContent = "· " + info.serverUrl;
  if (info.host) {
    $("site").hidden = false;
    $("site-name").textContent = info.supported ? `${info.supported} (${info.host})` : info.host;
    $("site-enabled").checked = info.enabled;
    $("site-enabled").addEventListener("change", async (event) => {
      const enabled = event.target.checked;
      const r = await send({ type: MSG.UI_BG_SET_SITE_ENABLED, tabId, host: info.host, enabled });
      if (!r.ok) setStatus(r.error.message, true);
      else if (enabled) await pollTab(tabId);
      else renderState({ status: "disabled" });
    });
  }
  $("retry").addEventListener("click", () => scan(tabId));
  if (!info.enabled) {
    renderState({ status: "disabled" });
    return;
  }
  const st = info.state && info.state.status;
  // Known states are shown as they are (an error offers "Try again"); an unknown tab is scanned.
  if (st === "done" || st === "analysing" || st === "not_found" || st === "error") await pollTab(tabId);
  else await scan(tabId);
}

async function selectionMode(key) {
  $("options-link").hidden = false;
  for (let i = 0; i < POLL_LIMIT * 2; i++) {
    const reply = await send({ type: MSG.UI_BG_GET_SELECTION_RESULT, key });
    if (!reply.ok) {
      setStatus(reply.error.message, true);
      return;
    }
    const result = reply.data;
    if (result.status === "error") {
      setStatus(result.error.message, true);
      return;
    }
    if (result.status === "done") {
      setStatus(result.report.list_found ? "Analysis of the selected text:" : "No ingredient list found in the selected text.");
      if (result.report.list_found) renderSummary(compactSummary(result.report), result.report.ingredients);
      return;
    }
    setStatus("Analysing the selected text…");
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

async function main() {
  const params = new URLSearchParams(location.search);
  $("options-link").addEventListener("click", (event) => {
    event.preventDefault();
    ext.runtime.openOptionsPage();
  });
  if (params.has("selection")) {
    document.body.classList.add("page");
    await selectionMode(params.get("selection"));
    return;
  }
  let tabId = Number.parseInt(params.get("tab") || "", 10);
  if (!Number.isInteger(tabId)) {
    const [tab] = await ext.tabs.query({ active: true, currentWindow: true });
    tabId = tab ? tab.id : NaN;
  }
  if (!Number.isInteger(tabId)) {
    setStatus("No page to look at.", true);
    return;
  }
  await tabMode(tabId);
}

main();
