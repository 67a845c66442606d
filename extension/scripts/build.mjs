#!/usr/bin/env node
/*
 * Build the extension for Chrome and Firefox from the one source tree.
 *
 *   node extension/scripts/build.mjs [--out DIR] [--no-zip]
 *
 * writes DIR/chrome/ and DIR/firefox/ (unpacked) and DIR/incilens-chrome.zip and
 * DIR/incilens-firefox.zip (DIR defaults to dist/ at the repository root). manifest.json is the
 * Chrome manifest; the Firefox one is derived from it by firefoxManifest() below, the only
 * place the two differ. The zips are written here with node:zlib (stored in a fixed order with a
 * fixed date, so a rebuild of the same tree gives the same bytes).
 */
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as zlib from "node:zlib";

const { deflateRawSync } = zlib;

let table = null;
/** Table-driven CRC-32 (the zip polynomial), for a Node without zlib.crc32. */
export function tableCrc32(data) {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const byte of data) crc = table[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** CRC-32 as zip wants it: node:zlib's when there is one (Node 20.15+). */
export function crc32(data) {
  return typeof zlib.crc32 === "function" ? zlib.crc32(data) >>> 0 : tableCrc32(data);
}

const EXT_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SHIPPED = ["manifest.json", "icons", "src"];
export const GECKO_ID = "inci-lens@incilens.org";

/**
 * The Firefox manifest: the service worker's module as a background script (Firefox runs
 * `background.scripts` and would ignore `service_worker`, which `web-ext lint` warns about, so
 * it is left out), and the gecko settings.
 */
export function firefoxManifest(chrome) {
  const m = structuredClone(chrome);
  m.background = { scripts: [chrome.background.service_worker], type: "module" };
  delete m.minimum_chrome_version;
  m.browser_specific_settings = {
    gecko: {
      id: GECKO_ID,
      strict_min_version: "140.0",
      // What leaves the browser: the ingredient text of the page (and the optional profile,
      // which may say pregnant or name skin conditions) goes to the user's own INCI Lens server.
      data_collection_permissions: { required: ["websiteContent", "healthInfo"] },
    },
    gecko_android: { strict_min_version: "142.0" },
  };
  return m;
}

function files(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...files(path));
    else out.push(path);
  }
  return out;
}

const DOS_DATE = ((2025 - 1980) << 9) | (1 << 5) | 1; // 2025-01-01, 00:00

/** A zip of every file under `dir` (paths relative to it, "/" separators). */
export function zipDirectory(dir) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const path of files(dir)) {
    const name = Buffer.from(relative(dir, path).split(sep).join("/"));
    const data = readFileSync(path);
    const packed = deflateRawSync(data, { level: 9 });
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(DOS_DATE, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(packed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += local.length + name.length + packed.length;
  }
  const directory = Buffer.concat(centrals);
  const count = centrals.length / 2;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** Write the unpacked builds (and zips) under `out`; returns their paths. */
export function build(out, { zip = true } = {}) {
  const chrome = JSON.parse(readFileSync(join(EXT_DIR, "manifest.json"), "utf8"));
  const targets = { chrome, firefox: firefoxManifest(chrome) };
  const paths = {};
  for (const [browser, manifest] of Object.entries(targets)) {
    const dir = join(out, browser);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const entry of SHIPPED) cpSync(join(EXT_DIR, entry), join(dir, entry), { recursive: true });
    writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2) + "\n");
    paths[browser] = dir;
    if (zip) writeFileSync(join(out, `incilens-${browser}.zip`), zipDirectory(dir));
  }
  return paths;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--out");
  const out = resolve(at >= 0 ? args[at + 1] : join(EXT_DIR, "..", "dist"));
  const paths = build(out, { zip: !args.includes("--no-zip") });
  for (const [browser, dir] of Object.entries(paths)) console.log(`${browser}: ${dir}`);
}
