"""Page furniture (retrieval/lang/en/furniture.py) is never quoted; a headline still is."""

from __future__ import annotations

from pathlib import Path

from retrieval.corpus.segment import SegmentationSettings
from retrieval.index.builder import build_index
from retrieval.index.reader import load_index
from retrieval.lang.en.furniture import is_page_furniture
from retrieval.search.engine import Engine, EngineConfig
from tests.lang.test_furniture import ARTICLE
from tests.support.fake_embedder import FakeEmbedder


def test_furniture_is_never_quoted(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "harbour.txt").write_text(ARTICLE, encoding="utf-8")
    emb, seg = FakeEmbedder(), SegmentationSettings()
    build_index(corpus, tmp_path / "index", emb, seg)
    # Answer everything, so that only the furniture rule can keep a sentence out.
    engine = Engine(load_index(tmp_path / "index", emb.name, seg), emb, EngineConfig(min_best_dense=-1.0))
    answer = engine.ask("Share related stories, comments, council harbour budget by Anna Kowalski", k=10)
    quoted = [q.text for q in answer.quotes]
    assert "Council Approves Harbour Budget" in quoted  # a headline stays quotable
    assert "The mayor, Tom Baker, said the harbour would reopen in June." in quoted
    assert not [t for t in quoted if is_page_furniture(t)], quoted
    assert len(quoted) == 2
