// The header search box: an ARIA 1.2 combobox whose suggestions come from /v1/ingredients?q=.
// Without JavaScript the form still submits to /search.

import { h, clear, debounce } from "./dom.js";
import { searchIngredients } from "./api.js";
import { CONCERN_WORDS } from "./report.js";

const MIN_CHARS = 2;

function setup() {
  const input = document.getElementById("search-q");
  const list = document.getElementById("search-list");
  const status = document.getElementById("search-status");
  if (!input || !list) return;
  let results = [];
  let active = -1;
  let controller = null;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function go(result) {
    window.location.assign(`/ingredients/${encodeURIComponent(result.id)}`);
  }

  function highlight(index) {
    const options = list.querySelectorAll('[role="option"]');
    if (!options.length) return;
    active = (index + options.length) % options.length;
    options.forEach((opt, i) => opt.setAttribute("aria-selected", i === active ? "true" : "false"));
    input.setAttribute("aria-activedescendant", options[active].id);
    options[active].scrollIntoView({ block: "nearest" });
  }

  function show(query, found) {
    results = found;
    clear(list);
    active = -1;
    input.removeAttribute("aria-activedescendant");
    if (!found.length) {
      list.append(h("li", { class: "opt-empty", role: "option", "aria-disabled": "true", id: "search-opt-none" }, `No ingredient matches “${query}”.`));
      status.textContent = "No suggestions.";
    } else {
      found.forEach((r, i) => {
        const li = h("li", { role: "option", id: `search-opt-${i}`, "aria-selected": "false" },
          h("span", { class: "opt-name" }, r.display_name),
          h("span", { class: ["badge", `concern-${r.concern}`] }, CONCERN_WORDS[r.concern] || r.concern));
        li.addEventListener("mousedown", (e) => e.preventDefault()); // keep focus in the input
        li.addEventListener("click", () => go(r));
        list.append(li);
      });
      status.textContent = `${found.length} ${found.length === 1 ? "suggestion" : "suggestions"}; use the arrow keys to choose.`;
    }
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  const lookup = debounce(async () => {
    const query = input.value.trim();
    if (controller) controller.abort();
    if (query.length < MIN_CHARS) {
      close();
      return;
    }
    controller = new AbortController();
    try {
      const body = await searchIngredients(query, { signal: controller.signal });
      if (input.value.trim() === query && document.activeElement === input) show(query, body.results || []);
    } catch (e) {
      if (e.name === "AbortError") return;
      close();
      status.textContent = "Suggestions are not available right now; press Enter to search.";
    }
  }, 150);

  input.addEventListener("input", lookup);
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown") {
      e.preventDefault();
      if (list.hidden) lookup();
      else highlight(active + 1);
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      if (!list.hidden) highlight(active - 1);
    } else if (e.key === "Enter" && !list.hidden && active >= 0 && results[active]) {
      e.preventDefault();
      go(results[active]);
    } else if (e.key === "Escape") {
      if (!list.hidden) {
        e.preventDefault();
        close();
      }
    }
  });
  input.addEventListener("blur", close);
}

setup();
