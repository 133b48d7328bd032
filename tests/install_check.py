"""Does the product work as `pip install .` (no extras) leaves it? Run by `make check-install`.

Run with the Python of a fresh venv holding only the product. It imports nothing of the
product itself: it imports every module of the installed packages in a child process (a
run-time dependency missing from pyproject.toml fails there), indexes a config using every
source kind against a site served on 127.0.0.1 with the installed `catalog` command, finds a
phrase through `catalog search --json`, then serves the catalog with gunicorn and fetches its
pages. Standard library only, so it runs before any test dependency is installed.
"""

from __future__ import annotations

import functools
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SITE = REPO / "tests" / "fixtures" / "ytdlp-site"
SAMPLE = REPO / "data" / "sample"
BIN = Path(sys.executable).parent
IMPORT_EVERYTHING = """
import importlib, pkgutil
import app, catalog, indexer
for package in (catalog, indexer):
    for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
"""
ARTICLE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="canonical" href="{base}/{name}"></head><body><nav>Home · Blog</nav><article><h1>{title}</h1>
<p>{text}</p><p>Warm up for fifteen minutes, then run the session, then cool down and stretch.</p></article>
<footer>Sample club site</footer></body></html>"""


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="catalog-install-check-") as scratch:
        work = Path(scratch)
        run([sys.executable, "-c", IMPORT_EVERYTHING], work)
        print("every module of the installed product imports")
        with static_site(site_folder(work / "site")) as base:
            config = write_config(work, base)
            report = run([str(BIN / "catalog"), "reindex", "--config", str(config), "--data", str(work / "data")], work)
            check_every_source_indexed(report)
            found = json.loads(
                run([str(BIN / "catalog"), "--data", str(work / "data"), "search", "--json", "4x400"], work)
            )
            kinds = {result["kind"] for result in found["results"]}
            expect(
                {"video", "podcast", "article"} <= kinds, f"'4x400' should find videos, podcasts and articles: {kinds}"
            )
            print(f"catalog search --json '4x400': {found['total']} items, kinds {sorted(kinds)}")
        check_served_pages(work / "data", found["results"][0]["url"])
    print("install check passed")


def site_folder(folder: Path) -> Path:
    """The research pages, feed and captions with their URLs pointed at this server, two
    article pages and a sitemap, and a few bytes standing in for each media file."""
    folder.mkdir()
    for file in SITE.iterdir():
        shutil.copy(file, folder / file.name)
    (folder / "clip.mp4").write_bytes(b"\0\0\0\x18ftypmp42")
    for episode in ("ep1.mp3", "ep2.mp3"):
        (folder / episode).write_bytes(b"ID3\x03\0\0\0\0\0\0")
    return folder


def write_config(work: Path, base: str) -> Path:
    site = work / "site"
    for name in ("feed.xml", "jsonld.html"):
        path = site / name
        path.write_text(path.read_text().replace("http://127.0.0.1:8765", base))
    pages = {
        "relay-drills.html": ("Relay drills for masters", "The 4x400 relay needs clean baton passes at speed."),
        "tempo-basics.html": ("Tempo basics", "A tempo run sits at a comfortably hard effort."),
    }
    for name, (title, text) in pages.items():
        (site / name).write_text(ARTICLE.format(title=title, text=text, base=base, name=name))
    urls = "".join(f"<url><loc>{base}/{name}</loc></url>" for name in pages)
    (site / "sitemap.xml").write_text(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')
    local = "allow_private_network = true\nretries = 0\ntimeout = 5\nsleep = 0"
    quiet_ytdlp = "allow_private_network = true\nretries = 0\ntimeout = 5\nsleep_requests = 0\nsleep_subtitles = 0\nsleep_videos = 0"
    config = work / "sources.toml"
    config.write_text(
        f"""
[sources.channel]
kind = "youtube"
url = "{base}/index.html"
{quiet_ytdlp}

[sources.clinic]
kind = "video"
url = "{base}/jsonld.html"
{quiet_ytdlp}

[sources.folder]
kind = "ytdlp-folder"
path = "{SAMPLE / "videos"}"

[sources.podcast]
kind = "podcast"
url = "{base}/feed.xml"
{local}

[sources.blog]
kind = "articles"
sitemap = "{base}/sitemap.xml"
{local}

[sources.workouts]
kind = "workouts"
path = "{SAMPLE / "workouts"}"

[sources.guides]
kind = "collections"
path = "{SAMPLE / "collections"}"
"""
    )
    return config


def check_every_source_indexed(output: str) -> None:
    lines = [line for line in output.splitlines() if ": " in line and " new, " in line]
    print("\n".join(lines))
    expect(len(lines) == 7, f"expected a line for each of the 7 sources:\n{output}")
    for line in lines:
        expect(line.endswith("— ok") and not line.split(": ", 1)[1].startswith("0 new"), f"not indexed: {line}")


def check_served_pages(data: Path, item_url: str) -> None:
    """gunicorn serves the installed catalog: home, results, an item page, the API, a static file."""
    port, log = free_port(), data.parent / "serve.log"
    with open(log, "wb") as log_file:
        server = subprocess.Popen(
            [str(BIN / "catalog"), "--data", str(data), "serve", "--port", str(port), "--workers", "1"],
            cwd=data.parent,  # gunicorn imports from its folder first: never from this checkout
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_for(base + "/healthz", server, log)
        for path in ("/", "/search?q=relay", item_url, "/api/search?q=relay", "/static/style.css", "/status"):
            with urllib.request.urlopen(base + path, timeout=10) as answer:
                expect(answer.status == 200, f"GET {path}: {answer.status}")
        print(f"gunicorn served the pages, the API and the static files on port {port}")
    finally:
        server.terminate()
        server.wait(timeout=30)


def wait_for(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"install check FAILED: catalog serve exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"install check FAILED: nothing answered at {url}:\n{log.read_text()[-3000:]}")


class static_site:  # noqa: N801 (used as a context manager, like open)
    """A folder served over HTTP on 127.0.0.1 from a thread; yields the base URL."""

    def __init__(self, folder: Path):
        handler = functools.partial(_QuietHandler, directory=str(folder))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)

    def __enter__(self) -> str:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_port}"

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def run(command: list[str], cwd: Path) -> str:
    """Run a command of the installed product; its output, or the check fails with it."""
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=600)
    shown = " ".join(command[:4]).splitlines()[0]
    expect(done.returncode == 0, f"{shown} … exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"install check FAILED: {message}")


if __name__ == "__main__":
    main()
