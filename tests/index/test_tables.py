"""Tables and speaker analysis made by `verbatim index` and stored in the generation.

- what the engine loads (memory-mapped) equals what building them from the texts gives;
- the document search used above the exact limit (ANN shortlist + stored moments) ranks documents as the
  exact computation over every document does;
- the stored speakers, mentions and people equal a fresh analysis of each article, and an incremental
  reindex re-analyses only what changed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval.corpus.segment import SegmentationSettings
from retrieval.index.attribution import mentions_from_json, person_from_json
from retrieval.index.builder import build_index
from retrieval.index.prefetch import index_files, prefetch
from retrieval.index.reader import load_index
from retrieval.index.tables import build_tables, document_space
from retrieval.index.terms import Postings
from retrieval.lang.en.dedupe import duplicate_key, duplicate_keys, near_duplicates, signature
from retrieval.lang.en.people import merge_people
from retrieval.lang.en.speakers.analyzer import analyze_article
from retrieval.records import Span
from retrieval.search.engine import Engine
from retrieval.search.features import best_documents
from retrieval.search.quotes import Ranked, build_quotes
from retrieval.search.scoring import zscore
from tests.support.fake_embedder import FakeEmbedder

ROOT = Path(__file__).resolve().parents[2]
SEG = SegmentationSettings()
EMB = FakeEmbedder()


@pytest.fixture(scope="module")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("tables")
    corpus = tmp / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    build_index(corpus, tmp / "index", EMB, SEG)
    return tmp


def _same_postings(a: Postings, b: Postings) -> bool:
    return (
        a.n_units == b.n_units
        and np.array_equal(a.indptr, b.indptr)
        and np.array_equal(a.indices, b.indices)
        and np.allclose(a.data, b.data)
    )


def test_loaded_tables_equal_tables_built_from_the_texts(seed_index: Path) -> None:
    index = load_index(seed_index / "index", EMB.name, SEG)
    texts = [index.text(i) for i in range(index.n_sentences)]
    fresh = build_tables(texts, index.sent_source, index.sent_paragraph, len(index.sources), index.vectors)
    loaded = index.tables
    for name in ("paragraph_of", "document_of", "prev_id", "next_id", "position", "doc_first", "doc_stop",
                 "cues", "heading"):
        assert np.array_equal(getattr(loaded, name), getattr(fresh, name)), name
    assert np.allclose(loaded.paragraph_vectors, fresh.paragraph_vectors, atol=1e-6)
    assert np.allclose(loaded.document_vectors, fresh.document_vectors, atol=1e-6)
    for name in ("sentence_bm25", "paragraph_bm25", "document_bm25", "sentence_bigrams"):
        assert _same_postings(getattr(loaded.terms, name), getattr(fresh.terms, name)), name
    question = "What did Putin say about Rutte and NATO?"
    assert np.array_equal(loaded.terms.query_columns(question)[0], fresh.terms.query_columns(question)[0])
    assert len(loaded.terms.query_columns(question)[0]) >= 3
    assert loaded.terms.all_known("Rutte") and not loaded.terms.all_known("Zelenskyyyy")
    # a name as written: "European Union" stands in corpus/, "European Commission" does not (only "commissioning")
    assert loaded.terms.phrase_known("the European Union") and loaded.terms.phrase_known("NATO")
    assert loaded.terms.all_known("European Commission") and not loaded.terms.phrase_known("European Commission")
    # memory-mapped, not read into memory
    assert isinstance(loaded.document_vectors, np.memmap) and isinstance(loaded.terms.sentence_bm25.data, np.memmap)


def test_document_moments_give_the_mean_and_spread_over_all_documents() -> None:
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((500, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    space = document_space(vectors, exact_max=10**9)
    for _ in range(5):
        q = rng.standard_normal(32).astype(np.float32)
        q /= np.linalg.norm(q)
        cos = vectors.astype(np.float64) @ q
        mu, sd = space.moments(q)
        assert mu == pytest.approx(float(cos.mean()), abs=1e-6)
        assert sd == pytest.approx(float(cos.std()), abs=1e-6)


def test_document_search_with_an_ann_index_ranks_like_the_exact_computation() -> None:
    rng = np.random.default_rng(7)
    centres = rng.standard_normal((40, 32))
    vectors = (centres[rng.integers(0, 40, 3000)] + 0.6 * rng.standard_normal((3000, 32))).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    exact = document_space(vectors, exact_max=10**9)
    approx = document_space(vectors, exact_max=100)
    assert exact.index is None and approx.index is not None
    agree = 0
    for trial in range(30):
        q = (vectors[trial * 50] + 0.8 * rng.standard_normal(32)).astype(np.float32)
        q /= np.linalg.norm(q)
        bm25 = np.where(rng.random(3000) < 0.02, rng.random(3000) * 5, 0.0)
        want, cos_exact = best_documents(exact, q, bm25, 5)
        got, cos_approx = best_documents(approx, q, bm25, 5)
        truth = zscore(vectors.astype(np.float64) @ q) + zscore(bm25)
        assert np.allclose(truth[want], np.sort(truth)[::-1][:5])  # the exact path is the exact top 5
        assert np.allclose(cos_approx(got), cos_exact(got), atol=1e-5)  # cosines are exact, not codes
        agree += int(list(got) == list(want))
    assert agree >= 27, agree


def test_stored_speaker_analysis_equals_a_fresh_analysis_of_each_article(seed_index: Path) -> None:
    index = load_index(seed_index / "index", EMB.name, SEG)
    t = index.tables
    per_article = []
    for s_no, src in enumerate(index.sources):
        ids = range(int(t.doc_first[s_no]), int(t.doc_stop[s_no]))
        spans = [index.sentence(i) for i in ids]
        fresh = analyze_article(src.text, [Span(s.start, s.end, s.line, s.paragraph) for s in spans])
        per_article.append(fresh.people)
        assert [index.speakers[i] for i in ids] == list(fresh.speakers)
        assert [mentions_from_json(index.mentions[i]) for i in ids] == list(fresh.mentions)
    people = {k: person_from_json(v) for k, v in index.people().items()}
    assert people == merge_people(*per_article)
    assert any(p.name.endswith("Putin") for p in people.values())
    assert any(index.speakers[i] for i in range(index.n_sentences))


def test_incremental_reindex_keeps_unchanged_analysis_and_redoes_the_changed_article(seed_index: Path) -> None:
    corpus, index_dir = seed_index / "corpus2", seed_index / "index2"
    shutil.copytree(seed_index / "corpus", corpus)
    build_index(corpus, index_dir, EMB, SEG)
    before = load_index(index_dir, EMB.name, SEG)
    first = sorted(p.name for p in corpus.iterdir())[0]
    (corpus / first).write_text(
        "Mayor Ines Faria spoke on Monday.\n\n\u201cThe bridge will open in May,\u201d Faria said.\n", encoding="utf-8"
    )
    report = build_index(corpus, index_dir, EMB, SEG)
    assert report.changed == (first,)
    after = load_index(index_dir, EMB.name, SEG)
    changed_no = [s.source for s in after.sources].index(first)
    ids = range(int(after.tables.doc_first[changed_no]), int(after.tables.doc_stop[changed_no]))
    assert any(after.speakers[i] == "Ines Faria" for i in ids)
    assert "Ines Faria" in after.people()
    old_rows = {(before.sources[int(before.sent_source[i])].source, int(before.sent_start[i])):
                (before.speakers[i], before.mentions[i]) for i in range(before.n_sentences)}
    for i in range(after.n_sentences):
        src = after.sources[int(after.sent_source[i])].source
        if src != first:
            assert old_rows[(src, int(after.sent_start[i]))] == (after.speakers[i], after.mentions[i])


def test_quotes_grouped_by_stored_duplicate_keys_equal_quotes_grouped_by_comparing_all(seed_index: Path) -> None:
    index = load_index(seed_index / "index", EMB.name, SEG)
    keys = index.tables.dup_key
    assert np.array_equal(keys, np.asarray(duplicate_keys(index.text(i) for i in range(index.n_sentences)),
                                           dtype=np.uint64))
    rng = np.random.default_rng(5)
    n = index.n_sentences
    for trial in range(20):
        ids = rng.permutation(n)[: 60 + trial]
        ids = np.concatenate([ids, ids[:10]])  # repeated sentences must join their group either way
        ranked = [Ranked(int(i), float(len(ids) - r)) for r, i in enumerate(ids)]
        plain = build_quotes(index, ranked, limit=5 + trial % 7)
        keyed = build_quotes(index, ranked, limit=5 + trial % 7, key_of=lambda i: int(keys[i]))
        assert keyed == plain


@given(st.sampled_from([
    "Putin said on Tuesday that the talks had failed.",
    "Rutte did not say that 24 jets would be sent.",
    "The minister, speaking in Kyiv, warned of two more years of war.",
    "GENEVA — Talks resumed on Monday.",
]), st.sampled_from(["", ".", " again", ", he said"]), st.booleans())
def test_near_duplicates_always_share_a_duplicate_key(base: str, tail: str, lower: bool) -> None:
    other = base.rstrip(".") + tail
    if lower:
        other = other.replace("Talks", "talks")
    a, b = signature(base), signature(other)
    if near_duplicates(a, b):
        assert duplicate_key(a) == duplicate_key(b)
    if duplicate_key(a) != duplicate_key(b):
        assert not near_duplicates(a, b)


def test_warm_up_reads_the_index_files_and_the_people_in_the_background(seed_index: Path, tmp_path: Path) -> None:
    index = load_index(seed_index / "index", EMB.name, SEG)
    files = index_files(index.folder)
    assert files[0].name == "vectors.npy" and all(f.exists() for f in files)
    assert {f.name for f in files} >= {"cues.npy", "sentence_bm25.data.npy", "paragraph_vectors.npy"}
    engine = Engine(index, EMB)
    assert not engine.wait_until_warm(timeout=0)
    engine.warm_up()
    assert engine.wait_until_warm(timeout=60)
    assert engine._people is not None and len(engine._people) > 0
    # a file that went away (an older generation removed meanwhile) is skipped, not an error
    for thread in prefetch([tmp_path / "gone.npy", files[0]]):
        thread.join(timeout=60)
        assert not thread.is_alive()
