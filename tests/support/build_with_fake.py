"""Run one index build with the fake embedder, as a separate process (for kill -9 tests).

    python -m tests.support.build_with_fake CORPUS_DIR INDEX_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from retrieval.corpus.segment import SegmentationSettings
from retrieval.index.builder import build_index
from tests.support.fake_embedder import FakeEmbedder


def main() -> None:
    corpus, index = Path(sys.argv[1]), Path(sys.argv[2])
    print("ready", flush=True)  # imports done: the build itself starts now
    report = build_index(corpus, index, FakeEmbedder(), SegmentationSettings())
    print(f"built {report.generation} {report.sentences}", flush=True)


if __name__ == "__main__":
    main()
