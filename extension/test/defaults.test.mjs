import assert from "node:assert/strict";
import { test } from "node:test";
import {
  DEFAULT_OPTIONS, needsHostPermission, normalizeServerUrl, originPattern, siteEnabled, validateOptions,
} from "../src/shared/defaults.js";

const SERVER_URLS = [
  // [input, expected value or null for an error], negatives first
  [undefined, null],
  ["", null],
  ["   ", null],
  ["127.0.0.1:8000", null],
  ["not a url", null],
  ["ftp://127.0.0.1:8000", null],
  ["javascript:alert(1)", null],
  ["file:///etc/passwd", null],
  ["http://user:pw@127.0.0.1:8000", null],
  ["http://127.0.0.1:8000/?x=1", null],
  ["http://127.0.0.1:8000/#top", null],
  ["http://127.0.0.1:8000", "http://127.0.0.1:8000"],
  ["  http://127.0.0.1:8000/  ", "http://127.0.0.1:8000"],
  ["HTTP://LOCALHOST:5000", "http://localhost:5000"],
  ["https://lens.example.org/api/", "https://lens.example.org/api"],
];

for (const [input, expected] of SERVER_URLS) {
  test(`normalizeServerUrl(${JSON.stringify(input)})`, () => {
    const got = normalizeServerUrl(input);
    if (expected === null) {
      assert.equal(got.value, undefined);
      assert.ok(got.error.length > 10);
    } else {
      assert.deepEqual(got, { value: expected });
    }
  });
}

test("validateOptions of nothing gives the defaults, with no errors", () => {
  for (const input of [undefined, null, 3, "x", [], {}]) {
    const r = validateOptions(input);
    assert.equal(r.ok, true);
    assert.deepEqual(r.options, JSON.parse(JSON.stringify(DEFAULT_OPTIONS)));
  }
});

test("validateOptions reports each bad field and keeps the rest usable", () => {
  const r = validateOptions({
    serverUrl: "ftp://x",
    profile: { skin_type: "purple", concerns: ["acne", "warts"], avoid: 7, vegan: "yes", pregnant_or_breastfeeding: 1 },
  });
  assert.equal(r.ok, false);
  assert.deepEqual(Object.keys(r.errors).sort(), ["avoid", "concerns", "pregnant_or_breastfeeding", "serverUrl", "skin_type", "vegan"]);
  assert.equal(r.options.serverUrl, DEFAULT_OPTIONS.serverUrl);
  assert.deepEqual(r.options.profile, { skin_type: null, concerns: ["acne"], avoid: [], vegan: false, pregnant_or_breastfeeding: false });
});

test("validateOptions builds exactly the service's profile fields", () => {
  const r = validateOptions({
    serverUrl: "http://localhost:9000/",
    profile: { skin_type: "oily", concerns: ["rosacea", "acne", "acne"], avoid: "parabens,  Fragrance\n\nfragrance; silicones", vegan: true, pregnant_or_breastfeeding: true, extra: 1 },
    disabledRetailers: ["amazon", "nope", "amazon"],
    disabledHosts: ["WWW.Shop.Example", "bad host!", 3],
    unknown: true,
  });
  assert.equal(r.ok, true, JSON.stringify(r.errors));
  assert.deepEqual(r.options, {
    serverUrl: "http://localhost:9000",
    timeoutSeconds: 10,
    profile: { skin_type: "oily", concerns: ["acne", "rosacea"], avoid: ["parabens", "Fragrance", "silicones"], vegan: true, pregnant_or_breastfeeding: true },
    disabledRetailers: ["amazon"],
    disabledHosts: ["shop.example"],
  });
});

test("the avoid list is capped at 50 names of 100 characters", () => {
  const many = validateOptions({ profile: { avoid: Array.from({ length: 60 }, (_, i) => `name ${i}`) } });
  assert.equal(many.ok, false);
  assert.equal(many.options.profile.avoid.length, 50);
  const long = validateOptions({ profile: { avoid: ["x".repeat(101), "ok"] } });
  assert.equal(long.ok, false);
  assert.deepEqual(long.options.profile.avoid, ["ok"]);
});

test("only non-loopback servers need an optional host permission", () => {
  assert.equal(needsHostPermission("http://127.0.0.1:8000"), false);
  assert.equal(needsHostPermission("http://localhost:1234"), false);
  assert.equal(needsHostPermission("https://lens.example.org"), true);
  assert.equal(originPattern("https://lens.example.org:8443/api"), "https://lens.example.org/*");
});

test("per-site switches", () => {
  const options = validateOptions({ disabledRetailers: ["sephora"], disabledHosts: ["shop.example"] }).options;
  assert.equal(siteEnabled(options, "www.sephora.com"), false);
  assert.equal(siteEnabled(options, "www.sephora.fr"), false);
  assert.equal(siteEnabled(options, "www.ulta.com"), true);
  assert.equal(siteEnabled(options, "shop.example"), false);
  assert.equal(siteEnabled(options, "www.shop.example"), false);
  assert.equal(siteEnabled(options, "myshop.example"), true);
});

for (const [input, ok] of [[1, false], [61, false], [2.5, false], ["ten", false], [null, false], [2, true], ["30", true], [60, true]]) {
  test(`timeoutSeconds ${JSON.stringify(input)} is ${ok ? "accepted" : "refused"}`, () => {
    const r = validateOptions({ timeoutSeconds: input });
    assert.equal(r.ok, ok);
    assert.equal(r.options.timeoutSeconds, ok ? Number(input) : DEFAULT_OPTIONS.timeoutSeconds);
  });
}
