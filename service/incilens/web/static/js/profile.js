// The shopper's profile: kept in this browser's localStorage only, sent with each request.

const KEY = "incilens.profile.v1";
const MAX_AVOID = 50;
const MAX_TERM = 100;

export const EMPTY_PROFILE = Object.freeze({
  skin_type: null,
  concerns: [],
  avoid: [],
  vegan: false,
  pregnant_or_breastfeeding: false,
});

/** Split an avoid-list string into clean, unique terms ("parabens, fragrance; x"). */
export function parseAvoid(text) {
  const seen = new Set();
  const out = [];
  for (const raw of String(text || "").split(/[,;\n]/)) {
    const term = raw.replace(/\s+/g, " ").trim().slice(0, MAX_TERM);
    const key = term.toLowerCase();
    if (term && !seen.has(key)) {
      seen.add(key);
      out.push(term);
    }
  }
  return out.slice(0, MAX_AVOID);
}

/** Keep only known values, so a stale or tampered stored profile can never break a request. */
export function validateProfile(raw, { skinTypes, concerns }) {
  const p = raw && typeof raw === "object" ? raw : {};
  return {
    skin_type: skinTypes.includes(p.skin_type) ? p.skin_type : null,
    concerns: Array.isArray(p.concerns) ? concerns.filter((c) => p.concerns.includes(c)) : [],
    avoid: Array.isArray(p.avoid) ? parseAvoid(p.avoid.filter((t) => typeof t === "string").join(",")) : [],
    vegan: p.vegan === true,
    pregnant_or_breastfeeding: p.pregnant_or_breastfeeding === true,
  };
}

export function isEmptyProfile(p) {
  return !(p.skin_type || p.concerns.length || p.avoid.length || p.vegan || p.pregnant_or_breastfeeding);
}

/** A one-line description: "Oily skin · acne · avoids parabens · vegan". */
export function describeProfile(p) {
  if (isEmptyProfile(p)) return "not set";
  const parts = [];
  if (p.skin_type) parts.push(`${p.skin_type} skin`);
  parts.push(...p.concerns.map((c) => c.replace("_", " ")));
  if (p.avoid.length) parts.push(`avoids ${p.avoid.join(", ")}`);
  if (p.vegan) parts.push("vegan");
  if (p.pregnant_or_breastfeeding) parts.push("pregnant or breastfeeding");
  return parts.join(" · ");
}

export function loadProfile(storage, allowed) {
  try {
    const text = storage.getItem(KEY);
    return validateProfile(text ? JSON.parse(text) : EMPTY_PROFILE, allowed);
  } catch {
    return validateProfile(EMPTY_PROFILE, allowed); // storage blocked or corrupt: start empty
  }
}

/** Save; returns false when the browser refuses storage (private mode, quota). */
export function saveProfile(storage, profile) {
  try {
    if (isEmptyProfile(profile)) storage.removeItem(KEY);
    else storage.setItem(KEY, JSON.stringify(profile));
    return true;
  } catch {
    return false;
  }
}

/** The allowed values, read from the form the server rendered (one source of truth). */
export function allowedValues(form) {
  return {
    skinTypes: [...form.elements.skin_type.options].map((o) => o.value).filter(Boolean),
    concerns: [...form.querySelectorAll('input[name="concerns"]')].map((i) => i.value),
  };
}

export function readForm(form) {
  return validateProfile(
    {
      skin_type: form.elements.skin_type.value || null,
      concerns: [...form.querySelectorAll('input[name="concerns"]:checked')].map((i) => i.value),
      avoid: parseAvoid(form.elements.avoid.value),
      vegan: form.elements.vegan.checked,
      pregnant_or_breastfeeding: form.elements.pregnant_or_breastfeeding.checked,
    },
    allowedValues(form),
  );
}

export function writeForm(form, p) {
  form.elements.skin_type.value = p.skin_type || "";
  for (const box of form.querySelectorAll('input[name="concerns"]')) box.checked = p.concerns.includes(box.value);
  form.elements.avoid.value = p.avoid.join(", ");
  form.elements.vegan.checked = p.vegan;
  form.elements.pregnant_or_breastfeeding.checked = p.pregnant_or_breastfeeding;
}
