"""Ages as a maintainer writes them: "90m", "36h", "2d", "1w" or a number of seconds.

Shared by the web (`CATALOG_STALE_AFTER`, how long a source may fail before /healthz says
`degraded`) and the command line (`catalog report queries --since 7d`), so both read the
same words the same way.
"""

from __future__ import annotations

import re

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_AGE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([smhdw]?)\s*", re.IGNORECASE)
MAX_SECONDS = 10 * 365 * 86400  # ten years: anything longer is a typo


class BadDuration(ValueError):
    """Not an age this module reads; the message shows what would be."""


def seconds_of(text: object) -> float:
    """Seconds in `text` ("36h", "2d", "90m", "45s", "1w", or a plain number of seconds)."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        value, unit = float(text), "s"
    else:
        match = _AGE.fullmatch(str(text))
        if not match:
            raise BadDuration(f"{str(text)[:40]!r} is not an age such as 90m, 36h, 2d or 1w")
        value, unit = float(match[1]), (match[2] or "s").lower()
    seconds = value * UNITS[unit]
    if not 0 < seconds <= MAX_SECONDS:
        raise BadDuration(f"{str(text)[:40]!r} must be more than nothing and at most ten years")
    return seconds
