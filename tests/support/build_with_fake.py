"""Run one index build with the fake embedder, as a separate process (for kill -9 tests).

    python -m tests.support.build_with_fake CORPUS_DIR INDEX_DIR [PAUSE_AT]

Kill points. Every place where a kill can land is announced on stdout, one line each, ``point PUBLISHED
KIND``: each progress event of the build, just before and just after each ``os.rename`` and ``os.replace``
(the steps that make files and the generation visible), and the end of the build. PUBLISHED is 1 once this
process has replaced the index's ``CURRENT`` pointer, else 0. KIND names the point without what differs
from build to build ("progress segmenting start", "before replace file", "after replace CURRENT"; see
``kind``). With PAUSE_AT (a KIND), the process stops at the first point of that kind (it prints ``paused``
and sleeps) so that a test can kill it exactly there.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from retrieval.corpus.segment import SegmentationSettings
from retrieval.index.builder import build_index
from retrieval.records import BuildProgress
from tests.support.fake_embedder import FakeEmbedder


def kind(event: str, target: str) -> str:
    """A kill point's kind: ``progress PHASE start|middle|end`` for a progress event (target "done/total"),
    ``before|after rename|replace CURRENT|file`` around a file move (target: the destination's name)."""
    if event == "progress":
        phase, _, count = target.partition(" ")
        done, total = (int(x) for x in count.split("/"))
        return f"progress {phase} " + ("start" if done == 0 else "end" if done >= total else "middle")
    return f"{event} {'CURRENT' if target == 'CURRENT' else 'file'}"


class KillPoints:
    def __init__(self, pause_at: str | None) -> None:
        self.pause_at = pause_at
        self.published = False

    def point(self, name: str) -> None:
        print(f"point {int(self.published)} {name}", flush=True)
        if name == self.pause_at:
            print("paused", flush=True)
            while True:  # until the test kills this process
                time.sleep(60)

    def wrap(self, name: str, move: Callable[..., Any]) -> Callable[..., Any]:
        def moved(src: Any, dst: Any, *args: Any, **kwargs: Any) -> Any:
            self.point(kind(f"before {name}", Path(dst).name))
            result = move(src, dst, *args, **kwargs)
            if Path(dst).name == "CURRENT":
                self.published = True
            self.point(kind(f"after {name}", Path(dst).name))
            return result

        return moved

    def progress(self, p: BuildProgress) -> None:
        self.point(kind("progress", f"{p.phase} {p.done}/{p.total}"))


def main() -> None:
    corpus, index = Path(sys.argv[1]), Path(sys.argv[2])
    points = KillPoints(sys.argv[3] if len(sys.argv) > 3 else None)
    os.rename = points.wrap("rename", os.rename)  # type: ignore[assignment]
    os.replace = points.wrap("replace", os.replace)  # type: ignore[assignment]
    print("ready", flush=True)  # imports done: the build itself starts now
    report = build_index(corpus, index, FakeEmbedder(), SegmentationSettings(), progress=points.progress)
    points.point("end")
    print(f"built {report.generation} {report.sentences}", flush=True)
    print("done", flush=True)


if __name__ == "__main__":
    main()
