import assert from "node:assert/strict";
import { createServer } from "node:http";
import { test } from "node:test";
import { analyzeText, MAX_TEXT } from "../src/background/api-client.js";

/** A fake fetch that plays back `script` (responses or errors), recording every call. */
function fakeFetch(script) {
  const calls = [];
  const fn = async (url, init) => {
    calls.push({ url, init, body: JSON.parse(init.body) });
    const step = script[Math.min(calls.length - 1, script.length - 1)];
    if (step instanceof Error) throw step;
    if (step === "hang") {
      return new Promise((_, reject) => init.signal.addEventListener("abort", () => reject(new DOMException("aborted", "AbortError"))));
    }
    return new Response(typeof step.body === "string" ? step.body : JSON.stringify(step.body), { status: step.status || 200, headers: { "Content-Type": "application/json" } });
  };
  fn.calls = calls;
  return fn;
}

function recorder() {
  const waits = [];
  const sleep = async (ms) => {
    waits.push(ms);
  };
  sleep.waits = waits;
  return sleep;
}

const BASE = "http://127.0.0.1:8000";

test("no text or too much text: no request at all", async () => {
  const fetch = fakeFetch([{ body: {} }]);
  for (const text of ["", "   ", null, 42]) {
    const r = await analyzeText(text, null, { baseUrl: BASE, fetch });
    assert.equal(r.ok, false);
    assert.equal(r.error.code, "bad_input");
  }
  const r = await analyzeText("a".repeat(MAX_TEXT + 1), null, { baseUrl: BASE, fetch });
  assert.equal(r.error.code, "text_too_long");
  assert.equal(fetch.calls.length, 0);
});

test("a report comes back in the envelope; the body has exactly text and profile", async () => {
  const fetch = fakeFetch([{ body: { list_found: true } }]);
  const profile = { skin_type: "dry", concerns: [], avoid: [], vegan: false, pregnant_or_breastfeeding: false };
  const r = await analyzeText("Water, Glycerin", profile, { baseUrl: BASE + "/", fetch });
  assert.deepEqual(r, { ok: true, data: { list_found: true } });
  assert.equal(fetch.calls[0].url, BASE + "/v1/analyze/text");
  assert.equal(fetch.calls[0].init.method, "POST");
  assert.equal(fetch.calls[0].init.credentials, "omit");
  assert.deepEqual(fetch.calls[0].body, { text: "Water, Glycerin", profile });
  const bare = fakeFetch([{ body: {} }]);
  await analyzeText("Water", null, { baseUrl: BASE, fetch: bare });
  assert.deepEqual(bare.calls[0].body, { text: "Water" });
});

test("view: compact asks for the compact report; anything else for the full one", async () => {
  for (const [view, path] of [["compact", "/v1/analyze/text?view=compact"], ["full", "/v1/analyze/text"], [undefined, "/v1/analyze/text"], ["COMPACT", "/v1/analyze/text"]]) {
    const fetch = fakeFetch([{ body: { list_found: true } }]);
    await analyzeText("Water", null, { baseUrl: BASE, fetch, view });
    assert.equal(fetch.calls[0].url, BASE + path, String(view));
  }
});

test("a 4xx is not retried and keeps the server's code and message", async () => {
  const fetch = fakeFetch([{ status: 400, body: { error: { code: "bad_input", message: "Fix the text." } } }]);
  const sleep = recorder();
  const r = await analyzeText("Water", null, { baseUrl: BASE, fetch, sleep });
  assert.deepEqual(r, { ok: false, error: { code: "bad_input", message: "Fix the text.", status: 400 } });
  assert.equal(fetch.calls.length, 1);
  assert.deepEqual(sleep.waits, []);
});

test("503 then success: retried after a backoff", async () => {
  const fetch = fakeFetch([{ status: 503, body: "busy" }, { body: { list_found: false } }]);
  const sleep = recorder();
  const r = await analyzeText("Water", null, { baseUrl: BASE, fetch, sleep, backoffMs: 100 });
  assert.equal(r.ok, true);
  assert.equal(fetch.calls.length, 2);
  assert.deepEqual(sleep.waits, [100]);
});

test("network errors: retries with exponential backoff, then server_unreachable", async () => {
  const fetch = fakeFetch([new TypeError("Failed to fetch")]);
  const sleep = recorder();
  const r = await analyzeText("Water", null, { baseUrl: BASE, fetch, sleep, retries: 3, backoffMs: 50 });
  assert.equal(r.error.code, "server_unreachable");
  assert.match(r.error.message, /127\.0\.0\.1:8000/);
  assert.equal(fetch.calls.length, 4);
  assert.deepEqual(sleep.waits, [50, 100, 200]);
});

test("a server that never answers times out", async () => {
  const fetch = fakeFetch(["hang"]);
  const r = await analyzeText("Water", null, { baseUrl: BASE, fetch, sleep: recorder(), retries: 1, timeoutMs: 20 });
  assert.equal(r.error.code, "timeout");
  assert.equal(fetch.calls.length, 2);
  assert.ok(fetch.calls.every((c) => c.init.signal.aborted));
});

test("a 200 that is not JSON is a bad_response, not a report", async () => {
  const fetch = fakeFetch([{ body: "<html>captive portal</html>" }]);
  const r = await analyzeText("Water", null, { baseUrl: BASE, fetch, sleep: recorder() });
  assert.equal(r.error.code, "bad_response");
});

// The real thing: node's own fetch against a real HTTP server on loopback.
async function withServer(handler, fn) {
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  try {
    return await fn(url);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

test("real fetch: a loopback server answers, then fails once, then hangs", async () => {
  let hits = 0;
  await withServer((req, res) => {
    hits++;
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      if (req.url !== "/v1/analyze/text" || req.method !== "POST") {
        res.writeHead(404).end();
      } else if (hits === 2) {
        res.writeHead(502, { "Content-Type": "text/plain" }).end("bad gateway");
      } else if (hits >= 4) {
        // never answer
      } else {
        res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ echo: JSON.parse(body).text }));
      }
    });
  }, async (url) => {
    const first = await analyzeText("Aqua, Glycerin", null, { baseUrl: url });
    assert.deepEqual(first, { ok: true, data: { echo: "Aqua, Glycerin" } });
    const second = await analyzeText("Aqua", null, { baseUrl: url, backoffMs: 10 });
    assert.equal(second.ok, true);
    assert.equal(hits, 3);
    const third = await analyzeText("Aqua", null, { baseUrl: url, retries: 0, timeoutMs: 100 });
    assert.equal(third.error.code, "timeout");
  });
});

test("real fetch: nothing listening is server_unreachable", async () => {
  const port = await withServer(() => {}, async (url) => Number(new URL(url).port));
  const r = await analyzeText("Aqua", null, { baseUrl: `http://127.0.0.1:${port}`, retries: 1, backoffMs: 10 });
  assert.equal(r.error.code, "server_unreachable");
});
