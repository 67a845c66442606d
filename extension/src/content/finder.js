/*
 * Finding the ingredient list on a page. Candidates come from four rules, each scored by the
 * pure `scoreCandidate` (unit-tested in Node):
 *   1. the retailer's adapter selectors (shared/sites.js), when on a supported site;
 *   2. an element whose heading, label, aria text, summary or tab says "Ingredients", "INCI",
 *      "Full ingredient list" (EN, FR, DE, ES, IT, PT, NL), resolved to the panel it labels
 *      (aria-controls, <details>, <dt>/<dd>, <th>/<td>, the next sibling, or the parent block
 *      when the label is inline);
 *   3. an element whose id, class or data attribute names ingredients;
 *   4. a block holding a long comma-separated run with many known INCI names.
 * JSON-LD product data confirms a candidate, or stands in when the list is not in the DOM.
 * Only reads the DOM. Classic script: globalThis.INCILENS.finder.
 */
(function (root) {
  "use strict";
  const ns = (root.INCILENS = root.INCILENS || {});
  if (ns.finder) return;

  const LABEL_RE = new RegExp(
    "^(?:(?:full|complete|all)\\s+)?(?:" +
      [
        "ingredients?(?:\\s+list)?", "ingredient\\s+list", "inci(?:\\s+list)?", "inci\\s+ingredients",
        "ingr[eé]dients?", "liste\\s+des\\s+ingr[eé]dients", "composition",
        "inhaltsstoffe", "zutaten", "bestandteile",
        "ingredientes", "composici[oó]n", "lista\\s+de\\s+ingredientes",
        "ingredienti", "composizione", "elenco\\s+(?:degli\\s+)?ingredienti",
        "composi[cç][aã]o",
        "ingredi[eë]nten", "samenstelling",
      ].join("|") +
      ")(?:\\s*\\((?:inci|full)\\))?(?:\\s+list)?\\s*[:：]?$",
    "i",
  );
  /** Headings that name a subset or an absence, not the list itself. */
  const NEGATIVE_RE = /\b(key|hero|star|highlighted|notable|main|free|without|avoid|sans|ohne|sin|senza|sem|zonder|cl[eé]s?|wichtigste|principales?)\b/i;
  const LABEL_SELECTOR = "h1,h2,h3,h4,h5,h6,dt,th,summary,button,label,legend,strong,b,[role=tab],[role=heading],[aria-label]";
  const NAMED_SELECTOR = "[id*=ingredient i],[class*=ingredient i],[data-test*=ingredient i],[data-section*=ingredient i],[data-tab-content*=ingredient i],[id*=inhaltsstoff i]";
  const BLOCK_TAGS = new Set(["P", "DIV", "LI", "TD", "DD", "SECTION", "ARTICLE", "SPAN"]);
  /** A cheap first test: only texts with one of these stems can be a label at all. */
  const STEM_RE = /ingr|inci|inhalt|zutat|bestandt|compos|samenst/i;
  const SKIP_TAGS = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "TEXTAREA", "INPUT", "SELECT"]);
  const UI_ATTR = "data-incilens-ui";

  /** A small set of very common INCI names: the "known names" of the comma-run rule. */
  const KNOWN = new Set((
    "aqua|water|eau|glycerin|glycerine|butylene glycol|propylene glycol|pentylene glycol|propanediol|" +
    "niacinamide|dimethicone|cyclopentasiloxane|phenoxyethanol|ethylhexylglycerin|caprylyl glycol|" +
    "parfum|fragrance|linalool|limonene|citral|geraniol|citronellol|coumarin|benzyl alcohol|" +
    "cetearyl alcohol|cetyl alcohol|stearyl alcohol|alcohol|alcohol denat.|sodium hyaluronate|" +
    "hyaluronic acid|tocopherol|tocopheryl acetate|panthenol|allantoin|xanthan gum|carbomer|" +
    "sodium hydroxide|citric acid|sodium citrate|disodium edta|tetrasodium edta|sodium benzoate|" +
    "potassium sorbate|methylparaben|propylparaben|ethylparaben|butylparaben|squalane|" +
    "caprylic/capric triglyceride|isopropyl myristate|isononyl isononanoate|shea butter|" +
    "butyrospermum parkii butter|glyceryl stearate|peg-100 stearate|steareth-2|steareth-21|" +
    "polysorbate 20|polysorbate 80|sodium lauryl sulfate|sodium laureth sulfate|" +
    "cocamidopropyl betaine|decyl glucoside|coco-glucoside|sodium chloride|retinol|ascorbic acid|" +
    "salicylic acid|lactic acid|glycolic acid|titanium dioxide|zinc oxide|ci 77891|ci 77491|" +
    "ci 77492|ci 77499|mica|silica|talc|kaolin|iron oxides|hydroxyethylcellulose|" +
    "acrylates/c10-30 alkyl acrylate crosspolymer|ammonium acryloyldimethyltaurate/vp copolymer|" +
    "sodium polyacrylate|polyacrylamide|c13-14 isoparaffin|laureth-7|isohexadecane|" +
    "hydrogenated polyisobutene|mineral oil|paraffinum liquidum|petrolatum|cera alba|beeswax|" +
    "lanolin|simmondsia chinensis seed oil|argania spinosa kernel oil|helianthus annuus seed oil|" +
    "prunus amygdalus dulcis oil|olea europaea fruit oil|aloe barbadensis leaf juice|" +
    "camellia sinensis leaf extract|centella asiatica extract|madecassoside|ceramide np|" +
    "ceramide ap|ceramide eop|cholesterol|phytosphingosine|sodium lauroyl lactylate|" +
    "ethylhexyl methoxycinnamate|octocrylene|avobenzone|butyl methoxydibenzoylmethane|" +
    "homosalate|ethylhexyl salicylate|bht|adenosine|arginine|urea|trehalose|betaine|" +
    "sorbitol|maltodextrin|dipropylene glycol|hexylene glycol|1,2-hexanediol|chlorphenesin|" +
    "benzoic acid|dehydroacetic acid|sodium dehydroacetate|triethanolamine|aminomethyl propanol|" +
    "polyglyceryl-3 diisostearate|sorbitan olivate|cetearyl olivate|lecithin|behentrimonium chloride|" +
    "cetrimonium chloride|guar hydroxypropyltrimonium chloride|polyquaternium-10|" +
    "hydrolyzed wheat protein|bisabolol|sodium pca|magnesium sulfate"
  ).split("|"));
  const INCI_LIKE_RE = /^(?:(?:peg|ppg|polyquaternium|steareth|ceteareth|laureth|ci)[- ]?\d+|.*\b(?:extract|oil|butter|acid|alcohol|glycol|glucoside|sulfate|chloride|stearate|oxide|seed|leaf|root|flower|juice|wax|gum|ferment|filtrate|peptide-\d+|copolymer|crosspolymer)\b.*)$/i;

  function foldLabel(text) {
    return String(text || "").replace(/\s+/g, " ").trim().replace(/^[#*•\-–\s]+|[\s+\-–▾▸›>]+$/g, "");
  }

  /** "strong", "weak" (the label names ingredients but a subset: "Key ingredients") or null. */
  function labelKind(text) {
    if (!text || text.length > 80 || !STEM_RE.test(text)) return null;
    const label = foldLabel(text);
    if (!label || label.length > 48) return null;
    if (LABEL_RE.test(label)) return "strong";
    if (/ingr[eé]d|inci\b|inhaltsstoff|samenstelling|composi/i.test(label) && NEGATIVE_RE.test(label)) return "weak";
    return null;
  }

  /** Comma- or semicolon-separated pieces of a text, trimmed and lower-cased. */
  function pieces(text) {
    return String(text).split(/[,;\n]|\s•\s/).map((p) => p.replace(/[.*†‡\s]+$/g, "").replace(/^[\s*•]+/, "").trim().toLowerCase()).filter(Boolean);
  }

  /** Share of pieces (0..1) that are known INCI names or look like one (PEG-40, … Extract). */
  function knownShare(text) {
    const parts = pieces(text);
    if (parts.length === 0) return 0;
    let known = 0;
    for (const part of parts) {
      const bare = part.replace(/\s*\([^)]*\)\s*/g, " ").trim();
      if (KNOWN.has(part) || KNOWN.has(bare) || (bare.length <= 60 && INCI_LIKE_RE.test(bare))) known++;
      else if (bare.includes("/") && bare.split("/").some((b) => KNOWN.has(b.trim()))) known++;
    }
    return known / parts.length;
  }

  function countCommas(text) {
    let n = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 44 || c === 59) n++;
    }
    return n;
  }

  /**
   * Score a candidate from its features (pure). Higher is better; a candidate needs
   * MIN_SCORE and at least two separators to be taken as a list.
   * features: {text, adapter, label: "strong"|"weak"|null, named, jsonLd}
   */
  function scoreCandidate(f) {
    const text = f.text || "";
    const length = text.trim().length;
    const commas = countCommas(text);
    if (length < 12 || commas < 2) return -Infinity;
    let score = 0;
    if (f.adapter) score += 45;
    if (f.label === "strong") score += 35;
    else if (f.label === "weak") score -= 25;
    if (f.named) score += 15;
    if (f.jsonLd) score += 20;
    score += Math.min(commas, 25) * 1.2;
    score += 40 * knownShare(text);
    // The whole product page is not the list: prefer the tightest element.
    if (length > 6000) score -= 25 + Math.min(50, (length - 6000) / 400);
    return score;
  }
  const MIN_SCORE = 40;

  /** A script, style or template (or inside one): its text is code, never the page's list. */
  function inSkipped(el) {
    for (let node = el; node; node = node.parentElement) if (SKIP_TAGS.has(node.tagName)) return true;
    return false;
  }

  function isOurs(el) {
    return Boolean(el && el.closest && el.closest(`[${UI_ATTR}]`));
  }

  function firstMatch(doc, selectors) {
    for (const sel of selectors || []) {
      let el = null;
      try {
        el = doc.querySelector(sel);
      } catch {
        el = null; // a selector this engine does not support (e.g. :has in old engines)
      }
      if (el && (el.textContent || "").trim()) return el;
    }
    return null;
  }

  /** The panel a label element names. */
  function panelFor(label) {
    const doc = label.ownerDocument;
    const controls = label.getAttribute("aria-controls");
    if (controls) {
      const target = doc.getElementById(controls.split(/\s+/)[0]);
      if (target) return target;
    }
    const tag = label.tagName;
    if (tag === "SUMMARY" && label.parentElement && label.parentElement.tagName === "DETAILS") return label.parentElement;
    if (tag === "DT") {
      let next = label.nextElementSibling;
      while (next && next.tagName !== "DD") next = next.nextElementSibling;
      if (next) return next;
    }
    if (tag === "TH" && label.nextElementSibling) return label.nextElementSibling;
    const parent = label.parentElement;
    const own = (label.textContent || "").length;
    if (parent && /^(STRONG|B|LABEL|SPAN|EM)$/.test(tag) && (parent.textContent || "").length > own + 20) return parent;
    // The next element after the label (or after the wrapper that holds only the label).
    let node = label;
    for (let depth = 0; node && depth < 3; depth++) {
      let next = node.nextElementSibling;
      while (next && !(next.textContent || "").trim()) next = next.nextElementSibling;
      if (next) return next;
      node = node.parentElement;
    }
    return null;
  }

  /** Texts of JSON-LD Product ingredient fields. Parsed with JSON.parse; never evaluated. */
  function jsonLdTexts(doc) {
    const out = [];
    const visit = (value, depth) => {
      if (!value || typeof value !== "object" || depth > 6) return;
      if (Array.isArray(value)) {
        for (const v of value) visit(v, depth + 1);
        return;
      }
      for (const key of ["ingredients", "hasIngredient", "ingredient"]) {
        const v = value[key];
        if (typeof v === "string" && v.trim()) out.push(v.trim());
        else if (Array.isArray(v) && v.every((x) => typeof x === "string")) out.push(v.join(", "));
      }
      if (Array.isArray(value.additionalProperty)) {
        for (const prop of value.additionalProperty) {
          if (prop && typeof prop.value === "string" && labelKind(prop.name) === "strong") out.push(prop.value.trim());
        }
      }
      for (const key of ["@graph", "mainEntity", "itemOffered", "isVariantOf", "hasVariant"]) visit(value[key], depth + 1);
    };
    for (const script of doc.querySelectorAll("script[type='application/ld+json']")) {
      try {
        visit(JSON.parse(script.textContent || ""), 0);
      } catch {
        // malformed JSON-LD is common; ignore it
      }
    }
    return out;
  }

  /** Blocks whose own text nodes carry many separators (the comma-run rule). */
  function commaBlocks(doc, limit) {
    const counts = new Map();
    const body = doc.body;
    if (!body) return [];
    const walker = doc.createTreeWalker(body, 4 /* NodeFilter.SHOW_TEXT */);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const data = node.data;
      if (data.length < 8 || (data.indexOf(",") < 0 && data.indexOf(";") < 0)) continue;
      const parent = node.parentElement;
      if (!parent || SKIP_TAGS.has(parent.tagName)) continue;
      let block = parent;
      while (block && !BLOCK_TAGS.has(block.tagName)) block = block.parentElement;
      if (!block) block = parent;
      counts.set(block, (counts.get(block) || 0) + countCommas(data));
    }
    return [...counts.entries()].filter(([, n]) => n >= 4).sort((a, b) => b[1] - a[1]).slice(0, limit).map(([el]) => el);
  }

  /**
   * Find the best ingredient-list candidate in `doc`.
   * Returns {element, text, score, rule} (element is null for a JSON-LD-only list) or null.
   */
  function find(doc, options = {}) {
    const adapter = options.adapter || null;
    const candidates = new Map(); // element -> features
    const add = (el, feature) => {
      if (!el || el === doc.body || el === doc.documentElement || isOurs(el) || inSkipped(el)) return;
      const f = candidates.get(el) || { adapter: false, label: null, named: false, jsonLd: false, rule: feature.rule };
      if (feature.adapter) f.adapter = true;
      if (feature.label === "strong" || (feature.label === "weak" && !f.label)) f.label = feature.label;
      if (feature.named) f.named = true;
      candidates.set(el, f);
    };

    if (adapter) add(firstMatch(doc, adapter.panels), { adapter: true, rule: "adapter:" + adapter.id });
    for (const el of doc.querySelectorAll(LABEL_SELECTOR)) {
      const kind = labelKind(el.getAttribute("aria-label") || el.textContent);
      if (kind) add(panelFor(el), { label: kind, rule: "label" });
    }
    for (const el of doc.querySelectorAll(NAMED_SELECTOR)) {
      if ((el.textContent || "").length > 30) add(el, { named: true, rule: "named" });
    }
    for (const el of commaBlocks(doc, 8)) add(el, { rule: "comma-run" });

    const ld = jsonLdTexts(doc);
    const ldKeys = ld.map((t) => t.slice(0, 40).toLowerCase());
    let best = null;
    for (const [el, f] of candidates) {
      const text = el.textContent || "";
      f.text = text;
      if (ldKeys.length) {
        const lower = text.toLowerCase();
        f.jsonLd = ldKeys.some((k) => k && lower.includes(k));
      }
      const score = scoreCandidate(f);
      if (score < MIN_SCORE) continue;
      if (!best || score > best.score || (score === best.score && text.length < best.text.length)) {
        best = { element: el, text, score, rule: f.rule };
      }
    }
    if (best) {
      // A labelled panel often wraps the list in one child: keep the tightest element that
      // still holds (nearly) all of the separators.
      best.element = tighten(best.element);
      best.text = best.element.textContent || "";
      return best;
    }
    if (ld.length) return { element: null, text: ld[0], score: MIN_SCORE, rule: "json-ld" };
    return null;
  }

  function tighten(el) {
    let current = el;
    const total = countCommas(current.textContent || "");
    for (;;) {
      const kids = [...current.children].filter((c) => !isOurs(c) && !SKIP_TAGS.has(c.tagName));
      const inner = kids.find((c) => countCommas(c.textContent || "") >= total * 0.9);
      if (!inner || kids.length === 0 || inner.tagName === "BR") return current;
      // Only step into a pure wrapper: a child that holds nearly all of the text too.
      if ((inner.textContent || "").trim().length < (current.textContent || "").trim().length * 0.8) return current;
      current = inner;
    }
  }

  ns.finder = Object.freeze({
    find, scoreCandidate, labelKind, knownShare, jsonLdTexts, panelFor, MIN_SCORE, LABEL_RE, UI_ATTR,
  });
})(globalThis);
