"""Benchmark corpora, all derived from SQuAD v1.1 dev (read in place, never copied into the repository).

- ``squad``: every dev paragraph as one file (2,067 files, ~10k sentences): the reviewers' own set-up.
- ``variants``: each paragraph again in ``copies`` rewritten variants (digits shifted, one word per sentence
  swapped for another word of the same article), so every sentence is new text: real text, real pipeline,
  ~10k sentences per copy (10 copies: ~100k sentences).
- questions: the dev questions, with the offsets of their answers (gold = the sentence holding one).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SQUAD_DEV = Path("/work/shared/data/squad/dev-v1.1.json")
_WORD = re.compile(r"[A-Za-z]{4,}")


@dataclass(frozen=True)
class Question:
    text: str
    source: str  # the file of its paragraph, relative to the corpus folder
    answer_starts: tuple[int, ...]


@dataclass(frozen=True)
class Squad:
    paragraphs: tuple[tuple[str, str, int], ...]  # (source, text, article number)
    questions: tuple[Question, ...]


def squad_path() -> Path:
    import os

    return Path(os.environ.get("SQUAD_DEV", str(SQUAD_DEV)))


def load_squad(path: Path | None = None) -> Squad:
    data = json.loads((path or squad_path()).read_text(encoding="utf-8"))["data"]
    paragraphs: list[tuple[str, str, int]] = []
    questions: list[Question] = []
    for a_no, article in enumerate(data):
        for p_no, para in enumerate(article["paragraphs"]):
            source = f"a{a_no:02d}/p{p_no:03d}.txt"
            paragraphs.append((source, para["context"], a_no))
            for qa in para["qas"]:
                starts = tuple(sorted({int(ans["answer_start"]) for ans in qa["answers"]}))
                questions.append(Question(qa["question"], source, starts))
    return Squad(tuple(paragraphs), tuple(questions))


def write_files(folder: Path, files: dict[str, str]) -> None:
    for source, text in files.items():
        path = folder / source
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))


def squad_files(squad: Squad, limit: int | None = None) -> dict[str, str]:
    return {source: text for source, text, _ in squad.paragraphs[:limit]}


def shift_digits(text: str, by: int) -> str:
    """Every digit d becomes (d + by) mod 10: same length, other numbers."""
    table = str.maketrans("0123456789", "".join(str((d + by) % 10) for d in range(10)))
    return text.translate(table)


def rotate_words(text: str, copy: int, every: int = 5) -> str:
    """Digits shifted by ``copy``, and every ``every``-th word of 4+ letters with its letters rotated by
    ``copy`` (case kept): the same length, so the same sentence offsets, yet other text in most sentences."""
    count = 0

    def turn(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        if copy == 0 or count % every != copy % every:
            return match.group(0)
        return "".join(
            chr((ord(c) - base + copy) % 26 + base) for c in match.group(0) for base in (65 if c.isupper() else 97,)
        )

    return _WORD.sub(turn, shift_digits(text, copy))


def variant(text: str, copy: int, vocabulary: list[str]) -> str:
    """A rewritten paragraph: digits shifted, and every 7th word of 4+ letters swapped for another word."""
    rng = np.random.default_rng(copy * 7919 + len(text))
    count = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        if count % 7 != copy % 7 or not vocabulary:
            return match.group(0)
        return vocabulary[int(rng.integers(len(vocabulary)))]

    return _WORD.sub(swap, shift_digits(text, copy))


def variant_files(squad: Squad, copies: int, limit: int | None = None) -> dict[str, str]:
    """``copies`` rewritten copies of the paragraphs (copy 0 is the original text)."""
    vocab: dict[int, list[str]] = {}
    for _, text, article in squad.paragraphs:
        vocab.setdefault(article, []).extend(_WORD.findall(text))
    out: dict[str, str] = {}
    for copy in range(copies):
        for source, text, article in squad.paragraphs[:limit]:
            words = sorted(set(vocab[article]))
            out[f"v{copy:02d}/{source}"] = text if copy == 0 else variant(text, copy, words)
    return out


def sample_questions(squad: Squad, n: int, seed: int = 0) -> list[Question]:
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(squad.questions), size=min(n, len(squad.questions)), replace=False)
    return [squad.questions[int(i)] for i in rows]
