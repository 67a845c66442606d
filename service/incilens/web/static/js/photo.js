// The photo with every matched word outlined. Boxes are quadrilaterals in the uploaded photo's
// pixels (after EXIF orientation, as browsers display it), so an SVG whose viewBox is the
// photo's size, laid exactly over the <img>, scales them to whatever size the photo is shown at.
// By default the view is cropped to the outlined words (the list is often a small part of a
// phone photo); a button shows the whole photo. Sizes are set through the CSSOM, which the
// page's CSP allows (it forbids only inline style attributes and elements).

import { h, s, clear } from "./dom.js";
import { CONCERN_WORDS } from "./report.js";

const PAD = 0.08; // margin around the outlined words, as a share of the crop's larger side

function nameOf(item) {
  return item.ingredient ? item.ingredient.display_name : item.read_as || item.text;
}

/** The rectangle around every box, padded and clamped; null when it would not crop much. */
export function cropOf(boxes, width, height) {
  const xs = boxes.flat().map((p) => p[0]);
  const ys = boxes.flat().map((p) => p[1]);
  if (!xs.length) return null;
  let [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const pad = Math.max(x1 - x0, y1 - y0) * PAD + 8;
  x0 = Math.max(0, x0 - pad);
  y0 = Math.max(0, y0 - pad);
  x1 = Math.min(width, x1 + pad);
  y1 = Math.min(height, y1 + pad);
  if ((x1 - x0) * (y1 - y0) > 0.6 * width * height) return null;
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

/** The shape beside an outline of high or moderate concern (the legend says which is which). */
export const GLYPHS = Object.freeze({ high: "▲", moderate: "◆" });

/** A glyph left of the quad's first corner, as tall as the word. */
function glyphFor(quad, glyph) {
  const xs = quad.map((p) => p[0]);
  const ys = quad.map((p) => p[1]);
  const size = Math.max(8, Math.max(...ys) - Math.min(...ys));
  return s("text", {
    class: "glyph",
    x: Math.max(0, Math.min(...xs) - size * 1.05),
    y: Math.max(...ys) - size * 0.1,
    "font-size": size,
    "aria-hidden": "true",
  }, glyph);
}

export const TAP_SLOP = 16; // CSS pixels around an outline that still select it

/** Distance from (x, y) to the axis-aligned bounds of `quad`; 0 inside. */
export function distanceToQuad(quad, x, y) {
  const xs = quad.map((p) => p[0]);
  const ys = quad.map((p) => p[1]);
  const dx = Math.max(Math.min(...xs) - x, 0, x - Math.max(...xs));
  const dy = Math.max(Math.min(...ys) - y, 0, y - Math.max(...ys));
  return Math.hypot(dx, dy);
}

/** The position of the item whose outline is nearest to a click (screen coordinates), or null. */
function nearestOutline(svg, items, clientX, clientY) {
  const ctm = svg.getScreenCTM();
  if (!ctm) return null;
  const point = new DOMPoint(clientX, clientY).matrixTransform(ctm.inverse());
  const slop = TAP_SLOP / Math.abs(ctm.a || 1); // CSS pixels in photo pixels
  let best = null;
  let bestDistance = Infinity;
  for (const item of items) {
    for (const quad of item.ocr.boxes) {
      const d = distanceToQuad(quad, point.x, point.y);
      if (d < bestDistance) {
        best = item.position;
        bestDistance = d;
      }
    }
  }
  return bestDistance <= slop ? best : null;
}

function place(frame, canvas, view, width, height) {
  frame.style.aspectRatio = `${view.w} / ${view.h}`;
  canvas.style.width = `${(width / view.w) * 100}%`;
  canvas.style.height = `${(height / view.h) * 100}%`;
  canvas.style.left = `${(-view.x / view.w) * 100}%`;
  canvas.style.top = `${(-view.y / view.h) * 100}%`;
}

/**
 * Show `url` (an object URL of the chosen file) in `frame` with the report's boxes on it.
 * `onOpen(position)` runs when an outline is clicked, tapped or activated with Enter/Space.
 * Returns how many items were outlined.
 */
export function renderPhoto({ frame, caption, zoom }, url, report, onOpen) {
  clear(frame);
  const { width, height } = report.ocr.image;
  const boxed = report.ingredients.filter((i) => i.ocr && i.ocr.boxes && i.ocr.boxes.length);
  const img = h("img", {
    src: url,
    alt: `Your photo of the label${boxed.length ? `, with ${boxed.length} recognised ingredients outlined` : ""}.`,
  });
  const svg = s("svg", {
    viewBox: `0 0 ${width} ${height}`,
    preserveAspectRatio: "none",
    role: "toolbar",
    "aria-label": "Outlined ingredients: arrow keys move between them, Enter opens one's card",
  });
  for (const item of boxed) {
    const label = `${nameOf(item)}: ${CONCERN_WORDS[item.concern] || item.concern}${item.ocr.low_confidence ? ", hard to read" : ""}. Open its card.`;
    const group = s("g", {
      class: ["outline", `concern-${item.concern}`, item.ocr.low_confidence ? "low-confidence" : ""],
      tabindex: boxed[0] === item ? 0 : -1, // one Tab stop; arrow keys move inside (roving)
      role: "button",
      "aria-label": label,
      dataset: { position: item.position },
    }, s("title", null, label));
    for (const quad of item.ocr.boxes) {
      group.append(s("polygon", { points: quad.map(([x, y]) => `${x},${y}`).join(" ") }));
    }
    if (GLYPHS[item.concern]) group.append(glyphFor(item.ocr.boxes[0], GLYPHS[item.concern]));
    group.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        onOpen(item.position);
      }
    });
    svg.append(group);
  }
  // Arrow keys, Home and End move between the outlines in reading order; Tab leaves the photo.
  svg.addEventListener("keydown", (e) => {
    const groups = [...svg.querySelectorAll("g.outline")];
    const at = groups.indexOf(e.target.closest ? e.target.closest("g.outline") : null);
    if (at < 0) return;
    const moves = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: groups.length - 1 };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const next = groups[Math.max(0, Math.min(groups.length - 1, moves[e.key]))];
    groups[at].setAttribute("tabindex", "-1");
    next.setAttribute("tabindex", "0");
    next.focus();
  });
  // A click or tap opens the nearest outline within TAP_SLOP CSS pixels, so the thin outlines
  // of a phone-sized photo (often under 10 px tall) are as easy to hit as a 24 px target.
  svg.addEventListener("click", (e) => {
    const position = nearestOutline(svg, boxed, e.clientX, e.clientY);
    if (position !== null) onOpen(position);
  });
  const canvas = h("div", { class: "photo-canvas" }, img, svg);
  frame.append(canvas);
  const whole = { x: 0, y: 0, w: width, h: height };
  const crop = cropOf(boxed.flatMap((i) => i.ocr.boxes), width, height);
  let zoomed = Boolean(crop);
  const update = () => {
    place(frame, canvas, zoomed ? crop : whole, width, height);
    zoom.textContent = zoomed ? "Show the whole photo" : "Zoom to the list";
  };
  zoom.hidden = !crop;
  zoom.onclick = () => {
    zoomed = !zoomed;
    update();
  };
  update();
  img.addEventListener("error", () => {
    frame.hidden = true;
    zoom.hidden = true;
    caption.textContent = "This browser cannot show your photo (HEIC photos often cannot be shown), but it was read: see the ingredients below.";
  });
  frame.hidden = false;
  caption.replaceChildren(
    boxed.length
      ? `${boxed.length} of ${report.ingredients.length} ingredients are outlined; colours follow the concern level, ▲ and the thickest outline mark high concern, ◆ and a thick outline moderate, and dashed outlines were hard to read. Select an outline to open that ingredient (a tap near a thin outline selects it too; with the keyboard, Tab to the photo and move with the arrow keys).`
      : "No ingredient could be placed on the photo.",
  );
  if (boxed.length) caption.append(h("ul", { class: "legend", "aria-label": "Colour key" },
    ["high", "moderate", "low", "none", "unknown"].map((level) => h("li", null, h("span", { class: ["badge", `concern-${level}`] }, GLYPHS[level] ? `${GLYPHS[level]} ` : "", CONCERN_WORDS[level])))));
  return boxed.length;
}
