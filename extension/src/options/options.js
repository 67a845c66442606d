/*
 * The options page: server address, profile and per-site switches. Validated with the same
 * validateOptions the service worker uses; a non-loopback server origin is requested as an
 * optional host permission from the Save click (a user gesture).
 */
import "../shared/browser.js";
import "../shared/messages.js";
import "../shared/sites.js";
import { CONCERNS, SKIN_TYPES, needsHostPermission, originPattern, validateOptions } from "../shared/defaults.js";
import { PROFILE_FILE_NAME, profileFromFile, profileToFile } from "./profile-file.js";
import { loadOptions, updateOptions } from "../background/options-store.js";

const ext = globalThis.INCILENS.ext;
const { MSG } = globalThis.INCILENS.messages;
const { ADAPTERS } = globalThis.INCILENS.sites;
const form = document.getElementById("form");
const $ = (id) => document.getElementById(id);
let disabledHosts = [];

function renderHosts() {
  const ul = $("hosts");
  ul.replaceChildren();
  $("hosts-box").hidden = disabledHosts.length === 0;
  for (const host of disabledHosts) {
    const li = document.createElement("li");
    li.textContent = host + " ";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "link";
    button.textContent = "Switch back on";
    button.setAttribute("aria-label", `Switch INCI Lens back on for ${host}`);
    button.addEventListener("click", () => {
      disabledHosts = disabledHosts.filter((h) => h !== host);
      renderHosts();
    });
    li.appendChild(button);
    ul.appendChild(li);
  }
}

function fillProfile(profile) {
  $("skin_type").value = profile.skin_type || "";
  for (const box of form.querySelectorAll("input[name=concerns]")) box.checked = profile.concerns.includes(box.value);
  $("avoid").value = profile.avoid.join(", ");
  $("vegan").checked = profile.vegan;
  $("pregnant_or_breastfeeding").checked = profile.pregnant_or_breastfeeding;
}

function fill(options) {
  $("serverUrl").value = options.serverUrl;
  $("timeoutSeconds").value = String(options.timeoutSeconds);
  fillProfile(options.profile);
  const box = $("retailers");
  box.replaceChildren();
  for (const adapter of ADAPTERS) {
    const label = document.createElement("label");
    const input = document.createElement("input");
    input.type = "checkbox";
    input.name = "retailer";
    input.value = adapter.id;
    input.checked = !options.disabledRetailers.includes(adapter.id);
    label.append(input, " " + adapter.name);
    box.appendChild(label);
  }
  disabledHosts = [...options.disabledHosts];
  renderHosts();
}

function read() {
  return {
    serverUrl: $("serverUrl").value,
    timeoutSeconds: $("timeoutSeconds").value,
    profile: {
      skin_type: $("skin_type").value || null,
      concerns: [...form.querySelectorAll("input[name=concerns]:checked")].map((b) => b.value),
      avoid: $("avoid").value,
      vegan: $("vegan").checked,
      pregnant_or_breastfeeding: $("pregnant_or_breastfeeding").checked,
    },
    disabledRetailers: [...form.querySelectorAll("input[name=retailer]:not(:checked)")].map((b) => b.value),
    disabledHosts,
  };
}

function showErrors(errors) {
  const shown = ["serverUrl", "timeoutSeconds", "avoid"];
  for (const field of shown) {
    $(`${field}-error`).textContent = errors[field] || "";
    $(field).setAttribute("aria-invalid", errors[field] ? "true" : "false");
  }
  const other = Object.entries(errors).filter(([k]) => !shown.includes(k)).map(([, v]) => v);
  $("result").textContent = other.length ? other.join(" ") : Object.keys(errors).length ? "Please fix the fields marked above." : "";
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const values = read();
  const checked = validateOptions(values);
  showErrors(checked.errors);
  if (!checked.ok) return;
  if (needsHostPermission(checked.options.serverUrl)) {
    // Must run in the click's user gesture: request before any other await.
    const granted = await ext.permissions.request({ origins: [originPattern(checked.options.serverUrl)] });
    if (!granted) {
      showErrors({ serverUrl: "Without permission to contact this server INCI Lens cannot use it." });
      return;
    }
  }
  const result = await updateOptions(ext.storage.sync, () => values);
  showErrors(result.errors);
  if (!result.ok) return;
  fill(result.options);
  await ext.runtime.sendMessage({ type: MSG.UI_BG_OPTIONS_CHANGED }).catch(() => null);
  $("result").textContent = "Saved.";
});

// -- the profile file shared with the web page (profile-file.js) ----------------------------
function showNotes(notes) {
  const ul = $("profile-file-notes");
  ul.replaceChildren(...notes.map((n) => Object.assign(document.createElement("li"), { textContent: n })));
  ul.hidden = notes.length === 0;
}

$("profile-export").addEventListener("click", () => {
  const checked = validateOptions({ profile: read().profile });
  showErrors(checked.errors);
  if (!checked.ok) return;
  const url = URL.createObjectURL(new Blob([profileToFile(checked.options.profile)], { type: "application/json" }));
  const link = Object.assign(document.createElement("a"), { href: url, download: PROFILE_FILE_NAME, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  $("result").textContent = `Profile saved as ${PROFILE_FILE_NAME}.`;
});

$("profile-import").addEventListener("change", async () => {
  const input = $("profile-import");
  const file = input.files && input.files[0];
  input.value = "";
  if (!file) return;
  try {
    const { profile, notes } = profileFromFile(await file.text(), { skinTypes: [...SKIN_TYPES], concerns: [...CONCERNS] });
    fillProfile(profile);
    showNotes(notes);
    showErrors({});
    $("result").textContent = `Profile loaded from “${file.name}”${notes.length ? `, with ${notes.length} ${notes.length === 1 ? "part" : "parts"} left out` : ""}. Press Save to keep it.`;
  } catch (e) {
    showNotes([]);
    $("result").textContent = e.name === "ProfileFileError" ? `“${file.name}” could not be loaded: ${e.message}` : "The file could not be read.";
  }
});

loadOptions(ext.storage.sync).then(fill);
