"""Web pages (.html, .htm): the article's main text, extracted by trafilatura.

Decoding: a byte-order mark or UTF-16/32 pattern first, then the page's own ``<meta charset>`` (or
``http-equiv`` content type) when Python knows that codec, else the rules of a .txt file.

trafilatura drops what is not the article (menus, headers and footers, scripts, styles, comments, forms,
cookie banners) and gives the article as a small XML tree; this module lays that tree out like the other
converted formats: each heading, paragraph, list item, quote and table row is a paragraph of the text (table
cells joined with " | "), ``<br>`` is a line break, inline markup (bold, links, code) keeps its text, images
go. Formatting is asked of trafilatura only to get that tree intact: without it, its fallback extractor
breaks paragraphs at every inline tag. Metadata: title, URL (og:url, else the canonical link), date and
author, as trafilatura finds them in the page's meta tags and structured data.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from typing import Any

from retrieval.corpus.loaders.base import (
    Loaded,
    LoadLimits,
    Reason,
    Unloadable,
    check_text_size,
    join_paragraphs,
    meta,
)
from retrieval.corpus.loaders.text import decode_text, looks_binary, nul_pattern_encoding

_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HEAD = 4096
_BLOCK_TAGS = frozenset({"head", "p", "item", "quote", "list", "table", "row", "div", "section", "body"})
_CELL_SEPARATOR = " | "
_WHITE = re.compile(r"\s+")
_UNICODE_PREFIX = ("utf-16", "utf-32", "utf_16", "utf_32")


def _declared_encoding(raw: bytes) -> str | None:
    match = _DECLARED.search(raw[:_HEAD])
    if match is None:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    # A page saved as UTF-16 cannot declare it in ASCII bytes that we could read; such a declaration in an
    # ASCII-compatible file is wrong, so it is ignored.
    return None if name.startswith(_UNICODE_PREFIX) else name


def decode_html(raw: bytes) -> tuple[str, str]:
    if raw.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or nul_pattern_encoding(raw):
        return decode_text(raw)
    declared = _declared_encoding(raw)
    if declared is not None:
        if looks_binary(raw[:8192]):
            raise Unloadable(Reason.UNREADABLE, "binary data, not a web page")
        # The declaration is the page's own word; bytes that contradict it become U+FFFD, as in a browser.
        return raw.decode(declared, errors="replace"), declared
    return decode_text(raw)


def _words(text: str | None) -> str:
    """A text node as HTML shows it: any run of white space (source line breaks too) is one space."""
    return _WHITE.sub(" ", text or "")


def _inline_child(child: Any) -> str:
    if child.tag == "lb":  # a <br>: the only line break inside a paragraph
        return "\n"
    return "" if child.tag == "graphic" else _inline(child)


def _inline(element: Any) -> str:
    """The text of an inline element (bold, link, code ...), its children's included."""
    return _words(element.text) + "".join(_inline_child(child) + _words(child.tail) for child in element)


def _paragraphs(element: Any) -> Iterator[str]:
    """Each block of trafilatura's tree as one paragraph, in document order."""
    if element.tag == "row":
        cells = (" ".join(_inline(cell).split()) for cell in element)  # a cell is one line
        yield _CELL_SEPARATOR.join(cell for cell in cells if cell)
        return
    buffer = [_words(element.text)]
    for child in element:
        if child.tag in _BLOCK_TAGS or (child.tag == "code" and element.tag == "body"):
            yield "".join(buffer)
            yield from _paragraphs(child)
            buffer = []
        else:
            buffer.append(_inline_child(child))
        buffer.append(_words(child.tail))
    yield "".join(buffer)


def load_html(data: bytes, limits: LoadLimits) -> Loaded:
    import trafilatura

    page, encoding = decode_html(data)
    document: Any = trafilatura.bare_extraction(
        page,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=True,
        deduplicate=False,
    )
    body = getattr(document, "body", None)
    if document is None or body is None:
        raise Unloadable(Reason.EMPTY, "no article text found in the page")
    text = join_paragraphs(_paragraphs(body))
    check_text_size(len(text), limits)
    if not text:
        raise Unloadable(Reason.EMPTY, "no article text found in the page")
    return Loaded(
        text=text,
        title=meta(document.title),
        url=meta(document.url),
        date=meta(document.date),
        author=meta(document.author),
        encoding=encoding,
    )
