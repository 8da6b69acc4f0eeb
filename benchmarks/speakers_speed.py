"""Speed of the speaker analysis: python -m benchmarks.speakers_speed [squad.json] [corpus_dir]."""

from __future__ import annotations

import re
from collections.abc import Sequence

from retrieval.lang.en.speakers.analyzer import analyze_article
from retrieval.records import Span

# --------------------------------------------------------------------------------------------------------
# Benchmark: python -m retrieval.lang.en.speakers.analyzer [squad.json] [corpus_dir]
# --------------------------------------------------------------------------------------------------------

_BENCH_SENT_RE = re.compile(r"\S.*?(?:[.!?][\"”’']?(?=\s+[\"“‘A-Z0-9])|$)", re.S)


def _bench_spans(text: str) -> list[Span]:
    """A crude splitter for timing only (the real segmenter lives elsewhere)."""
    out: list[Span] = []
    pos = 0
    for para, block in enumerate(text.split("\n")):
        for m in _BENCH_SENT_RE.finditer(block):
            out.append(Span(pos + m.start(), pos + m.end(), 1, para))
        pos += len(block) + 1
    return out


def _bench(argv: Sequence[str]) -> None:  # pragma: no cover - manual tool
    import glob
    import json
    import os
    import time

    squad = argv[0] if argv else "/work/shared/data/squad/dev-v1.1.json"
    corpus = argv[1] if len(argv) > 1 else "corpus"
    docs: list[tuple[str, str]] = []
    if os.path.exists(squad):
        with open(squad, encoding="utf-8") as fh:
            data = json.load(fh)
        docs += [("squad", p["context"]) for a in data["data"] for p in a["paragraphs"]]
    for f in sorted(glob.glob(os.path.join(corpus, "*.txt"))):
        with open(f, encoding="utf-8") as fh:
            docs.append(("corpus", fh.read()))
    for label in ("squad", "corpus"):
        items = [(t, _bench_spans(t)) for lab, t in docs if lab == label]
        n = sum(len(sp) for _, sp in items)
        if not n:
            continue
        reps = max(1, 20_000 // n)
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            for _ in range(reps):
                for t, sp in items:
                    analyze_article(t, sp)
            best = min(best, time.perf_counter() - t0)
        print(f"{label}: {len(items)} docs, {n} sentences x{reps}: {n * reps / best:,.0f} sentences/s")


if __name__ == "__main__":  # pragma: no cover
    import sys

    _bench(sys.argv[1:])
