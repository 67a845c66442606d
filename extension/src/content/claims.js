/*
 * The product's claims ("paraben-free", "vegan", "formulated without sulfates", "clean") read
 * from the page near the list, so the service can check them against the list.
 *
 * The service finds and judges claims anywhere in the text it gets (`summary.claims`), but it
 * must never read them as list items. So the claim text goes first, each snippet as one line
 *   Please note the page claims (<snippet>)
 * and the list's own text after a blank line. The service's parser ignores text before a list
 * header; with no header (a bare list), such a line is one piece (it never splits inside
 * brackets) that starts like a notice ("please"), which ends a run of items rather than joining
 * one. Snippets that hold a header word (ingredients, INCI, contains ...) are dropped, so the
 * claim text can never start a list. The service side is tested on the same texts
 * (extension/test/fixtures/claim-texts.json, tests/pipeline/test_page_claims.py).
 *
 * "Clean" names no ingredient; it is found here, reported as not checkable and never sent.
 *
 * Side-effect-only file: a classic content script and an ES module import alike
 * (globalThis.INCILENS.claims). Only reads the DOM.
 */
(function (root) {
  "use strict";
  const ns = (root.INCILENS = root.INCILENS || {});
  if (ns.claims) return;

  const LEAD = "Please note the page claims (";
  const LIMITS = Object.freeze({ snippets: 12, chars: 150, total: 1200, depth: 8 });
  /**
   * A snippet is sent only if it holds one of the words every claim the service checks holds.
   * "Clean" is not sent: the service has nothing to check it against (see `uncheckable`).
   */
  const ANCHOR_RE = /(?:^|[^\p{L}\p{N}])(?:free|frei|vrij|v[eé]gan[oa]?|without|sans|ohne|sin|senza|sem|zonder|libre|exempt|zero|no)(?![\p{L}\p{N}])|0\s?%/iu;
  /**
   * Words a list header holds (the service's header anchors, in its folded form: lower case,
   * accents dropped, l/1/|/! read as i); a snippet holding one is dropped.
   */
  const HEADER_ANCHORS = ["ngr", "inci", "compos", "zutat", "inhalts", "bestandt", "zusammen", "samenst",
    "contain", "contenir", "enthalten", "contener", "contenere", "conter", "bevatten", "+", "±"];
  const CLEAN_RE = /^clean\b(?:\s+\S+){0,3}$|\bclean[\s-](?:beauty|formula|formulation|ingredients|skincare|label|certified)\b|\bclean\s+at\s+\p{Lu}/iu;
  const SKIP_TAGS = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "TEXTAREA", "INPUT", "SELECT", "OPTION",
    "BUTTON", "NAV", "HEADER", "FOOTER", "ASIDE", "FORM", "svg"]);
  const BLOCK_TAGS = new Set(["P", "DIV", "LI", "UL", "OL", "DL", "DT", "DD", "TD", "TH", "TR", "TABLE", "SECTION",
    "ARTICLE", "MAIN", "SUMMARY", "DETAILS", "BLOCKQUOTE", "H1", "H2", "H3", "H4", "H5", "H6", "BR", "FIGCAPTION"]);
  /** Parts of a product page that are about other products or other people's words. */
  const ELSEWHERE_RE = /review|recommend|related|carousel|similar|also[-_ ]?(?:like|bought|viewed)|upsell|cross[-_]?sell|question/i;

  function fold(text) {
    return String(text)
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[l1|!]/g, "i")
      .replace(/0/g, "o");
  }

  function holdsHeaderWord(text) {
    const folded = fold(text);
    return HEADER_ANCHORS.some((a) => folded.includes(a));
  }

  /** The sentences and lines of a text, whitespace collapsed. */
  function segments(text) {
    return String(text)
      .split(/\n|\s[|•·●▪◦]\s|(?<=[.!?])\s+(?=\p{Lu})/u)
      .map((s) => s.replace(/\s+/g, " ").trim())
      .filter(Boolean);
  }

  /** A snippet as it is sent: no brackets (its line is one bracketed piece), trailing dot dropped. */
  function clean(snippet) {
    return snippet.replace(/[()[\]{}]/g, " ").replace(/\s+/g, " ").trim().replace(/[.;:,]+$/, "");
  }

  /**
   * The claim snippets among `texts` (block texts of the page), in order, without repeats,
   * within `limits` (at most 12 snippets of at most 150 characters, 1,200 in all). Pure.
   */
  function pickSnippets(texts, limits = LIMITS) {
    const out = [];
    const seen = new Set();
    let total = 0;
    for (const text of texts) {
      for (const seg of segments(text)) {
        const snippet = clean(seg);
        if (snippet.length < 3 || snippet.length > limits.chars) continue;
        if (!ANCHOR_RE.test(snippet) || holdsHeaderWord(snippet)) continue;
        const key = snippet.toLowerCase();
        if (seen.has(key)) continue;
        if (out.length >= limits.snippets || total + snippet.length > limits.total) return out;
        seen.add(key);
        out.push(snippet);
        total += snippet.length;
      }
    }
    return out;
  }

  /** The "clean" claims among `texts` (not checkable: no ingredient breaks them). Pure. */
  function uncheckable(texts) {
    for (const text of texts) {
      for (const seg of segments(text)) {
        if (CLEAN_RE.test(clean(seg))) return [{ claim: "clean", label: "Clean" }];
      }
    }
    return [];
  }

  /** The text to send: the claim lines, a blank line, the list's text; `offset` is where it starts. */
  function compose(snippets, listText) {
    if (!snippets.length) return { text: listText, offset: 0 };
    const block = snippets.map((s) => LEAD + s + ")").join("\n\n") + "\n\n";
    return { text: block + listText, offset: block.length };
  }

  /** The report's items moved back to offsets into the list's text; claim-block items drop out. */
  function shiftItems(items, offset) {
    if (!offset) return items;
    return (items || []).map((item) =>
      Number.isInteger(item.start) && item.start >= offset
        ? { ...item, start: item.start - offset, end: item.end - offset }
        : { ...item, start: null, end: null },
    );
  }

  /** Whether the element's id, class, aria-label or data-* values say it is about other things. */
  function elsewhere(el) {
    for (const attr of el.attributes) {
      const name = attr.name;
      if ((name === "id" || name === "class" || name === "aria-label" || name.startsWith("data-")) && ELSEWHERE_RE.test(attr.value)) return true;
    }
    return false;
  }

  /** The part of the page about this product: the nearest ancestor of the list that holds its h1. */
  function scopeOf(listElement, limits = LIMITS) {
    let el = listElement && listElement.parentElement;
    for (let depth = 0; el && depth < limits.depth; depth++, el = el.parentElement) {
      if (el.tagName === "BODY" || el.tagName === "HTML") return null;
      if (el.querySelector("h1")) return el;
    }
    return null;
  }

  /** The block texts under `scope`, leaving out the list itself, our UI and other products. */
  function blockTexts(scope, listElement) {
    const texts = [];
    let current = "";
    const flush = () => {
      if (current.trim()) texts.push(current);
      current = "";
    };
    const walk = (node) => {
      for (let child = node.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === 3) {
          current += child.data;
          continue;
        }
        if (child.nodeType !== 1 || child === listElement) continue;
        if (SKIP_TAGS.has(child.tagName) || child.hasAttribute("data-incilens-ui") || child.hidden || elsewhere(child)) continue;
        const block = BLOCK_TAGS.has(child.tagName);
        if (block) flush();
        walk(child);
        if (block) flush();
      }
    };
    walk(scope);
    flush();
    return texts;
  }

  /**
   * The page's claims near `listElement`: {snippets, unchecked}. Nothing when the list has no
   * product around it (no h1 within a few levels), so a page of many products sends none.
   */
  function pageClaims(listElement, listText, limits = LIMITS) {
    const scope = listElement ? scopeOf(listElement, limits) : null;
    const texts = scope ? blockTexts(scope, listElement) : [];
    return { snippets: pickSnippets(texts, limits), unchecked: uncheckable([...texts, listText || ""]) };
  }

  const VERDICT = Object.freeze({
    contradicted: "contradicted",
    questionable: "questionable",
    consistent: "holds",
    unverifiable: "cannot be checked",
    not_checkable: "not a checkable claim",
  });

  /**
   * The claim lines shown in the badge and the popup, contradicted first:
   * [{claim, label, verdict, items, text}]. `claims` is the report's `summary.claims`. Pure.
   */
  function claimLines(claims, unchecked) {
    const order = ["contradicted", "questionable", "unverifiable", "consistent"];
    const lines = (claims || [])
      .filter((c) => c && typeof c.label === "string" && order.includes(c.verdict))
      .sort((a, b) => order.indexOf(a.verdict) - order.indexOf(b.verdict))
      .map((c) => {
        const items = (c.items || []).map((i) => i.name);
        let why = "";
        if (c.verdict === "contradicted") why = "the list contains " + items.join(", ");
        else if (c.verdict === "consistent") why = "nothing in the recognised list contradicts it";
        else why = String(c.explanation || "").replace(/\.$/, "");
        return { claim: c.claim, label: c.label, verdict: c.verdict, items, text: `${c.label}: ${VERDICT[c.verdict]}, ${why}` };
      });
    for (const u of unchecked || []) {
      lines.push({ claim: u.claim, label: u.label, verdict: "not_checkable", items: [],
        text: `${u.label}: ${VERDICT.not_checkable}, no rule says which ingredients it leaves out` });
    }
    return lines;
  }

  ns.claims = Object.freeze({ LEAD, LIMITS, fold, segments, pickSnippets, uncheckable, compose, shiftItems, scopeOf, blockTexts, pageClaims, claimLines });
})(globalThis);
