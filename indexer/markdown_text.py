"""Markdown rendered to HTML, with the plain text of each block for the index."""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token

_BLOCK_OPENERS = {"paragraph_open", "heading_open"}
_TEXT_CHILDREN = {"text", "code_inline"}
_BREAKS = {"softbreak", "hardbreak"}


def render_blocks(markdown: str) -> tuple[str, list[str]]:
    """(html, blocks): block N of the text list is the element with id "p-N" in the HTML."""
    md = MarkdownIt("commonmark", {"html": True})
    tokens = md.parse(markdown)
    blocks: list[str] = []
    for position, token in enumerate(tokens):
        if token.type != "inline" or tokens[position - 1].type not in _BLOCK_OPENERS:
            continue
        text = " ".join(_plain_text(token).split())
        if not text:
            continue
        _visible_opener(tokens, position - 1).attrSet("id", f"p-{len(blocks)}")
        blocks.append(text)
    return md.renderer.render(tokens, md.options, {}), blocks


def _plain_text(inline: Token) -> str:
    parts = []
    for child in inline.children or ():
        if child.type in _TEXT_CHILDREN:
            parts.append(child.content)
        elif child.type in _BREAKS:
            parts.append(" ")
    return "".join(parts)


def _visible_opener(tokens: list[Token], position: int) -> Token:
    """The element that is rendered for a block: a tight list hides its <p>, so use the <li>."""
    opener = tokens[position]
    if not opener.hidden:
        return opener
    for earlier in reversed(tokens[:position]):
        if earlier.type == "list_item_open" and earlier.level < opener.level:
            return earlier
    return opener
