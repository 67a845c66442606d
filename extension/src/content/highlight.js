/*
 * Offsets to DOM ranges, and <mark>s in and out. No chrome.* here.
 *
 * textModel(root) flattens an element to the text sent to the service: text nodes as they
 * are (whitespace characters replaced one for one by spaces, so every offset maps back), plus a
 * "\n" for each <br> and block boundary (virtual characters that belong to no node). The
 * report's offsets index into that text; spansToPieces turns them into per-node pieces.
 *
 * applyHighlights never splits or edits the page's text nodes: each touched node is swapped
 * for a fragment (text, <mark>, text …) built with createTextNode/createElement, and the
 * original node is kept. removeHighlights swaps the very same node back, so the DOM is
 * restored exactly (node identity included). Classic script: globalThis.INCILENS.highlight.
 */
(function (root) {
  "use strict";
  const ns = (root.INCILENS = root.INCILENS || {});
  if (ns.highlight) return;

  const SKIP = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "TEXTAREA", "SELECT", "OPTION", "SVG", "svg"]);
  const BLOCK = new Set(["ADDRESS", "ARTICLE", "ASIDE", "BLOCKQUOTE", "DD", "DETAILS", "DIV", "DL", "DT",
    "FIELDSET", "FIGCAPTION", "FIGURE", "FOOTER", "FORM", "H1", "H2", "H3", "H4", "H5", "H6", "HEADER",
    "HR", "LI", "MAIN", "NAV", "OL", "P", "PRE", "SECTION", "SUMMARY", "TABLE", "TD", "TH", "TR", "UL"]);
  const UI_ATTR = "data-incilens-ui";
  const WS_RE = /[\t\n\r\f\v]/g;
  const CONCERNS = new Set(["none", "low", "moderate", "high", "unknown"]);

  /**
   * Flatten `rootEl` to {text, segments}: segments are {node, start, end} in document order,
   * offsets into `text`. Marks of ours are read through (their text is the page's text).
   */
  function textModel(rootEl) {
    const parts = [];
    const segments = [];
    let length = 0;
    let endsWithBreak = true;
    const newline = () => {
      if (!endsWithBreak) {
        parts.push("\n");
        length += 1;
        endsWithBreak = true;
      }
    };
    const visit = (node) => {
      for (let child = node.firstChild; child; child = child.nextSibling) {
        if (child.nodeType === 3) {
          const data = child.data;
          if (!data) continue;
          segments.push({ node: child, start: length, end: length + data.length });
          parts.push(data.replace(WS_RE, " "));
          length += data.length;
          endsWithBreak = false;
        } else if (child.nodeType === 1) {
          const tag = child.tagName;
          if (SKIP.has(tag) || child.hasAttribute(UI_ATTR)) continue;
          if (tag === "BR") {
            parts.push("\n");
            length += 1;
            endsWithBreak = true;
            continue;
          }
          const block = BLOCK.has(tag);
          if (block) newline();
          visit(child);
          if (block) newline();
        }
      }
    };
    visit(rootEl);
    return { text: parts.join(""), segments };
  }

  /** Index of the first segment whose end is after `offset` (binary search). */
  function firstSegment(segments, offset) {
    let lo = 0;
    let hi = segments.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (segments[mid].end <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Map spans [{start, end, ...}] to pieces [{segment, from, to, span, first}] (offsets local to
   * the segment's node). Pure: segments need only {start, end}. Whitespace-only pieces and
   * out-of-range or empty spans are dropped; overlapping spans keep the earlier one.
   */
  function spansToPieces(segments, text, spans) {
    const pieces = [];
    const sorted = spans
      .map((span, index) => ({ span, index }))
      .filter(({ span }) => Number.isInteger(span.start) && Number.isInteger(span.end) && span.end > span.start && span.start >= 0 && span.end <= text.length)
      .sort((a, b) => a.span.start - b.span.start || a.index - b.index);
    let covered = 0;
    for (const { span, index } of sorted) {
      if (span.start < covered) continue;
      covered = span.end;
      let first = true;
      for (let i = firstSegment(segments, span.start); i < segments.length && segments[i].start < span.end; i++) {
        const seg = segments[i];
        const from = Math.max(span.start, seg.start) - seg.start;
        const to = Math.min(span.end, seg.end) - seg.start;
        if (to <= from || !text.slice(seg.start + from, seg.start + to).trim()) continue;
        pieces.push({ segment: i, from, to, index, first });
        first = false;
      }
    }
    return pieces;
  }

  /**
   * Wrap the report's items in <mark>s under the element a model was built from.
   * `items` are the report's ingredient items (start/end into model.text, concern).
   * Returns a handle for removeHighlights: {records, marks}.
   */
  function applyHighlights(model, items, options = {}) {
    const doc = options.document || (model.segments[0] && model.segments[0].node.ownerDocument);
    const pieces = spansToPieces(model.segments, model.text, items);
    const bySegment = new Map();
    for (const piece of pieces) {
      if (!bySegment.has(piece.segment)) bySegment.set(piece.segment, []);
      bySegment.get(piece.segment).push(piece);
    }
    const records = [];
    const marks = [];
    for (const [segIndex, list] of bySegment) {
      const original = model.segments[segIndex].node;
      const parent = original.parentNode;
      if (!parent) continue;
      const data = original.data;
      const fragment = doc.createDocumentFragment();
      const parts = [];
      let cursor = 0;
      for (const piece of list) {
        if (piece.from > cursor) parts.push(doc.createTextNode(data.slice(cursor, piece.from)));
        const item = items[piece.index];
        const mark = doc.createElement("mark");
        mark.className = "incilens-mark";
        mark.setAttribute("data-incilens-item", String(piece.index));
        mark.setAttribute("data-incilens-concern", CONCERNS.has(item.concern) ? item.concern : "unknown");
        if (piece.first) {
          mark.tabIndex = 0;
          // Each mark carries its own description (the card is in a shadow root, which an
          // aria-describedby from the page cannot point into, and one shared card would be read
          // for every mark).
          const description = options.describe ? options.describe(item) : "";
          if (description) mark.setAttribute("aria-description", description);
        } else {
          mark.setAttribute("data-incilens-continued", "");
        }
        mark.textContent = data.slice(piece.from, piece.to);
        parts.push(mark);
        marks.push(mark);
        cursor = piece.to;
      }
      if (cursor < data.length) parts.push(doc.createTextNode(data.slice(cursor)));
      for (const part of parts) fragment.appendChild(part);
      parent.replaceChild(fragment, original);
      records.push({ original, parent, parts });
    }
    return { records, marks };
  }

  /** Put every original text node back and drop the marks. Returns how many were restored. */
  function removeHighlights(handle) {
    let restored = 0;
    for (let i = handle.records.length - 1; i >= 0; i--) {
      const { original, parent, parts } = handle.records[i];
      // If the page replaced our nodes meanwhile, there is nothing of ours left to undo.
      if (!parts.every((p) => p.parentNode === parent)) continue;
      parent.insertBefore(original, parts[0]);
      for (const part of parts) parent.removeChild(part);
      restored++;
    }
    handle.records.length = 0;
    handle.marks.length = 0;
    return restored;
  }

  ns.highlight = Object.freeze({ textModel, spansToPieces, applyHighlights, removeHighlights, UI_ATTR });
})(globalThis);
