"""The cross-encoder reranker with the shipped model file: relevance order, batch order, a missing file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from retrieval.embed.reranker import MODEL_PATH, CrossEncoder, Pair, load_reranker, pair_text

pytestmark = pytest.mark.model

QUESTION = "When did the bridge open to traffic?"
RELEVANT = "The bridge opened to traffic in May 1932, after four years of work."
IRRELEVANT = "Farmers in the valley plant rice after the spring flood."


@pytest.fixture(scope="module")
def model() -> CrossEncoder:
    loaded = load_reranker()
    assert loaded is not None, f"the reranker ships in the package: {MODEL_PATH}"
    return loaded


def test_a_relevant_sentence_scores_above_an_irrelevant_one(model: CrossEncoder) -> None:
    scores = model.score([Pair(QUESTION, pair_text(IRRELEVANT)), Pair(QUESTION, pair_text(RELEVANT))])
    assert scores.shape == (2,) and scores[1] > scores[0]


def test_the_speaker_context_moves_the_score(model: CrossEncoder) -> None:
    question = "What did Smith say about the budget?"
    quote = '"We cannot afford another year like this one."'
    with_smith = pair_text(quote, "John Smith", "Smith said the budget was the worst in a decade.")
    with_jones = pair_text(quote, "Mary Jones", "Jones said the budget was the worst in a decade.")
    scores = model.score([Pair(question, with_jones), Pair(question, with_smith)])
    assert scores[1] > scores[0]


def test_scores_do_not_depend_on_the_order_of_the_batch(model: CrossEncoder) -> None:
    passages = [RELEVANT, IRRELEVANT, "The bridge carries six lanes.", "It was painted red in 1935.", "Rain."]
    pairs = [Pair(QUESTION, pair_text(p)) for p in passages]
    forward = model.score(pairs)
    backward = model.score(pairs[::-1])[::-1]
    np.testing.assert_allclose(forward, backward, rtol=1e-4, atol=1e-4)
    assert model.score([]).shape == (0,)


def test_a_missing_model_file_gives_no_reranker(tmp_path: Path) -> None:
    assert load_reranker(tmp_path / "absent.onnx") is None


def test_pair_text_keeps_the_sentence_and_names_the_speaker() -> None:
    assert pair_text("It rained.") == "It rained."
    text = pair_text('"No," he said.', "Ann Lee", "Lee spoke in Paris.")
    assert text.startswith("(Ann Lee) ") and '"No," he said.' in text and "[Lee spoke in Paris.]" in text
