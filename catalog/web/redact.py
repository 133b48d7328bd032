"""What /status may show of a run's errors: the messages quote source URLs, file paths and
addresses verbatim, and those can carry credentials, tokens and the machine's layout.

- URLs lose their user name, password, query and fragment: `https://user:pass@host/x?token=abc`
  reads `https://host/x?…`; a `file:` URL becomes its last path component.
- Absolute local paths (`/srv/coach/media/talk.vtt`, `C:\\media\\talk.vtt`) become their last
  component (`talk.vtt`).
- Addresses that are not public (10.x, 192.168.x, 127.x, fd00::…) read `[private address]`.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

PRIVATE = "[private address]"
_URL = r"[A-Za-z][A-Za-z0-9+.-]*://[^\s<>\"'`]+"
_POSIX_PATH = r"(?<![\w/:.~-])~?/(?:[^\s/<>\"'`]+/)+[^\s/<>\"'`]*"
_WINDOWS_PATH = r"(?<![\w])[A-Za-z]:\\(?:[^\s\\<>\"'`]+\\)+[^\s\\<>\"'`]*"
_IPV4 = r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?!\w|\.\d)"
_IPV6 = r"(?<![\w:])[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\w:])"
_SECRETS = re.compile(f"(?P<url>{_URL})|(?P<path>{_POSIX_PATH}|{_WINDOWS_PATH})|(?P<address>{_IPV4}|{_IPV6})")
_TRAILING = ".,;:!?)]}"  # sentence punctuation after a URL is not part of it


def redact(text: str) -> str:
    """`text` with credentials, tokens, local paths and private addresses taken out."""
    return _SECRETS.sub(_replacement, text)


def redact_all(value):
    """Every string inside `value` (dicts and lists, as the run records hold them) redacted."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {key: redact_all(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [redact_all(item) for item in value]
    return value


def _replacement(match: re.Match) -> str:
    found = match.group()
    if match.lastgroup == "url":
        url = found.rstrip(_TRAILING)
        return _url(url) + found[len(url) :]
    if match.lastgroup == "path":
        return _last_component(found)
    return PRIVATE if _is_private(found) else found


def _url(url: str) -> str:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:  # not a URL after all (a bad port, a broken IPv6 literal): keep nothing of it
        return "[URL]"
    if parts.scheme.lower() == "file":
        return _last_component(parts.path)
    host = parts.hostname or ""
    shown = PRIVATE if _is_private(host) else (f"[{host}]" if ":" in host else host)
    return (
        f"{parts.scheme}://{shown}{f':{port}' if port else ''}{parts.path}"
        f"{'?…' if parts.query else ''}{'#…' if parts.fragment else ''}"
    )


def _last_component(path: str) -> str:
    parts = [part for part in re.split(r"[/\\]", path) if part]
    return parts[-1] if parts else ""


def _is_private(address: str) -> bool:
    try:
        return not ipaddress.ip_address(address).is_global
    except ValueError:  # a host name or a clock time, not an address
        return False
