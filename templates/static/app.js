// Progressive enhancement for the server-rendered pages: instant search through the JSON
// API with the URL kept in step, keyboard navigation, copy-link buttons, and autocomplete.
// Every page works without this file.
"use strict";

const DEBOUNCE_MS = 200;
const FACET_LABELS = { kind: "Kind", tag: "Topic", person: "Guest or host", year: "Year", duration: "Length", captions: "Captions" };

function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "text") node.textContent = value;
    else if (name === "html") node.innerHTML = value; // only for our escaped *_html fields
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function clock(seconds) {
  const s = Math.floor(seconds), h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const pad = (n) => String(n).padStart(2, "0");
  return h ? `${h}:${pad(m)}:${pad(r)}` : `${m}:${pad(r)}`;
}

function duration(seconds) {
  if (!seconds) return "";
  const minutes = Math.round(seconds / 60);
  return minutes >= 60 ? `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min` : `${minutes} min`;
}

// ---- Instant search -------------------------------------------------------------------

function searchUrl(params) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) if (value) query.set(name, value);
  const text = query.toString();
  return text ? `/search?${text}` : "/search";
}

function stateFromLocation() {
  return Object.fromEntries(new URLSearchParams(location.search));
}

function renderMoment(moment) {
  const link = el("a", { class: "moment", href: moment.url }, [
    moment.start !== null ? el("span", { class: "chip-time", text: clock(moment.start) }) : null,
    moment.chapter ? el("span", { class: "chip-chapter", text: "Chapter:" }) : null,
    moment.speaker ? el("span", { class: "chip-speaker", text: `${moment.speaker}:` }) : null,
    el("span", { class: "chip-text", html: moment.text_html }),
  ]);
  const copy = moment.start !== null
    ? el("button", { type: "button", class: "copy-link", "data-link": moment.url, "data-source-link": moment.source_url || "",
        "aria-label": `Copy link to this moment (${clock(moment.start)})`, text: "Copy link" })
    : null;
  return el("li", {}, [link, copy]);
}

function renderResult(result) {
  const meta = el("p", { class: "meta" }, [
    el("span", { class: `badge badge-${result.kind}`, text: result.kind }),
    result.published ? el("time", { datetime: result.published, text: result.published }) : null,
    result.duration ? el("span", { text: duration(result.duration) }) : null,
    el("span", { text: result.source }),
  ]);
  const thumb = el("a", { class: "thumb", href: result.url, tabindex: "-1", "aria-hidden": "true" }, [
    result.thumbnail ? el("img", { src: result.thumbnail, alt: "", width: "160", height: "90", loading: "lazy", decoding: "async" }) : null,
    el("span", { class: "thumb-kind", text: result.kind }),
  ]);
  const body = el("div", { class: "card-body" }, [
    meta,
    el("h3", {}, [el("a", { class: "result-link", href: result.url, html: result.title_html })]),
    result.snippet_html ? el("p", { class: "snippet", html: result.snippet_html }) : null,
    result.moments.length
      ? el("ul", { class: "moments", "aria-label": `Moments in ${result.title}` }, result.moments.map(renderMoment))
      : null,
  ]);
  return el("li", { class: "result" }, [el("article", { class: "card" }, [thumb, body])]);
}

function renderFacets(doc, state) {
  return Object.entries(doc.facets).filter(([, counts]) => Object.keys(counts).length).map(([name, counts]) =>
    el("section", {}, [
      el("h2", { text: FACET_LABELS[name] || name }),
      el("ul", { class: "chips" }, Object.entries(counts).map(([value, count]) => {
        const active = state[name] === value;
        const next = { ...state, [name]: active ? "" : value, page: "" };
        return el("li", {}, [el("a", { class: active ? "chip active" : "chip", href: searchUrl(next), "data-facet": name,
          "data-value": value, "aria-current": active ? "true" : null }, [value + " ", el("span", { class: "n", text: String(count) })])]);
      })),
    ]));
}

function renderHelp(doc, state) {
  const items = Object.entries(doc.filters).map(([name, value]) =>
    el("li", {}, [el("a", { href: searchUrl({ ...state, [name]: "", page: "" }), text: `Remove the filter ${(FACET_LABELS[name] || name).toLowerCase()}: ${value}` })]));
  for (const tag of doc.related_tags) items.push(el("li", {}, [el("a", { href: searchUrl({ tag }), text: `Try the tag “${tag}”` })]));
  return [el("p", { text: doc.query ? `Nothing matched “${doc.query}”.` : "Nothing matched." }), el("ul", {}, items)];
}

function renderPager(doc, state) {
  const page = doc.page;
  return [
    page > 1 ? el("a", { rel: "prev", href: searchUrl({ ...state, page: page - 1 > 1 ? String(page - 1) : "" }), text: "Previous" }) : null,
    el("span", { text: `Page ${page} of ${doc.pages}` }),
    page < doc.pages ? el("a", { rel: "next", href: searchUrl({ ...state, page: String(page + 1) }), text: "Next" }) : null,
  ].filter(Boolean);
}

function render(region, doc, state) {
  const count = region.querySelector("#count");
  count.textContent = `${doc.total} ${doc.total === 1 ? "result" : "results"}${doc.query ? ` for “${doc.query}”` : ""}`;
  const suggestion = region.querySelector("#suggestion");
  suggestion.hidden = !doc.suggestion;
  suggestion.replaceChildren(...(doc.suggestion ? ["Showing results for ",
    el("a", { href: searchUrl({ ...state, q: doc.suggestion }) }, [el("strong", { text: doc.suggestion })]),
    doc.query ? ` (you typed “${doc.query}”).` : "."] : []));
  region.querySelector("#facets").replaceChildren(...renderFacets(doc, state));
  region.querySelector("#results").replaceChildren(...doc.results.map(renderResult));
  const help = region.querySelector("#no-results");
  help.hidden = doc.results.length > 0;
  help.replaceChildren(...(doc.results.length ? [] : renderHelp(doc, state)));
  const pager = region.querySelector("#pager");
  pager.hidden = doc.pages < 2;
  pager.replaceChildren(...(doc.pages < 2 ? [] : renderPager(doc, state)));
  region.hidden = false;
  const latest = document.getElementById("latest");
  if (latest) latest.hidden = true;
}

function setupInstantSearch() {
  const form = document.querySelector("form[data-instant]");
  const region = document.getElementById("results-region");
  if (!form || !region) return;
  const input = form.querySelector("input[name=q]");
  let timer = null, controller = null;

  async function run(state, how) {
    if (controller) controller.abort();
    controller = new AbortController();
    const api = new URLSearchParams(state);
    try {
      const response = await fetch(`/api/search?${api}`, { signal: controller.signal, headers: { Accept: "application/json" } });
      if (!response.ok) return;
      render(region, await response.json(), state);
      const url = searchUrl(state);
      if (how === "push") history.pushState(state, "", url);
      else if (how === "replace") history.replaceState(state, "", url);
    } catch (error) {
      if (error.name !== "AbortError") throw error;
    }
  }

  const filtersOf = (state) => Object.fromEntries(Object.entries(state).filter(([name]) => name !== "q" && name !== "page"));

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const state = { ...filtersOf(stateFromLocation()), q: input.value };
      const typing = location.pathname === "/search";
      run(state, typing ? "replace" : "push");
    }, DEBOUNCE_MS);
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run({ ...filtersOf(stateFromLocation()), q: input.value }, "push");
  });
  region.addEventListener("click", (event) => {
    const link = event.target.closest("#facets a, #pager a, #suggestion a, #no-results a");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    const state = Object.fromEntries(new URL(link.href).searchParams);
    input.value = state.q || "";
    run(state, "push");
  });
  window.addEventListener("popstate", () => {
    const state = stateFromLocation();
    input.value = state.q || "";
    if (location.pathname === "/search") run(state, null);
    else location.reload();
  });
}

// ---- Autocomplete ---------------------------------------------------------------------

function setupSuggestions() {
  const input = document.querySelector("input[list=suggestions]");
  const list = document.getElementById("suggestions");
  if (!input || !list) return;
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const prefix = input.value.trim();
    if (prefix.length < 2) return list.replaceChildren();
    timer = setTimeout(async () => {
      const response = await fetch(`/api/suggest?q=${encodeURIComponent(prefix)}`);
      if (!response.ok) return;
      const { suggestions } = await response.json();
      list.replaceChildren(...suggestions.map((s) => el("option", { value: s.text, label: s.kind })));
    }, DEBOUNCE_MS);
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

function toast(message, action) {
  let box = document.getElementById("toast");
  if (!box) {
    box = el("div", { id: "toast", class: "toast", role: "status", "aria-live": "polite" });
    document.body.append(box);
  }
  box.replaceChildren(el("span", { text: message }), action || "");
  box.hidden = false;
  clearTimeout(box.timer);
  box.timer = setTimeout(() => { box.hidden = true; }, 6000);
}

async function copy(text) {
  await navigator.clipboard.writeText(text);
}

function setupCopyLinks() {
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button.copy-link");
    if (!button) return;
    const ours = new URL(button.dataset.link, location.origin).href;
    await copy(ours);
    const source = button.dataset.sourceLink;
    const offer = source ? el("button", { type: "button", class: "copy-source", text: "Copy the original's link instead" }) : null;
    if (offer) offer.addEventListener("click", async () => { await copy(source); toast("Original link copied"); });
    toast("Link copied", offer);
  });
}

document.addEventListener("DOMContentLoaded", () => {
  setupInstantSearch();
  setupSuggestions();
  setupKeyboard();
  setupCopyLinks();
});
