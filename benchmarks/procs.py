"""Running one measured child process: wall time from just before it starts to its exit, and peak RSS."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Run:
    started: float  # time.time() just before the child was started
    seconds: float  # wall time until it exited
    peak_rss_mb: float  # the child's peak resident set size (VmHWM, polled every 20 ms)
    stdout: str
    stderr: str


def bench_env(**extra: str) -> dict[str, str]:
    """The environment for children: offline, and only the settings the bench gives."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CORPUS_DIR", "INDEX_DIR", "EMBEDDING_", "ANN_"))}
    env.update(HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", PYTHONPATH=str(REPO))
    env.update(extra)
    return env


def run(cmd: Sequence[str], env: Mapping[str, str], stdin: str | None = None, cwd: Path | None = None) -> Run:
    """Run a child to its end (stdin/stdout through files); raise with its stderr if it fails."""
    with tempfile.TemporaryFile("w+") as fin, tempfile.TemporaryFile("w+") as fout, \
            tempfile.TemporaryFile("w+") as ferr:
        if stdin is not None:
            fin.write(stdin)
            fin.flush()
            fin.seek(0)
        started = time.time()
        t0 = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd), env=dict(env), cwd=str(cwd) if cwd else None, stdin=fin, stdout=fout, stderr=ferr
        )
        peak = 0.0
        while True:
            pid, status = os.waitpid(proc.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, _hwm_mb(proc.pid))
            time.sleep(0.02)
        seconds = time.perf_counter() - t0
        code = os.waitstatus_to_exitcode(status)
        proc.returncode = code
        fout.seek(0)
        ferr.seek(0)
        out, err = fout.read(), ferr.read()
    if code != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({code}):\n{err[-3000:]}")
    return Run(started, seconds, peak, out, err)


def _hwm_mb(pid: int) -> float:
    """A live process's peak resident set so far (VmHWM), in MB; 0 once it is gone. (Not wait4's ru_maxrss:
    Linux carries the forking parent's high-water mark across exec into it.)"""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def verbatim(*args: str) -> list[str]:
    return [str(VENV_BIN / "verbatim"), *args]


def python(*args: str) -> list[str]:
    return [sys.executable, *args]


def du_mb(path: Path) -> float:
    """Size on disk of the files under a folder, in MB (10^6 bytes)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6
