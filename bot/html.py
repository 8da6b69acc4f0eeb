"""Building Telegram HTML that knows its own cost, and packing it into messages Telegram accepts.

Telegram limits a message to 4096 UTF-16 code units of visible text (after entity parsing) and we keep to at
most 100 entities. An :class:`Html` piece carries its visible length and entity count, so messages are packed
exactly, and splitting only ever happens between whole pieces: never inside a tag or a character entity.
Every piece of text goes through :func:`text`, which escapes it; tags come only from :func:`tag`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

MAX_UNITS: Final = 4096  # Telegram's limit on a message's visible text, in UTF-16 code units
MAX_ENTITIES: Final = 100  # more and Telegram silently drops formatting
_TAG: Final = re.compile(r"<[^<>]*>")


def utf16_len(s: str) -> int:
    """Length as Telegram counts it: in UTF-16 code units."""
    return len(s) + sum(1 for ch in s if ord(ch) > 0xFFFF)


@dataclass(frozen=True)
class Html:
    """A piece of Telegram HTML, its visible length (UTF-16 code units) and its number of entities."""

    html: str = ""
    length: int = 0
    entities: int = 0

    def __add__(self, other: Html) -> Html:
        return Html(self.html + other.html, self.length + other.length, self.entities + other.entities)


EMPTY: Final = Html()


def text(s: str) -> Html:
    """Plain text, escaped: ``<``, ``>`` and ``&`` become character entities."""
    return Html(html.escape(s, quote=False), utf16_len(s), 0)


def tag(name: str, inner: Html) -> Html:
    """``inner`` wrapped in a tag without attributes (b, i, code, blockquote, ...)."""
    return Html(f"<{name}>{inner.html}</{name}>", inner.length, inner.entities + (1 if inner.length else 0))


def bold(s: str) -> Html:
    return tag("b", text(s))


def code(s: str) -> Html:
    return tag("code", text(s))


def link(label: str, url: str) -> Html:
    """``<a href="url">label</a>``, both escaped (the address with quotes too, for the attribute)."""
    inner = text(label)
    return Html(f'<a href="{html.escape(url, quote=True)}">{inner.html}</a>', inner.length, inner.entities + 1)


def concat(pieces: Iterable[Html]) -> Html:
    out = EMPTY
    for piece in pieces:
        out = out + piece
    return out


def join(pieces: Sequence[Html], sep: str) -> Html:
    """Pieces separated by the plain text ``sep``."""
    out = EMPTY
    for n, piece in enumerate(pieces):
        out = out + (text(sep) if n else EMPTY) + piece
    return out


def plain_text(markup: str) -> str:
    """The text a message made of these pieces shows, without its formatting (to send it as plain text).

    Exact for pieces built here: tags come only from :func:`tag`, and every ``<``, ``>`` and ``&`` of the
    text is escaped, so the visible text, and with it the length Telegram counts, is unchanged.
    """
    return html.unescape(_TAG.sub("", markup))


def shorten(s: str, limit: int) -> str:
    """``s`` cut to at most ``limit`` UTF-16 units at a word boundary where possible, with "…" if cut."""
    s = " ".join(s.split())
    if utf16_len(s) <= limit:
        return s
    cut = pieces(s, limit - 1)[0].rstrip()
    return cut + "…"


def pieces(s: str, limit: int) -> list[str]:
    """``s`` split into consecutive parts of at most ``limit`` UTF-16 units, after white space if possible.

    ``"".join(pieces(s, limit)) == s``; never splits a character (so never a surrogate pair).
    """
    if limit < 2:
        raise ValueError("limit must be at least 2")
    out: list[str] = []
    start = 0
    while start < len(s):
        units = 0
        end = start
        while end < len(s):
            w = 2 if ord(s[end]) > 0xFFFF else 1
            if units + w > limit:
                break
            units += w
            end += 1
        if end < len(s):
            space = max(s.rfind(" ", start, end), s.rfind("\n", start, end))
            if space > start + (end - start) // 2:
                end = space + 1
        out.append(s[start:end])
        start = end
    return out


def fits(piece: Html, max_units: int = MAX_UNITS, max_entities: int = MAX_ENTITIES) -> bool:
    return piece.length <= max_units and piece.entities <= max_entities


def pack(
    groups: Sequence[Sequence[Html]],
    *,
    group_sep: str = "\n\n",
    block_sep: str = "\n",
    max_units: int = MAX_UNITS,
    max_entities: int = MAX_ENTITIES,
) -> list[str]:
    """Pack groups of blocks into as few messages as the limits allow, in order.

    A group (e.g. a quote and its citation) stays in one message whenever it fits in one; otherwise its
    blocks are packed one by one. Every block must fit in a message on its own.
    """
    messages: list[str] = []
    current: Html | None = None

    def add(piece: Html, sep: str) -> None:
        nonlocal current
        if current is not None:
            joined = current + text(sep) + piece
            if fits(joined, max_units, max_entities):
                current = joined
                return
            messages.append(current.html)
        current = piece

    for group in groups:
        blocks = [b for b in group if b.length]
        if not blocks:
            continue
        whole = join(blocks, block_sep)
        if fits(whole, max_units, max_entities):
            add(whole, group_sep)
            continue
        for n, block in enumerate(blocks):
            if not fits(block, max_units, max_entities):
                raise ValueError(f"a block ({block.length} units, {block.entities} entities) fits no message")
            add(block, block_sep if n else group_sep)
    if current is not None:
        messages.append(current.html)
    return messages
