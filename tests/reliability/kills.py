"""Crash safety: `catalog reindex` SIGKILLed at random moments of every phase leaves the site whole.

The phases, as the run's log names them: fetch (a podcast feed on a 127.0.0.1 fixture server,
each transcript answered after a delay), SQLite writes (after "podcast: N items read" the
ytdlp-folder videos are read and saved), the index build (after "building a new index
generation") and the swap (after "publishing index generation", until the run's summary).
A fetch kill lands inside the server's answer to a random transcript request; a SQLite kill
within the hundred videos after a random "videos: K items read" line; the others after a
random delay within the phase, as long as a calibration run showed it to be. The phase hit
is read from what the run printed before it died.

    python -m tests.reliability.kills [--kills 20] [--items 400] [--episodes 20] [--seed N]
"""

from __future__ import annotations

import argparse
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path

import requests

from catalog.generations.live import LiveIndex, index_root, live_name
from indexer.build import KEEP_GENERATIONS
from tests.fixture_server import FixtureServer
from tests.helpers import live_search
from tests.reliability import REPO, Gunicorn, mark, podcast_feed, reindex_command, sqlite_live_ids, write_videos

PHASES = ("fetch", "sqlite", "build", "swap")
# What the run prints when each phase is over; the swap (pointer, history, pruning, the run's
# record) is over when the run prints its summary line for the first source.
ENDS = {
    "fetch": re.compile(r"podcast: \d+ items read"),
    "sqlite": re.compile("building a new index generation"),
    "build": re.compile("publishing index generation"),
    "swap": re.compile(r"podcast: \d+ new"),
}
FETCH_DELAY = 0.05  # seconds before each transcript answer


def phase_reached(output: str) -> str | None:
    """The phase a run was in when it had printed `output`; None once all were over."""
    over = sum(1 for phase in PHASES if ENDS[phase].search(output))
    return PHASES[over] if over < len(PHASES) else None


@dataclass
class KillFigures:
    survived: Counter = field(default_factory=Counter)  # by the phase actually hit
    hit: Counter = field(default_factory=Counter)
    pointer_moved: int = 0  # kills that landed after the pointer was replaced
    log: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        per_phase = ", ".join(f"{phase} {self.survived[phase]}/{self.hit[phase]}" for phase in PHASES)
        return [
            *self.log,
            f"kills: {sum(self.hit.values())} SIGKILLs, {sum(self.survived.values())} survived, by phase hit: "
            f"{per_phase} ({self.pointer_moved} landed after the pointer had moved)",
        ]


class Bench:
    """The catalog under test: a podcast feed on the fixture server and a folder of videos."""

    def __init__(self, workdir: Path, server: FixtureServer, items: int, episodes: int):
        self.data, self.config, self.videos = workdir / "data", workdir / "sources.toml", workdir / "videos"
        self.server, self.items, self.episodes = server, items, episodes
        self.revision = 0
        self.process: subprocess.Popen | None = None
        self.kill_at: tuple[int, float] | None = None  # (transcript request, seconds into its answer)
        self.hits = 0
        self._lock = threading.Lock()
        feed = podcast_feed([self._episode(n) for n in range(episodes)])
        server.route("/feed.xml", feed, headers={"Content-Type": "application/rss+xml"})
        for n in range(episodes):
            server.route(f"/t/{n}.vtt", handler=self._transcript)
        self.config.write_text(
            f'[sources.podcast]\nkind = "podcast"\nurl = "{server.url("/feed.xml")}"\n'
            f"allow_private_network = true\nretries = 0\nsleep = 0\n\n"
            f'[sources.videos]\nkind = "ytdlp-folder"\npath = "{self.videos}"\n'
        )

    def _episode(self, n: int) -> str:
        """An episode published now, so every run finds it due and fetches its transcript again."""
        return (
            f"<item><title>Episode {n}</title><guid isPermaLink='false'>ep-{n}</guid>"
            f"<pubDate>{format_datetime(datetime.now(UTC))}</pubDate>"
            f'<enclosure url="https://cdn.example.com/ep-{n}.mp3" type="audio/mpeg" length="1"/>'
            f'<podcast:transcript url="{self.server.url(f"/t/{n}.vtt")}" type="text/vtt"/></item>'
        )

    def _transcript(self, request) -> tuple[int, dict, bytes]:
        """Each answer waits FETCH_DELAY; the request `kill_at` names kills the run during its wait."""
        with self._lock:
            self.hits += 1
            kill = self.kill_at is not None and self.hits == self.kill_at[0]
        wait = self.kill_at[1] if kill else FETCH_DELAY
        time.sleep(wait)
        if kill:
            self.process.send_signal(signal.SIGKILL)
            time.sleep(FETCH_DELAY - wait)
        text = f"episode {request.path} about {mark(self.revision)} and the long run"
        return 200, {"Content-Type": "text/vtt"}, f"WEBVTT\n\n00:00:01.000 --> 00:00:09.000\n{text}\n".encode()

    def change(self) -> None:
        """A new revision of every video and transcript: work for every phase of the next run."""
        self.revision += 1
        write_videos(self.videos, range(self.items), self.revision, cues=6)

    def _start(self, kill_at: tuple[int, float] | None = None) -> subprocess.Popen:
        self.hits, self.kill_at = 0, kill_at
        command = reindex_command(self.data, self.config)
        self.process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        return self.process

    def run_to_end(self) -> tuple[int, str, dict[str, float]]:
        """One whole run: (exit status, output, seconds from the start to the end of each phase)."""
        started, process, ends, lines = time.monotonic(), self._start(), {}, []
        for line in process.stdout:
            lines.append(line)
            for phase, end in ENDS.items():
                if phase not in ends and end.search(line):
                    ends[phase] = time.monotonic() - started
        process.wait()
        return process.returncode, "".join(lines), ends

    def run_killed(self, phase: str, window: float, rng: random.Random) -> tuple[str | None, str]:
        """Start a run and SIGKILL it at a random moment of `phase` (lasting about `window` s; the
        SQLite phase: `window` s per 100 videos). Returns (the phase it died in, or None if it
        finished first; the moment aimed at)."""
        fetch_kill = (rng.randint(1, self.episodes), rng.uniform(0, FETCH_DELAY)) if phase == "fetch" else None
        process = self._start(fetch_kill)
        trigger = ENDS[PHASES[PHASES.index(phase) - 1]] if phase != "fetch" else None
        delay = rng.uniform(0, window)
        if phase == "sqlite":  # after a random "videos: K items read" line, within the next 100 videos
            read = 100 * rng.randint(1, max(1, (self.items - 1) // 100))
            trigger = re.compile(rf"videos: {read} items read")
            delay = rng.uniform(0, window * min(100, self.items - read) / 100)
        lines, timer = [], None
        for line in process.stdout:
            lines.append(line)
            if trigger and timer is None and trigger.search(line):
                timer = threading.Timer(delay, process.send_signal, [signal.SIGKILL])
                timer.start()
        process.wait()
        if timer:
            timer.cancel()
        if phase == "fetch":
            moment = f"transcript {fetch_kill[0]}/{self.episodes}"
        else:
            moment = f"{delay:.3f} s after {read} videos" if phase == "sqlite" else f"{delay:.3f} s in"
        return (phase_reached("".join(lines)) if process.returncode == -signal.SIGKILL else None), moment


def run_kills(
    workdir: Path, kills: int = 20, items: int = 400, episodes: int = 20, seed: int | None = None
) -> KillFigures:
    """`kills` SIGKILLs spread evenly over the phases, each followed by the checks and a recovery run."""
    rng, figures = random.Random(seed), KillFigures()
    with FixtureServer() as server:
        bench = Bench(workdir, server, items, episodes)
        for _ in range(2):  # the first run indexes everything; the second, all changed, times the phases
            bench.change()
            status, output, ends = bench.run_to_end()
            if status != 0:
                raise RuntimeError(f"a full reindex exited {status}:\n{output[-2000:]}")
        starts = {"fetch": 0.0, "sqlite": ends["fetch"], "build": ends["sqlite"], "swap": ends["build"]}
        windows = {phase: 0.9 * (ends[phase] - starts[phase]) for phase in PHASES}
        windows["sqlite"] *= 100 / items  # per 100 videos: a kill is aimed after a random hundred
        with Gunicorn(bench.data, workdir / "gunicorn.log") as web:
            for number in range(1, kills + 1):
                _one_kill(bench, web.url, PHASES[number % len(PHASES) - 1], windows, rng, figures, number)
    return figures


def _one_kill(bench: Bench, web_url: str, phase: str, windows: dict, rng, figures: KillFigures, number: int) -> None:
    hit, window = None, windows[phase]
    while hit is None:  # the run finished its phases before the kill: change again, aim sooner
        bench.change()
        before_generation, before_ids = live_name(bench.data), sqlite_live_ids(bench.data)
        hit, moment = bench.run_killed(phase, window, rng)
        window /= 2
    figures.hit[hit] += 1
    moved = live_name(bench.data) != before_generation
    figures.pointer_moved += moved
    problems = check_live(bench.data, before_ids, web_url, bench.episodes)
    recovery, recovery_problems = check_recovered(bench)
    problems += recovery_problems
    if problems:
        figures.problems += [f"kill {number} ({hit}): {problem}" for problem in problems]
    else:
        figures.survived[hit] += 1
    pointer = "after the pointer moved" if moved else "old generation live"
    figures.log.append(
        f"kill {number:2}: aimed at {phase:6} ({moment}), hit {hit:6} ({pointer}); {recovery}: "
        + ("ok" if not problems else "; ".join(problems))
    )


def check_live(data: Path, before_ids: set[str], web_url: str, episodes: int) -> list[str]:
    """What is wrong with the catalog and the site right after a kill (nothing, if empty)."""
    generation = LiveIndex(data).current()
    indexed = {fields["item_id"] for fields in generation.index.searcher.all_stored_fields()}
    found = live_search(data, "episode")["total"]
    with closing(sqlite3.connect(data / "catalog.db")) as db:
        integrity = db.execute("pragma integrity_check").fetchone()[0]
        bare = db.execute(
            "select count(*) from items where status = 'live' and id not in (select item_id from segments)"
        ).fetchone()[0]
    now_live = sqlite_live_ids(data)
    health = requests.get(f"{web_url}/healthz", timeout=10)
    api = requests.get(f"{web_url}/api/search", params={"q": "episode"}, timeout=10)
    checks = {
        f"LiveIndex opened {generation.name}, the pointer names {live_name(data)}": generation.name == live_name(data),
        f"the live generation lacks {sorted(before_ids - indexed)[:5]}": before_ids <= indexed,
        f"a search for 'episode' finds {found} of {episodes} episodes": found >= episodes,
        f"PRAGMA integrity_check: {integrity}": integrity == "ok",
        f"no longer live in SQLite: {sorted(before_ids - now_live)[:5]}": before_ids <= now_live,
        f"{bare} live items lost their transcript segments": bare == 0,
        f"gunicorn /healthz: {health.status_code} {health.text[:200]}": health.status_code == 200
        and health.json()["generation"] == live_name(data),
        f"gunicorn /api/search: {api.status_code} {api.text[:200]}": api.status_code == 200
        and api.json()["total"] >= episodes,
    }
    return [message for message, passed in checks.items() if not passed]


def check_recovered(bench: Bench) -> tuple[str, list[str]]:
    """Run again: it must exit 0 and publish (unless the killed run had published and recorded
    it), leave no stray generation folders, and make the latest revision searchable."""
    status, output, _ = bench.run_to_end()
    published = "published index generation" in output
    with closing(sqlite3.connect(bench.data / "catalog.db")) as db:
        recorded = db.execute("select generation from runs where generation is not null order by id desc").fetchone()
    folders = len(list(index_root(bench.data).glob("gen-*")))
    found = live_search(bench.data, mark(bench.revision))["total"]
    checks = {
        f"the next run exited {status}: {output[-300:]}": status == 0,
        "the next run did not publish, and the killed run had not finished publishing": published
        or (recorded is not None and recorded[0] == live_name(bench.data)),
        f"{folders} generation folders left (keep {KEEP_GENERATIONS})": not published or folders <= KEEP_GENERATIONS,
        f"the latest revision is in {found} of {bench.items + bench.episodes} items": found
        == bench.items + bench.episodes,
    }
    outcome = "next run published" if published else "next run: already published"
    return outcome, [message for message, passed in checks.items() if not passed]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--items", type=int, default=400)
    parser.add_argument("--episodes", type=int, default=20)
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="reliability-kills-") as workdir:
        figures = run_kills(Path(workdir), args.kills, args.items, args.episodes, args.seed)
    print("\n".join(figures.lines()))
    print("\n".join(f"FAILED: {problem}" for problem in figures.problems) or "kills: passed")
    return 1 if figures.problems else 0


if __name__ == "__main__":
    sys.exit(main())
