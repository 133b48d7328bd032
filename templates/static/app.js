// Progressive enhancement for the server-rendered pages: results as you type from every search
// box (the server renders the results region, this file swaps it in, with the URL kept in step),
// a suggestion listbox (ARIA combobox), the filters dialog on phones, keyboard navigation,
// copy-link buttons that work without the Clipboard API, and image fallbacks.
// Every page works without this file.
"use strict";

const TYPING_MS = 150;
const SUGGEST_MS = 100;
const NARROW = "(max-width: 760px)";

function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

// ---- Results as you type --------------------------------------------------------------

function searchUrl(params, path = "/search") {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

function stateFromLocation() {
  return location.pathname === "/search" ? Object.fromEntries(new URLSearchParams(location.search)) : {};
}

const filtersOf = (state) => Object.fromEntries(Object.entries(state).filter(([name]) => name !== "q" && name !== "page"));

function resultsRegion() {
  // The home and results pages hold the region; any other page gives its main to it.
  let region = document.getElementById("results-region");
  if (!region) {
    region = el("div", { id: "results-region" }, [el("p", { id: "count", class: "count", role: "status" }), el("div", { id: "results-body" })]);
    document.getElementById("main").replaceChildren(region);
  }
  return region;
}

function setupInstantSearch() {
  const form = document.querySelector("form[data-instant]");
  if (!form) return;
  const input = form.querySelector("input[name=q]");
  let timer = null, controller = null;

  async function run(state, how) {
    if (controller) controller.abort();
    controller = new AbortController();
    let html;
    try {
      const response = await fetch(searchUrl(state, "/api/results"), { signal: controller.signal });
      if (!response.ok) return;
      html = await response.text();
    } catch (error) {
      if (error.name === "AbortError") return;
      throw error;
    }
    const next = new DOMParser().parseFromString(html, "text/html");
    const region = resultsRegion();
    region.querySelector("#count").textContent = next.getElementById("count").textContent;
    region.querySelector("#results-body").replaceWith(next.getElementById("results-body"));
    region.hidden = false;
    const latest = document.getElementById("latest");
    if (latest) latest.hidden = true;
    document.title = `${state.q ? state.q + " · " : ""}${document.querySelector(".brand")?.textContent.trim() || ""}`;
    const url = searchUrl(state);
    if (how === "push") history.pushState(state, "", url);
    else if (how === "replace") history.replaceState(state, "", url);
    markBrokenImages();
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const typing = location.pathname === "/search";
      run({ ...filtersOf(stateFromLocation()), q: input.value }, typing ? "replace" : "push");
    }, TYPING_MS);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run({ ...filtersOf(stateFromLocation()), q: input.value }, location.pathname === "/search" ? "replace" : "push");
  });
  document.addEventListener("click", (event) => {
    const link = event.target.closest("#results-region #results-body a:not(.result-link):not(.moment):not(.filters-button), .filters-dialog a[data-facet]");
    if (!link || !link.pathname.startsWith("/search") || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    closeFilters();
    const state = Object.fromEntries(new URL(link.href).searchParams);
    input.value = state.q || "";
    run(state, "push");
  });
  window.addEventListener("popstate", () => {
    if (location.pathname !== "/search") return location.reload();
    const state = stateFromLocation();
    input.value = state.q || "";
    run(state, null);
  });
}

// ---- Suggestions: an ARIA combobox with a listbox ---------------------------------------

function setupSuggestions() {
  const input = document.querySelector("input[role=combobox]");
  const list = input && document.getElementById(input.getAttribute("aria-controls"));
  if (!list) return;
  let timer = null, options = [], active = -1, asked = 0;

  function close() {
    list.hidden = true;
    list.replaceChildren();
    options = [];
    active = -1;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }
  function show(suggestions) {
    options = suggestions.map((s, n) => el("li", { id: `q-option-${n}`, role: "option", "aria-selected": "false", "data-url": s.url, "data-kind": s.kind },
      [el("span", { text: s.text }), el("span", { class: "kind", text: s.label })]));
    active = -1;
    list.replaceChildren(...options);
    list.hidden = !options.length;
    input.setAttribute("aria-expanded", String(options.length > 0));
    input.removeAttribute("aria-activedescendant");
  }
  function move(step) {
    if (!options.length) return;
    if (active >= 0) options[active].setAttribute("aria-selected", "false");
    const places = options.length + 1;  // the options, and the box itself (-1)
    active = ((active + 1 + step + places) % places) - 1;
    if (active < 0) return input.removeAttribute("aria-activedescendant");
    options[active].setAttribute("aria-selected", "true");
    options[active].scrollIntoView({ block: "nearest" });
    input.setAttribute("aria-activedescendant", options[active].id);
  }
  function choose(option) {
    const text = option.firstChild.textContent;
    close();
    if (option.dataset.kind === "phrase") {
      input.value = text;
      input.form.requestSubmit();
    } else {
      location.assign(option.dataset.url);
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    const prefix = input.value.trim();
    if (prefix.length < 2) return close();
    timer = setTimeout(async () => {
      const mine = ++asked;
      const response = await fetch(`/api/suggest?q=${encodeURIComponent(prefix)}`);
      if (!response.ok || mine !== asked || document.activeElement !== input) return;
      show((await response.json()).suggestions);
    }, SUGGEST_MS);
  });
  input.addEventListener("keydown", (event) => {
    if (list.hidden) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      event.stopPropagation();
      move(event.key === "ArrowDown" ? 1 : -1);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      choose(options[active]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  input.form.addEventListener("submit", close);
  input.addEventListener("blur", () => setTimeout(() => { if (document.activeElement !== input) close(); }, 150));
  list.addEventListener("mousedown", (event) => event.preventDefault());  // keep focus in the box
  list.addEventListener("click", (event) => {
    const option = event.target.closest("[role=option]");
    if (option) choose(option);
  });
}

// ---- Filters on phones: a dialog -----------------------------------------------------------

function closeFilters() {
  const dialog = document.querySelector(".filters-dialog");
  if (dialog?.open) dialog.close();
}

function setupFilters() {
  document.addEventListener("click", (event) => {
    const button = event.target.closest(".filters-button");
    const facets = document.getElementById("facets");
    if (!button || !facets || !matchMedia(NARROW).matches) return;
    event.preventDefault();
    const home = facets.parentElement;
    const dialog = el("dialog", { class: "filters-dialog", "aria-labelledby": "filters-title" }, [
      el("div", { class: "dialog-head" }, [el("h2", { id: "filters-title", text: "Filters" }), el("button", { type: "button", text: "Done" })]),
    ]);
    dialog.append(facets);
    dialog.querySelector("button").addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => {
      home.append(facets);
      dialog.remove();
      button.focus();
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}

// ---- Keyboard -------------------------------------------------------------------------

function setupKeyboard() {
  document.addEventListener("keydown", (event) => {
    const typing = event.target.closest("input, textarea, select, [contenteditable]");
    if (event.key === "/" && !typing) {
      const input = document.querySelector("input[name=q]");
      if (input) { event.preventDefault(); input.focus(); input.select(); }
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    const links = [...document.querySelectorAll(".results .result-link")].filter((a) => a.offsetParent !== null);
    if (!links.length || (typing && event.target.name !== "q")) return;
    const at = links.indexOf(document.activeElement);
    let next;
    if (event.key === "ArrowDown") next = at < 0 ? 0 : Math.min(at + 1, links.length - 1);
    else if (at <= 0) { if (at === 0) document.querySelector("input[name=q]")?.focus(); return; }
    else next = at - 1;
    event.preventDefault();
    links[next].focus();
    links[next].scrollIntoView({ block: "nearest" });
  });
}

// ---- Copy link ------------------------------------------------------------------------

function toast(...content) {
  let box = document.getElementById("toast");
  if (!box) {
    box = el("div", { id: "toast", class: "toast", role: "status" });
    document.body.append(box);
  }
  box.replaceChildren(...content.filter(Boolean));
  box.hidden = false;
  clearTimeout(box.timer);
  box.timer = setTimeout(() => { if (!box.contains(document.activeElement)) box.hidden = true; }, 8000);
  return box;
}

async function copyText(text) {
  // The Clipboard API exists only on https and localhost; on plain http (a LAN) the selection
  // is copied the old way.
  try {
    if (navigator.clipboard?.writeText) { await navigator.clipboard.writeText(text); return true; }
  } catch { /* refused: try the selection */ }
  const area = el("textarea", { readonly: true, "aria-hidden": "true", class: "visually-hidden" });
  area.value = text;
  document.body.append(area);
  area.select();
  let copied = false;
  try { copied = document.execCommand("copy"); } catch { copied = false; }
  area.remove();
  return copied;
}

async function offerCopy(link, source) {
  if (!(await copyText(link))) {
    // Nothing could copy: show the link selected, ready for the visitor's own copy.
    const field = el("input", { type: "text", readonly: true, "aria-label": "Link to this moment", value: link });
    toast(el("span", { text: "Copy this link:" }), field);
    field.focus();
    field.select();
    return;
  }
  const offer = source ? el("button", { type: "button", class: "copy-source", text: "Copy the original's link instead" }) : null;
  offer?.addEventListener("click", async () => {
    if (await copyText(source)) toast(el("span", { text: "Original link copied" }));
    else offerCopy(source, null);
  });
  toast(el("span", { text: "Link copied" }), offer);
}

function setupCopyLinks() {
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button.copy-link");
    if (!button) return;
    offerCopy(new URL(button.dataset.link, location.origin).href, button.dataset.sourceLink);
  });
}

// ---- Images that fail to load show the placeholder under them --------------------------

function markBrokenImages() {
  for (const img of document.images) if (img.complete && img.naturalWidth === 0 && img.getAttribute("src")) img.classList.add("img-failed");
}

function setupImageFallbacks() {
  document.addEventListener("error", (event) => { if (event.target.tagName === "IMG") event.target.classList.add("img-failed"); }, true);
  markBrokenImages();
}

setupImageFallbacks();
document.addEventListener("DOMContentLoaded", () => {
  setupInstantSearch();
  setupSuggestions();
  setupFilters();
  setupKeyboard();
  setupCopyLinks();
});
