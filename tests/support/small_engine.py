"""An engine over a few article files written by a test, built with the fake embedder (fast, no model)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from retrieval.corpus.segment import SegmentationSettings
from retrieval.index.builder import build_index
from retrieval.index.reader import load_index
from retrieval.search.engine import Engine
from tests.support.fake_embedder import FakeEmbedder


def engine_over(root: Path, files: Mapping[str, str]) -> Engine:
    """Write ``files`` (name -> text) into ``root``/corpus, index them into ``root``/index and open the engine."""
    embedder, segmentation = FakeEmbedder(), SegmentationSettings()
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in files.items():
        (corpus / name).write_text(text, encoding="utf-8")
    build_index(corpus, root / "index", embedder, segmentation)
    return Engine(load_index(root / "index", embedder.name, segmentation), embedder)
