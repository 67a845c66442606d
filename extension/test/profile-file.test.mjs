// The profile file the web page and the extension share: one module in two identical copies,
// read and written the same way by both. The awkward files first.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import * as ext from "../src/options/profile-file.js";
import * as web from "../../service/incilens/web/static/js/profile-file.js";
import { CONCERNS, SKIN_TYPES, validateOptions } from "../src/shared/defaults.js";

const ALLOWED = { skinTypes: [...SKIN_TYPES], concerns: [...CONCERNS] };
const EXT_FILE = new URL("../src/options/profile-file.js", import.meta.url);
const WEB_FILE = new URL("../../service/incilens/web/static/js/profile-file.js", import.meta.url);
const EMPTY = { skin_type: null, concerns: [], avoid: [], vegan: false, pregnant_or_breastfeeding: false };
const FULL = { skin_type: "sensitive", concerns: ["acne", "rosacea"], avoid: ["nuts", "Tea tree", "fragrance"], vegan: true, pregnant_or_breastfeeding: true };
const wrap = (profile, extra = {}) => JSON.stringify({ format: "incilens-profile", version: 1, profile, ...extra });

test("the page and the extension ship the same module, byte for byte", () => {
  assert.equal(readFileSync(EXT_FILE, "utf8"), readFileSync(WEB_FILE, "utf8"));
});

// [what the file holds, the error the shopper reads (a fragment)]
const REFUSED = [
  ["nothing", "", "empty"],
  ["blanks", "  \n ", "empty"],
  ["not JSON", "skin_type: dry", "not JSON"],
  ["a JSON list", "[1, 2]", "not a profile file"],
  ["JSON null", "null", "not a profile file"],
  ["another program's settings", JSON.stringify({ theme: "dark" }), "not a profile file"],
  ["another format", JSON.stringify({ format: "other", version: 1, profile: FULL }), "not an INCI Lens profile"],
  ["a newer version", wrap(FULL, { version: 2 }), "newer INCI Lens"],
  ["a version that is text", wrap(FULL, { version: "1" }), "no valid version"],
  ["no profile inside", JSON.stringify({ format: "incilens-profile", version: 1 }), "holds no profile"],
  ["a huge file", `{"avoid": ["${"x".repeat(70000)}"]}`, "too large"],
];

for (const [name, text, message] of REFUSED) {
  for (const [surface, mod] of [["page", web], ["extension", ext]]) {
    test(`the ${surface} refuses ${name}, saying why`, () => {
      assert.throws(() => mod.profileFromFile(text, ALLOWED), (e) => e.name === "ProfileFileError" && e.message.includes(message));
    });
  }
}

// [what the file holds, the profile read, notes expected (fragments)]
const READ = [
  ["unknown values, kept out and named", wrap({ skin_type: "greasy", concerns: ["acne", "wrinkles"], avoid: ["nuts", 7, "", "NUTS", "x".repeat(101)], vegan: "yes" }),
    { ...EMPTY, concerns: ["acne"], avoid: ["nuts"] }, ["greasy", "wrinkles", "longer than 100", "vegan"]],
  ["an avoid list that is a string", wrap({ avoid: "nuts, coconut" }), EMPTY, ["not a list"]],
  ["a byte-order mark and a bare profile", `\uFEFF${JSON.stringify({ avoid: ["shea"] })}`, { ...EMPTY, avoid: ["shea"] }, []],
  ["sixty terms", wrap({ avoid: Array.from({ length: 60 }, (_, i) => `term ${i}`) }),
    { ...EMPTY, avoid: Array.from({ length: 50 }, (_, i) => `term ${i}`) }, ["first 50"]],
  ["a full profile", wrap(FULL), FULL, []],
  ["an empty profile", wrap({}), EMPTY, []],
];

for (const [name, text, expected, notes] of READ) {
  for (const [surface, mod] of [["page", web], ["extension", ext]]) {
    test(`the ${surface} reads ${name}`, () => {
      const got = mod.profileFromFile(text, ALLOWED);
      assert.deepEqual(got.profile, expected);
      assert.equal(got.notes.length, notes.length, got.notes.join(" | "));
      for (const fragment of notes) assert.ok(got.notes.some((n) => n.includes(fragment)), `${fragment} in ${got.notes}`);
    });
  }
}

test("a file written by the page is read by the extension and back, unchanged", () => {
  const fromPage = web.profileToFile(FULL);
  assert.match(fromPage, /^\{\n {2}"format": "incilens-profile",\n {2}"version": 1,/);
  const inExtension = ext.profileFromFile(fromPage, ALLOWED);
  assert.deepEqual(inExtension, { profile: FULL, notes: [] });
  assert.equal(ext.profileToFile(inExtension.profile), fromPage);
  assert.deepEqual(web.profileFromFile(ext.profileToFile(EMPTY), ALLOWED).profile, EMPTY);
});

test("what the extension reads from a file is a valid stored profile", () => {
  const { profile } = ext.profileFromFile(wrap(FULL), ALLOWED);
  const checked = validateOptions({ profile });
  assert.ok(checked.ok, JSON.stringify(checked.errors));
  assert.deepEqual(checked.options.profile, FULL);
});
