"""Read and check `sources.toml`: one `[sources.NAME]` table per source.

Every mistake is reported with the source and key it concerns, before anything is fetched.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from indexer.options import KIND_OPTIONS, OptionError, checked_options, checked_settings


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
        if self.kind not in KIND_OPTIONS:
            known = ", ".join(sorted(KIND_OPTIONS))
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
    """A query that must find an item within its first `within` results; checked before every swap."""

    query: str
    expect: str  # an item id
    within: int


@dataclass(frozen=True)
class Config:
    """sources.toml, checked: its sources, and its `[settings]` (see `indexer.options.SETTINGS`)."""

    path: Path
    sources: tuple[SourceConfig, ...]
    min_doc_share: float  # a new generation needs this share of the live one's documents
    golden: tuple[GoldenQuery, ...]


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
    try:
        settings = checked_settings(table)
    except OptionError as exc:
        raise ConfigError(f"[settings]: {exc}") from None
    return {**settings, "golden": tuple(GoldenQuery(**query) for query in settings["golden"])}


def _source(name: str, table: object, base_dir: Path) -> SourceConfig:
    if not isinstance(table, dict):
        raise ConfigError(f"source {name!r}: must be a table of keys")
    options = {k: v for k, v in table.items() if k != "kind"}
    return SourceConfig(name=name, kind=table.get("kind"), options=options, base_dir=base_dir)
