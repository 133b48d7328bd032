"""Read and check `sources.toml`: one `[sources.NAME]` table per source.

Every mistake is reported with the source and key it concerns, before anything is fetched.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from indexer.options import OptionError, checked_options
from indexer.sources import KINDS


class ConfigError(ValueError):
    """sources.toml cannot be used as written."""


@dataclass(frozen=True)
class SourceConfig:
    """One `[sources.NAME]` table. Its options are checked when it is made (see
    `indexer.options`), with the kind's defaults filled in."""

    name: str
    kind: str
    options: dict = field(default_factory=dict)
    base_dir: Path = Path(".")

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            known = ", ".join(sorted(KINDS))
            raise ConfigError(f"source {self.name!r}: kind {self.kind!r} is not one of {known}")
        try:
            object.__setattr__(self, "options", checked_options(self.kind, self.options))
        except OptionError as exc:
            raise ConfigError(f"source {self.name!r}: {exc}") from None

    def path(self, key: str = "path") -> Path:
        """A path option, resolved against the folder of the config file."""
        return (self.base_dir / str(self.options[key])).resolve()


@dataclass(frozen=True)
class GoldenQuery:
    """A query that must keep finding an item; checked before every swap."""

    query: str
    expect: str  # an item id
    within: int = 10


@dataclass(frozen=True)
class Config:
    path: Path
    sources: tuple[SourceConfig, ...]
    min_doc_share: float = 0.5  # a new generation needs this share of the live one's documents
    golden: tuple[GoldenQuery, ...] = ()


SETTINGS_KEYS = {"min_doc_share", "golden"}


def load_config(path: Path) -> Config:
    path = Path(path)
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    tables = data.get("sources")
    if not isinstance(tables, dict) or not tables:
        raise ConfigError(f"{path}: no [sources.NAME] tables")
    sources = tuple(_source(name, table, path.parent.resolve()) for name, table in tables.items())
    return Config(path=path, sources=sources, **_settings(data.get("settings", {})))


def _settings(table: object) -> dict:
    if not isinstance(table, dict):
        raise ConfigError("[settings] must be a table")
    for key in table:
        if key not in SETTINGS_KEYS:
            raise ConfigError(f"[settings]: unknown key {key!r} (known: {', '.join(sorted(SETTINGS_KEYS))})")
    share = table.get("min_doc_share", 0.5)
    if not isinstance(share, int | float) or not 0 <= share <= 1:
        raise ConfigError("[settings]: min_doc_share must be a number from 0 to 1")
    golden = []
    for number, entry in enumerate(table.get("golden", []), 1):
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("query"), str)
            or not isinstance(entry.get("expect"), str)
        ):
            raise ConfigError(f"[settings]: golden query {number} needs a string 'query' and 'expect'")
        within = entry.get("within", 10)
        if set(entry) - {"query", "expect", "within"} or not isinstance(within, int) or within < 1:
            raise ConfigError(
                f"[settings]: golden query {number} takes only query, expect and within (a positive integer)"
            )
        golden.append(GoldenQuery(entry["query"], entry["expect"], within))
    return {"min_doc_share": float(share), "golden": tuple(golden)}


def _source(name: str, table: object, base_dir: Path) -> SourceConfig:
    if not isinstance(table, dict):
        raise ConfigError(f"source {name!r}: must be a table of keys")
    options = {k: v for k, v in table.items() if k != "kind"}
    return SourceConfig(name=name, kind=table.get("kind"), options=options, base_dir=base_dir)
