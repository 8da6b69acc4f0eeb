"""retrieval/search/context.py: the paragraph around a quote, located from the index's stored texts only."""

from __future__ import annotations

from pathlib import Path

import pytest

from retrieval.index.reader import IndexData, load_index
from retrieval.search.context import quote_context
from tests.support.bot_harness import SEG, build_test_index
from tests.support.fake_embedder import FakeEmbedder

ARTICLE = (
    "Title line\n"
    "\n"
    "First paragraph one. First paragraph two. First paragraph three.\n"
    "\n"
    "Lonely sentence.\n"
    "\n"
    "Last paragraph one. Last paragraph two.\n"
)


@pytest.fixture()
def index(tmp_path: Path) -> IndexData:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(ARTICLE)
    build_test_index(corpus, tmp_path / "index")
    return load_index(tmp_path / "index", FakeEmbedder().name, SEG)


def at(text: str) -> tuple[int, int]:
    start = ARTICLE.index(text)
    return start, start + len(text)


def test_a_paragraph_of_three_sentences_is_the_context(index: IndexData) -> None:
    ctx = quote_context(index, "a.txt", *at("First paragraph two."), "First paragraph two.")
    assert ctx is not None
    assert (ctx.before, ctx.quote, ctx.after) == ("First paragraph one. ", "First paragraph two.",
                                                  " First paragraph three.")
    assert ctx.line == 3 and ctx.source == "a.txt"


def test_a_lonely_sentence_gets_the_paragraphs_around_it(index: IndexData) -> None:
    ctx = quote_context(index, "a.txt", *at("Lonely sentence."), "Lonely sentence.")
    assert ctx is not None
    assert ctx.before == "First paragraph one. First paragraph two. First paragraph three.\n\n"
    assert ctx.after == "\n\nLast paragraph one. Last paragraph two."
    assert ctx.before + ctx.quote + ctx.after in ARTICLE


def test_a_moved_sentence_is_found_again_and_a_gone_one_is_none(index: IndexData) -> None:
    moved = quote_context(index, "a.txt", 0, 10, "Last paragraph two.")  # stale offsets, same text
    assert moved is not None and moved.quote == "Last paragraph two." and moved.line == 7
    assert quote_context(index, "a.txt", *at("Lonely sentence."), "A sentence never written.") is None
    assert quote_context(index, "a.txt", 3, 9, "le li") is None  # not on sentence boundaries


@pytest.mark.parametrize("source", ["b.txt", "../a.txt", "/etc/passwd", "corpus/a.txt", ""])
def test_only_sources_of_the_index_are_known(index: IndexData, source: str) -> None:
    assert quote_context(index, source, *at("Lonely sentence."), "Lonely sentence.") is None
