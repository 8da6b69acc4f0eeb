"""Markdown (.md, .markdown): YAML front matter as metadata, the rest as plain text.

The file is decoded like a .txt file, its front matter (a YAML mapping between ``---`` lines at the very
top) gives title, url, date and author, and the body is parsed by markdown-it-py (CommonMark plus tables
and strikethrough). The text keeps what a reader reads:
- every heading, paragraph, list item, quoted paragraph, code block and table row is a paragraph of its
  own (separated by a blank line); the line breaks inside a paragraph are kept;
- emphasis, links (their text stays, the address goes), inline code (its text stays), entities (decoded),
  markers of headings, lists, quotes and fences are dropped;
- images, HTML comments and HTML tags are dropped (an image's alt text describes it, it is not article text),
  ``<br>`` is a line break;
- table cells are joined with " | ".
Without a front matter title, the first level-1 heading is the title.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from retrieval.corpus.loaders.base import Loaded, LoadLimits, Reason, Unloadable, is_blank, join_paragraphs, meta
from retrieval.corpus.loaders.text import decode_text

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)(?:\r?\n)?^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_MAX_FRONT_MATTER = 64 * 1024  # a YAML header is a few lines; anything bigger is not parsed
_BR = re.compile(r"<br\s*/?>", re.I)
_KEYS: dict[str, tuple[str, ...]] = {
    "title": ("title", "headline"),
    "url": ("url", "canonical_url", "canonical", "permalink", "link", "source"),
    "date": ("date", "published", "pubdate", "publish_date", "date_published"),
    "author": ("author", "authors", "byline", "by"),
}
_CELL_SEPARATOR = " | "


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # The commonmark preset caps nesting (maxNesting), so hostile input such as 100,000 ">" stays shallow.
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


_SCALARS = (str, int, float, datetime.date)


def _value(raw: object) -> str | None:
    """A front matter value as text. Only scalars, and lists of them, are read: a YAML alias bomb (a list of
    lists of lists ...) is small in memory but enormous when printed."""
    if isinstance(raw, list):
        return meta(", ".join(str(item) for item in raw[:20] if isinstance(item, _SCALARS)))
    if isinstance(raw, dict):
        name = raw.get("name")
        return meta(name) if isinstance(name, _SCALARS) else None
    return meta(raw) if isinstance(raw, _SCALARS) and not isinstance(raw, bool) else None


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """(metadata, body). Front matter is taken only when it is a YAML mapping; otherwise the "---" at
    the top is Markdown (a rule, or a heading underline) and the text is returned whole."""
    match = _FRONT_MATTER.match(text)
    if match is None or len(match.group(1)) > _MAX_FRONT_MATTER:
        return {}, text
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError:
        return {}, text
    if not isinstance(data, dict):
        return {}, text
    lowered = {str(k).lower(): v for k, v in data.items()}
    found: dict[str, str] = {}
    for field, keys in _KEYS.items():
        for key in keys:
            value = _value(lowered.get(key))
            if value:
                found[field] = value
                break
    return found, text[match.end() :]


def _inline_text(children: Sequence[Token]) -> str:
    out: list[str] = []
    for child in children:  # an image's alt text is inside the image token's own children: never reached
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak") or (
            child.type == "html_inline" and _BR.fullmatch(child.content.strip())
        ):
            out.append("\n")
    return "".join(out)


def _blocks(tokens: Sequence[Token]) -> Iterator[tuple[str, str]]:
    """(kind, text) of every leaf block in order; kind is the heading tag ("h1".."h6") or the block type."""
    row: list[str] | None = None
    heading: str | None = None
    for token in tokens:
        if token.type == "tr_open":
            row = []
        elif token.type == "tr_close" and row is not None:
            yield "tr", _CELL_SEPARATOR.join(cell for cell in row if cell)
            row = None
        elif token.type == "heading_open":
            heading = token.tag
        elif token.type == "heading_close":
            heading = None
        elif token.type == "inline":
            text = _inline_text(token.children or [])
            if row is not None:
                row.append(" ".join(text.split()))
            else:
                yield heading or "paragraph", text
        elif token.type in ("fence", "code_block"):
            yield "code", token.content
        # html_block (comments, raw HTML), hr and the open/close tokens of lists and quotes give no text


def markdown_to_text(source: str) -> tuple[str, str | None]:
    """(plain text, first level-1 heading) of a Markdown body."""
    blocks = list(_blocks(_parser().parse(source)))
    first_h1 = next((text for kind, text in blocks if kind == "h1"), None)
    return join_paragraphs(text for _kind, text in blocks), meta(first_h1)


def load_markdown(data: bytes, limits: LoadLimits) -> Loaded:
    source, encoding = decode_text(data)
    found, body = split_front_matter(source)
    text, first_h1 = markdown_to_text(body)
    if is_blank(text):
        raise Unloadable(Reason.EMPTY, "no text besides markup and front matter")
    return Loaded(
        text=text,
        title=found.get("title") or first_h1,
        url=found.get("url"),
        date=found.get("date"),
        author=found.get("author"),
        encoding=encoding,
    )
