"""Choosing quotes from ranked sentences: one quote per distinct sentence, with every place it stands.

Pure: works on the loaded index's arrays and a ranking; returns Quote records whose text is always
``source_text[start:end]`` of the citation it carries. The same sentence, or a near duplicate of it
(dedupe.py: same numbers, names and negations, nearly the same words), in other files or places joins the
quote's ``sources`` instead of taking another result's place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from retrieval.index.reader import IndexData
from retrieval.lang.en.dedupe import Signature, near_duplicates, signature
from retrieval.records import Citation, Quote


@dataclass(frozen=True)
class Ranked:
    sentence_id: int
    score: float


def build_quotes(
    index: IndexData,
    ranked: Sequence[Ranked],
    limit: int,
    signature_of: Callable[[int], Signature] | None = None,
    threshold: float = 0.85,
    scan: int = 100,
    key_of: Callable[[int], int] | None = None,
) -> list[Quote]:
    """Up to ``limit`` quotes, best first; near duplicates among the first ``scan`` ranked join ``sources``.

    ``key_of`` (dedupe.duplicate_key of a sentence, stored in the index) lets a sentence be compared only
    with the groups whose key is its own: the same groups as comparing with all, without most signatures."""
    sig: Callable[[int], Signature] = signature_of or (lambda i: signature(index.text(i)))
    key: Callable[[int], int] = key_of or (lambda i: 0)
    heads: list[int] = []  # positions in ``ranked`` of each group's best member
    heads_by_key: dict[int, list[int]] = {}
    members: dict[int, list[int]] = {}
    for pos, item in enumerate(ranked[: max(scan, limit)]):
        same_key = heads_by_key.get(key(item.sentence_id), [])
        s = sig(item.sentence_id) if same_key else None
        for h in same_key:
            assert s is not None
            if near_duplicates(sig(ranked[h].sentence_id), s, threshold):
                members[h].append(pos)
                break
        else:
            if len(heads) < limit:
                heads.append(pos)
                heads_by_key.setdefault(key(item.sentence_id), []).append(pos)
                members[pos] = [pos]
    quotes: list[Quote] = []
    for h in heads:
        best = ranked[h]
        best_text = index.text(best.sentence_id)
        citations: dict[tuple[str, int], tuple[Citation, int]] = {}
        for pos in members[h]:
            sid = ranked[pos].sentence_id
            c = index.citation(sid, sid)
            citations.setdefault((c.source, c.start), (c, sid))
        # The quote stands where its exact text stands first (by file, then offset); other places follow.
        places = sorted(citations.values(), key=lambda cs: (cs[0].source, cs[0].start))
        main, main_id = next((c, sid) for c, sid in places if index.text(sid) == best_text)
        ordered = (main, *(c for c, _ in places if c != main))
        quotes.append(
            Quote(
                text=best_text,
                source=main.source,
                start=main.start,
                end=main.end,
                line=main.line,
                score=round(best.score, 4),
                sentence_ids=(main_id,),
                speaker=index.speakers[main_id],
                sources=ordered,
            )
        )
    return quotes
