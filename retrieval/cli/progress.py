"""Progress on stderr: a tqdm bar on a terminal; a few plain lines anywhere else (a log file, CI, a pipe),
where a bar's carriage returns would pile up as one unreadable line."""

from __future__ import annotations

import sys
import time
from typing import ClassVar, Protocol, TextIO, cast

from retrieval.records import BuildProgress

PLAIN_STEP = 0.25  # a plain line at each quarter ...
PLAIN_SECONDS = 30.0  # ... or when this long has passed since the last one


class Bar(Protocol):
    def update(self, n: int = 1) -> None: ...

    def close(self) -> None: ...


def count(n: int, unit: str, sep: str = "") -> str:
    """``1 file``, ``2067 files`` (``2,067 files`` with ``sep=","``): a number and its noun."""
    number = f"{n:,}" if sep else str(n)
    return f"{number} {unit}" + ("" if n == 1 else "s")


class PlainProgress:
    """Plain lines: ``embedding: 1,024 of 4,096 sentences (25%)``."""

    def __init__(self, desc: str, unit: str, total: int | None, stream: TextIO) -> None:
        self.desc, self.unit, self.total, self.stream = desc, unit, total, stream
        self.n = 0
        self._next = PLAIN_STEP
        self._last = time.monotonic()
        self._closed = False

    def _say(self) -> None:
        if self.total:
            line = f"{self.desc}: {self.n:,} of {count(self.total, self.unit, ',')} ({100 * self.n // self.total}%)"
        else:
            line = f"{self.desc}: {count(self.n, self.unit, ',')}"
        print(line, file=self.stream, flush=True)
        self._last = time.monotonic()

    def update(self, n: int = 1) -> None:
        self.n += n
        due = time.monotonic() - self._last >= PLAIN_SECONDS
        if self.total and self.n >= self.total * self._next:
            while self._next <= self.n / self.total:
                self._next += PLAIN_STEP
            due = True
        if due:
            self._say()

    def close(self) -> None:
        if not self._closed and self.n and (not self.total or self.n < self.total):
            self._say()  # where it stopped, when that is not the 100% line already said
        self._closed = True


def progress_bar(desc: str, unit: str, total: int | None, stream: TextIO | None = None) -> Bar:
    """A tqdm bar when ``stream`` (default stderr) is a terminal, else PlainProgress."""
    stream = stream or sys.stderr
    if stream.isatty():
        from tqdm import tqdm

        return cast(Bar, tqdm(total=total, desc=desc, unit=unit, file=stream, dynamic_ncols=True))
    return PlainProgress(desc, unit, total, stream)


class BuildBars:
    """A ProgressFn for builds: one bar (or plain lines) for each of the long phases, one at a time."""

    UNITS: ClassVar[dict[str, str]] = {"segmenting": "file", "embedding": "sentence"}

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream
        self.phase: str | None = None
        self.bar: Bar | None = None
        self.done = 0

    def __call__(self, p: BuildProgress) -> None:
        if p.phase not in self.UNITS or p.total == 0:
            return
        if p.phase != self.phase:
            self.close()
            self.phase, self.done = p.phase, 0
            self.bar = progress_bar(p.phase, self.UNITS[p.phase], p.total, self.stream)
        assert self.bar is not None
        if p.done > self.done:
            self.bar.update(p.done - self.done)
            self.done = p.done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
        self.bar, self.phase = None, None
