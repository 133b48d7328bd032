"""Show notes and video descriptions as a visitor reads them: paragraphs, lists and links.

Sources give plain text (yt-dlp's description, a feed's notes made plain), often written in
Markdown or with bare URLs and chapter lines ("4:15 Masters 800 training"). This turns that
text into a small, safe HTML: everything is escaped, and only <p>, <br>, <ul>, <li>,
<strong> and <a> are made, links only to http(s) URLs (marked as the source's, not ours) or
to a second of the page's own player.
"""

from __future__ import annotations

import re
from html import escape

from markupsafe import Markup

from catalog.links import web_url

_BULLET = re.compile(r"^\s*(?:[-*•–]|\d{1,2}[.)])\s+")
_HEADING = re.compile(r"^\s*#{1,6}\s+")
_TIMESTAMP = re.compile(r"^\s*\(?((?:\d{1,2}:)?\d{1,2}:\d{2})\)?(?=\s|$)")
_INLINE = re.compile(
    r"\[(?P<label>[^\]\n]{1,300})\]\((?P<target>https?://(?:[^\s()]|\([^\s()]*\)){1,2000})\)"  # [label](url)
    r"|(?P<url>https?://[^\s<>\"]{1,2000})"  # a bare URL
    r"|\*\*(?P<strong>[^*\n]{1,300})\*\*"  # **strong**
)
_TRAILING = ".,;:!?'\"’”"
LINK_REL = "nofollow ugc noopener"


def notes_html(text: str, timed: bool = False) -> Markup:
    """`text` as paragraphs and lists; with `timed`, a line opening with a time such as "4:15"
    links to that second of the page's player."""
    blocks = [block for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()) if block.strip()]
    return Markup("\n".join(_block(block.split("\n"), timed) for block in blocks))


def _block(lines: list[str], timed: bool) -> str:
    """Consecutive bullet lines become a list, the other lines a paragraph with line breaks."""
    out, run, bullets = [], [], False
    for line in (line for line in lines if line.strip()):
        is_bullet = bool(_BULLET.match(line)) and not (timed and _TIMESTAMP.match(line))
        if run and is_bullet != bullets:
            out.append(_run(run, bullets, timed))
            run = []
        run.append(line)
        bullets = is_bullet
    if run:
        out.append(_run(run, bullets, timed))
    return "".join(out)


def _run(lines: list[str], bullets: bool, timed: bool) -> str:
    if bullets:
        return "<ul>" + "".join(f"<li>{_line(_BULLET.sub('', line), timed)}</li>" for line in lines) + "</ul>"
    return "<p>" + "<br>\n".join(_line(line, timed) for line in lines) + "</p>"


def _line(line: str, timed: bool) -> str:
    heading = _HEADING.match(line)
    if heading:
        return f"<strong>{_inline(line[heading.end() :].strip())}</strong>"
    stamp = _TIMESTAMP.match(line) if timed else None
    if stamp:
        second = _seconds(stamp.group(1))
        link = f'<a class="seek" href="?t={second}" data-start="{second}">{escape(stamp.group(1))}</a>'
        return link + _inline(line[stamp.end() :])
    return _inline(line.strip())


def _inline(text: str) -> str:
    out, cursor = [], 0
    for found in _INLINE.finditer(text):
        out.append(escape(text[cursor : found.start()]))
        cursor = found.end()
        if found.group("strong"):
            out.append(f"<strong>{escape(found.group('strong'))}</strong>")
        elif found.group("label"):
            out.append(_link(found.group("target"), found.group("label")) or escape(found.group(0)))
        else:
            url = found.group("url")
            kept = url.rstrip(_TRAILING)
            if kept.endswith(")") and kept.count("(") < kept.count(")"):
                kept = kept[:-1]
            out.append((_link(kept, kept) or escape(kept)) + escape(url[len(kept) :]))
    out.append(escape(text[cursor:]))
    return "".join(out)


def _link(url: str, label: str) -> str | None:
    safe = web_url(url)
    return f'<a href="{escape(safe)}" rel="{LINK_REL}">{escape(label)}</a>' if safe else None


def _seconds(clock: str) -> int:
    total = 0
    for part in clock.split(":"):
        total = total * 60 + int(part)
    return total
