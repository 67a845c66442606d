/*
 * Options in storage.sync, always read through validateOptions, with writes serialised so two
 * quick changes (popup toggle, options form) cannot overwrite each other.
 */
import { validateOptions } from "../shared/defaults.js";

const KEY = "options";
let queue = Promise.resolve();

/** The validated options (defaults for anything missing or invalid). */
export async function loadOptions(storage) {
  const stored = await storage.get(KEY);
  return validateOptions(stored[KEY] || {}).options;
}

/** Apply `change(options) -> options` and store the validated result; returns the validation. */
export function updateOptions(storage, change) {
  const next = queue.then(async () => {
    const current = await loadOptions(storage);
    const result = validateOptions(change(structuredClone(current)));
    if (result.ok) await storage.set({ [KEY]: result.options });
    return result;
  });
  queue = next.catch(() => undefined);
  return next;
}
