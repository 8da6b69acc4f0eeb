"""The paragraph around a quote, for "show context": pure, from the loaded index only.

A quote is located by the source it cites and its character offsets, and checked against the text it had:
if the article changed since, the same text is looked up again in the current version of that article.
Everything comes from the index's stored texts; a source name is only ever compared with the names the index
holds, never opened as a path.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from retrieval.index.reader import IndexData

MIN_SENTENCES = 3  # fewer in the quote's paragraph: the neighbouring paragraphs are shown as well
MAX_WIDENING = 2  # paragraphs added on each side at most


@dataclass(frozen=True)
class QuoteContext:
    """``before + quote + after`` is the paragraph (or paragraphs) the quote stands in, verbatim."""

    source: str
    line: int  # 1-based line of the quote's first sentence
    before: str
    quote: str
    after: str


def _source_id(index: IndexData, source: str) -> int | None:
    for row_no, row in enumerate(index.sources):
        if row.source == source:
            return row_no
    return None


def quote_context(
    index: IndexData, source: str, start: int, end: int, text: str, min_sentences: int = MIN_SENTENCES
) -> QuoteContext | None:
    """The paragraph around the quote ``text`` that stood at ``source[start:end]``.

    When that paragraph has fewer than ``min_sentences`` sentences (news articles often give each sentence
    its own paragraph), the paragraphs before and after are added too, up to ``MAX_WIDENING`` on each side.
    None when the index has no such source, or the source no longer holds ``text`` on sentence boundaries.
    """
    sid = _source_id(index, source)
    if sid is None or not text:
        return None
    t = index.tables
    rows = np.arange(int(t.doc_first[sid]), int(t.doc_stop[sid]), dtype=np.int64)  # a source's sentences
    if not len(rows):
        return None
    body = index.article(sid)
    infos = index.sentences.infos(rows.tolist())
    starts = np.fromiter((s.start for s in infos), dtype=np.int64, count=len(rows))
    ends = np.fromiter((s.end for s in infos), dtype=np.int64, count=len(rows))
    if body[start:end] != text:
        found = body.find(text)
        if found < 0:
            return None
        start, end = found, found + len(text)
    first = np.flatnonzero(starts == start)
    last = np.flatnonzero(ends == end)
    if not len(first) or not len(last) or last[-1] < first[0]:
        return None
    i, j = int(first[0]), int(last[-1])
    paragraphs = np.fromiter((s.paragraph for s in infos), dtype=np.int64, count=len(rows))
    order = np.unique(paragraphs)  # the source's paragraphs that have sentences, in order
    a, b = int(np.searchsorted(order, paragraphs[i])), int(np.searchsorted(order, paragraphs[j]))
    for _ in range(MAX_WIDENING):
        within = int(np.count_nonzero((paragraphs >= order[a]) & (paragraphs <= order[b])))
        if within >= min_sentences or (a == 0 and b == len(order) - 1):
            break
        a, b = max(a - 1, 0), min(b + 1, len(order) - 1)
    in_para = np.flatnonzero((paragraphs >= order[a]) & (paragraphs <= order[b]))
    lo, hi = int(starts[in_para[0]]), int(ends[in_para[-1]])
    return QuoteContext(
        source=source,
        line=infos[i].line,
        before=body[lo:start],
        quote=body[start:end],
        after=body[end:hi],
    )
