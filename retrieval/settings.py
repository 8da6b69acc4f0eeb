"""Verbatim's core settings (corpus, index, embedding, answering), in one pydantic-settings class.

Build it once at the edge (the CLI's ``main`` or the bot's ``main``) with ``Settings()`` and pass it down.
Nothing here instantiates settings at import time. Every field is documented in ``.env.example``. The
Telegram bot's settings extend these in ``bot/settings.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # --- corpus and index -------------------------------------------------------------------------
    corpus_dir: Path = Path("corpus")
    index_dir: Path = Path("index")
    # articles larger than this are skipped with a warning (a news article is well under 1 MB)
    max_file_mb: float = Field(default=10.0, gt=0)

    # --- embedding ----------------------------------------------------------------------------------
    embedding_model: str = DEFAULT_MODEL
    # torch: sentence-transformers on PyTorch; onnx: the same model exported to ONNX (fp32);
    # onnx-int8: dynamically quantized int8 ONNX where the CPU supports it (else fp32 ONNX).
    embedding_backend: Literal["torch", "onnx", "onnx-int8"] = "onnx-int8"
    embedding_batch_size: int = Field(default=32, ge=1, le=4096)  # 32: fastest measured for ONNX here
    # exact vector search (FAISS flat) up to this many vectors; IVF above it (recall@10 >= 0.95, see bench)
    ann_exact_max: int = Field(default=50_000, ge=0)
    # where the vectors live: faiss (files in the index generation), exact (NumPy, the test reference) or
    # milvus (collections in Milvus at MILVUS_URI, published by alias: retrieval/vectors/milvus/)
    vector_backend: Literal["faiss", "exact", "milvus"] = "faiss"
    # a local path ending in .db (Milvus Lite, in this process) or http://host:19530; empty: INDEX_DIR/milvus.db
    milvus_uri: str = ""
    milvus_prefix: str = "verbatim"  # collections <prefix>_<role>_<generation>, aliases <prefix>_<role>

    @property
    def vector_uri(self) -> str:
        """MILVUS_URI, or the Milvus Lite folder inside the index folder when it is not set."""
        return self.milvus_uri.strip() or str(self.index_dir / "milvus.db")

    # --- answering ----------------------------------------------------------------------------------
    top_k: int = Field(default=5, ge=1, le=50)
    max_question_chars: int = Field(default=1000, ge=10)
