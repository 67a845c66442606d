import assert from "node:assert/strict";
import { test } from "node:test";
import { handleSelection, MENU_ID, MAX_SELECTION } from "../src/background/selection.js";

function deps(reply) {
  const log = [];
  return {
    log,
    makeKey: () => "sel:1",
    store: async (key, value) => log.push(["store", key, value.status]),
    open: async (key, tab) => log.push(["open", key, tab && tab.id]),
    analyze: async (text) => {
      log.push(["analyze", text]);
      return reply;
    },
  };
}

test("clicks that are not ours, or without a selection, do nothing", async () => {
  for (const info of [null, {}, { menuItemId: "other", selectionText: "Aqua" }, { menuItemId: MENU_ID }, { menuItemId: MENU_ID, selectionText: "   " }]) {
    const d = deps({ ok: true, data: {} });
    assert.equal(await handleSelection(info, { id: 1 }, d), null);
    assert.deepEqual(d.log, []);
  }
});

test("the selection is analysed and the result page opened", async () => {
  const d = deps({ ok: true, data: { list_found: true } });
  const key = await handleSelection({ menuItemId: MENU_ID, selectionText: "  Aqua, Glycerin " }, { id: 7 }, d);
  assert.equal(key, "sel:1");
  assert.deepEqual(d.log, [["store", "sel:1", "analysing"], ["open", "sel:1", 7], ["analyze", "Aqua, Glycerin"], ["store", "sel:1", "done"]]);
});

test("a server error is stored for the result page to show", async () => {
  const d = deps({ ok: false, error: { code: "server_unreachable", message: "down" } });
  await handleSelection({ menuItemId: MENU_ID, selectionText: "x".repeat(MAX_SELECTION + 10) }, undefined, d);
  assert.equal(d.log[2][1].length, MAX_SELECTION);
  assert.deepEqual(d.log.at(-1), ["store", "sel:1", "error"]);
});
