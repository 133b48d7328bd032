"""Structured logs: one JSON object per line (time, level, logger, message, and fields),
so a log collector can filter runs, sources and requests without parsing prose."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **getattr(record, "fields", {}),
        }
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(structured: bool | None = None) -> None:
    """Send INFO and up to stderr: JSON lines, or plain text on a terminal.

    Leaves logging alone if something (a test runner, gunicorn's config) already set it up.
    """
    root = logging.getLogger()
    if root.handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    structured = (not sys.stderr.isatty()) if structured is None else structured
    handler.setFormatter(JsonFormatter() if structured else logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
