/*
 * The INCI Lens API client. No chrome.* here: `fetch` and `sleep` are injected so Node can test
 * timeouts, retries and error mapping. Every call resolves (never rejects) to the envelope
 * {ok: true, data} or {ok: false, error: {code, message}}.
 */

export const DEFAULTS = Object.freeze({ timeoutMs: 10000, retries: 2, backoffMs: 500 });
export const MAX_TEXT = 100000;

const RETRY_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

function failure(code, message, extra) {
  return { ok: false, error: { code, message, ...extra } };
}

const defaultSleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * POST `path` with a JSON body and parse a JSON answer, with a timeout per attempt
 * (AbortController) and retries with exponential backoff on network errors, timeouts and
 * 408/425/429/5xx. A 4xx other than those is the caller's mistake and is not retried.
 */
export async function postJson(baseUrl, path, body, opts = {}) {
  const { fetch: fetchImpl = globalThis.fetch, sleep = defaultSleep } = opts;
  const timeoutMs = opts.timeoutMs ?? DEFAULTS.timeoutMs;
  const retries = opts.retries ?? DEFAULTS.retries;
  const backoffMs = opts.backoffMs ?? DEFAULTS.backoffMs;
  const url = baseUrl.replace(/\/+$/, "") + path;
  let last = failure("server_unreachable", "");
  for (let attempt = 0; attempt <= retries; attempt++) {
    if (attempt > 0) await sleep(backoffMs * 2 ** (attempt - 1));
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    let response;
    try {
      response = await fetchImpl(url, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify(body),
        signal: controller.signal,
        credentials: "omit",
        cache: "no-store",
      });
    } catch (err) {
      clearTimeout(timer);
      last = controller.signal.aborted
        ? failure("timeout", `The INCI Lens server at ${baseUrl} did not answer within ${Math.round(timeoutMs / 1000)} s. It may be busy; try again.`)
        : failure("server_unreachable", `Cannot reach the INCI Lens server at ${baseUrl}. Start it (make run) or change the server address in the options.`);
      continue;
    }
    let payload = null;
    try {
      payload = await response.json();
    } catch {
      payload = null;
    } finally {
      clearTimeout(timer);
    }
    if (response.ok) {
      if (payload && typeof payload === "object") return { ok: true, data: payload };
      return failure("bad_response", `The server at ${baseUrl} answered with something other than an INCI Lens report. Check the server address in the options.`);
    }
    const err = payload && payload.error && typeof payload.error === "object" ? payload.error : null;
    last = failure(
      err && typeof err.code === "string" ? err.code : `http_${response.status}`,
      err && typeof err.message === "string" ? err.message : `The server answered HTTP ${response.status}.`,
      { status: response.status },
    );
    if (!RETRY_STATUS.has(response.status)) return last;
  }
  return last;
}

/**
 * Analyse `text` with an optional profile: POST /v1/analyze/text. `opts.view: "compact"` asks
 * for the report without each item's full record (for views that show only the summary and
 * the items' names and concerns, such as the selection page).
 */
export function analyzeText(text, profile, opts = {}) {
  if (typeof text !== "string" || !text.trim()) {
    return Promise.resolve(failure("bad_input", "There is no text to analyse."));
  }
  if (text.length > MAX_TEXT) {
    return Promise.resolve(failure("text_too_long", `The text is longer than ${MAX_TEXT} characters; select just the ingredient list.`));
  }
  const body = profile ? { text, profile } : { text };
  const path = opts.view === "compact" ? "/v1/analyze/text?view=compact" : "/v1/analyze/text";
  return postJson(opts.baseUrl, path, body, opts);
}
