"""The 1M-sentence index: ten altered copies of the 100k corpus, with vectors generated from stored ones.

Embedding a million sentences on 2 cores takes about an hour, so (as the issue allows) the 1M row uses
generated vectors for the search part: a copy's sentence gets the stored vector of the 100k sentence it
was made from, plus a small random turn (cosine ~0.97, fixed by its text), normalised. A copy shifts the
digits and rotates the letters of every fifth word (``rotate_words``): other text in most sentences, the same
length, so the segmentation and speaker analysis of the 100k index are reused. Everything else is the real
builder: the corpus scan, the store, passages, the ranking tables, the IVF indexes and the generation publish.

    python -m benchmarks.scale BASE_INDEX OUT_CORPUS OUT_INDEX COPIES
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from benchmarks.corpora import rotate_words
from retrieval.corpus.segment import SegmentationSettings
from retrieval.index import builder
from retrieval.index.attribution import Attribution
from retrieval.records import Document, Span

MODEL = "sentence-transformers/all-MiniLM-L6-v2"


class GeneratedEmbedder:
    """Vectors for texts made from texts with stored vectors: the stored vector, turned a fixed random bit."""

    def __init__(self, origin: dict[str, int], vectors: np.ndarray, backend: str, turn: float = 0.25) -> None:
        self._origin = origin
        self._vectors = vectors
        self._turn = turn
        self.backend = backend

    @property
    def name(self) -> str:
        return MODEL

    @property
    def dimension(self) -> int:
        return int(self._vectors.shape[1])

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        out = np.asarray(self._vectors[[self._origin[t] for t in texts]], dtype=np.float32)
        for i, text in enumerate(texts):
            seed = int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest())
            noise = np.random.default_rng(seed).standard_normal((out.shape[1],), dtype=np.float32)
            out[i] += self._turn * noise / np.linalg.norm(noise)
        out /= np.linalg.norm(out, axis=1, keepdims=True)
        if progress is not None:
            progress(len(texts))
        return out


def main() -> None:
    base_index, out_corpus, out_index = (Path(a) for a in sys.argv[1:4])
    copies = int(sys.argv[4])
    from retrieval.index.reader import load_index
    from retrieval.settings import Settings

    t0 = time.perf_counter()
    seg = SegmentationSettings()
    base = load_index(base_index, MODEL, seg)
    rows_of: dict[str, list[int]] = {}
    for sid in range(base.n_sentences):
        rows_of.setdefault(base.sources[int(base.sent_source[sid])].source, []).append(sid)
    cuts: dict[str, builder.Cut] = {}
    origin: dict[str, int] = {}
    for src in base.sources:
        rows = rows_of.get(src.source, [])
        cuts[src.source] = builder.Cut(
            [Span(int(base.sent_start[i]), int(base.sent_end[i]), int(base.sent_line[i]),
                  int(base.sent_paragraph[i])) for i in rows],
            Attribution(tuple(base.speakers[i] for i in rows), tuple(base.mentions[i] for i in rows), src.people),
        )
        for copy in range(copies):
            text = rotate_words(src.text, copy)
            target = out_corpus / f"c{copy:02d}" / src.source
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(text.encode("utf-8"))
            for i in rows:
                origin.setdefault(text[int(base.sent_start[i]) : int(base.sent_end[i])], i)
    embedder = GeneratedEmbedder(origin, base.vectors, base.manifest.backend)

    empty = builder.Cut([], Attribution((), (), "{}"))

    def cut_from_base(docs: Sequence[Document], *_: object, **__: object) -> list[builder.Cut]:
        return [cuts.get(d.source.split("/", 1)[1], empty) for d in docs]

    builder.cut_all = cut_from_base
    report = builder.build_index(out_corpus, out_index, embedder, seg, embedding_cache=False,
                                 ann_exact_max=Settings().ann_exact_max)  # type: ignore[call-arg]
    print(json.dumps({"sentences": report.sentences, "sources": report.sources,
                      "seconds": time.perf_counter() - t0}))


if __name__ == "__main__":
    main()
