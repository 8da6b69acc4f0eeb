"""A reindex killed with SIGKILL at any point leaves the previous complete index serving."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from retrieval.corpus.segment import SegmentationSettings
from retrieval.index.generations import current_generation
from retrieval.index.reader import load_index
from retrieval.search.engine import Engine, EngineConfig
from tests.support.fake_embedder import FakeEmbedder

ROOT = Path(__file__).resolve().parents[2]
SEG = SegmentationSettings()
EMB = FakeEmbedder()
WORDS = ["minister", "warned", "parliament", "budget", "strike", "harbour", "election", "council", "river", "treaty"]


def write_corpus(root: Path, version: int, files: int = 120) -> None:
    rng = random.Random(version)
    for i in range(files):
        sentences = [" ".join(rng.choices(WORDS, k=8)).capitalize() + f" v{version}." for _ in range(6)]
        (root / f"article-{i:03d}.txt").write_text(f"Headline {i}\n\n" + " ".join(sentences) + "\n")


def start_build(corpus: Path, index: Path) -> subprocess.Popen[bytes]:
    """Start a build in a child process and return once it has finished importing (it prints "ready")."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.support.build_with_fake", str(corpus), str(index)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == b"ready"
    return proc


def versions_served(index: Path) -> set[str]:
    """Load the live index as a reader would, answer a question, and say which corpus version it holds."""
    data = load_index(index, EMB.name, SEG)
    engine = Engine(data, EMB, EngineConfig(min_best_dense=-1.0, min_quote_dense=-1.0))
    answer = engine.ask("minister warned parliament", k=3)
    assert answer.answered and answer.quotes
    for q in answer.quotes:
        source = next(s for s in data.sources if s.source == q.source)
        assert source.text[q.start : q.end] == q.text
    return {data.text(i).rsplit(" ", 1)[-1] for i in range(data.n_sentences) if data.text(i).endswith(".")}


def test_sigkill_during_reindex_never_breaks_the_index(tmp_path: Path) -> None:
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    write_corpus(corpus, 0)
    first = start_build(corpus, index)
    assert first.wait(timeout=120) == 0, first.stderr.read() if first.stderr else ""
    assert versions_served(index) == {"v0."}

    write_corpus(corpus, 1)
    timing = start_build(corpus, index)
    started = time.perf_counter()
    assert timing.wait(timeout=120) == 0
    duration = time.perf_counter() - started
    assert versions_served(index) == {"v1."}

    rng = random.Random(7)
    served = {"v1."}
    outcomes = []
    for version in range(2, 14):
        write_corpus(corpus, version)
        proc = start_build(corpus, index)
        time.sleep(rng.uniform(0.0, duration * 1.1))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        now = versions_served(index)
        # one complete generation: either the one before the kill, or the new one if it was published in time
        assert now in (served, {f"v{version}."}), (version, now)
        outcomes.append(now == served)
        served = now
    assert True in outcomes  # some kills landed before the new generation was published
    final = start_build(corpus, index)
    assert final.wait(timeout=120) == 0, final.stderr.read() if final.stderr else ""
    assert versions_served(index) == {"v13."}
    gen = current_generation(index)
    assert gen is not None
    leftovers = [p.name for p in index.iterdir() if p.name.startswith(".tmp-")]
    assert leftovers == []
