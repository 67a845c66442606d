/*
 * The tooltip card and the summary badge. Each lives in its own shadow root, so the page's
 * styles cannot reach them and theirs cannot leak out. Everything is built with createElement
 * and textContent: page and server text is never parsed as HTML.
 * Classic script: globalThis.INCILENS.ui.
 */
(function (root) {
  "use strict";
  const ns = (root.INCILENS = root.INCILENS || {});
  if (ns.ui) return;

  const UI_ATTR = "data-incilens-ui";
  const CONCERN_LABEL = {
    high: "High concern", moderate: "Moderate concern", low: "Low concern",
    none: "No known concern", unknown: "Not recognised",
  };
  const CHIP_LABEL = { high: "high concern", moderate: "moderate", low: "low", none: "no concern" };
  const VEGAN_LABEL = { vegan: "Vegan", not_vegan: "Not vegan", maybe: "May be animal-derived", depends: "Depends on the source", unknown: "Unknown" };

  const CSS = `
:host { all: initial; }
.card { font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2939; background: #fff;
  border: 1px solid #d0d5dd; border-radius: 8px; box-shadow: 0 8px 24px rgba(16,24,40,.18);
  padding: 8px 12px; max-width: 400px; max-height: calc(100vh - 16px); overflow: auto; box-sizing: border-box; }
.card h2 { font-size: 15px; margin: 0 0 2px; display: inline; margin-right: 6px; }
.clamp { display: -webkit-box; -webkit-box-orient: vertical; -webkit-line-clamp: 2; overflow: hidden; }
dd.what, .one-line { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.pill { display: inline-block; border-radius: 999px; padding: 1px 8px; font-size: 12px; font-weight: 600; }
.c-high { background: #fde5e3; color: #a8211a; } .c-moderate { background: #fff0d1; color: #7a4a00; }
.c-low { background: #e2f0f8; color: #155d8b; } .c-none { background: #e3f4e8; color: #1d7a3a; }
.c-unknown { background: #eceef0; color: #4a4f55; }
dl { margin: 4px 0 0; display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 1px 10px; }
dt { font-weight: 600; color: #475467; } dd { margin: 0; }
p { margin: 4px 0 0; } ul { margin: 2px 0 0; padding-left: 18px; }
.muted { color: #667085; font-size: 12px; }
.badge { font: 13px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2939; background: #f9fafb;
  border: 1px solid #d0d5dd; border-left: 4px solid #166552; border-radius: 6px; padding: 6px 10px; margin: 6px 0; }
.claim.v-contradicted { color: #b42318; font-weight: 600; } .claim.v-not_checkable { color: #667085; }
.badge strong { font-weight: 700; } .chips { display: flex; flex-wrap: wrap; gap: 4px; margin-top: 4px; }
`;

  function h(doc, tag, props, children) {
    const node = doc.createElement(tag);
    if (props) {
      for (const [key, value] of Object.entries(props)) {
        if (value === undefined || value === null) continue;
        if (key === "text") node.textContent = String(value);
        else if (key === "className") node.className = value;
        else node.setAttribute(key, String(value));
      }
    }
    for (const child of children || []) if (child) node.appendChild(child);
    return node;
  }

  function rating(r) {
    if (!r || r.max === undefined || r.max === null) return null;
    return r.min !== r.max ? `${r.min}–${r.max} of 5` : `${r.max} of 5`;
  }

  /** Sentences describing an ingredient's EU regulatory status. */
  function euStatus(ing) {
    const out = [];
    for (const e of ing.eu || []) {
      const bits = [`Annex ${e.annex}/${e.ref}: ${e.status || "listed"}`];
      if (e.max_concentration) bits.push(`max ${e.max_concentration}`);
      if (e.condition) bits.push(e.condition);
      out.push(bits.join(", "));
    }
    for (const u of ing.eu_upcoming || []) out.push(`From ${u.date}: ${u.what_changes || u.obligation}`);
    return out;
  }

  /**
   * The rows of the tooltip card: [term, value] pairs, from one report item (pure). Safety
   * first (what matters to the profile, pregnancy, sun, the EU, flags), then the rest; "What it
   * does" last, shown on one line, so the card fits without scrolling.
   */
  function cardRows(item, report) {
    const ing = item.ingredient;
    const rows = [];
    if (!ing) return rows;
    const forYou = ((report.summary && report.summary.for_you) || []).filter((g) => (g.items || []).some((i) => i.position === item.position));
    if (forYou.length) rows.push(["For you", forYou.map((g) => g.title).join("; ")]);
    if (ing.pregnancy) rows.push(["Pregnancy", (ing.pregnancy.caution ? "Caution: " : "") + (ing.pregnancy.note || (ing.pregnancy.caution ? "ask your doctor" : "no known concern"))]);
    if (ing.photosensitizing) rows.push(["Sun", ing.photosensitizing.note || (ing.photosensitizing.value ? "Makes skin more sensitive to the sun." : "No effect on sun sensitivity.")]);
    const eu = euStatus(ing);
    rows.push(["EU status", eu.length ? eu.join(" · ") : "Not restricted in the EU annexes"]);
    const flags = (ing.flags || []).map((f) => f.label).filter(Boolean);
    if (flags.length) rows.push(["Flags", flags.join(", ")]);
    const side = (ing.side_effects && ing.side_effects.items) || [];
    if (side.length) rows.push(["Side effects", side.join("; ")]);
    const com = rating(ing.comedogenic);
    if (com) rows.push(["Comedogenic", com]);
    const irr = rating(ing.irritancy);
    if (irr) rows.push(["Irritancy", irr]);
    if (ing.vegan && ing.vegan.status && ing.vegan.status !== "unknown") rows.push(["Vegan", VEGAN_LABEL[ing.vegan.status] || ing.vegan.status]);
    if (ing.origin && ing.origin.value && ing.origin.value !== "unknown") rows.push(["Origin", ing.origin.value]);
    const functions = (ing.functions || []).map((f) => f.plain || f.name).filter(Boolean);
    if (functions.length) rows.push(["What it does", functions.join(" ")]);
    return rows;
  }

  const DESCRIBED_ROWS = ["For you", "Pregnancy", "Sun", "EU status"];
  const SAFETY_ROWS = [...DESCRIBED_ROWS, "Flags"];

  /** One mark's own accessible description: its name, concern and safety rows (pure). */
  function describe(item, report) {
    const ing = item.ingredient;
    const concern = CONCERN_LABEL[item.concern] ? item.concern : "unknown";
    const parts = [`${(ing && ing.display_name) || item.text}: ${CONCERN_LABEL[concern]}`];
    for (const [term, value] of cardRows(item, report)) {
      if (DESCRIBED_ROWS.includes(term)) parts.push(`${term}: ${value}`);
    }
    return parts.join(". ");
  }

  /** Build the tooltip card for one item. */
  function buildCard(doc, item, report) {
    const ing = item.ingredient;
    const concern = CONCERN_LABEL[item.concern] ? item.concern : "unknown";
    const title = (ing && ing.display_name) || item.text;
    const card = h(doc, "div", { className: "card", role: "tooltip", id: "card" }, [
      h(doc, "h2", { text: title }),
      h(doc, "span", { className: `pill c-${concern}`, text: CONCERN_LABEL[concern] }),
    ]);
    if (ing && ing.inci_name && ing.inci_name.toLowerCase() !== String(title).toLowerCase()) {
      card.appendChild(h(doc, "p", { className: "muted", text: "INCI: " + ing.inci_name }));
    }
    const about = ing && ((ing.summary && ing.summary.text) || (ing.description && ing.description.text));
    const reasons = (item.reasons || []).map((r) => r.text).filter((t) => t && t !== about);
    if (reasons.length && item.concern !== "none") card.appendChild(h(doc, "p", { className: "clamp", text: reasons.join(" ") }));
    const rows = cardRows(item, report);
    if (rows.length) {
      const dl = h(doc, "dl");
      for (const [term, value] of rows) {
        dl.appendChild(h(doc, "dt", { text: term }));
        // Safety rows are shown whole; the others are cut to two lines, "What it does" to one.
        const cls = term === "What it does" ? "what" : SAFETY_ROWS.includes(term) ? null : "clamp";
        dl.appendChild(h(doc, "dd", { className: cls, text: value, title: cls ? value : null }));
      }
      card.appendChild(dl);
    }
    if (about) card.appendChild(h(doc, "p", { className: "clamp muted", text: about }));
    if (ing && (ing.sources || []).length) {
      const sources = "Sources: " + ing.sources.join(", ");
      card.appendChild(h(doc, "p", { className: "muted one-line", text: sources, title: sources }));
    }
    if (!ing) card.appendChild(h(doc, "p", { text: `"${item.text}" is not in the INCI Lens knowledge base; check the spelling on the pack.` }));
    return card;
  }

  /**
   * Style a shadow root. A constructable stylesheet (adoptedStyleSheets) is CSSOM, which a
   * page's Content-Security-Policy does not govern, so the card and badge look the same on a
   * shop whose policy forbids inline styles; a browser without constructable sheets gets a
   * <style> element instead.
   */
  function styleShadow(doc, shadow) {
    const view = doc.defaultView;
    if (view && typeof view.CSSStyleSheet === "function" && "adoptedStyleSheets" in shadow) {
      try {
        const sheet = new view.CSSStyleSheet();
        sheet.replaceSync(CSS);
        shadow.adoptedStyleSheets = [sheet];
        return "adopted";
      } catch {
        // fall through to the element
      }
    }
    shadow.appendChild(h(doc, "style", { text: CSS }));
    return "element";
  }

  function shadowHost(doc, id) {
    const host = doc.createElement("div");
    host.setAttribute(UI_ATTR, "");
    if (id) host.id = id;
    const shadow = host.attachShadow({ mode: "open" });
    styleShadow(doc, shadow);
    return { host, shadow };
  }

  /** Displays whose box starts and ends a line of its own (the others flow inside a line). */
  const INLINE_OR_INTERNAL = /^(inline|contents|ruby|table-|none)/;

  /**
   * The element the summary badge is inserted before: the list's element itself when it is a
   * block, else its nearest block ancestor. The badge is a block, so put before an inline
   * element it would break the line that holds the list's label and first item ("Ingredients:
   * Water" read as "Ingredients:" and "Water" on two lines); before a block, it only adds a
   * box between two that already end and start lines. Table cells, rows and sections are
   * stepped over to the table, whose layout a stray block would break.
   * `displayOf(el)` is getComputedStyle(el).display in the page; tests pass their own.
   */
  function badgeAnchor(el, displayOf) {
    let node = el;
    while (node.parentElement && node.parentElement !== node.ownerDocument.body
      && INLINE_OR_INTERNAL.test(displayOf(node) || "inline")) {
      node = node.parentElement;
    }
    return node;
  }

  /** The tooltip: one fixed-position shadow host; show(mark, card) / hide(). */
  function createTooltip(doc) {
    const { host, shadow } = shadowHost(doc, "incilens-tooltip");
    host.style.cssText = "position:fixed!important;z-index:2147483647!important;top:0;left:0;display:none!important;";
    let current = null;
    return {
      host,
      get current() { return current; },
      show(mark, card) {
        if (!host.isConnected) (doc.body || doc.documentElement).appendChild(host);
        const old = shadow.querySelector(".card");
        if (old) old.remove();
        shadow.appendChild(card);
        current = mark;
        host.style.setProperty("display", "block", "important");
        const r = mark.getBoundingClientRect();
        const view = doc.defaultView;
        const w = Math.min(400, view.innerWidth - 16);
        const below = view.innerHeight - r.bottom;
        const left = Math.max(8, Math.min(r.left, view.innerWidth - w - 8));
        host.style.left = left + "px";
        const cardH = card.getBoundingClientRect().height || 200;
        // Below the mark when it fits, else above; either way kept on screen (the card never
        // scrolls, so all of it must be visible).
        const wanted = below >= cardH + 8 || below > r.top ? r.bottom + 6 : r.top - cardH - 6;
        host.style.top = Math.max(8, Math.min(wanted, view.innerHeight - cardH - 8)) + "px";
      },
      hide() {
        current = null;
        host.style.setProperty("display", "none", "important");
      },
      remove() {
        current = null;
        host.remove();
      },
    };
  }

  /**
   * One "For you" line: the group's title and its items, or, for a group without items (avoid-
   * list terms the server does not know), the server's own reason, which names the terms.
   */
  function forYouLine(group) {
    const names = (group.items || []).map((i) => i.name);
    if (names.length) return `For you: ${group.title} (${names.join(", ")})`;
    return group.why ? `For you: ${group.title}. ${group.why}` : `For you: ${group.title}`;
  }

  /** The summary badge placed beside the list. */
  /** The summary badge; `options.claims` are the page's claim lines (claims.claimLines). */
  function createBadge(doc, report, options = {}) {
    const { host, shadow } = shadowHost(doc, null);
    host.className = "incilens-badge-host";
    const s = report.summary || {};
    const counts = s.counts || {};
    const cc = s.concern_counts || {};
    const box = h(doc, "div", { className: "badge", role: "note", "aria-label": "INCI Lens summary" });
    box.appendChild(h(doc, "strong", { text: "INCI Lens" }));
    box.appendChild(doc.createTextNode(` · ${counts.items || 0} ingredients, ${counts.recognised || 0} recognised`));
    const chips = h(doc, "div", { className: "chips" });
    for (const level of ["high", "moderate", "low", "none"]) {
      if (cc[level]) chips.appendChild(h(doc, "span", { className: `pill c-${level}`, "data-level": level, text: `${cc[level]} ${CHIP_LABEL[level]}` }));
    }
    box.appendChild(chips);
    for (const group of s.for_you || []) {
      box.appendChild(h(doc, "p", { className: "for-you", text: forYouLine(group) }));
    }
    for (const line of options.claims || []) {
      box.appendChild(h(doc, "p", { className: `claim v-${line.verdict}`, "data-verdict": line.verdict, text: line.text }));
    }
    const unknown = (counts.unrecognised_items || []).map((i) => i.name);
    if (unknown.length) box.appendChild(h(doc, "p", { className: "unrecognised muted", text: "Not recognised: " + unknown.join(", ") }));
    if (s.reliability && s.reliability.message && s.reliability.level !== "good") {
      box.appendChild(h(doc, "p", { className: "muted", text: s.reliability.message }));
    }
    shadow.appendChild(box);
    return host;
  }

  ns.ui = Object.freeze({ buildCard, cardRows, describe, forYouLine, createTooltip, createBadge, badgeAnchor, styleShadow, CONCERN_LABEL, UI_ATTR });
})(globalThis);
