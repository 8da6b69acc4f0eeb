"""Quotes are sacred: any quote the pipeline returns equals its source's decoded text[start:end]."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrieval.cli.render import answer_json
from retrieval.corpus.loaders.text import decode_text
from retrieval.corpus.segment import SegmentationSettings
from retrieval.index.builder import build_index
from retrieval.index.reader import load_index
from retrieval.lang.en.dedupe import near_duplicates, signature
from retrieval.lang.en.furniture import is_page_furniture
from retrieval.search.engine import Engine, EngineConfig
from tests.support.fake_embedder import FakeEmbedder

WORDS = ["Putin", "Rutte", "said", "NATO", "U.S.", "Mr.", "war", "the", "peace", "‘fatal’", "“we", "win”",
         "Café", "naïve", "Москва", "😀", "a", "of", "Dec.", "5", "—", "it's"]
ENDS = [".", "!", "?", ".’", ".”", '."', ""]

sentence = st.builds(
    lambda words, end: " ".join(words) + end,
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=12),
    st.sampled_from(ENDS),
)
paragraph = st.lists(sentence, min_size=1, max_size=4).map(" ".join)
article = st.builds(
    lambda paras, sep, enc: (sep.join(paras), enc),
    st.lists(paragraph, min_size=1, max_size=5),
    st.sampled_from(["\n", "\n\n", "\r\n", "\n  \n"]),
    st.sampled_from(["utf-8", "utf-8", "cp1252"]),
)
EMB = FakeEmbedder(dimension=32)
# the fake model's similarities are low; accept anything so that quotes always come back to be checked
# (and any language: the words drawn include Cyrillic ones, and this test is about quotes, not languages)
OPEN = EngineConfig(min_best_dense=-1.0, min_quote_dense=-1.0, question_languages=frozenset({"any"}))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(article, min_size=1, max_size=4), st.lists(st.sampled_from(WORDS), min_size=1, max_size=6))
def test_every_quote_is_the_exact_slice_of_its_source(articles: list[tuple[str, str]], question: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        corpus.mkdir()
        for i, (text, encoding) in enumerate(articles):
            data = text.encode(encoding, errors="replace") if encoding == "cp1252" else text.encode("utf-8")
            (corpus / f"art {i}.txt").write_bytes(data)
        build_index(corpus, Path(tmp) / "index", EMB, SegmentationSettings())
        engine = Engine(load_index(Path(tmp) / "index", EMB.name, SegmentationSettings()), EMB, OPEN)
        answer = engine.ask(" ".join(question), k=10)
        # OPEN answers everything: an index with a quotable sentence (one that is not page furniture, which is
        # never quoted) must give quotes, or this test would check nothing.
        index = engine.index
        if any(not is_page_furniture(index.text(i)) for i in range(index.n_sentences)):
            assert answer.answered and answer.quotes, answer.reason
        for quote in answer.quotes:
            for citation in quote.citations:
                decoded, _ = decode_text((corpus / citation.source).read_bytes())
                # every other place holds the same sentence or a near duplicate of it (dedupe.py)
                assert near_duplicates(signature(decoded[citation.start : citation.end]), signature(quote.text))
            decoded, _ = decode_text((corpus / quote.source).read_bytes())
            assert decoded[quote.start : quote.end] == quote.text
            assert quote.line == decoded.count("\n", 0, quote.start) + 1
        for q in json.loads(answer_json(answer))["quotes"]:
            decoded, _ = decode_text((corpus / q["source"]).read_bytes())
            assert decoded[q["start"] : q["end"]] == q["text"]
