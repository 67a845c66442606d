#!/usr/bin/env node
/*
 * Firefox ESR for the end-to-end tests, driven by puppeteer-core over WebDriver BiDi.
 *
 * pytest (tests/extension/browsers.py) starts this script and sends it one JSON command per line
 * on stdin; each answer is one JSON line on stdout: {id, ok: true, value} or {id, ok: false,
 * error}. The commands are the few the tests need (open a page, evaluate a function, move the
 * mouse, click, press a key, take a screenshot), so the same test code drives Chromium through
 * Playwright and Firefox through this bridge.
 *
 * The browser is Debian's /usr/bin/firefox-esr; puppeteer-core never downloads one. Pages are
 * served the way the Chromium harness serves them: fixture files at the retailers' URLs
 * (request interception), loopback let through, anything else aborted and recorded.
 */
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import puppeteer from "puppeteer-core";

let browser = null;
let config = null; // {routes: {url: {file, headers}}, assets: dir, loopback: [host]}
const pages = new Map();
const aborted = [];
let nextPage = 1;

const CONTENT_TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css" };

function contentType(path) {
  const dot = path.lastIndexOf(".");
  return CONTENT_TYPES[path.slice(dot)] || "application/octet-stream";
}

/** Same rules as harness.route_offline: fixtures at their URLs, loopback through, the rest aborted. */
function handleRequest(request) {
  const url = request.url();
  let parts;
  try {
    parts = new URL(url);
  } catch {
    return request.continue();
  }
  const route = config.routes[url];
  if (route) {
    return request.respond({ status: 200, headers: route.headers, contentType: contentType(route.file), body: readFileSync(route.file) });
  }
  // Firefox asks every site for its icon itself (Chromium does not): answered here, not counted.
  if (parts.pathname === "/favicon.ico") return request.respond({ status: 404, contentType: "text/plain", body: "" });
  const asset = parts.pathname.startsWith("/assets/") ? config.assets[parts.pathname.slice(8)] : null;
  if (asset) {
    return request.respond({ status: 200, headers: asset.headers, contentType: contentType(asset.file), body: readFileSync(asset.file) });
  }
  if (["http:", "https:"].includes(parts.protocol) && config.loopback.includes(parts.hostname)) return request.continue();
  if (["http:", "https:", "ws:", "wss:"].includes(parts.protocol)) {
    aborted.push(url);
    return request.abort("blockedbyclient");
  }
  return request.continue();
}

function page(id) {
  const p = pages.get(id);
  if (!p) throw new Error(`no page ${id}`);
  return p;
}

/** A function from its source text; puppeteer sends it to the page by its source again. */
function fn(source) {
  return new Function(`return (${source});`)();
}

async function sleep(ms) {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Extension pages never report "load" to WebDriver BiDi (so goto would wait forever): start
 * the navigation and poll the document instead.
 */
async function gotoExtensionPage(p, url) {
  // The old document carries a flag, so a reload of the same URL is not mistaken for done.
  await p.evaluate(() => { window.__incilensOld = true; }).catch(() => {});
  p.goto(url, { timeout: 0 }).catch(() => {});
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    try {
      const [href, ready, old] = await p.evaluate(() => [location.href, document.readyState, Boolean(window.__incilensOld)]);
      if (href === url && ready === "complete" && !old) return null;
    } catch {
      // the document is being replaced
    }
    await sleep(50);
  }
  throw new Error(`${url} did not load`);
}

const COMMANDS = {
  async launch(args) {
    config = { routes: args.routes, assets: args.assets, loopback: args.loopback };
    browser = await puppeteer.launch({
      browser: "firefox",
      executablePath: args.executable,
      headless: true,
      userDataDir: args.profile,
      // Firefox 153 lets WebDriver open moz-extension:// pages only with system access.
      args: ["--remote-allow-system-access"],
      acceptInsecureCerts: true,
      defaultViewport: { width: args.width, height: args.height },
      extraPrefsFirefox: {
        // A fixed internal UUID, so the tests know the moz-extension:// origin.
        "extensions.webextensions.uuids": JSON.stringify({ [args.geckoId]: args.uuid }),
        // Host permissions are granted on a temporary install (the default, pinned here).
        "extensions.originControls.grantByDefault": true,
        // Nothing resolves beyond loopback, whatever the interception lets through.
        "network.dns.forceResolve": "127.0.0.1",
      },
    });
    const id = await browser.installExtension(args.extension);
    return { version: await browser.version(), id };
  },

  async newPage({ intercept, initScript }) {
    const p = await browser.newPage();
    if (intercept) {
      await p.setRequestInterception(true);
      p.on("request", (r) => {
        Promise.resolve(handleRequest(r)).catch(() => {});
      });
    }
    if (initScript) await p.evaluateOnNewDocument(initScript);
    const id = nextPage++;
    pages.set(id, p);
    return id;
  },

  async goto({ page: id, url }) {
    const p = page(id);
    if (url.startsWith("moz-extension:")) return gotoExtensionPage(p, url);
    await p.goto(url, { waitUntil: "load" });
    return null;
  },

  async reload({ page: id }) {
    const p = page(id);
    const url = p.url().startsWith("moz-extension:") ? p.url() : await p.evaluate(() => location.href);
    if (url.startsWith("moz-extension:")) return gotoExtensionPage(p, url);
    await p.reload({ waitUntil: "load" });
    return null;
  },

  async close({ page: id }) {
    const p = pages.get(id);
    pages.delete(id);
    if (p) await p.close().catch(() => {});
    return null;
  },

  async evaluate({ page: id, source, arg }) {
    const value = await page(id).evaluate(fn(source), arg);
    return value === undefined ? null : value;
  },

  async waitForFunction({ page: id, source, arg, ms }) {
    const p = page(id);
    const deadline = Date.now() + ms;
    const f = fn(source);
    let last = null;
    while (Date.now() < deadline) {
      try {
        if (await p.evaluate(f, arg)) return null;
      } catch (err) {
        last = err; // navigation in flight
      }
      await sleep(50);
    }
    throw new Error(`timed out after ${ms} ms waiting for ${source}${last ? ` (${last.message})` : ""}`);
  },

  async mouseMove({ page: id, x, y }) {
    await page(id).mouse.move(x, y);
    return null;
  },

  async click({ page: id, selector }) {
    await page(id).click(selector);
    return null;
  },

  async press({ page: id, key }) {
    await page(id).keyboard.press(key);
    return null;
  },

  async setViewport({ page: id, width, height }) {
    await page(id).setViewport({ width, height });
    return null;
  },

  async screenshot({ page: id, path }) {
    await page(id).screenshot({ path, fullPage: true });
    return null;
  },

  async aborted({ clear }) {
    const out = [...aborted];
    if (clear) aborted.length = 0;
    return out;
  },

  async quit() {
    if (browser) await browser.close();
    browser = null;
    return null;
  },
};

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (!line.trim()) continue;
  const { id, command, args } = JSON.parse(line);
  let answer;
  try {
    const handler = COMMANDS[command];
    if (!handler) throw new Error(`unknown command ${command}`);
    answer = { id, ok: true, value: (await handler(args || {})) ?? null };
  } catch (err) {
    answer = { id, ok: false, error: String((err && err.stack) || err) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
  if (command === "quit") break;
}
if (browser) await browser.close().catch(() => {});
process.exit(0);
