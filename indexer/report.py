"""What a run did, source by source: the lines it prints and the row it records."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SourceReport:
    name: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    unavailable: int = 0
    failed: int = 0
    error: str | None = None  # the whole source failed
    notices: list[dict] = field(default_factory=list)  # {item, message}: worth knowing, not failures

    @property
    def changed(self) -> int:
        return self.new + self.updated + self.unavailable

    def line(self) -> str:
        status = f"FAILED: {self.error}" if self.error else "ok"
        notes = f", {len(self.notices)} notes" if self.notices else ""
        return (
            f"{self.name}: {self.new} new, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.unavailable} unavailable, {self.failed} failed{notes} — {status}"
        )


@dataclass
class RunReport:
    run_id: int | None  # None in a dry run, which records nothing
    sources: list[SourceReport] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)  # {source, item, reason}
    changed_ids: set[str] = field(default_factory=set)  # items new, updated or hidden this run
    hiding: set[str] = field(default_factory=set)  # gone upstream: hidden with the next published generation
    generation: str | None = None
    published: bool = False
    problems: list[str] = field(default_factory=list)  # why a generation was not published

    @property
    def changed(self) -> bool:
        return any(s.changed for s in self.sources)

    @property
    def exit_code(self) -> int:
        return 1 if self.errors or self.problems else 0

    @property
    def status(self) -> str:
        if self.problems:
            return "failed"
        return "partial" if self.errors else "ok"
