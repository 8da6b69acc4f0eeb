"""A fault in the speaker rules must not stop an index: the article goes in without speakers, with one log line."""

from __future__ import annotations

import logging

import pytest

from retrieval.corpus.segment import segment
from retrieval.index import attribution


def test_an_analysis_fault_leaves_the_article_unattributed(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    text = "“We are ready,” Okafor said. The vote passed on Monday."
    spans = segment(text)

    def broken(text: str, spans: object) -> object:
        raise IndexError("tuple index out of range")

    monkeypatch.setattr(attribution, "analyze_article", broken)
    with caplog.at_level(logging.WARNING):
        a = attribution.attribute(text, spans)
    assert a.speakers == (None,) * len(spans) and a.mentions == ("[]",) * len(spans) and a.people == "{}"
    assert "speaker analysis failed" in caplog.text and "IndexError" in caplog.text


def test_a_sound_article_is_attributed() -> None:
    text = "“We are ready,” Okafor said. The vote passed on Monday."
    a = attribution.attribute(text, segment(text))
    assert a.speakers[0] == "Okafor" and len(a.speakers) == len(segment(text))
