"""Embedding the sentence texts a build has no vector for, so that an interrupted build keeps its work.

Texts go to the model ``EMBED_SLICE`` at a time (sorted by length, so that batches still hold texts of
similar length), with progress as the embedder reports it (per batch); new vectors reach the embedding cache
(embed/cache.py) every FLUSH_EVERY texts and, whatever stops the build (Ctrl-C, SIGTERM, an error), before
it stops: the next build embeds only the rest.
"""

from __future__ import annotations

import numpy as np

from retrieval.embed.base import Embedder
from retrieval.embed.cache import EmbeddingCache
from retrieval.records import BuildProgress, ProgressFn

EMBED_SLICE = 2048  # texts per encode call
FLUSH_EVERY = 16_384  # new vectors written to the embedding cache at least this often (and when stopped)


def embed_new(
    texts: list[str],
    hashes: list[str],
    embedder: Embedder,
    progress: ProgressFn,
    cache: EmbeddingCache | None,
    embed_slice: int,
) -> np.ndarray | None:
    """Vectors of ``texts`` (keyed ``hashes``), ``embed_slice`` texts per encode call, progress per batch
    the embedder reports. New vectors go to the cache every FLUSH_EVERY texts and, whatever stops the
    build, before it stops: an interrupted build keeps its work."""
    total = len(texts)
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        progress(BuildProgress("embedding", done, total))

    progress(BuildProgress("embedding", 0, total))
    if not texts:
        return None
    parts: list[np.ndarray] = []
    made = flushed = 0  # texts embedded; of them, in the cache
    flushed_parts = 0

    def flush() -> None:
        nonlocal flushed, flushed_parts
        if cache is not None and made > flushed:
            cache.put(hashes[flushed:made], np.vstack(parts[flushed_parts:]))
        flushed, flushed_parts = made, len(parts)

    try:
        for lo in range(0, total, embed_slice):
            parts.append(embedder.encode(texts[lo : lo + embed_slice], progress=tick))
            made += len(parts[-1])
            if made - flushed >= FLUSH_EVERY:
                flush()
    finally:
        flush()  # Ctrl-C and SIGTERM too (the CLI turns SIGTERM into an exception)
    return np.vstack(parts)
