"""Sentence segmentation with exact character offsets into the decoded text.

How a text is cut (documented in the README):
1. Lines. Every line is a block of its own (so headlines and sub-headings without punctuation stand alone,
   and paragraph breaks always end a sentence), except that a line is joined to the next one when the next
   one starts with a lower-case letter (hard-wrapped prose). Blank lines separate blocks too. Two blocks are
   one when the sentence runs on across the break between them (runon.py: the first ends in no closing
   punctuation and the next goes on in lower case, or it ends in a comma, an article or a conjunction, or in
   an abbreviation at which the sentence segmenter, reading the break as a space, does not cut); such a
   sentence spans the break, and its line is the line it starts on.
2. Sentences. Each block is segmented by pysbd (rule-based, handles abbreviations such as U.S., Mr. and
   Dec., and closing ” and " after the full stop). pysbd does not split after a closing single curly quote
   (’), which it cannot tell from an apostrophe; one rule on top of it splits after ``.’`` / ``?’`` / ``!’``
   when a capital letter or an opening quote follows.
3. Overlong sentences (a huge line with no punctuation) are cut at white space into pieces of at most
   ``max_chars`` characters, so that nothing grows without bound.

Offsets are always into the original text; ``text[span.start:span.end]`` is the sentence with its
surrounding white space trimmed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from retrieval.corpus.loaders.lines import line_of, line_spans, line_starts
from retrieval.corpus.runon import Break, break_between
from retrieval.records import Span

MAX_SENTENCE_CHARS = 1000
_BLOCK_CHUNK = 20_000  # pysbd is slow on huge blocks: feed it pieces of at most this size
_CLOSING_SINGLE = re.compile(r"(?<=[.!?]’)\s+(?=[“‘\"'(\[A-Z0-9])")
_TRIM = " \t\r\n\f\v\u00a0\ufeff\u200b"
_NEVER_FIRST = ",;:)]}"  # characters no sentence starts with
_INNER_STOP = re.compile(r"[.!?…]")
_CLOSERS = ".!?…’”\"')]» \t\u00a0"


def _body_end(text: str, start: int, end: int) -> int:
    """Where a block's closing run of punctuation and quotes begins."""
    while end > start and text[end - 1] in _CLOSERS:
        end -= 1
    return end


@dataclass(frozen=True)
class SegmentationSettings:
    """What the manifest records about segmentation and passages; a change means a rebuild."""

    # lines end at CR, LF or CRLF (was: LF only); "+runon": a sentence runs on across a break (runon.py)
    segmenter: str = "pysbd-0.3+lines-cr-lf+runon"
    max_sentence_chars: int = MAX_SENTENCE_CHARS
    passage_sentences: int = 3
    passage_stride: int = 1


@lru_cache(maxsize=1)
def _pysbd() -> object:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=False)


def _line_blocks(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of lines: a non-blank line, joined with following lines that start in lower
    case. Lines end at CR, LF or CRLF alike (loaders/lines.py), so an old-Mac file has lines too."""
    start: int | None = None
    for line_start, line_end in line_spans(text):
        stripped = text[line_start:line_end].strip(_TRIM)
        if not stripped:
            if start is not None:
                yield start, line_start
                start = None
        elif start is None:
            start = line_start
        elif not stripped[0].islower():
            yield start, line_start
            start = line_start
    if start is not None:
        yield start, len(text)


_ASK_CHARS = 300  # the segmenter reads this much on each side of a break after an abbreviation


def _segmenter_cuts_at(before: str, after: str) -> bool:
    """Would the segmenter end a sentence between ``before`` and ``after`` if one space stood between them?"""
    left, right = before[-_ASK_CHARS:], after[:_ASK_CHARS]
    joined = f"{left} {right}".replace("\n", " ").replace("\r", " ")
    cursor = 0
    for piece in _pysbd().segment(joined):  # type: ignore[attr-defined]
        core = piece.strip(_TRIM)
        found = joined.find(core, cursor) if core else -1
        if found == -1:
            continue
        cursor = found + len(core)
        if cursor == len(left):
            return True
    return False


def _runs_on(text: str, before: tuple[int, int], after: tuple[int, int]) -> bool:
    a, b = text[before[0] : before[1]].strip(_TRIM), text[after[0] : after[1]].strip(_TRIM)
    kind = break_between(a, b)
    return kind is Break.JOIN or (kind is Break.ASK and not _segmenter_cuts_at(a, b))


def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each block: runs of lines, joined where a sentence runs on across the break."""
    current: tuple[int, int] | None = None
    for block in _line_blocks(text):
        if current is not None and _runs_on(text, current, block):
            current = (current[0], block[1])
            continue
        if current is not None:
            yield current
        current = block
    if current is not None:
        yield current


def _chunks(text: str, start: int, end: int, size: int) -> Iterator[tuple[int, int]]:
    """Cut [start, end) into pieces of at most ``size`` chars, at white space where there is some."""
    while end - start > size:
        cut = text.rfind(" ", start + size // 2, start + size)
        if cut == -1:
            cut = start + size
        yield start, cut
        start = cut
    yield start, end


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return start, end


def _sentences_in(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Sentence (start, end) pairs inside one block, from pysbd, located exactly in ``text``."""
    start, end = _trimmed(text, start, end)
    if not _INNER_STOP.search(text, start, _body_end(text, start, end)):
        # No full stop, ? or ! before the block's closing punctuation: pysbd has nowhere to cut, so skip
        # it (it costs ~5 ms a block; most news paragraphs and every headline take this path).
        if start < end:
            yield start, end
        return
    segmenter = _pysbd()
    # Line breaks inside a block are continuation lines: pysbd would cut there, so it sees spaces instead
    # (same length, so offsets are unchanged).
    block = text[start:end].replace("\n", " ").replace("\r", " ")
    cursor = 0
    pending: tuple[int, int] | None = None
    for piece in segmenter.segment(block):  # type: ignore[attr-defined]
        core = piece.strip(_TRIM)
        if not core:
            continue
        found = block.find(core, cursor)
        if found == -1:  # pysbd changed the text somehow: keep the rest of the block as one sentence
            s, e = _trimmed(text, pending[0] if pending is not None else start + cursor, end)
            if s < e:
                yield s, e
            return
        cursor = found + len(core)
        if pending is not None and core[0] in _NEVER_FIRST:
            # No sentence opens with a comma: pysbd cut after an abbreviation inside one, as in AP style's
            # "Sen. Tim Kaine, D-Va., said ..." (cut after "D-Va."), so the two pieces are one sentence.
            pending = (pending[0], start + cursor)
            continue
        if pending is not None:
            yield pending
        pending = (start + found, start + cursor)
    if pending is not None:
        yield pending


def _split_closing_quotes(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    last = start
    for match in _CLOSING_SINGLE.finditer(text, start, end):
        yield last, match.start()
        last = match.end()
    yield last, end


def sentence_offsets(text: str, max_chars: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int, int]]:
    """(start, end, block number) of every sentence, in order."""
    out: list[tuple[int, int, int]] = []
    for block_no, (b_start, b_end) in enumerate(_blocks(text)):
        for c_start, c_end in _chunks(text, b_start, b_end, _BLOCK_CHUNK):
            for s_start, s_end in _sentences_in(text, c_start, c_end):
                for q_start, q_end in _split_closing_quotes(text, s_start, s_end):
                    for p_start, p_end in _chunks(text, q_start, q_end, max_chars):
                        s, e = _trimmed(text, p_start, p_end)
                        if s < e:
                            out.append((s, e, block_no))
    return out


def segment(text: str, max_chars: int = MAX_SENTENCE_CHARS) -> list[Span]:
    """Every sentence of ``text`` as a Span with exact offsets, its 1-based line and its paragraph."""
    starts = line_starts(text)
    return [Span(s, e, line_of(starts, s), block) for s, e, block in sentence_offsets(text, max_chars)]


def passage_windows(n_sentences: int, size: int, stride: int) -> list[tuple[int, int]]:
    """Windows of ``size`` consecutive sentences (first, last inclusive) every ``stride`` sentences.

    The last window always reaches the last sentence, so every sentence belongs to some passage.
    """
    if n_sentences <= 0:
        return []
    if n_sentences <= size:
        return [(0, n_sentences - 1)]
    windows = [(i, i + size - 1) for i in range(0, n_sentences - size + 1, stride)]
    if windows[-1][1] != n_sentences - 1:
        windows.append((n_sentences - size, n_sentences - 1))
    return windows
