// The profile file that the web page and the browser extension both write and read, so a
// shopper enters the profile once. One module, kept as two identical copies (the page's
// static/js/profile-file.js and the extension's src/options/profile-file.js; a test checks
// that they are the same). Pure: no DOM, no storage.
//
// The file is JSON:
//   {"format": "incilens-profile", "version": 1,
//    "profile": {"skin_type": "dry" | null, "concerns": ["acne"], "avoid": ["nuts"],
//                "vegan": false, "pregnant_or_breastfeeding": false}}
// "profile" holds exactly the fields of the API's profile. A bare profile object (those fields
// at the top level) is read too.

export const PROFILE_FORMAT = "incilens-profile";
export const PROFILE_VERSION = 1;
export const PROFILE_FILE_NAME = "incilens-profile.json";
export const MAX_AVOID_TERMS = 50;
export const MAX_TERM_LENGTH = 100;
const MAX_FILE_CHARS = 64 * 1024;
const FIELDS = ["skin_type", "concerns", "avoid", "vegan", "pregnant_or_breastfeeding"];

/** The file's text for `profile` (already valid), ending with a newline. */
export function profileToFile(profile) {
  const p = {
    skin_type: profile.skin_type || null,
    concerns: [...(profile.concerns || [])],
    avoid: [...(profile.avoid || [])],
    vegan: profile.vegan === true,
    pregnant_or_breastfeeding: profile.pregnant_or_breastfeeding === true,
  };
  return `${JSON.stringify({ format: PROFILE_FORMAT, version: PROFILE_VERSION, profile: p }, null, 2)}\n`;
}

function fail(message) {
  const error = new Error(message);
  error.name = "ProfileFileError";
  return error;
}

/**
 * Read a profile file. `allowed` is {skinTypes, concerns}: the values this surface offers.
 * Returns {profile, notes}: `notes` says, in words, what was left out (an unknown concern, a
 * term too long ...). Throws a ProfileFileError, whose message is for the shopper, when the
 * text is not a profile file at all.
 */
export function profileFromFile(text, allowed) {
  if (typeof text !== "string" || !text.trim()) throw fail("The file is empty.");
  if (text.length > MAX_FILE_CHARS) throw fail("The file is too large to be a profile.");
  let data;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch {
    throw fail("The file is not a profile file (it is not JSON).");
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) throw fail("The file is not a profile file.");
  let p = data;
  if ("format" in data || "profile" in data) {
    if (data.format !== PROFILE_FORMAT) throw fail("The file is not an INCI Lens profile.");
    if (!Number.isInteger(data.version) || data.version < 1) throw fail("The file has no valid version.");
    if (data.version > PROFILE_VERSION) throw fail("The file was written by a newer INCI Lens; update this one to read it.");
    p = data.profile;
    if (!p || typeof p !== "object" || Array.isArray(p)) throw fail("The file holds no profile.");
  } else if (!FIELDS.some((f) => f in data)) {
    throw fail("The file is not a profile file.");
  }
  const notes = [];
  const profile = { skin_type: null, concerns: [], avoid: [], vegan: false, pregnant_or_breastfeeding: false };
  if (p.skin_type !== undefined && p.skin_type !== null && p.skin_type !== "") {
    if (allowed.skinTypes.includes(p.skin_type)) profile.skin_type = p.skin_type;
    else notes.push(`Skin type “${String(p.skin_type)}” is not one we know; it was left out.`);
  }
  if (p.concerns !== undefined) {
    const list = Array.isArray(p.concerns) ? p.concerns : [];
    const bad = list.filter((c) => !allowed.concerns.includes(c));
    if (!Array.isArray(p.concerns) || bad.length) notes.push(`Left out concerns we do not know: ${bad.map(String).join(", ") || String(p.concerns)}.`);
    profile.concerns = allowed.concerns.filter((c) => list.includes(c));
  }
  if (p.avoid !== undefined) {
    const list = Array.isArray(p.avoid) ? p.avoid : [];
    if (!Array.isArray(p.avoid)) notes.push("The avoid list was not a list; it was left out.");
    const seen = new Set();
    for (const raw of list) {
      if (typeof raw !== "string") continue;
      const term = raw.replace(/\s+/g, " ").trim();
      if (!term) continue;
      if (term.length > MAX_TERM_LENGTH) {
        notes.push(`An avoid-list term longer than ${MAX_TERM_LENGTH} characters was left out.`);
        continue;
      }
      if (seen.has(term.toLowerCase())) continue;
      seen.add(term.toLowerCase());
      profile.avoid.push(term);
    }
    if (profile.avoid.length > MAX_AVOID_TERMS) {
      notes.push(`Only the first ${MAX_AVOID_TERMS} avoid-list terms were kept.`);
      profile.avoid = profile.avoid.slice(0, MAX_AVOID_TERMS);
    }
  }
  for (const flag of ["vegan", "pregnant_or_breastfeeding"]) {
    if (p[flag] === undefined) continue;
    if (typeof p[flag] === "boolean") profile[flag] = p[flag];
    else notes.push(`“${flag.replace(/_/g, " ")}” was not yes or no; it was left off.`);
  }
  return { profile, notes };
}
