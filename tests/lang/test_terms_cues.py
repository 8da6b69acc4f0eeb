"""Terms (light stemming, BM25 tables over sentences, paragraphs, documents) and answer-type cues."""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.index.terms import Lookup, Postings, build_term_tables, column_sum, presence
from retrieval.lang.en.cues import KINDS, holds_new, question_kind, sentence_cues
from retrieval.lang.en.tokens import stem, terms


def test_stem_joins_inflections_only() -> None:
    assert stem("founded") == stem("found") == "found"
    assert stem("warning") == stem("warned") == stem("warns") == "warn"
    assert stem("warnings") == "warning"  # one ending is stripped, never two
    assert stem("countries") == "country"
    assert stem("boxes") == "box" and stem("cases") == "case"
    assert stem("stopped") == "stop"
    assert stem("bus") == "bus" and stem("analysis") == "analysis"


def test_terms_drop_stop_words_and_possessives() -> None:
    assert terms("What did Putin's aides say about the warning?") == ["putin", "aide", "warn"]


def test_bm25_tables_score_sentences_paragraphs_and_documents() -> None:
    texts = ["Putin warned Rutte.", "Rutte spoke in Brussels.", "Tusk met Rutte in Warsaw.", "Rain fell."]
    tables = build_term_tables(texts, paragraph_of=np.array([0, 0, 1, 2]), document_of=np.array([0, 0, 0, 1]))
    cols, idf = tables.query_columns("What did Putin say in Warsaw?")
    assert len(cols) == 2 and np.all(idf > 0)
    sent = column_sum(tables.sentence_bm25, cols).dense(4)
    assert sent[0] > 0 and sent[2] > 0 and sent[1] == 0 and sent[3] == 0
    para = column_sum(tables.paragraph_bm25, cols).dense(3)
    assert para[0] > 0 and para[1] > 0 and para[2] == 0
    doc = column_sum(tables.document_bm25, cols).dense(2)
    assert doc[0] > 0 and doc[1] == 0
    assert tables.all_known("Rutte") and not tables.all_known("Macron") and not tables.all_known("the")
    assert len(tables.query_bigrams("Tusk met Rutte")) == 2 and len(tables.query_bigrams("Rutte met Tusk")) == 0


@settings(max_examples=60, deadline=None)
@given(
    matrix=st.lists(st.lists(st.sampled_from([0.0, 0.0, 0.0, 0.5, 1.25, 3.0]), min_size=5, max_size=5),
                    min_size=1, max_size=12),
    cols=st.lists(st.integers(0, 4), max_size=4, unique=True),
    ids=st.lists(st.integers(0, 11), max_size=8),
)
def test_sparse_column_sums_and_presence_equal_the_dense_computation(
    matrix: list[list[float]], cols: list[int], ids: list[int]
) -> None:
    dense = np.array(matrix)
    n = len(dense)
    ids_arr = np.array([i for i in ids if i < n], dtype=np.int64)
    cols_arr = np.array(sorted(cols), dtype=np.int64)
    postings = Postings.of(sp.csc_matrix(dense))
    total = column_sum(postings, cols_arr)
    assert np.allclose(total.dense(n), dense[:, cols_arr].sum(axis=1))
    assert np.allclose(total.at(ids_arr), dense[ids_arr][:, cols_arr].sum(axis=1))
    assert np.array_equal(presence(postings, cols_arr, ids_arr), (dense[ids_arr][:, cols_arr] > 0).T)


def test_lookup_finds_every_key_and_nothing_else() -> None:
    keys = {f"term{i}": i * 3 for i in range(500)} | {"putin rutte": 7, "’quoted’": 11, "": 13}
    lookup = Lookup.of(keys)
    assert lookup.find(list(keys)) == list(keys.values())
    assert lookup.find(["term500", "putin", "rutte putin"]) == [None, None, None]
    assert Lookup.of({}).find(["a"]) == [None]


def test_question_kinds() -> None:
    def kinds(q: str) -> list[str]:
        return [k for k, f in zip(KINDS, question_kind(q).flags, strict=True) if f]

    assert kinds("When was the broadcast?") == ["date"]
    assert kinds("In what year did the war end?") == ["date"]
    assert kinds("How many troops were sent?") == ["number"]
    assert kinds("Who accused Moscow of sabotage?") == ["person"]
    assert kinds("Where did Rutte speak?") == ["place"]
    assert kinds("What did Putin say about Rutte?") == []


def test_sentence_cues() -> None:
    cues = sentence_cues([
        "The broadcast was on December 19, 2025.",
        "Germany approved a fund of 500 billion euros.",
        "He met Donald Tusk in Warsaw.",
        "it rained.",
    ])
    assert cues[0, 0] == 1 and cues[1, 1] == 1 and cues[2, 2] == 1 and cues[2, 3] == 1
    assert cues[3].sum() == 0


def test_a_sentence_answers_a_kind_only_with_something_the_question_does_not_say() -> None:
    def answers(text: str, question: str) -> bool:
        return holds_new(text, question, question_kind(question))

    who = "Who was appointed children's commissioner for England?"
    assert not answers("The first children's commissioner for England has been appointed.", who)
    assert answers("Professor Al Aynsley-Green will take up the post.", who)
    when = "When will the commissioner take up the post?"
    assert not answers("The first children's commissioner for England has been appointed.", when)
    for dated in ("He starts in March.", "He starts on Monday.", "He started two weeks ago.", "It began in 2004.",
                  "He starts next week."):
        assert answers(dated, when), dated
    assert not answers("Jobs will go by 2008.", "How many jobs will go by 2008?")
    assert answers("12,000 jobs will go by 2008.", "How many jobs will go by 2008?")
    assert not answers("The summit will be held next year.", "Where will the summit be held?")
    assert answers("It will take place in Geneva.", "Where will the summit be held?")
    assert answers("Anything at all.", "What did Putin say about Rutte?")  # no kind asked: any text answers
