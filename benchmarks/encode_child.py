"""Child: encode texts with one backend (for the quality comparison). ``python -m benchmarks.encode_child
BACKEND TEXTS.json OUT.npy``; prints one JSON line with the encode seconds."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np


def main() -> None:
    from retrieval.embed.factory import make_embedder

    texts = json.loads(Path(sys.argv[2]).read_text(encoding="utf-8"))
    embedder = make_embedder("sentence-transformers/all-MiniLM-L6-v2", sys.argv[1])
    embedder.encode(texts[:8])
    t0 = time.perf_counter()
    vectors = embedder.encode(texts)
    seconds = time.perf_counter() - t0
    np.save(sys.argv[3], vectors)
    print(json.dumps({"n": len(texts), "encode_seconds": seconds}))


if __name__ == "__main__":
    main()
