"""What the edges (CLI, bot) call: make the embedder, open an engine, reindex, all from Settings."""

from __future__ import annotations

from retrieval.builder import BuildReport, ProgressFn, build_index
from retrieval.embedder import SentenceTransformerEmbedder
from retrieval.engine import Engine, EngineConfig
from retrieval.reader import load_index
from retrieval.segment import SegmentationSettings
from retrieval.settings import Settings

SEGMENTATION = SegmentationSettings()


def make_embedder(settings: Settings) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(
        settings.embedding_model, backend=settings.embedding_backend, batch_size=settings.embedding_batch_size
    )


def open_engine(settings: Settings, embedder: SentenceTransformerEmbedder) -> Engine:
    """Load the live index generation (checked against the settings) into a new Engine."""
    index = load_index(settings.index_dir, embedder.name, SEGMENTATION)
    return Engine(index, embedder, EngineConfig(max_question_chars=settings.max_question_chars))


def reindex(
    settings: Settings, embedder: SentenceTransformerEmbedder, *, rebuild: bool = False, progress: ProgressFn | None = None
) -> BuildReport:
    kwargs = {"progress": progress} if progress is not None else {}
    return build_index(settings.corpus_dir, settings.index_dir, embedder, SEGMENTATION, rebuild=rebuild, **kwargs)
