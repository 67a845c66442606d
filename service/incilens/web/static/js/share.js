// Share links for a text analysis: the text travels in the URL fragment, which browsers never
// send to the server. "#z=" holds base64url(deflate-raw(UTF-8 text)) when CompressionStream
// exists; "#text=" holds the text percent-encoded otherwise. The profile is never included.

function toBase64Url(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text) {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(b64 + "===".slice((b64.length + 3) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function readAll(stream, maxBytes) {
  const reader = stream.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw new Error("shared text is too long");
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

/** The fragment ("#z=..." or "#text=...") that carries `text`. */
export async function encodeShare(text) {
  if (typeof CompressionStream === "function") {
    try {
      const stream = new Blob([text]).stream().pipeThrough(new CompressionStream("deflate-raw"));
      return `#z=${toBase64Url(await readAll(stream, Infinity))}`;
    } catch {
      // fall through to the plain form
    }
  }
  return `#text=${encodeURIComponent(text)}`;
}

/**
 * The text in a fragment, null when the fragment is not a share link; throws when it is one
 * but is damaged or longer than `maxChars`.
 */
export async function decodeShare(hash, maxChars) {
  const params = new URLSearchParams(String(hash || "").replace(/^#/, ""));
  if (params.has("z")) {
    if (typeof DecompressionStream !== "function") throw new Error("this browser cannot open compressed links");
    const bytes = fromBase64Url(params.get("z"));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    const text = new TextDecoder("utf-8", { fatal: true }).decode(await readAll(stream, maxChars * 4));
    if (text.length > maxChars) throw new Error("shared text is too long");
    return text;
  }
  if (params.has("text")) {
    const text = params.get("text"); // URLSearchParams already percent-decoded it
    if (text.length > maxChars) throw new Error("shared text is too long");
    return text;
  }
  return null;
}
