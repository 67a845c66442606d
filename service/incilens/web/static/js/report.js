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
const SHOWN_FLAG_STATUSES = new Set(["present", "not_vegan", "depends", "withheld", "unknown", "vegan"]);
const MATTERS = new Set(["moderate", "high"]);

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

function forYouPositions(report) {
  const out = new Set();
  for (const finding of report.summary.for_you || []) for (const item of finding.items || []) out.add(item.position);
  return out;
}

/** A clickable chip naming an item; opens that item's row. */
function itemChip(ref, onOpen, extra) {
  const label = extra ? `${ref.name} (${extra})` : ref.name;
  const button = h("button", { type: "button", class: "chip", dataset: { position: ref.position } }, label);
  button.addEventListener("click", () => onOpen(ref.position));
  return h("li", null, button);
}

function chipList(refs, onOpen, extra = () => null) {
  return h("ul", { class: "chips", "aria-label": "Ingredients" }, refs.map((r) => itemChip(r, onOpen, extra(r))));
}

function reliabilitySection(report, kind, onOpen) {
  const rel = report.summary.reliability;
  const section = h("section", { class: ["reliability", rel.level], "aria-labelledby": "sum-reliability" });
  section.append(h("h3", { id: "sum-reliability" }, "How well the list was read"));
  if (!report.list_found) {
    section.append(
      h("p", null, kind === "image" ? "We found no ingredient list in this photo." : "We found no ingredient list in this text."),
      h(
        "p",
        null,
        kind === "image"
          ? "Photograph the side of the pack that starts with “Ingredients” or “INCI”, close up and flat, or paste the list instead."
          : "Paste the part that starts with “Ingredients:”, or a list of names separated by commas.",
      ),
    );
    if (report.ocr && report.ocr.text && report.ocr.text.trim()) {
      section.append(h("details", { class: "ocr-text" }, h("summary", null, "What we read in the photo"), h("pre", null, report.ocr.text)));
    }
    return section;
  }
  section.append(h("p", null, rel.message));
  const counts = report.summary.counts;
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
  if (counts.unrecognised) {
    section.append(
      h("p", null, h("strong", null, "Not recognised: "), `${counts.unrecognised} of ${counts.items}. These were not checked; look at their spelling on the pack.`),
      chipList(counts.unrecognised_items, onOpen),
    );
  }
  return section;
}

function forYouSection(report, profileEmpty, onOpen, onEditProfile) {
  const section = h("section", { "aria-labelledby": "sum-for-you" }, h("h3", { id: "sum-for-you" }, "What matters to you"));
  if (profileEmpty) {
    const button = h("button", { type: "button", class: "button secondary small" }, "Set your profile");
    button.addEventListener("click", onEditProfile);
    section.append(h("p", null, "Tell us your skin type, concerns and what you avoid to see what matters to you. "), button);
    return section;
  }
  const findings = report.summary.for_you || [];
  if (!findings.length) {
    section.append(h("p", { id: "for-you-none" }, report.summary.reliability.verdicts_withheld
      ? "The read is too unreliable to say that nothing here conflicts with your profile."
      : "Nothing in this list conflicts with your profile."));
    return section;
  }
  section.append(
    h("ul", { class: "finding-list", id: "for-you-list" },
      findings.map((f) =>
        h("li", { class: ["finding", "for-you"], dataset: { finding: f.id } },
          h("h4", null, f.title),
          h("p", null, f.why),
          f.items && f.items.length ? chipList(f.items, onOpen) : null),
      ),
    ),
  );
  return section;
}

function flagsSection(report, onOpen) {
  const flags = report.summary.flags || [];
  const shown = flags.filter((f) => SHOWN_FLAG_STATUSES.has(f.status));
  const absent = flags.filter((f) => f.status === "absent");
  const section = h("section", { "aria-labelledby": "sum-flags" }, h("h3", { id: "sum-flags" }, "Flags"));
  if (shown.length) {
    section.append(
      h("ul", { class: "finding-list", id: "flag-list" },
        shown.map((f) => {
          const refs = [...(f.items || []), ...(f.depends || [])];
          return h("li", { class: "finding", dataset: { flag: f.id } },
            h("h4", null, f.label),
            f.detail ? h("p", null, f.detail) : null,
            refs.length ? chipList(refs, onOpen, (r) => (r.max !== undefined && r.max !== null ? `${num(r.max)} of 5` : null)) : null,
            (f.not_counted || []).length
              ? h("p", { class: "hint" }, "Not counted: ", f.not_counted.map((n) => `${n.name} (${n.why})`).join("; "), ".")
              : null);
        }),
      ),
    );
  } else {
    section.append(h("p", null, "No flags were raised."));
  }
  if (absent.length) {
    section.append(h("p", { class: "absent" }, h("strong", null, "Not found: "), absent.map((f) => f.label).join(" · ")));
  }
  return section;
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
  return h("section", { "aria-labelledby": "sum-actives" },
    h("h3", { id: "sum-actives" }, "Actives"),
    h("ul", { class: "finding-list" },
      actives.map((a) => {
        const b = h("button", { type: "button", class: "chip" }, a.name);
        b.addEventListener("click", () => onOpen(a.position));
        return h("li", { class: "finding" }, b, h("p", null, a.what), ...(a.position_note || []).map((n) => h("p", { class: "hint" }, typeof n === "string" ? n : n.text)));
      })));
}

/** Render the summary into `el`. */
export function renderSummary(el, report, { kind, profileEmpty, onOpen, onEditProfile }) {
  clear(el);
  el.append(reliabilitySection(report, kind, onOpen));
  if (!report.list_found) return;
  el.append(forYouSection(report, profileEmpty, onOpen, onEditProfile));
  el.append(flagsSection(report, onOpen));
  for (const extra of [activesSection(report, onOpen), claimsSection(report)]) if (extra) el.append(extra);
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
    ...fact("What it does", (ing.functions || []).length
      ? h("ul", { class: "plain-list" }, ing.functions.map((f) => h("li", null, h("strong", null, capital(f.name.toLowerCase())), f.plain ? `: ${f.plain}` : "")))
      : h("span", { class: "hint" }, "No function recorded.")),
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

/** Render every item as a compact row that expands into its card (built when first opened). */
export function renderRows(el, report) {
  clear(el);
  const mine = forYouPositions(report);
  for (const item of report.ingredients) {
    const name = item.ingredient ? item.ingredient.display_name : item.read_as || item.text;
    const functions = item.ingredient ? (item.ingredient.functions || []).map((f) => f.name.toLowerCase()).slice(0, 3) : [];
    const tags = [];
    if (mine.has(item.position)) tags.push(h("span", { class: "badge concern-high" }, "Matters to you"));
    if (item.ocr && item.ocr.low_confidence) tags.push(h("span", { class: "badge concern-unknown" }, "Hard to read"));
    for (const note of item.notes || []) if (note.kind === "may_contain" || note.kind === "nano") tags.push(h("span", { class: "badge concern-unknown" }, note.kind === "nano" ? "Nano" : "May contain"));
    const summary = h("summary", null,
      h("span", { class: "pos" }, `${item.position}.`),
      h("span", null, h("span", { class: "name" }, name), " ", badge(item.concern)),
      functions.length ? h("span", { class: "what" }, capital(functions.join(", "))) : null,
      tags.length ? h("span", { class: "tags" }, tags) : null);
    const details = h("details", null, summary);
    details.addEventListener("toggle", () => {
      if (details.open && !details.querySelector(".card")) details.append(buildCard(item));
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
    if (!details.querySelector(".card")) details.dispatchEvent(new Event("toggle"));
  }
  for (const other of rowsEl.querySelectorAll(".row.highlight")) other.classList.remove("highlight");
  row.classList.add("highlight");
  row.scrollIntoView({ block: "start", behavior: "instant" });
  details.querySelector("summary").focus({ preventScroll: true });
  return true;
}
