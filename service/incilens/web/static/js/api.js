// The JSON API client: every failure becomes an ApiError whose message is written for people.

export const UNREACHABLE =
  "We could not reach the INCI Lens service. Check your internet connection, then try again.";
const SERVER_TROUBLE = "Something went wrong on our side. Please try again in a moment.";

export class ApiError extends Error {
  constructor(message, { code = "error", status = 0, details = {} } = {}) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

function plainMessage(code, serverMessage, details) {
  switch (code) {
    case "unsupported_image":
      return "That file is not a photo we can read. Choose a JPEG, PNG, WebP, TIFF or HEIC photo of the ingredient list.";
    case "image_too_large":
    case "request_entity_too_large":
      return details.max_pixels
        ? "That photo has too many pixels for us to read. Take it again at a lower resolution, or crop it to the list."
        : "That photo is too large to upload. Take it again at a lower resolution, or crop it to the list.";
    case "ocr_unavailable":
      return `Photos cannot be read right now (${serverMessage}) Paste the list instead.`;
    default:
      // Our own errors already say what to do; anything else (a proxy's 502, an HTML page)
      // gets the generic message rather than its raw text.
      return serverMessage || SERVER_TROUBLE;
  }
}

/** Build an ApiError from a status and the raw response text (JSON error shape or not). */
export function errorFrom(status, bodyText) {
  let body = null;
  try {
    body = JSON.parse(bodyText);
  } catch {
    body = null;
  }
  const err = body && typeof body === "object" && body.error && typeof body.error === "object" ? body.error : {};
  const code = typeof err.code === "string" ? err.code : status === 413 ? "request_entity_too_large" : "error";
  const message = typeof err.message === "string" ? err.message : "";
  const details = { ...err };
  return new ApiError(plainMessage(code, message, details), { code, status, details });
}

async function request(url, init, timeoutMs) {
  const controller = new AbortController();
  const outer = init.signal;
  const onAbort = () => controller.abort(outer.reason);
  if (outer) {
    if (outer.aborted) controller.abort(outer.reason);
    outer.addEventListener("abort", onAbort, { once: true });
  }
  const timer = setTimeout(() => controller.abort(new ApiError("The service took too long to answer. Please try again.", { code: "timeout" })), timeoutMs);
  try {
    let response;
    try {
      response = await fetch(url, { ...init, signal: controller.signal, headers: { Accept: "application/json", ...(init.headers || {}) } });
    } catch (e) {
      if (controller.signal.aborted) throw controller.signal.reason instanceof ApiError ? controller.signal.reason : abortError();
      throw new ApiError(UNREACHABLE, { code: "unreachable" });
    }
    const text = await response.text();
    if (!response.ok) throw errorFrom(response.status, text);
    try {
      return JSON.parse(text);
    } catch {
      throw new ApiError(SERVER_TROUBLE, { code: "bad_response", status: response.status });
    }
  } finally {
    clearTimeout(timer);
    if (outer) outer.removeEventListener("abort", onAbort);
  }
}

function abortError() {
  return new DOMException("The request was cancelled.", "AbortError");
}

// The page asks for the compact report (each recognised item without its full record, a
// quarter of the bytes) and loads a record when its card is first opened (loadRecord).
const VIEW = "?view=compact";

/** POST /v1/analyze/text (compact view). */
export function analyzeText(text, profile, { signal, timeoutMs = 60000 } = {}) {
  return request(
    "/v1/analyze/text" + VIEW,
    { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text, profile }), signal },
    timeoutMs,
  );
}

/**
 * POST /v1/analyze/image with upload progress (XMLHttpRequest: fetch cannot report it).
 * onProgress(fraction) runs while the photo uploads; onUploaded() once it is sent and OCR runs.
 */
export function analyzeImage(file, profile, { signal, onProgress = () => {}, onUploaded = () => {}, timeoutMs = 120000 } = {}) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const form = new FormData();
    form.append("image", file, "photo");
    form.append("profile", JSON.stringify(profile));
    xhr.open("POST", "/v1/analyze/image" + VIEW);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.timeout = timeoutMs;
    xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    });
    xhr.upload.addEventListener("load", () => onUploaded());
    xhr.addEventListener("load", () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText));
        } catch {
          reject(new ApiError(SERVER_TROUBLE, { code: "bad_response", status: xhr.status }));
        }
      } else {
        reject(errorFrom(xhr.status, xhr.responseText));
      }
    });
    xhr.addEventListener("error", () => reject(new ApiError(UNREACHABLE, { code: "unreachable" })));
    xhr.addEventListener("timeout", () =>
      reject(new ApiError("Reading the photo took too long. Try a closer, sharper photo, or paste the list.", { code: "timeout" })),
    );
    xhr.addEventListener("abort", () => reject(abortError()));
    if (signal) {
      if (signal.aborted) {
        reject(abortError());
        return;
      }
      signal.addEventListener("abort", () => xhr.abort(), { once: true });
    }
    xhr.send(form);
  });
}

const records = new Map();

/**
 * The full record behind a compact item (GET its `record` link), once per page: the promise is
 * kept, so opening the same ingredient twice asks once; a failed load is forgotten so it can be
 * tried again. The server's ETag and Cache-Control let the browser keep it across pages too.
 */
export function loadRecord(url, { timeoutMs = 15000 } = {}) {
  if (!records.has(url)) {
    const pending = request(url, { method: "GET" }, timeoutMs);
    pending.catch(() => records.delete(url));
    records.set(url, pending);
  }
  return records.get(url);
}

/** GET /v1/ingredients?q= (search and autocomplete). */
export function searchIngredients(q, { signal, limit = 8, timeoutMs = 10000 } = {}) {
  const url = `/v1/ingredients?${new URLSearchParams({ q, limit: String(limit) })}`;
  return request(url, { method: "GET", signal }, timeoutMs);
}
