"""XML from sources, parsed without expanding entities: billion laughs and XXE are refused."""

from __future__ import annotations

from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import ParseError, fromstring

from indexer.sources.base import SourceError


def parse_xml(body: bytes, what: str) -> Element:
    """The tree of a feed or sitemap; SourceError naming `what` and the reason otherwise."""
    try:
        return fromstring(body)
    except DefusedXmlException as exc:
        raise SourceError(
            f"{what}: refused unsafe XML, entity declarations are not accepted ({type(exc).__name__})"
        ) from None
    except ParseError as exc:
        hint = "" if _decodes(body) else "; the bytes do not match the declared encoding"
        raise SourceError(f"{what}: malformed XML ({exc}{hint})") from None


def _decodes(body: bytes) -> bool:
    head = body[:200].lower()
    if b"encoding=" in head and b"utf-8" not in head:
        return True  # another declared encoding: the parser already tried it
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
