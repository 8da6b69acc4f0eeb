"""What every loader returns or raises, and the limits it works under.

A loader turns one file's bytes into the plain text that is indexed and quoted (every quote is
``text[start:end]`` of exactly this text) plus what the file says about itself: title, URL, date, author.
A file that cannot be turned into text raises ``Unloadable`` with one reason from a fixed vocabulary, so
that the scan can group what it skipped by reason.
"""

from __future__ import annotations

import enum
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass

_MIB = 1024 * 1024


@dataclass(frozen=True)
class Loaded:
    """One article's text, exactly as indexed, and its metadata where the file carries it."""

    text: str
    title: str | None = None
    url: str | None = None
    date: str | None = None  # ISO 8601 as found ("2024-12-20", or with a time); None when unknown
    author: str | None = None
    encoding: str | None = None  # the text encoding of a .txt/.md/.html file; None for PDF and DOCX


class Reason(enum.Enum):
    """Why a file was not indexed. The values are what people read in ``verbatim index``."""

    UNSUPPORTED = "unsupported format"
    NO_TEXT_LAYER = "no text layer"
    TOO_LARGE = "too large"
    UNREADABLE = "unreadable"
    EMPTY = "empty"
    ENCRYPTED = "encrypted"


class Unloadable(Exception):
    """A file that gives no text: ``reason`` for grouping, ``detail`` for the one line that names it."""

    def __init__(self, reason: Reason, detail: str = "") -> None:
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class LoadLimits:
    """Bounds on what one file may cost. A file past any of them is refused, never half-read.

    ``max_bytes`` is the file's own size (MAX_FILE_MB). The others bound what a small file can expand to:
    the pages of a PDF, the members and uncompressed size of a DOCX (a zip), the extracted text, and the
    time spent, checked between pages and parts (so one hostile page costs at most one page's work, which
    the stream limits below bound too).
    """

    max_bytes: int = 10 * _MIB
    max_pages: int = 2000
    max_uncompressed_bytes: int = 100 * _MIB  # a DOCX's members together; also any one PDF stream
    max_compression_ratio: int = 200  # per zip member (real DOCX XML compresses ~30x)
    max_zip_members: int = 2000
    max_text_chars: int = 20_000_000
    max_seconds: float = 120.0


class Deadline:
    """The time budget of one load, checked between units of work (pages, paragraphs)."""

    def __init__(self, limits: LoadLimits) -> None:
        self._limits = limits
        self._end = time.monotonic() + limits.max_seconds

    def check(self, what: str) -> None:
        if time.monotonic() > self._end:
            raise Unloadable(Reason.TOO_LARGE, f"reading it took longer than {self._limits.max_seconds:g} s ({what})")


def check_text_size(text_chars: int, limits: LoadLimits) -> None:
    if text_chars > limits.max_text_chars:
        raise Unloadable(Reason.TOO_LARGE, f"more than {limits.max_text_chars} characters of text")


# Converted formats (Markdown, HTML, PDF, DOCX) lay their text out the same way: one paragraph (heading,
# list item, table row) per line, paragraphs separated by one blank line, white space inside a paragraph
# collapsed to single spaces except for line breaks the format makes explicit.
PARAGRAPH_SEPARATOR = "\n\n"
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_BLANK_EDGES = " \t\r\n\f\v\u00a0\ufeff\u200b"


def tidy_line(line: str) -> str:
    """One line of converted text: runs of spaces (tabs, no-break spaces) as one space, no edge spaces."""
    return _SPACES.sub(" ", line).strip(_BLANK_EDGES)


def join_paragraphs(paragraphs: Iterable[str]) -> str:
    """Paragraphs (each maybe several lines) laid out with blank lines between; empty ones dropped."""
    out: list[str] = []
    for paragraph in paragraphs:
        lines = [tidy_line(line) for line in paragraph.splitlines()]
        kept = "\n".join(line for line in lines if line)
        if kept:
            out.append(kept)
    return PARAGRAPH_SEPARATOR.join(out)


def is_blank(text: str) -> bool:
    return not text.strip(_BLANK_EDGES)


_META_CHARS = 1000


def meta(value: object) -> str | None:
    """A metadata value as one line (white space collapsed, at most 1000 characters), or None when blank."""
    if value is None:
        return None
    text = " ".join(str(value).split())[:_META_CHARS]
    return text or None
