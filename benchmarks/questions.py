"""Question sets with gold sentences, scored through the Engine with the real model (benchmarks/QUESTIONS.md).

Sets: tests/data/corpus_questions.jsonl over corpus/, and benchmarks/speaker_questions.jsonl over
benchmarks/speaker_corpus/. Each corpus is indexed into a temporary folder with the normal build. Run:

    .venv/bin/python -m benchmarks.questions [-k 5]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from retrieval.corpus.segment import SegmentationSettings
from retrieval.embed.torch_backend import SentenceTransformerEmbedder
from retrieval.eval.questions import TABLE_HEAD, evaluate, format_scores, load_questions
from retrieval.index.builder import build_index
from retrieval.index.reader import load_index
from retrieval.search.engine import Engine
from retrieval.settings import DEFAULT_MODEL

ROOT = Path(__file__).resolve().parents[1]
SETS = (
    ("corpus/ (tests/data/corpus_questions.jsonl)", ROOT / "corpus", ROOT / "tests/data/corpus_questions.jsonl"),
    ("speaker benchmark (benchmarks/speaker_questions.jsonl)", ROOT / "benchmarks/speaker_corpus",
     ROOT / "benchmarks/speaker_questions.jsonl"),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.questions")
    parser.add_argument("-k", type=int, default=5)
    args = parser.parse_args(argv)
    emb = SentenceTransformerEmbedder(DEFAULT_MODEL)
    seg = SegmentationSettings()
    print(TABLE_HEAD.format(k=args.k))
    with tempfile.TemporaryDirectory(prefix="verbatim-questions-") as tmp:
        for n, (name, corpus, questions) in enumerate(SETS):
            index = Path(tmp) / f"index{n}"
            build_index(corpus, index, emb, seg)
            engine = Engine(load_index(index, emb.name, seg), emb)
            print(format_scores(name, evaluate(engine, load_questions(questions), k=args.k), args.k))
    return 0


if __name__ == "__main__":
    sys.exit(main())
