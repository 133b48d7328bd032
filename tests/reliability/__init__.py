"""Reliability checks: no downtime while generations are published, no damage from a SIGKILLed
`catalog reindex`, and no script from hostile content.

What the checks share lives here: a synthetic ytdlp-folder catalog big enough that a
reindex takes seconds, a podcast feed around given items, `catalog reindex` run as the
nightly job runs it (a process of its own), and gunicorn serving the data folder on
127.0.0.1 as `catalog serve` does.
"""

from __future__ import annotations

import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import requests

from indexer.cli import gunicorn_args

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "sample"
WORDS = (
    "tempo threshold interval stride cadence hill fartlek recovery mileage taper marathon relay "
    "sprint track trail easy long pace aerobic lactate drill plyometric core mobility warmup cooldown "
    "hamstring calf achilles shoe surface altitude heat hydration fuel gel sleep coach athlete masters "
    "junior season base block peak race kick finish split negative even steady progression"
).split()
# One marker word per revision, so a search proves which version of an item is live.
MARKS = (
    "alder birch cedar damson elder fir ginkgo hazel ivy juniper larch maple nutmeg olive "
    "pine quince rowan spruce teak umbrella viburnum willow yew zelkova acacia beech cherry"
).split()
# Transcript text: the running words among made-up filler words, drawn with Zipf's law (the
# n-th most common word n times rarer than the first), so a query word matches some items,
# not all of them, as in real speech.
_FILLER = [
    a + b + c
    for a in ("ba", "ko", "mi", "te", "su", "ra", "lo", "ne")
    for b in ("di", "fa", "gu", "pe", "vo")
    for c in ("n", "sk", "rt", "m", "l")
]
VOCABULARY = random.Random(42).sample(WORDS + _FILLER, len(WORDS) + len(_FILLER))
ZIPF = [1 / rank for rank in range(1, len(VOCABULARY) + 1)]
SAMPLE_SOURCES = "".join(
    f'[sources.sample_{name}]\nkind = "{kind}"\npath = "{SAMPLE / name}"\n\n'
    for name, kind in (("videos", "ytdlp-folder"), ("podcast", "ytdlp-folder"), ("articles", "articles"))
)


def mark(revision: int) -> str:
    """The marker word that every item changed in `revision` carries."""
    return MARKS[revision % len(MARKS)]


def write_videos(folder: Path, numbers: range | list[int], revision: int, cues: int = 12) -> None:
    """Write (or rewrite) synthetic videos: an info.json and a manual .vtt each.

    The text is seeded by the item number and `revision`, so rewriting with a new revision
    changes every written item (a new content hash) and nothing else.
    """
    folder.mkdir(parents=True, exist_ok=True)
    for n in numbers:
        rng = random.Random(n * 7919 + revision)
        video_id = f"syn{n:08}"
        info = {
            "id": video_id,
            "title": f"Session {n}: {' '.join(rng.sample(WORDS, 4))} {mark(revision)}",
            "extractor_key": "Generic",
            "duration": cues * 5 + 30,
            "upload_date": f"{2018 + n % 7}{1 + n % 12:02}{1 + n % 28:02}",
            "description": " ".join(rng.choices(VOCABULARY, ZIPF, k=30)),
            "tags": rng.sample(WORDS, 3),
            "subtitles": {"en": []},
        }
        (folder / f"{video_id}.info.json").write_text(json.dumps(info))
        lines = ["WEBVTT", ""]
        for cue in range(cues):
            lines += [
                f"00:00:{cue * 4:02}.000 --> 00:00:{cue * 4 + 4:02}.000",
                " ".join(rng.choices(VOCABULARY, ZIPF, k=10)),
                "",
            ]
        (folder / f"{video_id}.en.vtt").write_text("\n".join(lines))


def reindex_command(data_dir: Path, config: Path) -> list[str]:
    """`catalog reindex` as cron runs it (through `python -m indexer`, the same entry point)."""
    return [sys.executable, "-m", "indexer", "--data", str(data_dir), "reindex", "--config", str(config)]


def run_reindex(data_dir: Path, config: Path, timeout: float = 600) -> tuple[int, str]:
    """Run one reindex to the end; returns (exit status, what it printed)."""
    done = subprocess.run(reindex_command(data_dir, config), cwd=REPO, capture_output=True, text=True, timeout=timeout)
    return done.returncode, done.stdout + done.stderr


def sqlite_live_ids(data_dir: Path) -> set[str]:
    """Ids of the live items in SQLite (read-only, as the web reads it)."""
    with closing(sqlite3.connect(f"file:{data_dir / 'catalog.db'}?mode=ro", uri=True)) as db:
        return {row[0] for row in db.execute("select id from items where status = 'live'")}


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """gunicorn on 127.0.0.1 over `data_dir`, with the arguments `catalog serve` gives it.

    Rate limits are off (`CATALOG_RATELIMIT_ENABLED=false`: Flask's `from_prefixed_env` reads
    the value as JSON, so it becomes False), because the load comes from one address.
    """

    def __init__(self, data_dir: Path, log_path: Path, workers: int = 2):
        self.data_dir, self.log_path, self.workers = data_dir, log_path, workers
        self.bind = f"127.0.0.1:{free_port()}"
        self.url = f"http://{self.bind}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        env = {**os.environ, "CATALOG_DATA": str(self.data_dir), "CATALOG_RATELIMIT_ENABLED": "false"}
        command = [sys.executable, "-m", "gunicorn", *gunicorn_args(self.bind, self.workers)]
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
        self._wait_ready()
        return self

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def _wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}; see {self.log_path}")
            try:
                if (
                    requests.get(self.url + "/healthz", timeout=2).status_code == 200
                    and len(self.worker_pids()) == self.workers
                ):
                    return
            except requests.RequestException:  # not listening yet, or too busy starting to answer in time
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not answer /healthz within {timeout} s; see {self.log_path}")

    def worker_pids(self) -> set[int]:
        """The master's child processes, from /proc."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        return {int(pid) for pid in children}


def generations_open(pid: int) -> set[str]:
    """Index generation folders a process has files of open (from /proc/PID/fd and maps)."""
    paths = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            paths.append(os.readlink(fd))
        except OSError:  # the descriptor closed while we listed it
            continue
    paths += Path(f"/proc/{pid}/maps").read_text().split()
    return {part for path in paths if "/index/gen-" in path for part in Path(path).parts if part.startswith("gen-")}


def podcast_feed(items: list[str], title: str = "Coach Talk") -> str:
    """An RSS 2.0 feed, with the iTunes and Podcasting 2.0 namespaces, around `<item>` elements."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'
        f' xmlns:podcast="https://podcastindex.org/namespace/1.0"><channel><title>{title}</title>'
        f"<link>https://example.com/</link>{''.join(items)}</channel></rss>"
    )
