"""PDF (.pdf): the text layer, read by pypdf, laid out as paragraphs.

pypdf gives the text of each page line by line, in the order the page draws it (for most PDFs, reading
order, columns included); a visitor records where each line stands (its baseline) and how large its type
is. From that:
- Page furniture goes: on every page the two top and two bottom lines are candidates; a candidate whose
  text (digits ignored) stands at the top or bottom of at least half the pages, and of two pages at
  least, is a running header or footer, and a candidate that is only a page number ("7", "Page 7 of 9",
  "- 7 -") is one on any page.
- Lines are joined into paragraphs: a new paragraph starts where the type size changes (a headline), where
  the gap to the previous line is clearly larger than the usual line spacing of that size, or where a
  short line ends a sentence (the last line of a paragraph) or is followed by a blank line. Across a page
  or column break, the lines join only when the first one stops mid-sentence.
- Within a paragraph, lines are joined with a space; a line ending in a hyphen after a letter, followed by
  a line starting in lower case, is joined without the hyphen ("negoti-" + "ations" -> "negotiations").
  A compound split at its own hyphen ("well-" + "known") loses its hyphen too: the PDF cannot tell which.
A PDF with pages but no text on any of them is a scan: Unloadable(NO_TEXT_LAYER). Limits: pypdf's
decompression and page-tree limits are set from LoadLimits (never calling outside programs such as
jbig2dec), pages beyond ``max_pages`` refuse the file, and the time budget is checked between pages.
"""

from __future__ import annotations

import io
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from retrieval.corpus.loaders.base import (
    Deadline,
    Loaded,
    LoadLimits,
    Reason,
    Unloadable,
    check_text_size,
    join_paragraphs,
    meta,
    tidy_line,
)

_PAGE_NUMBER = re.compile(r"(?:page|p\.|seite|pag\.?)?\s*[-–—(\[]?\s*#+\s*[-–—)\]]?(?:\s*(?:of|/|von)\s*#+)?", re.I)
_TERMINAL = ".!?…:;”’\"')]»"
_SIZE_CHANGE = 0.15  # a line whose type is 15% larger or smaller than the previous one starts a paragraph
_GAP_FACTOR = 1.3  # a gap 30% above the usual line spacing is a paragraph break
_SHORT_LINE = 0.75  # a sentence-ending line shorter than this share of the page's long lines ends a paragraph
_BLANK_LINE = 1.8  # a gap of this many type sizes after a short line is a blank line: a paragraph break
_FILE_NAME_TITLE = re.compile(
    r"(?:^microsoft (?:word|powerpoint) - |\.(?:docx?|pdf|indd|rtf|odt|txt|qxp)$|^untitled)", re.I
)


@dataclass(frozen=True)
class PdfLine:
    """One line of a page as pypdf extracted it: its text, baseline height and type size."""

    text: str
    y: float
    size: float
    page: int


def _matrix_y(cm: Sequence[float], tm: Sequence[float]) -> tuple[float, float]:
    """(baseline y on the page, vertical scale) of text drawn at text matrix ``tm`` under ``cm``."""
    y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
    scale = math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
    return y, scale or 1.0


def _page_lines(page: Any, page_no: int) -> list[PdfLine]:
    lines: list[PdfLine] = []
    parts: list[str] = []
    where: tuple[float, float] | None = None

    def end_line() -> None:
        nonlocal parts, where
        text = tidy_line("".join(parts))
        if text and where is not None:
            lines.append(PdfLine(text, where[0], where[1], page_no))
        parts, where = [], None

    def visit(text: str, cm: Sequence[float], tm: Sequence[float], _font: object, font_size: float) -> None:
        nonlocal where
        pieces = text.split("\n")
        for i, piece in enumerate(pieces):
            if i:
                end_line()
            if piece.strip() and where is None:
                y, scale = _matrix_y(cm, tm)
                where = (y, abs(float(font_size)) * scale)
            parts.append(piece)

    page.extract_text(visitor_text=visit)
    end_line()
    return lines


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _edge_lines(lines: Sequence[PdfLine]) -> list[PdfLine]:
    """The two top and two bottom lines of one page (by baseline, not by drawing order)."""
    by_height = sorted(lines, key=lambda line: line.y)
    return list({id(line): line for line in [*by_height[:2], *by_height[-2:]]}.values())


def drop_furniture(pages: Sequence[Sequence[PdfLine]]) -> list[list[PdfLine]]:
    """Each page's lines without running headers, footers and page numbers (see the module's docstring)."""
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({_furniture_key(line.text) for line in _edge_lines(lines)})
    needed = max(2, math.ceil(len(pages) / 2))
    out: list[list[PdfLine]] = []
    for lines in pages:
        edges = {id(line) for line in _edge_lines(lines)}
        kept = []
        for line in lines:
            key = _furniture_key(line.text)
            if id(line) in edges and (counts[key] >= needed or _PAGE_NUMBER.fullmatch(key)):
                continue
            kept.append(line)
        out.append(kept)
    return out


def _usual_spacing(lines: Sequence[PdfLine]) -> dict[float, float]:
    """The usual line spacing of each type size: the lower quartile of the gaps between consecutive lines
    of that size on one page (paragraph gaps are the larger ones; the quartile ignores them as long as a
    quarter of the gaps are plain line breaks)."""
    gaps: dict[float, list[float]] = {}
    for a, b in itertools.pairwise(lines):
        if a.page == b.page and _same_size(a, b) and a.y > b.y:
            gaps.setdefault(round(a.size, 1), []).append(a.y - b.y)
    return {size: sorted(gap)[len(gap) // 4] for size, gap in gaps.items()}


def _same_size(a: PdfLine, b: PdfLine) -> bool:
    return abs(a.size - b.size) <= _SIZE_CHANGE * max(a.size, b.size)


def _ends_sentence(text: str) -> bool:
    return text.endswith(tuple(_TERMINAL))


def _starts_paragraph(a: PdfLine, b: PdfLine, spacing: dict[float, float], long_line: dict[int, int]) -> bool:
    """Whether line ``b`` starts a new paragraph after line ``a``."""
    if a.page != b.page or b.y >= a.y:  # a page or column break: join only a sentence that runs on
        return _ends_sentence(a.text)
    if not _same_size(a, b):
        return True
    gap = a.y - b.y
    usual = spacing.get(round(a.size, 1))
    if usual is not None and gap > _GAP_FACTOR * usual:
        return True
    # A short line ends its paragraph when it ends a sentence, or when a blank line's worth of space follows
    # it (a heading over text set with blank lines only, where no gap is larger than the usual one).
    short = len(a.text) < _SHORT_LINE * long_line.get(a.page, 0)
    return short and (_ends_sentence(a.text) or gap >= _BLANK_LINE * a.size)


def join_lines(a: str, b: str) -> str:
    """Two lines of one paragraph as one: without a hyphen that only broke a word, else with a space."""
    if len(a) > 1 and a[-1] in "-\u00ad" and a[-2].isalpha() and b[:1].islower():
        return a[:-1] + b
    if a.endswith("\u00ad"):
        return a[:-1] + b
    return f"{a} {b}"


def paragraphs(lines: Sequence[PdfLine]) -> Iterator[str]:
    """The lines of a document (furniture already dropped) joined into paragraphs."""
    if not lines:
        return
    spacing = _usual_spacing(lines)
    long_line: dict[int, int] = {}
    for line in lines:
        long_line[line.page] = max(long_line.get(line.page, 0), len(line.text))
    current = lines[0].text
    for a, b in itertools.pairwise(lines):
        if _starts_paragraph(a, b, spacing, long_line):
            yield current
            current = b.text
        else:
            current = join_lines(current, b.text)
    yield current


def _title(raw: object) -> str | None:
    """The document's Title entry, unless it is a file name or a placeholder that the producer wrote."""
    title = meta(raw)
    return None if title is None or _FILE_NAME_TITLE.search(title) else title


def _read(data: bytes, limits: LoadLimits) -> Loaded:
    from pypdf import PdfReader

    deadline = Deadline(limits)
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        try:
            opened = bool(reader.decrypt(""))  # many PDFs are encrypted for permissions only, no password
        except Exception as exc:  # pypdf raises DependencyError for AES without a crypto library
            raise Unloadable(Reason.ENCRYPTED, f"encrypted, cannot be opened ({exc})") from exc
        if not opened:
            raise Unloadable(Reason.ENCRYPTED, "encrypted with a password")
    declared = len(reader.pages)  # the page tree's /Count, before the tree is walked
    if declared > limits.max_pages:
        raise Unloadable(Reason.TOO_LARGE, f"{declared} pages, more than {limits.max_pages}")
    pages: list[list[PdfLine]] = []
    chars = 0
    for page_no, page in enumerate(reader.pages, start=1):
        if page_no > limits.max_pages:  # the walked tree may hold more pages than /Count said
            raise Unloadable(Reason.TOO_LARGE, f"more than {limits.max_pages} pages")
        deadline.check(f"page {page_no}")
        lines = _page_lines(page, page_no)
        chars += sum(len(line.text) for line in lines)
        check_text_size(chars, limits)
        pages.append(lines)
    if not pages:
        raise Unloadable(Reason.EMPTY, "no pages")
    if chars == 0:
        raise Unloadable(Reason.NO_TEXT_LAYER, f"{len(pages)} page(s) without text (a scan?)")
    kept = [line for page_lines in drop_furniture(pages) for line in page_lines]
    text = join_paragraphs(paragraphs(kept))
    if not text:
        raise Unloadable(Reason.EMPTY, "no text besides page headers and numbers")
    info = reader.metadata
    date = info.creation_date if info is not None else None
    return Loaded(
        text=text,
        title=_title(info.title) if info is not None else None,
        date=date.date().isoformat() if date is not None else None,
        author=meta(info.author) if info is not None else None,
    )


def load_pdf(data: bytes, limits: LoadLimits) -> Loaded:
    from pypdf import apply_configuration
    from pypdf.errors import LimitReachedError

    cap = limits.max_uncompressed_bytes
    # Scoped to this call (a context variable): other threads' pypdf use keeps its own settings.
    with apply_configuration(
        maximum_declared_stream_length=cap,
        array_based_stream_maximum_output_length=cap,
        jbig2_maximum_output_length=cap,
        lzw_maximum_output_length=cap,
        run_length_maximum_output_length=cap,
        zlib_maximum_output_length=cap,
        brotli_maximum_output_length=cap,
        image_maximum_buffer_size=cap,
        stream_decoding_work_maximum_length=cap * 2,
        page_tree_maximum_entries=limits.max_pages * 4,
        jbig2dec_binary=None,
    ):
        try:
            return _read(data, limits)
        except LimitReachedError as exc:
            raise Unloadable(Reason.TOO_LARGE, f"past a safety limit ({exc})") from exc
