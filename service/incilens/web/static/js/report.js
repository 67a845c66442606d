// The report: summary first, then one expandable row per ingredient. DOM APIs only.

import { h, clear, listWords } from "./dom.js";

export const CONCERN_WORDS = {
  none: "No concern",
  low: "Low concern",
  moderate: "Moderate concern",
  high: "High concern",
  unknown: "Not recognised",
};
const CONCERN_ORDER = ["high", "moderate", "low", "none", "unknown"];
const MATTERS = new Set(["moderate", "high"]);
// Verdict findings shown before the rest is folded ("3 more findings").
const SHOWN_FINDINGS = 4;
// Chips shown per verdict finding before "+ N more", by severity.
const CHIP_LIMITS = { high: 6, moderate: 3, low: 2, info: 2 };
const KIND_WORDS = { law: "EU law", claim: "Pack claim", profile: "Your profile", notable: "Worth knowing" };

function num(x) {
  return x === null || x === undefined ? "?" : Number(x).toFixed(1).replace(/\.0$/, "");
}

function capital(text) {
  const t = String(text || "");
  return t.charAt(0).toUpperCase() + t.slice(1);
}

export function badge(level) {
  return h("span", { class: ["badge", `concern-${level}`] }, CONCERN_WORDS[level] || level);
}

function source(id) {
  return id ? h("span", { class: "source" }, ` source: ${id}`) : null;
}

/** Item positions that concern this profile: its findings, plus moderate or high concern. */
export function concernPositions(report) {
  const out = new Set();
  for (const finding of report.summary.for_you || []) {
    for (const item of finding.items || []) out.add(item.position);
  }
  for (const item of report.ingredients) if (MATTERS.has(item.concern)) out.add(item.position);
  return out;
}

const SEVERITY_RANK = { high: 0, moderate: 1, low: 2, info: 3 };

/** Position → the heaviest severity of the profile findings that name it. */
function forYouSeverity(report) {
  const out = new Map();
  const verdict = report.summary.verdict;
  const findings = verdict
    ? verdict.findings.filter((f) => f.kind === "profile")
    : (report.summary.for_you || []).map((f) => ({ ...f, severity: "high" }));
  for (const f of findings) {
    for (const item of f.items || []) {
      const now = out.get(item.position);
      if (!now || SEVERITY_RANK[f.severity] < SEVERITY_RANK[now]) out.set(item.position, f.severity);
    }
  }
  return out;
}

/** A clickable chip naming an item; opens that item's row. */
function itemChip(ref, onOpen, extra) {
  const label = extra ? `${ref.name} (${extra})` : ref.name;
  const button = h("button", { type: "button", class: "chip", dataset: { position: ref.position }, "aria-label": `${label}: open its card` }, label);
  button.addEventListener("click", () => onOpen(ref.position));
  return h("li", null, button);
}

/** Chips for `refs`; past `limit`, the rest wait behind one "N more" button (fewer Tab stops). */
function chipList(refs, onOpen, extra = () => null, limit = Infinity) {
  const chips = refs.map((r) => itemChip(r, onOpen, extra(r)));
  const list = h("ul", { class: "chips", "aria-label": "Ingredients" }, chips);
  if (refs.length <= limit + 1) return list;
  const rest = chips.slice(limit);
  for (const li of rest) li.hidden = true;
  const more = h("button", { type: "button", class: "chip more", "aria-label": `Show ${rest.length} more ingredients` }, `+ ${rest.length} more`);
  const moreItem = h("li", null, more);
  more.addEventListener("click", () => {
    for (const li of rest) li.hidden = false;
    moreItem.remove();
    rest[0].querySelector("button").focus();
  });
  list.append(moreItem);
  return list;
}

/** The CosIng functions of an item, main uses first and minor ones apart (see core/functions.py). */
export function itemUses(item) {
  const ing = item.ingredient;
  if (!ing) return { main: [], minor: [] };
  if (item.uses) return item.uses;
  return { main: (ing.functions || []).map((f) => f.name), minor: [] };
}

/** The report's verdict block (``summary.verdict``), or null from a server without one. */
function verdictOf(report) {
  return report.summary.verdict || null;
}

function noListSection(report, kind) {
  const rel = report.summary.reliability;
  const section = h("section", { class: ["reliability", rel.level], "aria-labelledby": "sum-reliability" });
  section.append(h("h3", { id: "sum-reliability" }, "How well the list was read"));
  section.append(h("p", null, kind === "image" ? "We found no ingredient list in this photo." : "We found no ingredient list in this text."));
  if (rel.level === "unreadable") {
    // The server knows why (blurred, dark, no text): its reason and advice, not a generic one.
    section.append(h("p", null, rel.message));
  } else {
    section.append(
      h(
        "p",
        null,
        kind === "image"
          ? "Photograph the side of the pack that starts with “Ingredients” or “INCI”, close up and flat, or paste the list instead."
          : "Paste the part that starts with “Ingredients:”, or a list of names separated by commas.",
      ),
    );
  }
  if (report.ocr && report.ocr.text && report.ocr.text.trim()) {
    section.append(h("details", { class: "ocr-text" }, h("summary", null, "What we read in the photo"), h("pre", null, report.ocr.text)));
  }
  return section;
}

function reliabilitySection(report, onOpen) {
  const rel = report.summary.reliability;
  const section = h("section", { class: ["reliability", rel.level], "aria-labelledby": "sum-reliability" });
  section.append(h("h3", { id: "sum-reliability" }, "How well the list was read"));
  section.append(h("p", null, rel.message));
  if (rel.verdicts_withheld) {
    section.append(h("p", { id: "withheld-note" },
      "So we show only what was found in the part we could read. Nothing here says what the product is free of: ",
      "an ingredient we could not read may be a fragrance, a paraben or anything else."));
  }
  section.append(
    h("ul", { class: "counts", "aria-label": "Ingredients by concern" },
      CONCERN_ORDER.filter((level) => (report.summary.concern_counts || {})[level]).map((level) =>
        h("li", null, h("span", { class: ["badge", `concern-${level}`] }, `${report.summary.concern_counts[level]} × ${CONCERN_WORDS[level].toLowerCase()}`)),
      ),
    ),
  );
  if (report.ocr) {
    const low = report.ingredients.filter((i) => i.ocr && i.ocr.low_confidence).length;
    section.append(
      h("p", { class: "hint" },
        `Photo read with ${num(report.ocr.mean_confidence)} % average confidence.`,
        low ? ` ${low} ${low === 1 ? "name was" : "names were"} hard to read (dashed outlines): check them on the pack.` : ""),
    );
  }
  if (report.items_not_analysed) {
    section.append(h("p", { class: "hint" }, `${report.items_not_analysed} further items were not analysed (the list is very long).`));
  }
  const counts = report.summary.counts;
  if (counts.unrecognised) {
    section.append(
      h("p", null, h("strong", null, "Not recognised: "), `${counts.unrecognised} of ${counts.items}. These were not checked; look at their spelling on the pack.`),
      chipList(counts.unrecognised_items, onOpen),
    );
  }
  return section;
}

/** "Not counted: A, B (why); C (why)": the look-alikes left out, grouped by their reason. */
function notCounted(flag) {
  const entries = (flag && flag.not_counted) || [];
  if (!entries.length) return null;
  const byWhy = new Map();
  for (const n of entries) byWhy.set(n.why, [...(byWhy.get(n.why) || []), n.name]);
  const parts = [...byWhy].map(([why, names]) => `${listWords(names)} (${why})`);
  return h("p", { class: "hint" }, "Not counted: ", parts.join("; "), ".");
}

function findingCard(f, report, onOpen) {
  const flag = f.kind === "notable" ? (report.summary.flags || []).find((x) => x.id === f.id) : null;
  const classes = ["finding", `severity-${f.severity}`, f.kind === "profile" ? "for-you" : null];
  return h("li", { class: classes, dataset: { finding: f.id, kind: f.kind } },
    h("h4", null, h("span", { class: "kind" }, KIND_WORDS[f.kind] || f.kind), " ", f.title),
    f.why ? h("p", { class: "why" }, f.why) : null,
    f.items && f.items.length ? chipList(f.items, onOpen, () => null, CHIP_LIMITS[f.severity] || 3) : null,
    notCounted(flag));
}

function verdictSection(report, profileEmpty, onOpen, onEditProfile) {
  const verdict = verdictOf(report);
  if (!verdict) return null;
  const section = h("section", { id: "verdict", class: "verdict", "aria-labelledby": "verdict-title" },
    h("h3", { id: "verdict-title" }, "In short"));
  section.append(h("p", { class: "headline" }, verdict.headline));
  const findings = verdict.findings || [];
  if (findings.length) {
    const first = findings.slice(0, SHOWN_FINDINGS);
    const rest = findings.length > SHOWN_FINDINGS + 1 ? findings.slice(SHOWN_FINDINGS) : [];
    if (!rest.length) first.push(...findings.slice(SHOWN_FINDINGS));
    section.append(h("ul", { class: "finding-list", id: "verdict-list" }, first.map((f) => findingCard(f, report, onOpen))));
    if (rest.length) {
      section.append(h("details", { class: "fold", id: "more-findings" },
        h("summary", null, h("span", { class: "summary-title" }, `${rest.length} more findings`)),
        h("ul", { class: "finding-list" }, rest.map((f) => findingCard(f, report, onOpen)))));
    }
  }
  if (profileEmpty) {
    const button = h("button", { type: "button", class: "button secondary small" }, "Set your profile");
    button.addEventListener("click", onEditProfile);
    section.append(h("p", { class: "hint profile-hint" }, "Tell us your skin type, concerns and what you avoid to see what matters to you. ", button));
  } else if (!findings.some((f) => f.kind === "profile" && f.items.length)) {
    section.append(h("p", { id: "for-you-none" }, verdict.withheld
      ? "The read is too unreliable to say that nothing here conflicts with your profile."
      : "Nothing in this list conflicts with your profile."));
  }
  if ((verdict.free_of || []).length) {
    section.append(h("ul", { class: "free-of", id: "free-of", "aria-label": "Checked and not found" },
      verdict.free_of.map((b) => h("li", { class: "badge free", dataset: { flag: b.id } }, h("span", { "aria-hidden": "true" }, "✓ "), b.label))));
  }
  return section;
}

function flagCard(f, onOpen) {
  const score = (r) => (r.max !== undefined && r.max !== null ? `${num(r.max)} of 5` : null);
  let label = f.label;
  let items = f.items || [];
  const depends = f.id === "vegan" ? f.depends || [] : [];
  if (f.id === "vegan" && f.status === "depends") {
    label = "May be animal-derived";
    items = [];
  }
  if (f.id === "fragrance" && f.status === "absent") {
    // Not "Fragrance-free": the scented ingredients it lists are the point of this card.
    return h("li", { class: "finding", dataset: { flag: f.id } },
      h("h4", null, "No “fragrance” listed, but scented ingredients are"),
      f.detail ? h("p", null, f.detail) : null,
      chipList(f.not_counted || [], onOpen));
  }
  return h("li", { class: "finding", dataset: { flag: f.id } },
    h("h4", null, label),
    f.detail ? h("p", null, f.detail) : null,
    items.length ? chipList(items, onOpen, score) : null,
    depends.length ? h("p", { class: "sub" }, h("strong", null, "May be animal-derived"), ", depending on the supplier (ask the brand):") : null,
    depends.length ? chipList(depends, onOpen) : null,
    notCounted(f));
}

function flagsSection(report, onOpen) {
  const verdict = verdictOf(report) || { other_flags: [], nothing_found: [], withheld: false };
  const byId = new Map((report.summary.flags || []).map((f) => [f.id, f]));
  const shown = (verdict.other_flags || []).map((id) => byId.get(id)).filter(Boolean);
  const nothing = verdict.nothing_found || [];
  if (!shown.length && !nothing.length) return null;
  const title = shown.length ? `Other flags (${shown.length})` : "Other checks";
  const details = h("details", { class: "fold", id: "other-flags" },
    h("summary", null, h("span", { class: "summary-title", id: "sum-flags" }, title)));
  if (shown.length) details.append(h("ul", { class: "finding-list", id: "flag-list" }, shown.map((f) => flagCard(f, onOpen))));
  if (nothing.length) {
    details.append(h("p", { class: "absent" }, h("strong", null, "Checked, nothing found: "), nothing.map((f) => f.label).join(" · ")));
  }
  return h("section", { "aria-labelledby": "sum-flags" }, details);
}

function claimsSection(report) {
  const claims = report.summary.claims || [];
  if (!claims.length) return null;
  return h("section", { "aria-labelledby": "sum-claims" },
    h("h3", { id: "sum-claims" }, "Claims on the pack"),
    h("ul", { class: "finding-list" },
      claims.map((c) => h("li", { class: "finding" }, h("h4", null, `${c.label}: ${c.verdict}`), h("p", null, c.explanation)))));
}

function activesSection(report, onOpen) {
  const actives = report.summary.notable_actives || [];
  if (!actives.length) return null;
  const details = h("details", { class: "fold", id: "actives" },
    h("summary", null, h("span", { class: "summary-title", id: "sum-actives" }, `Actives (${actives.length})`)));
  details.append(h("ul", { class: "finding-list" },
    actives.map((a) => {
      const b = h("button", { type: "button", class: "chip", "aria-label": `${a.name}: open its card` }, a.name);
      b.addEventListener("click", () => onOpen(a.position));
      return h("li", { class: "finding" }, b, h("p", null, a.what), ...(a.position_note || []).map((n) => h("p", { class: "hint" }, typeof n === "string" ? n : n.text)));
    })));
  return h("section", { "aria-labelledby": "sum-actives" }, details);
}

/** Render the summary into `el`: the verdict first, then the read, then the folded rest. */
export function renderSummary(el, report, { kind, profileEmpty, onOpen, onEditProfile }) {
  clear(el);
  if (!report.list_found) {
    el.append(noListSection(report, kind));
    return;
  }
  for (const part of [
    verdictSection(report, profileEmpty, onOpen, onEditProfile),
    reliabilitySection(report, onOpen),
    flagsSection(report, onOpen),
    claimsSection(report),
    activesSection(report, onOpen),
  ]) if (part) el.append(part);
}

function rating(r) {
  if (!r) return h("span", { class: "hint" }, "No rating recorded.");
  const range = r.min === r.max ? num(r.max) : `${num(r.min)}–${num(r.max)}`;
  const names = [...new Set((r.sources || []).map((x) => x.source))];
  return h("span", null, `${range} of 5`, h("span", { class: "hint" }, ` (0 none to 5 severe; ${names.length} ${names.length === 1 ? "source" : "sources"})`));
}

function euStatus(ing) {
  const wrap = h("div");
  if (!ing.eu || !ing.eu.length) wrap.append(h("p", null, "Not listed in the EU annexes: no specific limits."));
  for (const e of ing.eu || []) {
    const limits = [e.product_type, e.max_concentration && `at most ${e.max_concentration}`, e.condition, e.warnings && `label warning: ${e.warnings}`].filter(Boolean);
    wrap.append(h("p", null, h("strong", null, capital(e.status)), ` (Annex ${e.annex}/${e.ref}, ${e.regulation})`, limits.length ? `: ${limits.join("; ")}` : "", source(e.source)));
  }
  for (const u of ing.eu_upcoming || []) {
    wrap.append(h("p", null, h("strong", null, `From ${u.date}: `), capital(u.what_changes), ` (${u.regulation}).`, source(u.source)));
  }
  return wrap;
}

function whatItDoes(item) {
  const ing = item.ingredient;
  const uses = itemUses(item);
  if (!uses.main.length) return h("span", { class: "hint" }, "No function recorded.");
  const byName = new Map((ing.functions || []).map((f) => [f.name, f]));
  const wrap = h("div");
  wrap.append(h("ul", { class: "plain-list" }, uses.main.map((name) => {
    const f = byName.get(name) || { name };
    return h("li", null, h("strong", null, capital(name.toLowerCase())), f.plain ? `: ${f.plain}` : "");
  })));
  if (uses.minor.length) {
    wrap.append(h("p", { class: "hint minor-uses" },
      `CosIng also lists ${listWords(uses.minor.map((n) => n.toLowerCase()))}: uses that are rarely why it is in a product.`));
  }
  return wrap;
}

function fact(label, ...value) {
  return [h("dt", null, label), h("dd", null, ...value)];
}

/** The card of one item: what it is and every fact, each with its source. */
export function buildCard(item) {
  const card = h("div", { class: "card" });
  const ing = item.ingredient;
  if (!ing) {
    card.append(h("p", null, `We did not recognise “${item.read_as || item.text}”, so it was not checked.`));
    const cands = (item.candidates || []).map((c) => (typeof c === "string" ? c : c.inci_name || c.name || c.id)).filter(Boolean);
    if (cands.length) card.append(h("p", null, `Perhaps: ${listWords(cands)}.`));
    card.append(h("p", null, h("a", { href: `/search?q=${encodeURIComponent(item.read_as || item.text)}` }, "Search for similar names")));
    return card;
  }
  const match = item.match;
  if (match && (match.method === "ocr" || match.method === "fuzzy")) {
    card.append(h("p", { class: "note" }, `Read as “${match.read_as}”, matched ${match.inci_name}.`));
  }
  const what = (ing.summary && ing.summary.text) || (ing.description && ing.description.text);
  if (what) card.append(h("p", null, what));
  if (ing.notable_active) card.append(h("p", null, h("strong", null, "Active: "), ing.notable_active.text));
  for (const reason of item.reasons || []) card.append(h("p", null, h("strong", null, `${CONCERN_WORDS[item.concern]}: `), reason.text, source(reason.source)));
  for (const note of item.notes || []) card.append(h("p", { class: "note" }, note.text));
  const dl = h("dl", { class: "facts" });
  dl.append(
    ...fact("What it does", whatItDoes(item)),
    ...fact("Pore clogging", rating(ing.comedogenic)),
    ...fact("Irritancy", rating(ing.irritancy)),
    ...fact("Vegan", ing.vegan ? `${capital(ing.vegan.status.replace("_", " "))}. ${ing.vegan.reason || ""}` : h("span", { class: "hint" }, "Not known.")),
    ...fact("Pregnancy", ing.pregnancy ? [ing.pregnancy.caution ? h("strong", null, "Caution. ") : null, ing.pregnancy.note] : h("span", { class: "hint" }, "No information.")),
    ...fact("Sun", ing.photosensitizing ? [ing.photosensitizing.value ? h("strong", null, "Makes skin more sensitive to the sun. ") : null, ing.photosensitizing.note] : h("span", { class: "hint" }, "No information.")),
    ...fact("Side effects", ing.side_effects && ing.side_effects.items && ing.side_effects.items.length ? listWords(ing.side_effects.items.map(String)) : h("span", { class: "hint" }, "None recorded.")),
    ...fact("EU status", euStatus(ing)),
    ...fact("Sources", (ing.sources || []).join(", ")),
  );
  card.append(dl, h("p", null, h("a", { href: `/ingredients/${encodeURIComponent(ing.id)}` }, `Full record of ${ing.display_name}`)));
  return card;
}

/**
 * A compact item with its full record put back: the record, its concern reasons and the match's
 * names (what the compact view leaves out because the record says it).
 */
export function withRecord(item, record) {
  return {
    ...item,
    ingredient: record,
    reasons: item.reasons || (record.concern && record.concern.reasons) || [],
    match: item.match && { ...item.match, id: record.id, inci_name: record.inci_name, read_as: item.read_as },
  };
}

/** Build an item's card into `details`, loading its record first when the item is compact. */
function openCard(details, item, loadRecord) {
  const url = item.ingredient && !item.ingredient.functions && item.ingredient.record;
  if (!url || !loadRecord) {
    details.append(buildCard(item));
    return;
  }
  const waiting = h("p", { class: "card-loading", role: "status" }, "Loading this ingredient's card…");
  details.append(waiting);
  loadRecord(url).then(
    (record) => waiting.replaceWith(buildCard(withRecord(item, record))),
    (err) => {
      const retry = h("button", { type: "button" }, "Try again");
      retry.addEventListener("click", () => {
        waiting.remove();
        openCard(details, item, loadRecord);
      });
      waiting.replaceChildren(`This ingredient's card could not be loaded: ${err.message} `, retry);
    },
  );
}

/**
 * Render every item as a compact row that expands into its card (built when first opened).
 * `loadRecord(url)` fetches the full record of an item from a compact report.
 */
export function renderRows(el, report, { loadRecord = null } = {}) {
  clear(el);
  const mine = forYouSeverity(report);
  for (const item of report.ingredients) {
    const name = item.ingredient ? item.ingredient.display_name : item.read_as || item.text;
    const functions = itemUses(item).main.map((f) => f.toLowerCase()).slice(0, 3);
    const tags = [];
    const severity = mine.get(item.position);
    if (severity === "high" || severity === "moderate") tags.push(h("span", { class: ["badge", `concern-${severity}`] }, "Matters to you"));
    else if (severity) tags.push(h("span", { class: "badge concern-low" }, "May matter to you"));
    if (item.ocr && item.ocr.low_confidence) tags.push(h("span", { class: "badge concern-unknown" }, "Hard to read"));
    for (const note of item.notes || []) if (note.kind === "may_contain" || note.kind === "nano") tags.push(h("span", { class: "badge concern-unknown" }, note.kind === "nano" ? "Nano" : "May contain"));
    const summary = h("summary", null,
      h("span", { class: "pos" }, `${item.position}.`),
      h("span", null, h("span", { class: "name" }, name), " ", badge(item.concern)),
      functions.length ? h("span", { class: "what" }, capital(functions.join(", "))) : null,
      tags.length ? h("span", { class: "tags" }, tags) : null);
    const details = h("details", null, summary);
    details.addEventListener("toggle", () => {
      if (details.open && !details.querySelector(".card, .card-loading")) openCard(details, item, loadRecord);
    });
    el.append(h("li", { class: ["row", `concern-row-${item.concern}`], id: `item-${item.position}`, dataset: { position: item.position, concern: item.concern } }, details));
  }
}

/** Open one item's row (and its card), scroll to it and move focus to it. */
export function openRow(rowsEl, position) {
  const row = rowsEl.querySelector(`#item-${CSS.escape(String(position))}`);
  if (!row) return false;
  const details = row.querySelector("details");
  if (!details.open) {
    details.open = true;
    if (!details.querySelector(".card, .card-loading")) details.dispatchEvent(new Event("toggle"));
  }
  for (const other of rowsEl.querySelectorAll(".row.highlight")) other.classList.remove("highlight");
  row.classList.add("highlight");
  row.scrollIntoView({ block: "start", behavior: "instant" });
  details.querySelector("summary").focus({ preventScroll: true });
  return true;
}
