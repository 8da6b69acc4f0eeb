"""Speed and scale behaviour: the embedding cache, incremental reindex at 2,000 files, ANN, backends.

Speed targets themselves live in benchmarks/ (``make bench``); these tests assert behaviour only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from retrieval.corpus.segment import SegmentationSettings
from retrieval.embed.base import resolve_model
from retrieval.embed.cache import CACHE_FOLDER, EmbeddingCache, cache_key
from retrieval.embed.onnx_backend import OnnxEmbedder, pool
from retrieval.embed.onnx_export import int8_target, read_layout
from retrieval.errors import IndexMismatchError, VerbatimError
from retrieval.index.builder import build_index
from retrieval.index.generations import current_generation
from retrieval.index.manifest import read_manifest
from retrieval.index.reader import load_index
from retrieval.vectors.base import probe_queries, recall_at
from retrieval.vectors.faiss import FaissIndex as VectorIndex
from tests.support.fake_embedder import FakeEmbedder

SEG = SegmentationSettings()
WORDS = (
    "minister", "council", "harbour", "election", "river", "budget", "treaty", "vaccine", "court", "border",
    "union", "energy", "farmers", "strike", "museum", "bridge", "orchestra", "satellite", "drought",
    "railway",
)


def _article(n: int) -> str:
    rng = np.random.default_rng(n)
    sentences = []
    for s in range(3):
        words = " ".join(WORDS[int(i)] for i in rng.integers(0, len(WORDS), 8))
        sentences.append(f"Report {n} part {s} says the {words}.")
    return f"Headline number {n}\n\n" + " ".join(sentences) + "\n"


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("big") / "corpus"
    root.mkdir()
    for n in range(2000):
        (root / f"{n:04d}.txt").write_text(_article(n))
    return root


class BackendFake(FakeEmbedder):
    """The fake embedder, saying which backend it stands for."""

    def __init__(self, backend: str, name: str = "fake-hash-embedder") -> None:
        super().__init__(name=name)
        self._backend = backend

    @property
    def backend(self) -> str:
        return self._backend


def test_one_changed_file_of_2000_reembeds_only_its_sentences(big_corpus: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    emb = FakeEmbedder()
    first = build_index(big_corpus, index_dir, emb, SEG)
    assert first.sources == 2000 and first.sentences == 8000 and first.embedded == 8000
    original = (big_corpus / "0007.txt").read_text()
    try:
        (big_corpus / "0007.txt").write_text(
            "A new headline\n\nThe mayor opened a library. Readers queued all night. It rained.\n"
        )
        emb.calls.clear()
        report = build_index(big_corpus, index_dir, emb, SEG)
        assert report.changed == ("0007.txt",) and report.added == () and report.removed == ()
        assert emb.calls == [4] and report.embedded == 4 and report.reused == 7996 + 0
        data = load_index(index_dir, emb.name, SEG)
        texts = {data.text(i) for i in range(data.n_sentences)}
        assert "The mayor opened a library." in texts and "Headline number 7" not in texts
    finally:
        (big_corpus / "0007.txt").write_text(original)


def _corpus(tmp_path: Path, **files: str) -> tuple[Path, Path]:
    """A corpus folder with these files (name without .txt -> text), and an index folder beside it."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in files.items():
        (corpus / f"{name}.txt").write_text(text)
    return corpus, tmp_path / "index"


def test_cache_survives_rebuild_and_model_switch_back(tmp_path: Path) -> None:
    corpus, index_dir = _corpus(
        tmp_path, a="The cat sat on the mat. The dog barked.\n", b="Rutte warned Russia. Putin answered.\n"
    )
    a = FakeEmbedder(name="model-a")
    build_index(corpus, index_dir, a, SEG)
    assert sum(a.calls) == 4

    a.calls.clear()
    rebuilt = build_index(corpus, index_dir, a, SEG, rebuild=True)
    assert not rebuilt.noop and rebuilt.embedded == 0 and a.calls == []

    b = FakeEmbedder(name="model-b")
    switched = build_index(corpus, index_dir, b, SEG)
    assert switched.embedded == 4
    back = build_index(corpus, index_dir, a, SEG)
    assert back.embedded == 0 and back.reused == 4 and a.calls == []
    assert load_index(index_dir, "model-a", SEG).n_sentences == 4
    keys = sorted(p.name for p in (index_dir / CACHE_FOLDER).iterdir())
    assert keys == sorted([cache_key("model-a", ""), cache_key("model-b", "")])


def test_deleted_file_drops_out_and_cache_vectors_equal_fresh_ones(tmp_path: Path) -> None:
    corpus, index_dir = _corpus(tmp_path, a="The cat sat on the mat.\n", b="Rutte warned Russia.\n")
    emb = FakeEmbedder()
    build_index(corpus, index_dir, emb, SEG)
    (corpus / "a.txt").unlink()
    report = build_index(corpus, index_dir, emb, SEG)
    assert report.removed == ("a.txt",) and report.embedded == 0
    data = load_index(index_dir, emb.name, SEG)
    assert [data.text(i) for i in range(data.n_sentences)] == ["Rutte warned Russia."]
    assert np.allclose(np.asarray(data.vectors[0]), emb.encode(["Rutte warned Russia."])[0])


def test_damaged_cache_shard_is_ignored_and_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    cache = EmbeddingCache(folder)
    hashes = ["00" * 16, "11" * 16]
    cache.put(hashes, np.eye(2, 3, dtype=np.float32))
    shard = next(folder.glob("*.vectors.npy"))
    shard.write_bytes(b"garbage")
    again = EmbeddingCache(folder)
    assert len(again) == 0
    found, _ = again.get(hashes, 3)
    assert not found.any()
    again.put(hashes, np.eye(2, 3, dtype=np.float32))
    again.compact(hashes)
    final = EmbeddingCache(folder)
    found, vectors = final.get(hashes, 3)
    assert found.all() and np.array_equal(vectors, np.eye(2, 3, dtype=np.float32))
    assert len(list(folder.glob("*.hashes.npy"))) == 1


def test_index_built_with_another_backend_is_refused(tmp_path: Path) -> None:
    corpus, index_dir = _corpus(tmp_path, a="The cat sat on the mat.\n")
    build_index(corpus, index_dir, BackendFake("onnx-int8"), SEG)
    gen = current_generation(index_dir)
    assert gen is not None and read_manifest(gen).backend == "onnx-int8"
    assert load_index(index_dir, "fake-hash-embedder", SEG, backend="onnx-int8").n_sentences == 1
    with pytest.raises(IndexMismatchError, match=r"backend 'onnx-int8'.*EMBEDDING_BACKEND"):
        load_index(index_dir, "fake-hash-embedder", SEG, backend="torch")
    report = build_index(corpus, index_dir, BackendFake("torch"), SEG)
    assert not report.noop and "backend" in (report.full_rebuild_reason or "")


def test_above_the_threshold_the_index_is_ivf_with_high_recall(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    centres = rng.standard_normal((300, 64)).astype(np.float32)
    noise = rng.standard_normal((30_000, 64)).astype(np.float32)
    vectors = centres[rng.integers(0, 300, 30_000)] + 0.6 * noise
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    flat = VectorIndex.build(vectors, exact_max=50_000)
    ivf = VectorIndex.build(vectors, exact_max=10_000)
    assert flat.kind == "flat" and ivf.kind.startswith("ivf")
    ivf.save(tmp_path / "v.faiss")
    loaded = VectorIndex.load(tmp_path / "v.faiss")
    assert loaded.kind == ivf.kind and loaded.count == 30_000
    queries = probe_queries(vectors, 100, seed=9)
    _, truth = flat.search(queries, 10)
    _, found = loaded.search(queries, 10)
    assert recall_at(found, truth) >= 0.95


def test_builder_records_the_ann_kind(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(40):
        (corpus / f"{n}.txt").write_text(_article(n))
    index_dir = tmp_path / "index"
    emb = FakeEmbedder()
    build_index(corpus, index_dir, emb, SEG, ann_exact_max=50)
    gen = current_generation(index_dir)
    assert gen is not None and read_manifest(gen).ann.startswith("ivf")
    data = load_index(index_dir, emb.name, SEG)
    _, ids = data.sentence_index.search(emb.encode(["Headline number 3"])[0], 5)
    assert data.text(int(ids[0][0])) == "Headline number 3"


def test_pooling_math() -> None:
    tokens = np.array([[[1.0, 0.0], [3.0, 4.0], [100.0, 100.0]]], dtype=np.float32)
    mask = np.array([[1, 1, 0]])
    mean = pool(tokens, mask, "mean", normalize=False)
    assert np.allclose(mean, [[2.0, 2.0]])
    assert np.allclose(pool(tokens, mask, "mean", normalize=True), [[2**-0.5, 2**-0.5]])
    assert np.allclose(pool(tokens, mask, "cls", normalize=False), [[1.0, 0.0]])


def test_int8_needs_cpu_support() -> None:
    assert int8_target(frozenset({"avx2", "avx512_vnni"})) == "avx512_vnni"
    assert int8_target(frozenset({"avx2"})) == "avx2"
    assert int8_target(frozenset({"sse4_2"})) is None
    assert OnnxEmbedder("m", flags=frozenset({"sse4_2"})).backend == "onnx"
    assert OnnxEmbedder("m", flags=frozenset({"avx512_vnni"})).backend == "onnx-int8"
    assert OnnxEmbedder("m", quantized=False, flags=frozenset({"avx512_vnni"})).backend == "onnx"


def test_layout_of_the_packaged_model_and_refusal_of_others(tmp_path: Path) -> None:
    layout = read_layout(Path(resolve_model("sentence-transformers/all-MiniLM-L6-v2")))
    assert (layout.pooling, layout.normalize, layout.max_seq_length) == ("mean", True, 256)
    dense_only = [{"type": "sentence_transformers.models.Dense", "path": ""}]
    (tmp_path / "modules.json").write_text(json.dumps(dense_only))
    with pytest.raises(VerbatimError, match="EMBEDDING_BACKEND=torch"):
        read_layout(tmp_path)


@pytest.mark.model
def test_onnx_vectors_match_torch() -> None:
    from retrieval.embed.torch_backend import SentenceTransformerEmbedder

    texts = ["Putin called Rutte intelligent.", "The cat sat on the mat.", "A much longer sentence " * 12]
    torch_vecs = SentenceTransformerEmbedder("sentence-transformers/all-MiniLM-L6-v2").encode(texts)
    fp32 = OnnxEmbedder("sentence-transformers/all-MiniLM-L6-v2", quantized=False).encode(texts)
    int8 = OnnxEmbedder("sentence-transformers/all-MiniLM-L6-v2").encode(texts)
    assert np.all((fp32 * torch_vecs).sum(axis=1) > 0.9999)
    assert np.all((int8 * torch_vecs).sum(axis=1) > 0.95)


@pytest.mark.model
def test_noop_index_and_ask_do_not_import_torch(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("Putin called Rutte intelligent. The cat sat on the mat.\n")
    env = {**os.environ, "CORPUS_DIR": str(corpus), "INDEX_DIR": str(tmp_path / "index"),
           "EMBEDDING_BACKEND": "onnx-int8", "HF_HUB_OFFLINE": "1"}
    cli = [sys.executable, "-X", "importtime", "-m", "retrieval.cli.main"]
    subprocess.run([*cli, "index"], env=env, check=True, capture_output=True, text=True)
    for args in (["index"], ["ask", "what did Putin call Rutte?"]):
        done = subprocess.run([*cli, *args], env=env, check=True, capture_output=True, text=True)
        imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if "|" in line}
        assert "torch" not in imported and "sentence_transformers" not in imported, args
    assert "intelligent" in done.stdout


def test_ivf_search_reranks_with_exact_vectors_and_passage_windows_match_the_builder() -> None:
    from retrieval.index.builder import passage_vectors
    from retrieval.index.store import PassageRow
    from retrieval.vectors.base import rows_of, window_means

    rng = np.random.default_rng(5)
    vectors = rng.standard_normal((20_000, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ivf = VectorIndex.build(vectors, exact_max=1_000)
    query = vectors[123] + 0.1 * rng.standard_normal(32).astype(np.float32)
    scores, ids = ivf.search(query, 5)
    assert ids[0][0] == 123
    assert np.allclose(scores[0], vectors[ids[0]] @ query, atol=1e-5)  # exact scores, not 8-bit ones
    assert np.all(np.diff(scores[0]) <= 0)

    first = np.array([0, 1, 7], dtype=np.int64)
    last = np.array([2, 1, 9], dtype=np.int64)
    rows = [PassageRow(i, 0, int(f), int(lst)) for i, (f, lst) in enumerate(zip(first, last, strict=True))]
    expected = passage_vectors(vectors, rows)
    got = window_means(vectors, first, last)(np.array([2, 0, 1]))
    assert np.allclose(got, expected[[2, 0, 1]], atol=1e-5)
    assert np.allclose(rows_of(vectors)(np.array([5, 3])), vectors[[5, 3]])
