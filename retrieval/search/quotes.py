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


def with_answer(index: IndexData, sentence_id: int, answers: Callable[[str], bool]) -> tuple[int, int]:
    """The sentences a quote of ``sentence_id`` spans for a question that asks for a kind of thing (a name, a
    date, a number, a place): itself and the next sentence of its article when it holds nothing of that kind
    beyond what the question says and the next one does (``answers``, cues.holds_new). News opens on a lead
    that restates the event ("The first children's commissioner for England has been appointed.") and gives
    the particulars after it ("Professor Al Aynsley-Green ... will take up the post in March"): the lead alone
    cannot answer "Who was appointed ...?". A sentence that answers, or whose next one does not, stands alone.
    (ReQA SQuAD's first 24 articles: where the first sentence holds no such thing and the next one does, the
    first is gold 31 times in 56 and the next 11, so the next one joins the quote rather than replacing it.)"""
    nxt = sentence_id + 1
    if nxt >= index.n_sentences or index.sent_source[nxt] != index.sent_source[sentence_id]:
        return sentence_id, sentence_id
    if answers(index.text(sentence_id)) or not answers(index.text(nxt)):
        return sentence_id, sentence_id
    return sentence_id, nxt


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
    answers: Callable[[str], bool] | None = None,
) -> list[Quote]:
    """Up to ``limit`` quotes, best first; near duplicates among the first ``scan`` ranked join ``sources``.

    ``key_of`` (dedupe.duplicate_key of a sentence, stored in the index) lets a sentence be compared only
    with the groups whose key is its own: the same groups as comparing with all, without most signatures.
    ``answers`` (a question that asks for a kind of thing): a sentence that holds none takes the next one
    along when that one does (``with_answer``); a later sentence already quoted that way is not repeated."""
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
    quoted: set[int] = set()  # sentences inside an earlier quote's span
    for h in heads:
        if ranked[h].sentence_id in quoted:
            continue
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
        if answers is not None and len(places) == 1 and (first, last) == (main_id, main_id):
            first, last = with_answer(index, main_id, answers)
            last = main_id if last in quoted else last  # the answer is an earlier quote already
        if (first, last) != (main_id, main_id):
            whole = index.citation(first, last)
            places = [(whole, main_id), *((c, sid) for c, sid in places if c != main)]
            main = whole
        ordered = (main, *(c for c, _ in places if c != main))
        ids = tuple(range(first, last + 1))
        quoted.update(ids)
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
