import assert from "node:assert/strict";
import { test } from "node:test";
import { INCILENS } from "./helpers.mjs";

const { MSG, ok, fail, isMessage } = INCILENS.messages;

test("message types are unique, direction-namespaced strings", () => {
  const values = Object.values(MSG);
  assert.equal(new Set(values).size, values.length);
  for (const [name, value] of Object.entries(MSG)) {
    assert.match(name, /^(CS_BG|UI_BG|BG_CS)_[A-Z_]+$/);
    assert.equal(value, name.toLowerCase().replaceAll("_", "-"));
  }
});

test("isMessage rejects anything that is not one of ours", () => {
  for (const bad of [null, undefined, "cs-bg-analyze-text", 42, [], {}, { type: 1 }, { type: "other" }, { type: "__proto__" }]) {
    assert.equal(isMessage(bad), false, JSON.stringify(bad));
  }
  assert.equal(isMessage({ type: MSG.CS_BG_ANALYZE_TEXT }), true);
  assert.equal(isMessage({ type: MSG.CS_BG_ANALYZE_TEXT }, [MSG.BG_CS_PING]), false);
  assert.equal(isMessage({ type: MSG.BG_CS_PING }, [MSG.BG_CS_PING]), true);
});

test("one envelope for replies", () => {
  assert.deepEqual(ok(), { ok: true, data: null });
  assert.deepEqual(ok({ a: 1 }), { ok: true, data: { a: 1 } });
  assert.deepEqual(fail("timeout", "Try again."), { ok: false, error: { code: "timeout", message: "Try again." } });
});
