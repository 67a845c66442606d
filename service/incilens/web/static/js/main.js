// The analysis page: inputs, working state, errors, profile, share links and the report.

import { analyzeImage, analyzeText, ApiError, loadRecord } from "./api.js";
import { debounce, formatBytes } from "./dom.js";
import { renderPhoto } from "./photo.js";
import {
  EMPTY_PROFILE, allowedValues, describeProfile, isEmptyProfile, loadProfile, readForm, saveProfile, writeForm,
} from "./profile.js";
import { concernPositions, openRow, renderRows, renderSummary } from "./report.js";
import { decodeShare, encodeShare } from "./share.js";
import { PROFILE_FILE_NAME, profileFromFile, profileToFile } from "./profile-file.js";

const $ = (id) => document.getElementById(id);
const app = $("app");
const MAX_IMAGE_BYTES = Number(app.dataset.maxImageBytes) || 16 * 1024 * 1024;
const MAX_TEXT = Number(app.dataset.maxTextLength) || 100000;

const el = {
  camera: $("photo-camera"), file: $("photo-file"), textForm: $("text-form"), text: $("text-input"),
  textSubmit: $("text-submit"), profilePanel: $("profile-panel"), profileForm: $("profile-form"),
  profileSummary: $("profile-summary"), profileClear: $("profile-clear"), statusText: $("status-text"),
  working: $("working"), progress: $("progress"), cancel: $("cancel"), error: $("error"),
  errorText: $("error-text"), report: $("report"), reportTitle: $("report-title"), share: $("share"),
  shareBox: $("share-box"), shareUrl: $("share-url"), clear: $("clear"), summary: $("summary"),
  photo: $("photo"), photoFrame: $("photo-frame"), photoCaption: $("photo-caption"),
  photoZoom: $("photo-zoom"), reportBody: $("report-body"),
  onlyMine: $("only-mine"), rows: $("rows"), rowsCount: $("rows-count"),
  skipToRows: $("skip-to-rows"), rowsTitle: $("rows-title"),
  readEdit: $("read-edit"), readEditForm: $("read-edit-form"), readText: $("read-text"),
  shareLabel: $("share-label"), avoidUnknown: $("p-avoid-unknown"), profileExport: $("profile-export"), profileImport: $("profile-import"), profileNotes: $("profile-file-notes"),
};

const allowed = allowedValues(el.profileForm);
const state = {
  profile: loadProfile(window.localStorage, allowed),
  controller: null, // AbortController of the request in flight
  last: null, // {kind: "text", text} | {kind: "image", file}
  report: null,
  photoUrl: null,
};

// -- status, working state and errors ------------------------------------------------------
function say(message) {
  el.statusText.textContent = message;
}

function setBusy(busy) {
  for (const control of [el.camera, el.file, el.textSubmit, el.text]) control.disabled = busy;
  el.working.hidden = !busy;
  app.setAttribute("aria-busy", busy ? "true" : "false");
}

function showError(message, { focus = true } = {}) {
  el.errorText.textContent = message;
  el.error.hidden = false;
  if (focus) el.error.focus();
}

function clearError() {
  el.error.hidden = true;
  el.errorText.textContent = "";
}

function hideReport() {
  el.report.hidden = true;
  el.shareBox.hidden = true;
  state.report = null;
}

function forgetPhoto() {
  if (state.photoUrl) URL.revokeObjectURL(state.photoUrl);
  state.photoUrl = null;
  el.photo.hidden = true;
  el.reportBody.classList.remove("has-photo");
  el.photoFrame.replaceChildren();
}

/** Run one request with the working state around it; null when cancelled or failed. */
async function run(label, task) {
  if (state.controller) state.controller.abort();
  const controller = new AbortController();
  state.controller = controller;
  clearError();
  setBusy(true);
  say(label);
  try {
    return await task(controller.signal);
  } catch (e) {
    if (controller.signal.aborted || e.name === "AbortError") {
      if (state.controller === controller) say("Cancelled.");
      return null;
    }
    say("");
    showError(e instanceof ApiError ? e.message : "Something went wrong on this page. Please try again.");
    return null;
  } finally {
    if (state.controller === controller) {
      state.controller = null;
      setBusy(false);
    }
  }
}

// -- the report ----------------------------------------------------------------------------
function showReport(report, kind, { moveFocus = true } = {}) {
  state.report = report;
  el.report.hidden = false;
  el.reportTitle.textContent = kind === "image" ? "Report on your photo" : "Report on your list";
  renderSummary(el.summary, report, {
    kind,
    profileEmpty: isEmptyProfile(state.profile),
    onOpen: openItem,
    onEditProfile: () => {
      el.profilePanel.open = true;
      el.profileForm.elements.skin_type.focus();
    },
  });
  const withPhoto = kind === "image" && Boolean(state.photoUrl) && Boolean(report.ocr);
  el.photo.hidden = !withPhoto;
  el.reportBody.classList.toggle("has-photo", withPhoto);
  if (withPhoto) {
    renderPhoto({ frame: el.photoFrame, caption: el.photoCaption, zoom: el.photoZoom }, state.photoUrl, report, openItem);
  }
  renderRows(el.rows, report, { loadRecord });
  showUnknownTerms(report);
  el.rows.closest("section").hidden = !report.ingredients.length;
  el.skipToRows.hidden = !report.ingredients.length;
  el.skipToRows.textContent = `Go to the ${report.ingredients.length} ${report.ingredients.length === 1 ? "ingredient" : "ingredients"}`;
  // A photo's report is shared as the text read from it (never the photo), and that text can be
  // corrected and analysed again.
  const readText = kind === "image" && report.ocr && report.ocr.text && report.ocr.text.trim() ? report.ocr.text : "";
  el.share.hidden = kind !== "text" && !readText;
  el.shareBox.hidden = true;
  el.readEdit.hidden = !readText;
  if (readText && moveFocus) {
    el.readText.value = readText;
    el.readEdit.open = !report.list_found || Boolean(report.summary.counts.unrecognised);
  }
  applyFilter();
  const n = report.summary.counts.items;
  say(report.list_found ? `Report ready: ${n} ${n === 1 ? "ingredient" : "ingredients"}.` : "No ingredient list was found.");
  if (moveFocus) {
    // The report starts at the top of the screen, so its verdict is on the first screen.
    el.reportTitle.scrollIntoView({ block: "start", behavior: "instant" });
    el.reportTitle.focus({ preventScroll: true });
  }
}

/** Under the avoid field: the terms the last report did not understand, by name. */
function showUnknownTerms(report) {
  const finding = (report.summary.for_you || []).find((f) => f.id === "avoid_unknown");
  const terms = finding ? finding.terms || [] : [];
  el.avoidUnknown.hidden = !terms.length;
  el.avoidUnknown.textContent = terms.length
    ? `Not understood, so not checked: ${terms.join(", ")}. Check the spelling, or use an everyday word from the list above or the ingredient's INCI name.`
    : "";
}

function applyFilter() {
  if (!state.report) return;
  const only = el.onlyMine.checked;
  const wanted = concernPositions(state.report);
  let shown = 0;
  for (const row of el.rows.children) {
    const visible = !only || wanted.has(Number(row.dataset.position));
    row.hidden = !visible;
    if (visible) shown += 1;
  }
  const total = el.rows.children.length;
  if (!total) el.rowsCount.textContent = "";
  else if (!only) el.rowsCount.textContent = `${total} ${total === 1 ? "ingredient" : "ingredients"}, in label order. Open one to read its card.`;
  else if (!shown) el.rowsCount.textContent = "Nothing here concerns your profile or is of moderate or high concern.";
  else el.rowsCount.textContent = `Showing ${shown} of ${total}: what your profile flags, and anything of moderate or high concern.`;
}

function openItem(position) {
  const row = el.rows.querySelector(`#item-${position}`);
  if (row && row.hidden) {
    el.onlyMine.checked = false;
    applyFilter();
  }
  openRow(el.rows, position);
}

// -- analyses ------------------------------------------------------------------------------
/** The profile changed while a request was in flight: bring the new report up to date. */
function catchUp(sentProfile) {
  if (sentProfile !== state.profile) reanalyze();
}

async function analyzeTheText(text, { moveFocus = true } = {}) {
  const profile = state.profile;
  const report = await run("Analysing the list…", (signal) => {
    el.progress.removeAttribute("value");
    return analyzeText(text, profile, { signal });
  });
  if (!report) return;
  state.last = { kind: "text", text };
  forgetPhoto();
  showReport(report, "text", { moveFocus });
  catchUp(profile);
}

async function analyzeThePhoto(file) {
  if (file.type && !file.type.startsWith("image/")) {
    showError(`“${file.name}” is not a photo. Choose a photo of the ingredient list (JPEG, PNG, WebP, TIFF or HEIC).`);
    return;
  }
  if (file.size > MAX_IMAGE_BYTES) {
    showError(`That photo is ${formatBytes(file.size)}; the limit is ${formatBytes(MAX_IMAGE_BYTES)}. Take it again at a lower resolution, or crop it to the list.`);
    return;
  }
  if (file.size === 0) {
    showError("That file is empty. Choose a photo of the ingredient list.");
    return;
  }
  hideReport();
  forgetPhoto();
  const profile = state.profile;
  const report = await run("Uploading the photo…", (signal) => {
    el.progress.value = 0;
    return analyzeImage(file, profile, {
      signal,
      onProgress: (fraction) => {
        el.progress.value = Math.round(fraction * 100);
      },
      onUploaded: () => {
        el.progress.removeAttribute("value");
        say("Reading the label… this takes a few seconds.");
      },
    });
  });
  if (!report) return;
  state.last = { kind: "image", file };
  state.photoUrl = URL.createObjectURL(file);
  showReport(report, "image");
  catchUp(profile);
}

/** Same items, same places? Then a text re-analysis may borrow the photo's boxes. */
function sameItems(a, b) {
  return a.ingredients.length === b.ingredients.length
    && a.ingredients.every((x, i) => x.position === b.ingredients[i].position && x.start === b.ingredients[i].start && x.end === b.ingredients[i].end);
}

/** The profile changed: redo the analysis so the summary follows it. */
async function reanalyze() {
  if (!state.report || !state.last || state.controller) return;
  if (state.last.kind === "text") {
    await analyzeTheText(state.last.text, { moveFocus: false });
    if (state.report) say("Report updated for your profile.");
    return;
  }
  // A photo: re-run only the text stage on what OCR read, and keep the boxes and OCR details.
  const old = state.report;
  const profile = state.profile;
  const fresh = await run("Updating the report for your profile…", (signal) => {
    el.progress.removeAttribute("value");
    return analyzeText(old.ocr.text, profile, { signal });
  });
  if (!fresh) return;
  if (!sameItems(old, fresh)) {
    await analyzeThePhoto(state.last.file);
    return;
  }
  fresh.ingredients.forEach((item, i) => {
    item.ocr = old.ingredients[i].ocr;
  });
  fresh.ocr = old.ocr;
  showReport(fresh, "image", { moveFocus: false });
  say("Report updated for your profile.");
  catchUp(profile);
}

// -- profile -------------------------------------------------------------------------------
function showProfile() {
  el.profileSummary.textContent = describeProfile(state.profile);
}

const profileChanged = debounce(() => {
  state.profile = readForm(el.profileForm);
  const stored = saveProfile(window.localStorage, state.profile);
  showProfile();
  if (!stored) say("Your browser does not let this page remember your profile; it is used for this visit only.");
  reanalyze();
}, 400);

/** The profile as a file the extension's options can load too (see profile-file.js). */
function exportProfile() {
  const blob = new Blob([profileToFile(readForm(el.profileForm))], { type: "application/json" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = PROFILE_FILE_NAME;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  say(`Your profile was saved as ${PROFILE_FILE_NAME}. Load it here or in the INCI Lens extension's options.`);
}

function showProfileNotes(notes) {
  el.profileNotes.replaceChildren(...notes.map((n) => {
    const li = document.createElement("li");
    li.textContent = n;
    return li;
  }));
  el.profileNotes.hidden = !notes.length;
}

async function importProfile(file) {
  let read;
  try {
    read = profileFromFile(await file.text(), allowed);
  } catch (e) {
    showProfileNotes([]);
    showError(e.name === "ProfileFileError" ? `“${file.name}” could not be loaded: ${e.message}` : "The file could not be read.");
    return;
  }
  clearError();
  writeForm(el.profileForm, read.profile);
  showProfileNotes(read.notes);
  profileChanged();
  say(read.notes.length ? `Profile loaded from “${file.name}”, with ${read.notes.length} ${read.notes.length === 1 ? "part" : "parts"} left out (listed under the buttons).` : `Profile loaded from “${file.name}”.`);
}

// -- share links ---------------------------------------------------------------------------
/** What a share link carries: the pasted text, or the text read from the photo. */
function sharedText() {
  if (!state.last) return null;
  if (state.last.kind === "text") return state.last.text;
  const ocr = state.report && state.report.ocr;
  return ocr && ocr.text && ocr.text.trim() ? ocr.text : null;
}

async function share() {
  const text = sharedText();
  if (text === null) return;
  const photo = state.last.kind === "image";
  el.shareLabel.textContent = photo
    ? "Link to this analysis (the text read from your photo travels in the link; the photo and your profile do not)"
    : "Link to this analysis (the text travels in the link; your profile does not)";
  const hash = await encodeShare(text);
  const url = `${window.location.origin}${window.location.pathname}${hash}`;
  history.replaceState(null, "", hash);
  el.shareUrl.value = url;
  el.shareBox.hidden = false;
  try {
    await navigator.clipboard.writeText(url);
    say(photo ? "Link copied. It holds the text read from your photo, not the photo or your profile." : "Link copied. It holds the list, not your profile.");
  } catch {
    el.shareUrl.focus();
    el.shareUrl.select();
    say(photo ? "Copy the link from the box below. It holds the text read from your photo, not the photo or your profile." : "Copy the link from the box below. It holds the list, not your profile.");
  }
}

async function openSharedLink() {
  let text;
  try {
    text = await decodeShare(window.location.hash, MAX_TEXT);
  } catch {
    showError("This share link is damaged or too long, so the list could not be read from it. Ask for the link again, or paste the list.");
    return;
  }
  if (text === null) return;
  el.text.value = text;
  await analyzeTheText(text);
}

// -- start over ----------------------------------------------------------------------------
function startOver() {
  if (state.controller) state.controller.abort();
  hideReport();
  forgetPhoto();
  clearError();
  state.last = null;
  el.text.value = "";
  el.camera.value = "";
  el.file.value = "";
  el.onlyMine.checked = false;
  if (window.location.hash) history.replaceState(null, "", window.location.pathname + window.location.search);
  say("Cleared. Take a photo or paste a list.");
  el.text.focus();
}

// -- wiring --------------------------------------------------------------------------------
for (const input of [el.camera, el.file]) {
  input.addEventListener("change", () => {
    const file = input.files && input.files[0];
    input.value = ""; // choosing the same photo again must fire "change" again
    if (file) analyzeThePhoto(file);
  });
}
el.textForm.addEventListener("submit", (e) => {
  e.preventDefault();
  const text = el.text.value;
  if (!text.trim()) {
    showError("Paste an ingredient list first, for example “Aqua, Glycerin, Parfum”.");
    el.text.focus();
    return;
  }
  hideReport();
  analyzeTheText(text);
});
el.cancel.addEventListener("click", () => {
  if (state.controller) state.controller.abort();
});
el.profileForm.addEventListener("input", profileChanged);
el.profileForm.addEventListener("change", profileChanged);
el.profileForm.addEventListener("submit", (e) => e.preventDefault());
el.profileClear.addEventListener("click", () => {
  writeForm(el.profileForm, EMPTY_PROFILE);
  profileChanged();
  say("Your profile was removed from this browser.");
});
el.profileExport.addEventListener("click", exportProfile);
el.profileImport.addEventListener("change", () => {
  const file = el.profileImport.files && el.profileImport.files[0];
  el.profileImport.value = "";
  if (file) importProfile(file);
});
el.onlyMine.addEventListener("change", applyFilter);
el.skipToRows.addEventListener("click", (e) => {
  // A jump, not a navigation: the URL fragment holds share links, so it is left alone.
  e.preventDefault();
  el.rowsTitle.scrollIntoView({ block: "start", behavior: "instant" });
  el.rowsTitle.focus({ preventScroll: true });
});
el.share.addEventListener("click", share);
el.readEditForm.addEventListener("submit", (e) => {
  e.preventDefault();
  const text = el.readText.value;
  if (!text.trim()) {
    showError("The corrected text is empty. Type the list as the pack prints it, or take the photo again.");
    el.readText.focus();
    return;
  }
  // From here on it is a text analysis: it can be shared and edited in the paste box.
  el.text.value = text;
  analyzeTheText(text);
});
el.clear.addEventListener("click", startOver);
window.addEventListener("hashchange", openSharedLink);

writeForm(el.profileForm, state.profile);
showProfile();
openSharedLink();
