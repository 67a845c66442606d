/*
 * "Analyse selected text with INCI Lens": the context-menu handler, with its effects injected
 * (analyse, store, open) so Node can test it. The result opens in the extension's own page.
 */

export const MENU_ID = "incilens-analyse-selection";
export const MENU_TITLE = "Analyse selected text with INCI Lens";
export const MAX_SELECTION = 20000;

/**
 * Handle a context-menu click. Returns the stored key, or null when the click is not ours or
 * there is no selection. `deps`: {analyze(text) -> envelope, store(key, value), open(key, tab),
 * makeKey()}.
 */
export async function handleSelection(info, tab, deps) {
  if (!info || info.menuItemId !== MENU_ID) return null;
  const text = typeof info.selectionText === "string" ? info.selectionText.trim() : "";
  if (!text) return null;
  const key = deps.makeKey();
  const clipped = text.slice(0, MAX_SELECTION);
  await deps.store(key, { status: "analysing", text: clipped });
  await deps.open(key, tab);
  const reply = await deps.analyze(clipped);
  await deps.store(key, reply.ok
    ? { status: "done", text: clipped, report: reply.data }
    : { status: "error", text: clipped, error: reply.error });
  return key;
}
