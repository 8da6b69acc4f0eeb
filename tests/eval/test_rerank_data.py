"""The reranker's training data: groups come from SQuAD's first 24 articles only, and a group's gold sentence
is never among its negatives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retrieval.eval.reqa import TUNING_ARTICLES
from retrieval.eval.rerank_data import Group, Mining, articles_of, read_groups, squad_groups, write_groups

pytestmark = pytest.mark.model

TOPICS = ["bridge", "river", "castle", "harbour", "orchard", "glacier", "library", "railway", "volcano", "market",
          "forest", "island", "canal", "tower", "desert", "lighthouse", "vineyard", "mine", "cathedral", "dam",
          "airport", "museum", "stadium", "garden", "observatory", "monastery"]


def squad_file(path: Path) -> Path:
    data = []
    for n, topic in enumerate(TOPICS):
        context = f"The {topic} of article {n} was built in {1800 + n}. It is known as the marker{n} {topic}."
        start = context.index(str(1800 + n))
        data.append({"title": topic, "paragraphs": [{"context": context, "qas": [
            {"id": f"q{n}", "question": f"When was the {topic} built?",
             "answers": [{"answer_start": start, "text": str(1800 + n)}]}]}]})
    path.write_text(json.dumps({"version": "1.1", "data": data}), encoding="utf-8")
    return path


def test_squad_groups_never_hold_a_held_out_article(tmp_path: Path) -> None:
    assert len(TOPICS) > TUNING_ARTICLES
    groups = squad_groups(squad_file(tmp_path / "dev.json"), tmp_path / "work", Mining(hard=6, random=2))
    assert len(groups) == TUNING_ARTICLES
    assert articles_of(groups) == frozenset(f"squad:a{n:02d}" for n in range(TUNING_ARTICLES))
    texts = [t for g in groups for t in (g.question, *g.positives, *g.negatives)]
    for held_out in range(TUNING_ARTICLES, len(TOPICS)):
        assert not any(f"article {held_out} " in t or f"marker{held_out} " in t for t in texts)
        assert not any(TOPICS[held_out] in t for t in texts)
    for g in groups:
        n = int(g.article[-2:])
        assert g.positives == (f"The {TOPICS[n]} of article {n} was built in {1800 + n}.",)
        assert g.negatives and not set(g.negatives) & set(g.positives)


def test_groups_survive_a_round_trip(tmp_path: Path) -> None:
    groups = [Group("q?", ("yes.",), ("no.", "never."), "squad:a03", 1)]
    write_groups(groups, tmp_path / "g.jsonl")
    assert read_groups(tmp_path / "g.jsonl") == groups
