"""Article text for the development set: the normalised file form, and its paragraphs and sentences as spans.

An article file is its title on the first line, a blank line, then one paragraph per line with a blank line
between paragraphs. Every offset here points into that file text, so a gold sentence is ``text[start:end]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pysbd

_SPACE = re.compile(r"\s+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# The scraped text of some articles starts with the dateline ("Monday, January 7, 2019"): metadata, not prose.
_DATELINE = re.compile(r"^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day, [A-Z][a-z]+ \d{1,2}, \d{4}$")
QUOTE_CHARS = '"“”'


@dataclass(frozen=True)
class Span:
    start: int
    end: int

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end


def normalise_article(title: str, body: str) -> str:
    """The file text of an article: title, blank line, paragraphs separated by blank lines.

    Whitespace inside a paragraph (hard line breaks, no-break spaces, double spaces) becomes one space; the words
    and punctuation are kept exactly. A leading dateline paragraph is dropped.
    """
    paragraphs = [_SPACE.sub(" ", p).strip() for p in _PARAGRAPH_BREAK.split(body)]
    paragraphs = [p for p in paragraphs if p]
    if paragraphs and _DATELINE.match(paragraphs[0]):
        paragraphs = paragraphs[1:]
    return _SPACE.sub(" ", title).strip() + "\n\n" + "\n\n".join(paragraphs) + "\n"


def paragraph_spans(text: str) -> list[Span]:
    """Each non-empty line after the title line (the title is not a paragraph of prose)."""
    spans: list[Span] = []
    pos = text.find("\n") + 1 if "\n" in text else len(text)
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        if end > pos:
            spans.append(Span(pos, end))
        pos = end + 1
    return spans


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def sentence_spans(text: str, paragraph: Span) -> list[Span]:
    """The sentences of one paragraph (pysbd), located in order so that each is ``text[start:end]``, stripped."""
    spans: list[Span] = []
    cursor = paragraph.start
    for piece in _segmenter().segment(text[paragraph.start : paragraph.end]):
        piece = piece.strip()
        if not piece:
            continue
        start = text.find(piece, cursor, paragraph.end)
        if start < 0:  # pysbd changed the text (it should not with clean=False): skip rather than misplace
            continue
        spans.append(Span(start, start + len(piece)))
        cursor = start + len(piece)
    return spans


def all_sentence_spans(text: str) -> list[Span]:
    return [s for p in paragraph_spans(text) for s in sentence_spans(text, p)]


def occurrences(text: str, needle: str) -> list[Span]:
    """Every place ``needle`` stands in ``text`` (overlapping ones too)."""
    out: list[Span] = []
    if not needle:
        return out
    start = text.find(needle)
    while start >= 0:
        out.append(Span(start, start + len(needle)))
        start = text.find(needle, start + 1)
    return out


def has_quote_mark(sentence: str) -> bool:
    return any(c in sentence for c in QUOTE_CHARS)
