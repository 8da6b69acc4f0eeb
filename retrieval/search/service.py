"""What the edges (CLI, bot) call: make the embedder, open an engine, reindex, all from Settings."""

from __future__ import annotations

from retrieval.corpus.segment import SegmentationSettings
from retrieval.embed.base import embedder_backend
from retrieval.embed.factory import make_embedder as _make_embedder
from retrieval.embed.onnx_backend import OnnxEmbedder
from retrieval.embed.torch_backend import SentenceTransformerEmbedder
from retrieval.index.builder import build_index, no_progress
from retrieval.index.milvus_index import MilvusTarget
from retrieval.index.reader import load_index
from retrieval.records import BuildReport, ProgressFn
from retrieval.search.engine import Engine, EngineConfig
from retrieval.settings import Settings

SEGMENTATION = SegmentationSettings()

AnyEmbedder = SentenceTransformerEmbedder | OnnxEmbedder


def make_embedder(settings: Settings) -> AnyEmbedder:
    """The embedder for EMBEDDING_MODEL and EMBEDDING_BACKEND; nothing is loaded until it is first used."""
    return _make_embedder(settings.embedding_model, settings.embedding_backend, settings.embedding_batch_size)


def open_engine(settings: Settings, embedder: AnyEmbedder) -> Engine:
    """Load the live index generation (checked against the settings) into a new Engine."""
    index = load_index(
        settings.index_dir, embedder.name, SEGMENTATION, backend=embedder_backend(embedder),
        vector_backend=settings.vector_backend, milvus_uri=settings.vector_uri if settings.milvus_uri.strip() else None,
        cache_sentences=settings.milvus_cache_sentences,
    )
    config = EngineConfig(max_question_chars=settings.max_question_chars,
                          question_languages=settings.question_languages, rerank_top=settings.rerank_top,
                          verify_top=settings.verify_top)
    engine = Engine(index, embedder, config)
    engine.warm_up()
    return engine


def reindex(
    settings: Settings, embedder: AnyEmbedder, *, rebuild: bool = False, progress: ProgressFn | None = None
) -> BuildReport:
    return build_index(
        settings.corpus_dir, settings.index_dir, embedder, SEGMENTATION, rebuild=rebuild,
        progress=progress if progress is not None else no_progress,
        ann_exact_max=settings.ann_exact_max,
        vector_backend=settings.vector_backend,
        milvus_target=MilvusTarget(settings.vector_uri, settings.milvus_prefix),
        max_file_bytes=int(settings.max_file_mb * 1024 * 1024),
    )
