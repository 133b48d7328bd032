// The item page: a player that starts at ?t=, stops at &end=, seeks from the transcript's cues
// and chapters, highlights the cue being said (scrolling the transcript panel, never the page),
// keeps the share bar in step with seeks and the clip end, and marks find-in-transcript hits on
// a timeline. HTML5 audio/video directly; YouTube through its IFrame API when it can load.
"use strict";

function html5Player(media) {
  return {
    seek(seconds) { media.currentTime = seconds; media.play().catch(() => {}); },
    time() { return media.currentTime; },
    duration() { return media.duration; },
    onTime(callback) { media.addEventListener("timeupdate", callback); },
  };
}

function youtubePlayer(iframe) {
  // The IFrame API drives the embed; until it has loaded, seeking reloads the embed at the second.
  let api = null;
  const listeners = [];
  window.onYouTubeIframeAPIReady = () => {
    api = new window.YT.Player(iframe, { events: { onReady: () => setInterval(() => listeners.forEach((f) => f()), 500) } });
  };
  const script = document.createElement("script");
  script.src = "https://www.youtube.com/iframe_api";
  document.head.append(script);
  return {
    seek(seconds) {
      if (api && api.seekTo) { api.seekTo(seconds, true); api.playVideo(); return; }
      const url = new URL(iframe.src);
      url.searchParams.set("start", String(Math.floor(seconds)));
      url.searchParams.set("autoplay", "1");
      iframe.src = url.href;
    },
    time() { return api && api.getCurrentTime ? api.getCurrentTime() : Number(iframe.dataset.start || 0); },
    duration() { return api && api.getDuration ? api.getDuration() : NaN; },
    onTime(callback) { listeners.push(callback); },
  };
}

function setupClip(media) {
  const start = Number(media.dataset.start || 0);
  media.addEventListener("loadedmetadata", () => { if (start && media.currentTime < start) media.currentTime = start; }, { once: true });
  // The media fragment (#t=start,end) already stops most browsers at the end; this covers the
  // rest, and an end picked later in the share bar.
  const stopAtEnd = () => {
    const end = Number(media.dataset.end || 0);
    if (!end || media.currentTime < end - 0.25 || media.currentTime > end + 2) return;
    if (!media.paused) media.pause();
    media.dataset.clipEnded = "true";
  };
  media.addEventListener("timeupdate", stopAtEnd);
  media.addEventListener("pause", stopAtEnd);
}

// ---- The transcript panel ---------------------------------------------------------------

function showInPanel(panel, cue, smooth) {
  // Scroll the panel alone (the page does not move) so the cue sits a fifth of the way down
  // the part of the panel that is on screen, with the words before it above.
  const box = panel.getBoundingClientRect();
  const top = Math.max(box.top, 0), visible = Math.max(Math.min(box.bottom, innerHeight) - top, 48);
  const offset = cue.getBoundingClientRect().top - top;
  if (smooth && offset > visible * 0.1 && offset < visible * 0.75) return;
  panel.scrollTo({ top: panel.scrollTop + offset - visible * 0.2, behavior: smooth ? "smooth" : "instant" });
}

function setupFollow(player, panel) {
  const cues = [...panel.querySelectorAll(".cue[data-start]")];
  const starts = cues.map((cue) => Number(cue.dataset.start));
  const follow = document.getElementById("follow");
  let current = panel.querySelector(".cue.current");
  let reading = 0;  // when the visitor last scrolled the panel by hand: following waits a while
  panel.addEventListener("wheel", () => { reading = Date.now(); }, { passive: true });
  panel.addEventListener("touchmove", () => { reading = Date.now(); }, { passive: true });
  player.onTime(() => {
    const now = player.time();
    let low = 0, high = starts.length - 1, found = -1;
    while (low <= high) { const mid = (low + high) >> 1; if (starts[mid] <= now + 0.05) { found = mid; low = mid + 1; } else high = mid - 1; }
    const cue = found >= 0 ? cues[found] : null;
    if (cue === current) return;
    current?.classList.remove("current");
    current?.removeAttribute("aria-current");
    current = cue;
    if (!cue) return;
    cue.classList.add("current");
    cue.setAttribute("aria-current", "true");
    if (follow?.checked && Date.now() - reading > 4000) showInPanel(panel, cue, true);
  });
}

// ---- Seeking and the share bar ------------------------------------------------------------

// A seek target's time as the server wrote it (catalog.display.clock, in data-clock or as the
// target's own text: a chip's time, a show-notes stamp as the notes wrote it). Never formatted here.
const clockOf = (target) => target.dataset.clock || target.textContent.trim();

function shareBar() {
  const form = document.querySelector("form.share-bar");
  if (!form) return null;
  const from = form.querySelector(".share-from a"), copy = form.querySelector(".copy-link");
  const end = form.querySelector("select[name=end]"), original = form.querySelector(".share-original");
  const base = form.getAttribute("action");
  let start = Number(form.querySelector("input[name=t]").value), clock = from.textContent;
  const originalBase = original && new URL(original.href);

  function update() {
    const chosen = end && end.value && Number(end.value) > start ? Number(end.value) : null;
    const link = `${base}?t=${start}${chosen ? `&end=${chosen}` : ""}`;
    copy.dataset.link = link;
    from.textContent = clock;
    from.href = `?t=${start}`;
    from.dataset.start = String(start);
    form.querySelector("input[name=t]").value = String(start);
    for (const option of end ? end.options : []) option.disabled = option.value !== "" && Number(option.value) <= start;
    if (originalBase) {
      const url = new URL(originalBase);
      if (url.hash.startsWith("#t=")) url.hash = `t=${start}`;
      else url.searchParams.set("t", `${start}s`);
      original.href = url.href;
      copy.dataset.sourceLink = url.href;
      original.textContent = `Open the original at ${clock}`;
    }
    const media = document.querySelector("audio#player, video#player");
    if (media) media.dataset.end = chosen ? String(chosen) : "";
    history.replaceState(null, "", link);
  }
  end?.addEventListener("change", update);
  return { moveTo(seconds, label) { start = Math.floor(seconds); clock = label; if (end && Number(end.value) <= start) end.value = ""; update(); } };
}

function setupSeeking(player, share) {
  document.addEventListener("click", (event) => {
    const target = event.target.closest("a.seek[data-start], #transcript .cue[data-start]");
    if (!target || event.ctrlKey || event.metaKey || event.shiftKey || getSelection().toString()) return;
    event.preventDefault();
    const seconds = Number(target.dataset.start);
    player.seek(seconds);
    if (share) share.moveTo(seconds, clockOf(target));
    else history.replaceState(null, "", `?t=${Math.floor(seconds)}`);
  });
}

// ---- Find in transcript -------------------------------------------------------------------

// The server finds the words as search does (one analyzer: "run" finds "running"), and sends
// back the cues that hold them with the hits marked; this only swaps them in.
function setupFind(player, panel) {
  const input = document.getElementById("find"), count = document.getElementById("find-count");
  const timeline = document.getElementById("timeline");
  if (!input) return;
  const cues = [...panel.querySelectorAll(".cue")];
  const originals = cues.map((cue) => cue.innerHTML);  // the server's marks of the search query
  const endpoint = `/api${location.pathname}/find`;
  let asked = 0, timer = null;
  const restore = () => cues.forEach((cue, place) => { cue.innerHTML = originals[place]; });
  async function find() {
    const needle = input.value, ticket = ++asked;
    if (!needle.trim()) {
      restore();
      count.textContent = "";
      if (timeline) drawTimeline(timeline, player, panel, []);
      return;
    }
    let found;
    try {
      const answer = await fetch(`${endpoint}?q=${encodeURIComponent(needle)}`);
      if (!answer.ok) return;
      found = await answer.json();
    } catch {
      return;  // offline or rate limited: the last answer stays
    }
    if (ticket !== asked) return;  // a later keystroke has asked again
    restore();
    const hits = [];
    for (const [place, html] of found.cues) {
      if (!cues[place]) continue;
      cues[place].innerHTML = html;  // escaped by the server, its only markup <mark>
      cues[place].querySelectorAll("mark").forEach((mark) => mark.classList.add("find"));
      hits.push(cues[place]);
    }
    count.textContent = `${found.matches} ${found.matches === 1 ? "match" : "matches"}`;
    if (hits.length) showInPanel(panel, hits[0], false);
    if (timeline) drawTimeline(timeline, player, panel, hits);
  }
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(find, 120);
  });
}

function drawTimeline(timeline, player, panel, hits) {
  const total = Number(timeline.dataset.duration) || player.duration();
  timeline.replaceChildren();
  timeline.hidden = !hits.length || !total;
  for (const cue of hits) {
    const start = Number(cue.dataset.start);
    if (Number.isNaN(start)) continue;
    const marker = document.createElement("button");
    marker.type = "button";
    marker.className = "marker";
    marker.style.left = `${Math.min(100, (start / total) * 100)}%`;
    marker.setAttribute("aria-label", `Match at ${clockOf(cue)}`);
    marker.addEventListener("click", () => { player.seek(start); showInPanel(panel, cue, false); });
    timeline.append(marker);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("player");
  const panel = document.getElementById("transcript");
  const current = panel?.querySelector(".cue.current");
  if (current) showInPanel(panel, current, false);  // the line said at ?t=, before anything else
  if (!element) return;
  const player = element.tagName === "IFRAME" ? youtubePlayer(element) : html5Player(element);
  if (element.tagName !== "IFRAME") setupClip(element);
  setupSeeking(player, shareBar());
  if (panel) {
    setupFollow(player, panel);
    setupFind(player, panel);
  }
});
