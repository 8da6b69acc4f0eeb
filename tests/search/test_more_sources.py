"""A sentence that stands in more files than an answer's candidates hold: the quote lists the places it
found and says how many more there are ("and N more"), in text and JSON (the chat: test_bot_format.py);
it never cuts silently."""

from __future__ import annotations

import json
from pathlib import Path

from retrieval.cli.render import answer_json, answer_text
from retrieval.corpus.segment import SegmentationSettings
from retrieval.index.builder import build_index
from retrieval.index.reader import load_index
from retrieval.search.engine import Engine, EngineConfig
from tests.support.fake_embedder import FakeEmbedder

SEG = SegmentationSettings()
COPIES = 150
SENTENCE = "The harbour bridge will reopen in May after repairs."


def test_a_sentence_in_150_files_says_how_many_more_places_it_has(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(COPIES):
        (corpus / f"copy{i:03d}.txt").write_text(f"Wire story {i}\n\n{SENTENCE}\n", encoding="utf-8")
    emb = FakeEmbedder()
    build_index(corpus, tmp_path / "index", emb, SEG)
    engine = Engine(load_index(tmp_path / "index", emb.name, SEG), emb,
                    EngineConfig(min_best_dense=-1.0, min_quote_dense=-1.0))
    answer = engine.ask("harbour bridge reopen May repairs", k=1)
    [quote] = answer.quotes
    assert quote.text == SENTENCE
    listed = len(quote.citations)
    assert 1 < listed < COPIES  # the answer's candidates held only some of the places ...
    assert listed + quote.more_sources == COPIES  # ... and the others are counted
    assert json.loads(answer_json(answer))["quotes"][0]["more_sources"] == COPIES - listed
    also_in = next(line for line in answer_text(answer).splitlines() if "also in:" in line)
    assert also_in.count(".txt, line") == 10 and also_in.endswith(f"; and {COPIES - 11} more")
