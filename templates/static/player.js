// The item page: a player that starts at ?t=, stops at &end=, seeks from the transcript and
// chapters, highlights the line being said, and marks find-in-transcript hits on a timeline.
// HTML5 audio/video directly; YouTube through its IFrame API when it can load.
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
  const start = Number(media.dataset.start || 0), end = Number(media.dataset.end || 0);
  media.addEventListener("loadedmetadata", () => { if (start && media.currentTime < start) media.currentTime = start; }, { once: true });
  if (end) {
    // The media fragment (#t=start,end) already stops most browsers at the end; this covers the rest.
    const stopAtEnd = () => {
      if (media.currentTime < end - 0.25) return;
      if (!media.paused) media.pause();
      media.dataset.clipEnded = "true";
    };
    media.addEventListener("timeupdate", stopAtEnd);
    media.addEventListener("pause", stopAtEnd);
  }
}

function setupFollow(player, transcript) {
  const lines = [...transcript.querySelectorAll("p[data-start]")].filter((p) => p.dataset.start !== "None");
  const starts = lines.map((p) => Number(p.dataset.start));
  const follow = document.getElementById("follow");
  let current = transcript.querySelector("p.current");
  player.onTime(() => {
    const now = player.time();
    let low = 0, high = starts.length - 1, found = -1;
    while (low <= high) { const mid = (low + high) >> 1; if (starts[mid] <= now) { found = mid; low = mid + 1; } else high = mid - 1; }
    const line = found >= 0 ? lines[found] : null;
    if (line === current) return;
    current?.classList.remove("current");
    current?.removeAttribute("aria-current");
    current = line;
    if (!line) return;
    line.classList.add("current");
    line.setAttribute("aria-current", "true");
    if (follow?.checked) line.scrollIntoView({ block: "nearest", behavior: "smooth" });
  });
}

function setupSeekLinks(player) {
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a.seek[data-start]");
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    const seconds = Number(link.dataset.start);
    player.seek(seconds);
    history.replaceState(null, "", `?t=${Math.floor(seconds)}`);
  });
}

function setupFind(player, transcript) {
  const input = document.getElementById("find"), count = document.getElementById("find-count");
  const timeline = document.getElementById("timeline");
  if (!input) return;
  const lines = [...transcript.querySelectorAll("p")];
  const originals = new Map(lines.map((p) => [p, p.querySelector(".line").textContent]));
  input.addEventListener("input", () => {
    const needle = input.value.trim().toLowerCase();
    const hits = [];
    for (const p of lines) {
      const text = originals.get(p), span = p.querySelector(".line");
      const parts = [];
      let at = 0, index = needle ? text.toLowerCase().indexOf(needle) : -1;
      while (index >= 0) {
        parts.push(text.slice(at, index));
        const mark = document.createElement("mark");
        mark.className = "find";
        mark.textContent = text.slice(index, index + needle.length);
        parts.push(mark);
        at = index + needle.length;
        index = text.toLowerCase().indexOf(needle, at);
        hits.push(p);
      }
      parts.push(text.slice(at));
      span.replaceChildren(...parts);
    }
    count.textContent = needle ? `${hits.length} ${hits.length === 1 ? "match" : "matches"}` : "";
    if (timeline) drawTimeline(timeline, player, [...new Set(hits)]);
  });
}

function drawTimeline(timeline, player, hits) {
  const total = Number(timeline.dataset.duration) || player.duration();
  timeline.replaceChildren();
  timeline.hidden = !hits.length || !total;
  for (const p of hits) {
    const start = Number(p.dataset.start);
    if (Number.isNaN(start)) continue;
    const marker = document.createElement("button");
    marker.type = "button";
    marker.className = "marker";
    marker.style.left = `${Math.min(100, (start / total) * 100)}%`;
    marker.setAttribute("aria-label", `Match at ${p.querySelector(".chip-time")?.textContent || start}`);
    marker.addEventListener("click", () => { player.seek(start); p.scrollIntoView({ block: "center" }); });
    timeline.append(marker);
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("player");
  const transcript = document.getElementById("transcript");
  if (!element) return;
  const player = element.tagName === "IFRAME" ? youtubePlayer(element) : html5Player(element);
  if (element.tagName !== "IFRAME") setupClip(element);
  setupSeekLinks(player);
  if (transcript) {
    setupFollow(player, transcript);
    setupFind(player, transcript);
  }
  document.querySelector("#transcript p.current")?.scrollIntoView({ block: "center" });
});
