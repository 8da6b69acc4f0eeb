"""The manifest saved beside every index generation: what it was built with, and the check at load."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from retrieval.corpus.segment import SegmentationSettings
from retrieval.errors import IndexCorruptError, IndexMismatchError
from retrieval.index.layout import MANIFEST_NAME, index_command
from retrieval.lang.en.speakers.version import ANALYSIS_VERSION

FORMAT_VERSION = 3  # 2: speaker analysis and ranking tables stored in the generation; 3: sources carry title, url


@dataclass(frozen=True)
class Manifest:
    format_version: int
    model: str
    dimension: int
    segmentation: SegmentationSettings
    sentences: int
    sources: int
    built_at: str  # ISO 8601, UTC
    backend: str = ""  # the embedding backend that computed the vectors ("torch", "onnx", "onnx-int8")
    ann: str = "flat"  # the sentence vector index: "flat" (exact) or "ivf<nlist>-sq8-nprobe<p>"
    vectors: str = "faiss"  # the vector backend (VECTOR_BACKEND) that holds the sentence and passage vectors
    # The speaker analysis that labelled the sentences (ANALYSIS_VERSION); 1 for an index from before it was kept.
    analysis: int = 1

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, raw: str) -> Manifest:
        data = json.loads(raw)
        data["segmentation"] = SegmentationSettings(**data["segmentation"])
        return cls(**data)


def read_manifest(folder: Path) -> Manifest:
    path = folder / MANIFEST_NAME
    try:
        return Manifest.from_json(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise IndexCorruptError(
            f"index file {path} is missing. Rebuild the index with {index_command(folder.parent, rebuild=True)}."
        ) from exc
    except (ValueError, TypeError, KeyError) as exc:
        raise IndexCorruptError(
            f"index file {path} is damaged ({exc.__class__.__name__}). "
            f"Rebuild the index with {index_command(folder.parent, rebuild=True)}."
        ) from exc


def mismatch(
    manifest: Manifest, model: str, segmentation: SegmentationSettings, backend: str | None = None
) -> str | None:
    """Why an index cannot serve these settings, or None when it can (``backend`` None: not checked)."""
    if manifest.format_version != FORMAT_VERSION:
        return (
            f"it has format version {manifest.format_version}, this Verbatim reads version {FORMAT_VERSION}"
        )
    if manifest.analysis != ANALYSIS_VERSION:
        return (
            f"its speakers were analysed by version {manifest.analysis} of the speaker analysis, this Verbatim "
            f"has version {ANALYSIS_VERSION}"
        )
    if manifest.model != model:
        return f"it was built with the model {manifest.model!r}, but EMBEDDING_MODEL is {model!r}"
    if manifest.segmentation != segmentation:
        return "it was built with other segmentation or passage settings"
    if backend is not None and manifest.backend and backend and manifest.backend != backend:
        return (
            f"it was built with the embedding backend {manifest.backend!r}, but this Verbatim embeds with "
            f"{backend!r} (EMBEDDING_BACKEND)"
        )
    return None


def check_compatible(
    manifest: Manifest,
    model: str,
    segmentation: SegmentationSettings,
    where: Path,
    backend: str | None = None,
) -> None:
    reason = mismatch(manifest, model, segmentation, backend)
    if reason is not None:
        # Only the model and the backend are settings one can set back; a format or analysis version is not.
        settings = manifest.format_version == FORMAT_VERSION and manifest.analysis == ANALYSIS_VERSION
        hint = " (or set EMBEDDING_MODEL and EMBEDDING_BACKEND back to what it was built with)" if settings else ""
        raise IndexMismatchError(
            f"The index in {where} cannot be used: {reason}. Rebuild it with {index_command(where, rebuild=True)}"
            f"{hint}."
        )
