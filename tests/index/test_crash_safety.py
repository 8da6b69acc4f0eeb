"""A reindex killed with SIGKILL at any point leaves one complete index serving: the previous one, or the
new one once its CURRENT pointer is in place. The kill points are deterministic: the child build stops at
a numbered point (tests/support/build_with_fake.py) and is killed there."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
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


def write_corpus(root: Path, version: int, files: int = 40) -> None:
    rng = random.Random(version)
    for i in range(files):
        sentences = [" ".join(rng.choices(WORDS, k=8)).capitalize() + f" v{version}." for _ in range(6)]
        (root / f"article-{i:03d}.txt").write_text(f"Headline {i}\n\n" + " ".join(sentences) + "\n")


def start_build(corpus: Path, index: Path, pause_at: str | None = None) -> subprocess.Popen[str]:
    """Start a build in a child process and return once it has finished importing (it prints "ready").
    With ``pause_at`` the child stops at the first kill point of that kind (tests/support/build_with_fake.py)."""
    extra = [] if pause_at is None else [pause_at]
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.support.build_with_fake", str(corpus), str(index), *extra],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "ready"
    return proc


def read_points(proc: subprocess.Popen[str]) -> tuple[list[tuple[bool, str]], bool]:
    """The kill points (published, kind) a child announces, until it pauses (True) or ends (False)."""
    assert proc.stdout is not None
    points: list[tuple[bool, str]] = []
    for line in proc.stdout:
        if line.startswith("point "):
            _, published, name = line.rstrip("\n").split(" ", 2)
            points.append((published == "1", name))
        elif line.strip() == "paused":
            return points, True
    return points, False


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


def test_sigkill_at_every_kill_point_of_a_reindex_never_breaks_the_index(tmp_path: Path) -> None:
    """Kill a reindex at each chosen kill point: before the CURRENT pointer is replaced the previous
    generation serves, after it the new one; never anything else, and a later build cleans up."""
    corpus, index = tmp_path / "corpus", tmp_path / "index"
    corpus.mkdir()
    write_corpus(corpus, 0)
    first = start_build(corpus, index)
    assert first.wait(timeout=120) == 0, first.stderr.read() if first.stderr else ""
    assert versions_served(index) == {"v0."}

    # A whole reindex, to list its kill points (every later reindex changes every file the same way).
    write_corpus(corpus, 1)
    listing = start_build(corpus, index)
    points, paused = read_points(listing)
    assert listing.wait(timeout=120) == 0 and not paused
    assert versions_served(index) == {"v1."}
    kinds = list(dict.fromkeys(points))  # each kind once, in order, with whether CURRENT was replaced
    assert sum(published for published, _ in kinds) >= 2 and sum(not published for published, _ in kinds) >= 10

    served = {"v1."}
    for version, (published, kind) in enumerate(kinds, start=2):
        write_corpus(corpus, version)
        proc = start_build(corpus, index, pause_at=kind)
        seen, paused = read_points(proc)
        assert paused and seen[-1] == (published, kind), (kind, seen[-3:])
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        expected = {f"v{version}."} if published else served
        assert versions_served(index) == expected, (kind, expected)
        served = expected
    last = len(kinds) + 2
    write_corpus(corpus, last)
    final = start_build(corpus, index)
    assert final.wait(timeout=120) == 0, final.stderr.read() if final.stderr else ""
    assert versions_served(index) == {f"v{last}."}
    gen = current_generation(index)
    assert gen is not None
    leftovers = [p.name for p in index.iterdir() if p.name.startswith(".tmp-")]
    assert leftovers == []
