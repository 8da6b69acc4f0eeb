"""Choosing quotes from ranked sentences: one quote per distinct sentence, with every place it stands.

Pure: works on the loaded index's sentences (retrieval/index/fields.py) and a ranking; returns Quote records
whose text is always ``source_text[start:end]`` of the citation it carries. The same sentence, or a near duplicate of it
(dedupe.py: same numbers, names and negations, nearly the same words), in other files or places joins the
quote's ``sources`` instead of taking another result's place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from retrieval.index.reader import IndexData
from retrieval.lang.en.dedupe import Signature, near_duplicates, signature
from retrieval.lang.en.speakers.quotes import is_attribution_only, quoted_share
from retrieval.records import Citation, Quote


def with_attribution(index: IndexData, sentence_id: int) -> tuple[int, int]:
    """The sentences a quote of ``sentence_id`` spans: itself, with the attribution that stands alone next to
    it ("'We will win.' / Smith said." or a "— Name" line) and, for such an attribution, the quotation before
    it. Only neighbours in the same article."""
    first = last = sentence_id
    same = index.sent_source
    n = index.n_sentences
    if is_attribution_only(index.text(sentence_id)):
        if sentence_id > 0 and same[sentence_id - 1] == same[sentence_id]:
            first = sentence_id - 1
    elif sentence_id + 1 < n and same[sentence_id + 1] == same[sentence_id] and quoted_share(
        index.text(sentence_id)
    ) > 0 and is_attribution_only(index.text(sentence_id + 1)):
        last = sentence_id + 1
    return first, last


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
        # A sentence that stands in one place takes its stand-alone attribution along (one span of the file);
        # one that stands in several keeps to itself, so that every place cited holds the same words.
        first, last = with_attribution(index, main_id) if len(places) == 1 else (main_id, main_id)
        if (first, last) != (main_id, main_id):
            whole = index.citation(first, last)
            places = [(whole, main_id), *((c, sid) for c, sid in places if c != main)]
            main = whole
        ordered = (main, *(c for c, _ in places if c != main))
        ids = tuple(range(first, last + 1))
        quotes.append(
            Quote(
                # one sentence: its own text (= its article's text[start:end]); more: the article's span
                text=index.text(main_id) if first == last else index.article(int(index.sent_source[main_id]))[
                    main.start : main.end],
                source=main.source,
                start=main.start,
                end=main.end,
                line=main.line,
                score=round(best.score, 4),
                sentence_ids=ids,
                speaker=next((s for s in map(index.speaker, (main_id, *ids)) if s), None),
                sources=ordered,
            )
        )
    return quotes
