"""Choosing quotes from ranked sentences: one quote per distinct sentence, with every place it stands.

Pure: works on the loaded index's arrays and a ranking; returns Quote records whose text is always
``source_text[start:end]`` of the citation it carries.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from retrieval.reader import IndexData
from retrieval.records import Citation, Quote

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Ranked:
    sentence_id: int
    score: float


def sameness_key(text: str) -> str:
    """Sentences with the same key are the same sentence (white space and case aside)."""
    return _SPACE.sub(" ", text).strip().casefold()


def build_quotes(index: IndexData, ranked: Sequence[Ranked], limit: int) -> list[Quote]:
    """Up to ``limit`` quotes, best first; repeats of a sentence in other files join its ``sources``."""
    groups: dict[str, list[Ranked]] = {}
    order: list[str] = []
    for item in ranked:
        key = sameness_key(index.text(item.sentence_id))
        if key not in groups:
            if len(order) >= limit:
                continue
            groups[key] = []
            order.append(key)
        groups[key].append(item)
    quotes: list[Quote] = []
    for key in order:
        members = groups[key]
        best = members[0]
        citations: list[Citation] = []
        seen_sources: set[str] = set()
        for m in members:
            c = index.citation(m.sentence_id, m.sentence_id)
            if c.source not in seen_sources:
                seen_sources.add(c.source)
                citations.append(c)
        first = citations[0]
        quotes.append(
            Quote(
                text=index.text(best.sentence_id),
                source=first.source,
                start=first.start,
                end=first.end,
                line=first.line,
                score=round(best.score, 4),
                sentence_ids=(best.sentence_id,),
                speaker=index.speakers[best.sentence_id],
                sources=tuple(citations),
            )
        )
    return quotes
