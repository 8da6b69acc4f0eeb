"""Ctrl-C (or SIGTERM) during the first, long build keeps the sentences embedded so far: the next build
embeds only the rest. The index folder keeps no lock file, and a build that failed keeps no empty folder."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

from retrieval.corpus.segment import SegmentationSettings
from retrieval.embed.cache import EmbeddingCache
from retrieval.errors import CorpusMissingError
from retrieval.index.builder import build_index
from retrieval.index.generations import current_generation
from retrieval.index.reader import load_index
from tests.support.cli_harness import FakeCli
from tests.support.fake_embedder import FakeEmbedder

SEG = SegmentationSettings()
FILES, PER_FILE = 25, 100  # 2,500 distinct sentences: more than one slice of EMBED_SLICE (2,048) texts
LIMIT = 2100  # the stand-in model is "stopped" once asked for more texts than this, in all


class StoppedModel(FakeEmbedder):
    """The user presses Ctrl-C once the model has been asked for more than ``limit`` texts in all."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.asked = 0

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        self.asked += len(texts)
        if self.asked > self.limit:
            raise KeyboardInterrupt
        return super().encode(texts, progress)


def write_big_corpus(root: Path) -> Path:
    root.mkdir(parents=True)
    for f in range(FILES):
        lines = [f"Report {f} item {i} notes district {f * PER_FILE + i} growth." for i in range(PER_FILE)]
        (root / f"r{f:02d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def test_an_interrupted_first_build_keeps_its_embeddings_and_the_next_embeds_the_rest(tmp_path: Path) -> None:
    corpus, index = write_big_corpus(tmp_path / "corpus"), tmp_path / "index"
    with pytest.raises(KeyboardInterrupt):
        build_index(corpus, index, StoppedModel(LIMIT), SEG)
    kept = len(EmbeddingCache.open(index, FakeEmbedder().name, ""))
    assert 0 < kept <= LIMIT
    assert current_generation(index) is None and not (index / ".lock").exists()
    resumed = FakeEmbedder()
    report = build_index(corpus, index, resumed, SEG)
    assert report.sentences == FILES * PER_FILE
    assert report.embedded == sum(resumed.calls) == FILES * PER_FILE - kept
    data = load_index(index, resumed.name, SEG)
    texts = [data.text(i) for i in range(data.n_sentences)]
    assert np.allclose(np.asarray(data.vectors), FakeEmbedder().encode(texts), atol=1e-6)  # the same vectors


def test_verbatim_index_says_what_an_interruption_kept(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cli = FakeCli(monkeypatch, capsys, tmp_path, embedder=StoppedModel(LIMIT), corpus=False)
    write_big_corpus(cli.corpus)
    stopped = cli("index")
    assert stopped.code == 130 and "Traceback" not in stopped.err
    assert stopped.err_lines[-1].startswith("verbatim: interrupted; the sentences embedded so far are kept")
    again = FakeCli(monkeypatch, capsys, tmp_path, corpus=False)("index")
    assert again.code == 0 and "embedded 452 sentences" in again.out


def test_a_build_of_a_missing_corpus_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(CorpusMissingError):
        build_index(tmp_path / "missing", tmp_path / "index", FakeEmbedder(), SEG)
    assert not (tmp_path / "index").exists()


def test_a_first_build_that_fails_removes_the_folder_it_made(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("One sentence.\n", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        build_index(corpus, tmp_path / "index", StoppedModel(0), SEG, embedding_cache=False)
    assert not (tmp_path / "index").exists()
