import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { inflateRawSync } from "node:zlib";
import { build, firefoxManifest } from "../scripts/build.mjs";
import { INCILENS } from "./helpers.mjs";

const EXT = new URL("../", import.meta.url);
const manifest = JSON.parse(readFileSync(new URL("manifest.json", EXT), "utf8"));

test("minimal permissions: host access only to the loopback API origin", () => {
  assert.deepEqual(manifest.permissions.sort(), ["activeTab", "contextMenus", "scripting", "storage"]);
  assert.deepEqual(manifest.host_permissions, ["http://127.0.0.1/*", "http://localhost/*"]);
  assert.ok(!JSON.stringify(manifest).includes("<all_urls>"));
  assert.equal(manifest.web_accessible_resources, undefined);
  assert.match(manifest.content_security_policy.extension_pages, /script-src 'self';/);
});

test("content scripts only on the supported retailers, with files that exist", () => {
  assert.equal(manifest.content_scripts.length, 1);
  const cs = manifest.content_scripts[0];
  assert.deepEqual(cs.matches, INCILENS.sites.matchPatterns());
  for (const file of [...cs.js, ...cs.css, manifest.background.service_worker, manifest.action.default_popup, manifest.options_ui.page]) {
    assert.ok(existsSync(new URL(file, EXT)), file);
  }
  assert.equal(cs.js.at(-1), "src/content/content-script.js");
});

test("the Firefox manifest adds background scripts and gecko settings, nothing else", () => {
  const ff = firefoxManifest(manifest);
  assert.deepEqual(ff.background.scripts, [manifest.background.service_worker]);
  assert.equal(ff.background.service_worker, undefined); // Firefox would ignore it; web-ext lint warns
  assert.match(ff.browser_specific_settings.gecko.id, /@/);
  assert.ok(Array.isArray(ff.browser_specific_settings.gecko.data_collection_permissions.required));
  const { background, browser_specific_settings, ...rest } = ff;
  const { background: b2, minimum_chrome_version, ...chromeRest } = manifest;
  assert.deepEqual(rest, chromeRest);
});

function unzip(buffer) {
  const files = new Map();
  let at = 0;
  while (buffer.readUInt32LE(at) === 0x04034b50) {
    const size = buffer.readUInt32LE(at + 18);
    const nameLength = buffer.readUInt16LE(at + 26);
    const name = buffer.subarray(at + 30, at + 30 + nameLength).toString();
    const start = at + 30 + nameLength;
    files.set(name, inflateRawSync(buffer.subarray(start, start + size)));
    at = start + size;
  }
  return files;
}

test("build writes one zip per browser that unpacks to the shipped tree", () => {
  const out = mkdtempSync(join(tmpdir(), "incilens-build-"));
  try {
    build(out);
    for (const browser of ["chrome", "firefox"]) {
      const files = unzip(readFileSync(join(out, `incilens-${browser}.zip`)));
      const m = JSON.parse(files.get("manifest.json").toString());
      assert.equal(Boolean(m.browser_specific_settings), browser === "firefox");
      assert.ok(files.has("src/content/content-script.js"));
      assert.ok(files.has("icons/icon-128.png"));
      assert.ok(![...files.keys()].some((f) => f.startsWith("test/") || f.startsWith("scripts/")));
      assert.deepEqual(files.get("src/content/finder.js"), readFileSync(new URL("src/content/finder.js", EXT)));
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test("the zip's CRC-32 matches the standard check value", async () => {
  const { crc32, tableCrc32 } = await import("../scripts/build.mjs");
  for (const fn of [crc32, tableCrc32]) {
    assert.equal(fn(Buffer.from("123456789")), 0xcbf43926);
    assert.equal(fn(Buffer.alloc(0)), 0);
  }
  const blob = readFileSync(new URL("src/content/finder.js", EXT));
  assert.equal(tableCrc32(blob), crc32(blob));
});

test("two builds of the same tree give the same zip bytes (fixed dates and order)", () => {
  const first = mkdtempSync(join(tmpdir(), "incilens-build-a-"));
  const second = mkdtempSync(join(tmpdir(), "incilens-build-b-"));
  try {
    build(first);
    build(second);
    for (const browser of ["chrome", "firefox"]) {
      const a = readFileSync(join(first, `incilens-${browser}.zip`));
      const b = readFileSync(join(second, `incilens-${browser}.zip`));
      assert.ok(a.equals(b), `${browser}: two builds differ`);
    }
  } finally {
    rmSync(first, { recursive: true, force: true });
    rmSync(second, { recursive: true, force: true });
  }
});

function treeOf(dir, prefix = "") {
  const out = new Map();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) for (const [k, v] of treeOf(path, prefix + name + "/")) out.set(k, v);
    else out.set(prefix + name, readFileSync(path));
  }
  return out;
}

test("make extension's own command, run twice from different folders, gives the same two zips", () => {
  // The recipe `make extension` runs; this test runs that very command line.
  const makefile = readFileSync(new URL("../Makefile", EXT), "utf8");
  const recipe = makefile.split("\n").slice(makefile.split("\n").indexOf("extension: node_modules/.installed") + 1)[0].trim();
  assert.equal(recipe, "node extension/scripts/build.mjs --out dist");
  const root = new URL("../", EXT).pathname;
  const outs = [mkdtempSync(join(tmpdir(), "incilens-make-a-")), mkdtempSync(join(tmpdir(), "incilens-make-b-"))];
  try {
    execFileSync(process.execPath, ["extension/scripts/build.mjs", "--out", outs[0]], { cwd: root, stdio: "pipe" });
    execFileSync(process.execPath, [join(root, "extension/scripts/build.mjs"), "--out", outs[1]], { cwd: tmpdir(), stdio: "pipe" });
    for (const browser of ["chrome", "firefox"]) {
      const [a, b] = outs.map((out) => readFileSync(join(out, `incilens-${browser}.zip`)));
      assert.ok(a.length > 10_000 && a.equals(b), `${browser}: the two zips differ`);
      // The zip holds exactly the unpacked tree make extension writes beside it.
      assert.deepEqual(unzip(a), treeOf(join(outs[0], browser)), browser);
    }
  } finally {
    for (const out of outs) rmSync(out, { recursive: true, force: true });
  }
});
