"""The corpus/ question set (tests/data/corpus_questions.jsonl) is well formed and quotes the corpus exactly.

It is a development set: written with the speaker work, and the speaker rules and not-found thresholds were
tuned on it, so its figures (benchmarks/QUESTIONS.md) do not measure quality on new text.

Format, one JSON object per line:
  question    the question as a journalist would type it
  answerable  whether the corpus answers it
  speaker     the person whose words are asked for (full name as the corpus writes it, or as the question
              does when the corpus never names them), null when no one's words are asked for
  gold        [{"source": file name in corpus/, "text": exact sentence text}], empty when unanswerable
  kind        the question kind parse_question should give ("speech", "who", "when", ...)
  topic       for speech questions, the topic parse_question should give (null when none)
  note        optional: why the item is there (near misses, reversed roles)
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from retrieval.corpus.segment import segment
from retrieval.lang.en.question import KINDS

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
GOLD = ROOT / "tests" / "data" / "corpus_questions.jsonl"


def _rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for n, line in enumerate(GOLD.read_text(encoding="utf-8").splitlines(), start=1):
        assert line.strip(), f"blank line {n}"
        row = json.loads(line)
        assert isinstance(row, dict), n
        rows.append(row)
    return rows


def test_schema_and_size() -> None:
    rows = _rows()
    assert len(rows) >= 25
    assert sum(1 for r in rows if r["answerable"] is False) >= 8
    questions = [r["question"] for r in rows]
    assert len(set(questions)) == len(questions), "duplicate questions"
    for r in rows:
        assert {"question", "answerable", "speaker", "gold"} <= set(r), r
        assert set(r) <= {"question", "answerable", "speaker", "gold", "kind", "topic", "note"}, r
        assert isinstance(r["question"], str) and r["question"].strip()
        assert isinstance(r["answerable"], bool)
        assert r["speaker"] is None or (isinstance(r["speaker"], str) and r["speaker"].strip())
        assert isinstance(r["gold"], list)
        assert r.get("kind", "other") in KINDS
        if r["answerable"]:
            assert r["gold"], r["question"]
        else:
            assert r["gold"] == [], r["question"]


def test_gold_texts_are_exact_substrings_of_their_files() -> None:
    texts: dict[str, str] = {}
    for r in _rows():
        gold = r["gold"]
        assert isinstance(gold, list)
        seen = set()
        for g in gold:
            assert set(g) == {"source", "text"}, g
            source, text = g["source"], g["text"]
            assert "/" not in source and (CORPUS / source).is_file(), source
            if source not in texts:
                texts[source] = (CORPUS / source).read_text(encoding="utf-8")
            assert text and text == text.strip(), text
            if "\n" in text:  # only a sentence that the file breaks across a line (corpus/runon.py)
                file_text = texts[source]
                assert text in {file_text[sp.start : sp.end] for sp in segment(file_text)}, text
            assert text in texts[source], f"{source}: {text!r}"
            assert (source, text) not in seen, f"duplicate gold in {r['question']!r}"
            seen.add((source, text))


def test_key_questions_are_present() -> None:
    by_q = {r["question"]: r for r in _rows()}
    putin = by_q["What did Putin say about Rutte?"]
    assert putin["speaker"] == "Vladimir Putin"
    texts = " ".join(g["text"] for g in putin["gold"])
    assert "characterized Rutte as ‘intelligent and systematic’" in texts
    assert "National Security Strategy" in texts
    # every article telling the Putin side of the story contributes
    assert {g["source"] for g in putin["gold"]} == {
        "000_b328335281d73055.txt",
        "001_55679898a4ff7807.txt",
        "002_4df316dd9671cd60.txt",
    }
    rutte = by_q["What did Rutte say about Putin?"]
    assert rutte["speaker"] == "Mark Rutte"
    # the reversed roles never overlap
    assert not {g["text"] for g in putin["gold"]} & {g["text"] for g in rutte["gold"]}
    assert by_q["What did Macron say about nuclear deterrence?"]["answerable"] is False
