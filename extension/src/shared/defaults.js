/*
 * Options: the single DEFAULT_OPTIONS and the validator. Pure (no chrome.*), so Node tests it.
 * The service's request schema is strict (unknown fields are a 400), so the profile produced
 * here carries exactly the fields of incilens.schemas.ProfileModel.
 */
import "./sites.js";

const { ADAPTERS } = globalThis.INCILENS.sites;

export const SKIN_TYPES = Object.freeze(["oily", "dry", "combination", "normal", "sensitive"]);
export const CONCERNS = Object.freeze(["acne", "rosacea", "eczema", "fungal_acne"]);
export const MAX_AVOID = 50;
export const MAX_AVOID_LENGTH = 100;
export const DEFAULT_SERVER_URL = "http://127.0.0.1:8000";
export const TIMEOUT_RANGE = Object.freeze([2, 60]);
/** Hosts the manifest's host_permissions already cover (match patterns ignore the port). */
export const BUILTIN_HOSTS = Object.freeze(["127.0.0.1", "localhost"]);

export const DEFAULT_OPTIONS = Object.freeze({
  serverUrl: DEFAULT_SERVER_URL,
  /** How long to wait for one answer before trying again (then giving up). */
  timeoutSeconds: 10,
  profile: Object.freeze({
    skin_type: null,
    concerns: Object.freeze([]),
    avoid: Object.freeze([]),
    vegan: false,
    pregnant_or_breastfeeding: false,
  }),
  /** Supported retailers switched off by the user (adapter ids). */
  disabledRetailers: Object.freeze([]),
  /** Other hosts switched off from the popup. */
  disabledHosts: Object.freeze([]),
});

const HOST_RE = /^(?=.{1,253}$)[a-z0-9-]+(\.[a-z0-9-]+)*$/;

/**
 * Normalise a server URL: http(s) only, no credentials, query or fragment; the path is kept
 * (a service behind a prefix) without its trailing slash. Returns {value} or {error}.
 */
export function normalizeServerUrl(input) {
  const raw = typeof input === "string" ? input.trim() : "";
  if (!raw) return { error: "Enter the address of your INCI Lens server, e.g. " + DEFAULT_SERVER_URL };
  let url;
  try {
    url = new URL(raw);
  } catch {
    return { error: "This is not a web address; use e.g. " + DEFAULT_SERVER_URL };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { error: "The server address must start with http:// or https://" };
  }
  if (url.username || url.password) return { error: "Leave the user name and password out of the address." };
  if (url.search || url.hash) return { error: "Leave ?query and #fragment out of the server address." };
  const path = url.pathname.replace(/\/+$/, "");
  return { value: url.origin + path };
}

/** The match pattern for a server URL's origin ("https://lens.example.org/*"). */
export function originPattern(serverUrl) {
  const url = new URL(serverUrl);
  return `${url.protocol}//${url.hostname}/*`;
}

/** True when the server URL needs an optional host permission (not loopback). */
export function needsHostPermission(serverUrl) {
  return !BUILTIN_HOSTS.includes(new URL(serverUrl).hostname.replace(/^\[|\]$/g, ""));
}

function cleanAvoid(value, errors) {
  let items = value;
  if (typeof items === "string") items = items.split(/[\n,;]/);
  if (!Array.isArray(items)) {
    errors.avoid = "The avoid list must be a list of names.";
    return [];
  }
  const seen = new Set();
  const out = [];
  for (const item of items) {
    if (typeof item !== "string") continue;
    const name = item.replace(/\s+/g, " ").trim();
    if (!name) continue;
    if (name.length > MAX_AVOID_LENGTH) {
      errors.avoid = `Each avoided name must be at most ${MAX_AVOID_LENGTH} characters.`;
      continue;
    }
    const key = name.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(name);
  }
  if (out.length > MAX_AVOID) {
    errors.avoid = `At most ${MAX_AVOID} names on the avoid list.`;
    return out.slice(0, MAX_AVOID);
  }
  return out;
}

function cleanHosts(value) {
  if (!Array.isArray(value)) return [];
  const out = new Set();
  for (const h of value) {
    if (typeof h !== "string") continue;
    const host = h.trim().toLowerCase().replace(/^www\./, "");
    if (HOST_RE.test(host)) out.add(host);
  }
  return [...out].sort();
}

/**
 * Validate options from storage or from the options form. Unknown keys are dropped, missing ones
 * take their defaults. Returns {ok, options, errors}: `options` is always usable (invalid fields
 * fall back to their defaults) and `errors` maps a field name to a message for the user.
 */
export function validateOptions(input) {
  const src = input && typeof input === "object" && !Array.isArray(input) ? input : {};
  const errors = {};
  const options = {
    serverUrl: DEFAULT_OPTIONS.serverUrl,
    timeoutSeconds: DEFAULT_OPTIONS.timeoutSeconds,
    profile: { ...DEFAULT_OPTIONS.profile, concerns: [], avoid: [] },
    disabledRetailers: [],
    disabledHosts: [],
  };

  if (src.serverUrl !== undefined) {
    const url = normalizeServerUrl(src.serverUrl);
    if (url.error) errors.serverUrl = url.error;
    else options.serverUrl = url.value;
  }

  if (src.timeoutSeconds !== undefined && src.timeoutSeconds !== "") {
    const t = Number(src.timeoutSeconds);
    if (Number.isInteger(t) && t >= TIMEOUT_RANGE[0] && t <= TIMEOUT_RANGE[1]) options.timeoutSeconds = t;
    else errors.timeoutSeconds = `The timeout must be a whole number of seconds from ${TIMEOUT_RANGE[0]} to ${TIMEOUT_RANGE[1]}.`;
  }

  const p = src.profile && typeof src.profile === "object" ? src.profile : {};
  if (p.skin_type !== undefined && p.skin_type !== null && p.skin_type !== "") {
    if (SKIN_TYPES.includes(p.skin_type)) options.profile.skin_type = p.skin_type;
    else errors.skin_type = "Choose one of: " + SKIN_TYPES.join(", ") + ".";
  }
  if (p.concerns !== undefined) {
    if (!Array.isArray(p.concerns)) errors.concerns = "Concerns must be a list.";
    else {
      const bad = p.concerns.filter((c) => !CONCERNS.includes(c));
      if (bad.length) errors.concerns = "Unknown concern: " + bad.map(String).join(", ") + ".";
      options.profile.concerns = CONCERNS.filter((c) => p.concerns.includes(c));
    }
  }
  if (p.avoid !== undefined) options.profile.avoid = cleanAvoid(p.avoid, errors);
  for (const flag of ["vegan", "pregnant_or_breastfeeding"]) {
    if (p[flag] === undefined) continue;
    if (typeof p[flag] === "boolean") options.profile[flag] = p[flag];
    else errors[flag] = "Must be on or off.";
  }

  if (Array.isArray(src.disabledRetailers)) {
    const ids = new Set(ADAPTERS.map((a) => a.id));
    options.disabledRetailers = [...new Set(src.disabledRetailers.filter((id) => ids.has(id)))].sort();
  }
  options.disabledHosts = cleanHosts(src.disabledHosts);
  return { ok: Object.keys(errors).length === 0, options, errors };
}

/** Whether the extension may act on `hostname` under `options`. */
export function siteEnabled(options, hostname) {
  const host = String(hostname || "").toLowerCase().replace(/^www\./, "");
  const adapter = globalThis.INCILENS.sites.adapterFor(host);
  if (adapter && options.disabledRetailers.includes(adapter.id)) return false;
  return !options.disabledHosts.some((h) => host === h || host.endsWith("." + h));
}
