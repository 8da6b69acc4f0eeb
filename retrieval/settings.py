"""Verbatim's core settings (corpus, index, embedding, answering), in one pydantic-settings class.

Build it once at the edge (the CLI's ``main`` or the bot's ``main``) with ``Settings()`` and pass it down.
Nothing here instantiates settings at import time. Every field is documented in ``.env.example``. The
Telegram bot's settings extend these in ``bot/settings.py``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_CACHE_SENTENCES = 20_000  # MILVUS_CACHE_SENTENCES (retrieval/index/milvus_fields.py)

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
# The one definition of how many quotes an answer may have: TOP_K and the CLI's -k share it.
TOP_K_MIN, TOP_K_MAX = 1, 50
ANY_LANGUAGE = "any"  # QUESTION_LANGUAGES=any: no language check


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
    # sentences (their fields, and as many vectors) a Milvus reader keeps in its LRU caches: ~2.5 KB each
    milvus_cache_sentences: int = Field(default=DEFAULT_CACHE_SENTENCES, ge=1_000)

    @property
    def vector_uri(self) -> str:
        """MILVUS_URI, or the Milvus Lite folder inside the index folder when it is not set."""
        return self.milvus_uri.strip() or str(self.index_dir / "milvus.db")

    # --- answering ----------------------------------------------------------------------------------
    top_k: int = Field(default=5, ge=TOP_K_MIN, le=TOP_K_MAX)
    max_question_chars: int = Field(default=1000, ge=10)
    # How many of a question's best candidates the cross-encoder reranker reads (0: rank without it; off by
    # default: it did not improve the held-out figures, benchmarks/REQA.md).
    rerank_top: int = Field(default=0, ge=0, le=200)
    # How many of the final ranking's best candidates the cross-encoder reads for the "not found" decision only
    # (0: the decision goes without its score; benchmarks/QUESTIONS.md, "Not found on ReQA SQuAD").
    verify_top: int = Field(default=3, ge=0, le=50)
    # Languages questions may be in (ISO 639-1 codes, or "any"). The default model reads English only:
    # with a multilingual EMBEDDING_MODEL, set this to the languages it reads (or "any").
    question_languages: Annotated[frozenset[str], NoDecode] = frozenset({"en"})

    @field_validator("question_languages", mode="before")
    @classmethod
    def _parse_languages(cls, value: object) -> object:
        """Accept "en, de fr" from the environment; codes are lower-cased."""
        if isinstance(value, str):
            value = value.replace(",", " ").split()
        if isinstance(value, (list, tuple, set, frozenset)):
            codes = frozenset(str(v).strip().lower() for v in value if str(v).strip())
            if not codes:
                raise ValueError(f'name at least one language code (e.g. "en"), or "{ANY_LANGUAGE}"')
            return codes
        return value
