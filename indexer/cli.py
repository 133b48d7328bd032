"""The `catalog` command: reindex, rebuild-index, search, serve.

Exit status: 0 all good, 1 some sources or checks failed (what could be indexed is live),
2 bad config or usage.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click

from catalog import logs
from catalog.display import clock
from catalog.durations import BadDuration, seconds_of
from catalog.generations.live import LiveIndex, NoGeneration
from catalog.search.document import SearchRequest, run_search
from catalog.storage import store
from indexer import build, deploy, report_queries
from indexer.config import ConfigError, load_config
from indexer.lock import LockBusy, run_lock
from indexer.run import rebuild_index, reindex

DEFAULT_DATA = "data"
DATA_FOLDER = click.Path(file_okay=False, path_type=Path)
DATA_HELP = "Data folder: catalog.db and the index generations (env CATALOG_DATA)."


@click.group()
@click.option(
    "--data",
    "data_dir",
    type=DATA_FOLDER,
    envvar="CATALOG_DATA",
    default=DEFAULT_DATA,
    show_default=True,
    help=DATA_HELP,
)
@click.pass_context
def cli(ctx: click.Context, data_dir: Path) -> None:
    """Search catalog of a running coach's media."""
    logs.configure()
    ctx.obj = data_dir


def _data_given_here(ctx: click.Context, _param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.obj = value


def with_data_dir(command):
    """Pass the data folder to `command` as its first argument; `--data` may be given
    before the sub-command or after it (`catalog reindex --data DIR`)."""
    option = click.option("--data", type=DATA_FOLDER, expose_value=False, callback=_data_given_here, help=DATA_HELP)
    return option(click.pass_obj(command))


@contextmanager
def _usage_error_on(*errors: type[Exception]) -> Iterator[None]:
    """Report these errors as usage errors (exit 2) with their one-line message."""
    try:
        yield
    except errors as exc:
        raise click.UsageError(str(exc)) from None


@cli.command("reindex")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default="sources.toml",
    show_default=True,
)
@click.option("--source", "only", multiple=True, help="Only this source (repeatable).")
@click.option("--full", is_flag=True, help="Rebuild the index even if nothing changed.")
@click.option("--dry-run", is_flag=True, help="Read the sources and report; write nothing.")
@click.option(
    "--accept-empty",
    multiple=True,
    help="This source is really empty now: hide its items (repeatable). Without it an empty listing is a failure.",
)
@with_data_dir
def reindex_command(
    data_dir: Path, config_path: Path, only: tuple[str, ...], full: bool, dry_run: bool, accept_empty: tuple[str, ...]
) -> None:
    """Pull what is new or changed from every source and publish a checked index."""
    with _usage_error_on(ConfigError):
        config = load_config(config_path)
    unknown = set(only + accept_empty) - {s.name for s in config.sources}
    if unknown:
        raise click.UsageError(f"no source named {', '.join(sorted(unknown))} in {config_path}")
    try:
        report = reindex(config, data_dir, only=only, full=full, dry_run=dry_run, accept_empty=accept_empty)
    except LockBusy as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    except (OSError, sqlite3.Error) as exc:  # the data folder or the catalog cannot be written at all
        click.echo(f"catalog reindex stopped: {type(exc).__name__}: {exc}", err=True)
        sys.exit(1)
    for source in report.sources:
        click.echo(source.line())
    for source in report.sources:
        for notice in source.notices:
            click.echo(f"note: {source.name}: {notice['item']}: {notice['message']}")
    for error in report.errors:
        click.echo(f"error: {error['source']}: {error['item'] or '(whole source)'}: {error['reason']}")
    click.echo(_outcome(report, dry_run))
    sys.exit(report.exit_code)


def _outcome(report, dry_run: bool) -> str:
    if dry_run:
        return "dry run: nothing was written"
    if report.published:
        return f"published index generation {report.generation}" + "".join(f"; but {p}" for p in report.problems)
    if report.problems:
        kept = f" ({len(report.hiding)} items gone from their sources stay live)" if report.hiding else ""
        return "index NOT updated, the live generation stays: " + "; ".join(report.problems) + kept
    return "nothing changed: the live index stays as it is"


@cli.command("rebuild-index")
@with_data_dir
def rebuild_index_command(data_dir: Path) -> None:
    """Rebuild the index from SQLite alone (no network) and publish it."""
    if not store.db_path(data_dir).exists():
        raise click.UsageError(f"no catalog at {store.db_path(data_dir)}; run `catalog reindex` first")
    try:
        name = rebuild_index(data_dir)
    except LockBusy as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    except (OSError, sqlite3.Error) as exc:  # a full disk: the half-built generation is already removed
        click.echo(f"index NOT rebuilt, the live generation stays: {type(exc).__name__}: {exc}", err=True)
        sys.exit(1)
    click.echo(f"published index generation {name}")


@cli.command("rollback")
@with_data_dir
def rollback_command(data_dir: Path) -> None:
    """Make the previous index generation live again (the next reindex rebuilds from SQLite)."""
    try:
        with run_lock(data_dir, "rollback"):
            abandoned, restored = build.rollback(store.open_for_writing(data_dir), data_dir)
    except (LockBusy, build.NothingToRollBack) as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(f"live generation is now {restored} (was {abandoned})")


@cli.command("backup")
@click.argument("dest", type=click.Path(path_type=Path))
@with_data_dir
def backup_command(data_dir: Path, dest: Path) -> None:
    """Copy catalog.db to DEST with SQLite's online backup (safe while serving and indexing)."""
    with _usage_error_on(deploy.DeployError):
        target = deploy.backup(data_dir, dest)
    click.echo(f"backed up the catalog to {target}")


@cli.command("pack")
@click.argument("dest", type=click.Path(dir_okay=False, path_type=Path))
@with_data_dir
def pack_command(data_dir: Path, dest: Path) -> None:
    """Pack the live generation and a catalog snapshot into DEST (a tar file) for other web nodes."""
    with _usage_error_on(deploy.DeployError):
        name = deploy.pack(data_dir, dest)
    click.echo(f"packed generation {name} into {dest}")


@cli.command("install")
@click.argument("pack_path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_data_dir
def install_command(data_dir: Path, pack_path: Path) -> None:
    """Install a pack made by `catalog pack`, checking every file in it, and make it live."""
    try:
        name = deploy.install(pack_path, data_dir)
    except (deploy.DeployError, LockBusy) as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(f"installed and published generation {name}")


@cli.command("restore")
@click.argument("backup_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_data_dir
def restore_command(data_dir: Path, backup_file: Path) -> None:
    """Make a backup the catalog again: checked, indexed, published (the old one stays if anything fails)."""
    try:
        name, items = deploy.restore(backup_file, data_dir)
    except (deploy.DeployError, LockBusy) as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo(f"restored the catalog from {backup_file} ({items} live items) and published index generation {name}")


@cli.command("search")
@click.argument("query")
@click.option("--json", "as_json", is_flag=True, help="Print the /api/search JSON document.")
@click.option("--page", default=1, show_default=True)
@click.option("--sort", type=click.Choice(["relevance", "newest"]), default="relevance", show_default=True)
@click.option("--kind", default=None)
@click.option("--tag", default=None)
@with_data_dir
def search_command(
    data_dir: Path, query: str, as_json: bool, page: int, sort: str, kind: str | None, tag: str | None
) -> None:
    """Search the live index, as the web site does."""
    args = {"q": query, "page": page, "sort": sort, "kind": kind, "tag": tag}
    try:
        generation = LiveIndex(data_dir).current()
    except NoGeneration as exc:  # the command line's own edge: a usage error (exit 2) that says what to run
        raise click.UsageError(f"{exc}; run `catalog reindex` first") from None
    doc = run_search(generation, store.open_readonly(data_dir), SearchRequest.from_args(args))
    if as_json:
        click.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        return
    click.echo(f"{doc['total']} items for {doc['query']!r}")
    for result in doc["results"]:
        click.echo(f"- [{result['kind']}] {result['title']}  {result['url']}")
        for moment in result["moments"]:
            click.echo(f"    {clock(moment['start']) or 'text':>5}  {moment['url']}")


@cli.group("report")
def report_group() -> None:
    """Reports read back from what the catalog and the web wrote."""


@report_group.command("queries")
@click.option("--since", default="7d", show_default=True, help="How far back: 36h, 7d, 4w, …")
@click.option(
    "--log",
    "log_files",
    multiple=True,
    default=("-",),
    show_default=True,
    type=click.Path(exists=True, dir_okay=False, allow_dash=True),
    help="The web's JSON log (repeatable; .gz files too); - reads standard input.",
)
@click.option("--top", default=20, show_default=True, type=click.IntRange(1, 1000), help="Queries per list.")
def report_queries_command(since: str, log_files: tuple[str, ...], top: int) -> None:
    """The top queries, those with no results and those whose results were never opened."""
    with _usage_error_on(BadDuration):
        start = datetime.now(UTC) - timedelta(seconds=seconds_of(since))
    if log_files == ("-",) and sys.stdin.isatty():
        raise click.UsageError("give the web's log with --log FILE, or pipe it in (journalctl -o cat … | catalog …)")
    lines = report_queries.log_lines(log_files, sys.stdin)
    report = report_queries.summarise(report_queries.query_events(lines, start))
    click.echo(report_queries.text(report, f"since {start:%Y-%m-%d %H:%M} UTC", top))


@cli.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--workers", default=2, show_default=True, help="One per core: search is CPU-bound.")
@click.option("--threads", default=8, show_default=True, help="Per worker: a slow client holds a thread, not a worker.")
@with_data_dir
def serve_command(data_dir: Path, host: str, port: int, workers: int, threads: int) -> None:
    """Serve the site with gunicorn (threaded workers; see README "Security" for the proxy in front)."""
    os.environ["CATALOG_DATA"] = str(data_dir.resolve())
    os.execvp(sys.executable, [sys.executable, "-m", "gunicorn", *gunicorn_args(f"{host}:{port}", workers, threads)])


def gunicorn_args(bind: str, workers: int = 2, threads: int = 8) -> list[str]:
    """gunicorn's arguments for serving the app, as `catalog serve` (and the load checks) run it."""
    return [
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--timeout",  # a worker whose main loop stops answering for this long is replaced
        "30",
        "--graceful-timeout",
        "20",
        "--keep-alive",  # an idle kept-alive connection waits in the poller, not in a thread
        "5",
        "--limit-request-line",  # gunicorn's maximum: every link our pages build reaches the app,
        "8190",  # which answers with its security headers (gunicorn's own 414 has none)
        "--access-logfile",
        "-",
        "--access-logformat",  # the path without its query and no referrer: no token, no search text
        '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s"',
        "app:create_app()",
    ]


def main() -> None:
    cli(prog_name="catalog")
