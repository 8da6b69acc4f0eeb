"""Child: plain sentence-transformers on PyTorch, encoding the given sentences as a user would.

    python -m benchmarks.st_baseline SENTENCES.json OUT.npy

``model.encode(sentences)`` with the library defaults (batch 32); the vectors are saved L2-normalised for
the quality comparison. Prints one JSON line: load and encode seconds.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np


def main() -> None:
    texts = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    t0 = time.perf_counter()
    from sentence_transformers import SentenceTransformer

    from retrieval.embed.base import resolve_model

    model = SentenceTransformer(resolve_model("sentence-transformers/all-MiniLM-L6-v2"), device="cpu")
    t1 = time.perf_counter()
    vectors = np.asarray(model.encode(texts), dtype=np.float32)
    t2 = time.perf_counter()
    vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    np.save(sys.argv[2], vectors)
    print(json.dumps({"n": len(texts), "load_seconds": t1 - t0, "encode_seconds": t2 - t1}))


if __name__ == "__main__":
    main()
