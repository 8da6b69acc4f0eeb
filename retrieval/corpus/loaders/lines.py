"""Line numbers that count CR, LF and CRLF alike.

A file saved on an old Mac ends its lines with CR alone, a Windows one with CRLF, everything else with LF.
Counting only LF would put every sentence of a CR-only file on line 1. Other Unicode line separators
(U+2028, form feed, ...) do not start a line here: editors and ``wc -l`` do not count them either.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator, Sequence

LINE_BREAK = re.compile(r"\r\n|\r|\n")


def line_starts(text: str) -> list[int]:
    """Offset of the first character of every line; line 1 starts at 0. A break at the very end of the
    text starts one more (empty) line, as it does in an editor."""
    return [0, *(m.end() for m in LINE_BREAK.finditer(text))]


def line_of(starts: Sequence[int], offset: int) -> int:
    """1-based line number of a character offset, given ``line_starts``."""
    return bisect.bisect_right(starts, offset)


def line_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of every line without its break, in order (what ``_blocks`` of a segmenter walks)."""
    pos = 0
    for match in LINE_BREAK.finditer(text):
        yield pos, match.start()
        pos = match.end()
    yield pos, len(text)
