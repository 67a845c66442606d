/*
 * What the toolbar badge and the popup show, derived from a report. Pure.
 */

import "../content/claims.js";

const CONCERNING = new Set(["moderate", "high"]);
const { claimLines } = globalThis.INCILENS.claims;
/** The only claims the content script may report as not checkable, with their labels. */
const UNCHECKABLE = { clean: "Clean" };

/** The content script's not-checkable claims, kept only when they are ones we know. */
export function knownUnchecked(list) {
  if (!Array.isArray(list)) return [];
  const ids = [...new Set(list.map((u) => u && u.claim).filter((id) => Object.hasOwn(UNCHECKABLE, id)))];
  return ids.map((claim) => ({ claim, label: UNCHECKABLE[claim] }));
}

/**
 * The number of concerns: ingredients rated moderate or high, plus those that matter to the
 * profile (`summary.for_you`), each ingredient counted once.
 */
export function countConcerns(report) {
  const positions = new Set();
  for (const item of report.ingredients || []) {
    if (CONCERNING.has(item.concern)) positions.add(item.position);
  }
  for (const group of (report.summary && report.summary.for_you) || []) {
    for (const item of group.items || []) positions.add(item.position);
  }
  return positions.size;
}

/** Badge text and colour for a tab state. */
export function badgeFor(state) {
  switch (state && state.status) {
    case "done": {
      const n = state.summary.concerns;
      const colour = state.summary.concernCounts.high > 0 ? "#a8211a" : n > 0 ? "#7a4a00" : "#1d7a3a";
      return { text: String(n), color: colour, title: `INCI Lens: ${n} concern${n === 1 ? "" : "s"} on this page` };
    }
    case "error":
      return { text: "!", color: "#4a4f55", title: "INCI Lens: " + state.error.message };
    case "analysing":
      return { text: "…", color: "#4a4f55", title: "INCI Lens: analysing the ingredient list" };
    default:
      return { text: "", color: "#4a4f55", title: "INCI Lens" };
  }
}

/**
 * A compact summary of a report for the popup (kept in session storage per tab). `unchecked`:
 * the page's claims that cannot be checked ("clean"), from the content script.
 */
export function compactSummary(report, unchecked = []) {
  const s = report.summary || {};
  const counts = s.counts || {};
  const flags = (s.flags || [])
    .filter((f) => f.status === "present" && (f.items || []).length)
    .map((f) => ({ id: f.id, label: f.label, items: f.items.map((i) => i.name) }));
  return {
    listFound: Boolean(report.list_found),
    items: counts.items || 0,
    recognised: counts.recognised || 0,
    unrecognised: (counts.unrecognised_items || []).map((i) => i.name),
    reliability: s.reliability ? { level: s.reliability.level, message: s.reliability.message } : null,
    concernCounts: { none: 0, low: 0, moderate: 0, high: 0, unknown: 0, ...(s.concern_counts || {}) },
    concerns: countConcerns(report),
    worst: (report.ingredients || [])
      .filter((i) => CONCERNING.has(i.concern))
      .map((i) => ({ name: (i.ingredient && i.ingredient.display_name) || i.text, concern: i.concern })),
    forYou: (s.for_you || []).map((g) => ({ title: g.title, why: g.why, items: (g.items || []).map((i) => i.name) })),
    flags,
    claims: claimLines(s.claims, knownUnchecked(unchecked)).map(({ claim, label, verdict, items, text }) => ({ claim, label, verdict, items, text })),
  };
}
