/*
 * Content script entry: find the list, ask the service worker for the report, highlight.
 * Declared in the manifest for the supported retailers only; injected on other sites by the
 * service worker after the user clicks the toolbar button (activeTab + scripting).
 * Classic script; guarded against double injection.
 */
(function (root) {
  "use strict";
  const ns = (root.INCILENS = root.INCILENS || {});
  if (ns.contentScript) return;

  const { MSG, isMessage } = ns.messages;
  const ext = ns.ext;
  const { finder, highlight, ui, sites, claims } = ns;
  const doc = root.document;
  const DEBOUNCE_MS = 400;
  const OPEN_DELAY_MS = 250;
  const MAX_WAIT_MS = 2000;

  const state = {
    enabled: false,
    adapter: sites.adapterFor(root.location.hostname),
    running: false,
    again: false,
    current: null, // {element, text, handle, badge, report}
    lastSent: null,
    reported: null,
    timer: 0,
    firstScheduled: 0,
  };
  let tooltip = null;
  let observer = null;

  function send(message) {
    try {
      return ext.runtime.sendMessage(message).catch(() => null);
    } catch {
      return Promise.resolve(null); // the extension was reloaded or removed
    }
  }

  function reportState(status, extra) {
    const key = status + ":" + JSON.stringify(extra || {});
    if (state.reported === key) return;
    state.reported = key;
    send({ type: MSG.CS_BG_REPORT_STATE, status, url: root.location.href, ...extra });
  }

  /** Remove every mark, the badge and the tooltip; the page is as it was. */
  function clear() {
    const cur = state.current;
    state.current = null;
    if (!cur) return;
    withoutObserver(() => {
      if (cur.handle) highlight.removeHighlights(cur.handle);
      if (cur.badge) cur.badge.remove();
      if (tooltip) {
        tooltip.remove();
        tooltip = null;
      }
    });
  }

  function withoutObserver(fn) {
    try {
      fn();
    } finally {
      if (observer) observer.takeRecords();
    }
  }

  function unchanged(cur) {
    return cur && (!cur.element || cur.element.isConnected) && (cur.element ? cur.element.textContent : cur.text) === cur.text;
  }

  async function run() {
    if (!state.enabled) return;
    if (state.running) {
      state.again = true;
      return;
    }
    state.running = true;
    try {
      if (unchanged(state.current)) return;
      const found = finder.find(doc, { adapter: state.adapter });
      if (!found) {
        if (state.current) clear();
        reportState("not_found");
        return;
      }
      if (state.current && state.current.element === found.element && state.current.text === found.text) return;
      clear();
      const model = found.element ? highlight.textModel(found.element) : { text: found.text, segments: [] };
      // The product's claims near the list go first, in lines the service's parser never reads
      // as items; the report's offsets are moved back onto the list's text (claims.js).
      const pageClaims = claims.pageClaims(found.element, model.text);
      const sent = claims.compose(pageClaims.snippets, model.text);
      const sentKey = sent.text;
      state.lastSent = sentKey;
      const reply = await send({ type: MSG.CS_BG_ANALYZE_TEXT, text: sent.text, unchecked: pageClaims.unchecked, url: root.location.href, rule: found.rule });
      if (!reply || !reply.ok || state.lastSent !== sentKey || !state.enabled) {
        // Server down, slow or refusing: the service worker shows it in the badge and popup;
        // the page stays untouched. Mark this text as handled so the observer does not loop.
        state.current = { element: found.element, text: found.element ? found.element.textContent : found.text, handle: null, badge: null, report: null };
        return;
      }
      const report = { ...reply.data, ingredients: claims.shiftItems(reply.data.ingredients, sent.offset) };
      const claimLines = claims.claimLines((report.summary || {}).claims, pageClaims.unchecked);
      const current = { element: found.element, text: found.element ? found.element.textContent : found.text, handle: null, badge: null, report };
      if (found.element && found.element.isConnected && found.element.textContent === found.text) {
        withoutObserver(() => {
          const fresh = highlight.textModel(found.element); // the page may have moved on meanwhile
          if (fresh.text !== model.text) return;
          current.handle = highlight.applyHighlights(fresh, report.ingredients || [], { document: doc, describe: (item) => ui.describe(item, report) });
          current.badge = ui.createBadge(doc, report, { claims: claimLines });
          const anchor = ui.badgeAnchor(found.element, (el) => root.getComputedStyle(el).display);
          anchor.parentNode.insertBefore(current.badge, anchor);
        });
      }
      state.current = current;
      reportState("highlighted", { count: current.handle ? current.handle.marks.length : 0, rule: found.rule });
    } finally {
      state.running = false;
      if (state.again) {
        state.again = false;
        schedule(DEBOUNCE_MS);
      }
    }
  }

  /** Debounce, but never past MAX_WAIT_MS: a page that never stops changing still gets a run. */
  function schedule(delay) {
    const now = Date.now();
    if (state.timer && now - state.firstScheduled >= MAX_WAIT_MS - delay) return;
    if (!state.timer) state.firstScheduled = now;
    root.clearTimeout(state.timer);
    state.timer = root.setTimeout(() => {
      state.timer = 0;
      run();
    }, delay);
  }

  function isOurNode(node) {
    if (!node) return false;
    const el = node.nodeType === 1 ? node : node.parentElement;
    return Boolean(el && (el.closest("[data-incilens-ui]") || el.closest("mark.incilens-mark")));
  }

  function onMutations(records) {
    for (const r of records) {
      if (isOurNode(r.target)) continue;
      const nodes = [...r.addedNodes, ...r.removedNodes];
      if (nodes.length && nodes.every((n) => isOurNode(n) || (n.nodeType === 1 && n.hasAttribute("data-incilens-ui")))) continue;
      schedule(DEBOUNCE_MS);
      return;
    }
  }

  // Tooltip on hover and on keyboard focus.
  function markFrom(target) {
    return target && target.nodeType === 1 && target.closest ? target.closest("mark.incilens-mark") : null;
  }

  function showFor(mark) {
    const cur = state.current;
    if (!cur || !cur.report || !cur.handle || !cur.handle.marks.includes(mark)) return;
    const item = (cur.report.ingredients || [])[Number(mark.getAttribute("data-incilens-item"))];
    if (!item) return;
    if (!tooltip) tooltip = ui.createTooltip(doc);
    if (tooltip.current === mark) return;
    withoutObserver(() => tooltip.show(mark, ui.buildCard(doc, item, cur.report)));
  }

  const HIDE_DELAY_MS = 300;
  let hideTimer = 0;

  function hide() {
    root.clearTimeout(hideTimer);
    hideTimer = 0;
    if (tooltip) tooltip.hide();
  }

  /** Hide a moment later, so the pointer can cross the gap from the mark onto the card. */
  function hideSoon() {
    root.clearTimeout(hideTimer);
    hideTimer = root.setTimeout(hide, HIDE_DELAY_MS);
  }

  function keepOpen() {
    root.clearTimeout(hideTimer);
    hideTimer = 0;
  }

  function onCard(node) {
    return Boolean(tooltip && node && (node === tooltip.host || tooltip.host.contains(node)));
  }

  function onOpenControl(event) {
    const t = event.target;
    if (!t || !t.closest) return;
    const opener = t.closest("[aria-expanded],[aria-controls],summary,[role=tab]" + (state.adapter && state.adapter.openers.length ? "," + state.adapter.openers.join(",") : ""));
    if (opener) schedule(OPEN_DELAY_MS);
  }

  ext.runtime.onMessage.addListener((msg, sender, sendResponse) => {
    if (!sender || sender.id !== ext.runtime.id || sender.tab) return false; // only our service worker
    if (!isMessage(msg, [MSG.BG_CS_PING, MSG.BG_CS_RESCAN, MSG.BG_CS_REMOVE_HIGHLIGHTS])) return false;
    switch (msg.type) {
      case MSG.BG_CS_PING:
        sendResponse({ ok: true, data: { enabled: state.enabled, highlighted: Boolean(state.current && state.current.handle) } });
        return false;
      case MSG.BG_CS_RESCAN:
        state.enabled = true;
        state.reported = null;
        clear();
        start();
        run();
        sendResponse({ ok: true, data: null });
        return false;
      case MSG.BG_CS_REMOVE_HIGHLIGHTS:
        state.enabled = false;
        clear();
        stop();
        sendResponse({ ok: true, data: null });
        return false;
      default:
        return false;
    }
  });

  function start() {
    if (observer || !doc.documentElement) return;
    observer = new MutationObserver(onMutations);
    observer.observe(doc.documentElement, { childList: true, subtree: true, characterData: true });
    doc.addEventListener("click", onOpenControl, true);
    doc.addEventListener("toggle", onOpenControl, true);
    doc.addEventListener("mouseover", onOver, true);
    doc.addEventListener("mouseout", onOut, true);
    doc.addEventListener("focusin", onOver, true);
    doc.addEventListener("focusout", onOut, true);
    doc.addEventListener("keydown", onKey, true);
  }

  function stop() {
    if (observer) observer.disconnect();
    observer = null;
    root.clearTimeout(state.timer);
    state.timer = 0;
    doc.removeEventListener("click", onOpenControl, true);
    doc.removeEventListener("toggle", onOpenControl, true);
    doc.removeEventListener("mouseover", onOver, true);
    doc.removeEventListener("mouseout", onOut, true);
    doc.removeEventListener("focusin", onOver, true);
    doc.removeEventListener("focusout", onOut, true);
    doc.removeEventListener("keydown", onKey, true);
  }

  function onOver(event) {
    if (onCard(event.target)) return keepOpen(); // the pointer reached the card: it stays
    const mark = markFrom(event.target);
    if (mark) {
      keepOpen();
      showFor(mark);
    }
  }

  function onOut(event) {
    const related = event.relatedTarget;
    if (onCard(event.target)) {
      if (!onCard(related) && !(related && markFrom(related) === tooltip.current)) hideSoon();
      return;
    }
    const mark = markFrom(event.target);
    if (!mark || (related && markFrom(related) === mark)) return;
    if (onCard(related)) return keepOpen();
    if (event.type === "focusout") hide();
    else hideSoon();
  }

  function onKey(event) {
    if (event.key === "Escape") hide();
  }

  ns.contentScript = Object.freeze({ run: () => run(), clear });

  send({ type: MSG.CS_BG_GET_CONFIG, url: root.location.href }).then((reply) => {
    if (!reply || !reply.ok || !reply.data.enabled) return;
    state.enabled = true;
    start();
    run();
  });
})(globalThis);
