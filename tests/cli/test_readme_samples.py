"""The README's sample outputs are what the real `verbatim` prints on corpus/ (tests/support/readme_samples.py
makes them; run it with --write after a change to the output or the ranking)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.support.readme_samples import README, build_index, run, samples

pytestmark = pytest.mark.model
SCORE = re.compile(r"(?<=score )-?\d+\.\d+")
REGENERATE = "python -m tests.support.readme_samples --write"
TOLERANCE = 0.3  # int8 kernels differ between CPUs: 0.17 between an Intel avx512_vnni and an AMD avx2 host (2026-12-02)


def _scores_apart(value: Any) -> tuple[Any, list[float]]:
    """JSON with every "score" taken out, and the scores in order."""
    found: list[float] = []

    def walk(v: Any) -> Any:
        if isinstance(v, list):
            return [walk(x) for x in v]
        if not isinstance(v, dict):
            return v
        out = {}
        for key, x in v.items():
            if key == "score":
                found.append(float(x))
                out[key] = "<score>"
            else:
                out[key] = walk(x)
        return out

    return walk(value), found


def test_the_readme_shows_what_verbatim_prints(tmp_path: Path) -> None:
    readme = README.read_text(encoding="utf-8")
    found = samples(readme)
    assert [s.lang for s in found] == ["", "json"], "the README lost a sample marker"
    build_index(tmp_path / "index")
    for sample in found:
        now = run(sample, tmp_path / "index")
        if sample.lang == "json":
            (shown, shown_scores), (made, made_scores) = (_scores_apart(json.loads(t)) for t in (sample.body, now))
        else:
            shown, made = SCORE.sub("<score>", sample.body.rstrip("\n")), SCORE.sub("<score>", now)
            shown_scores, made_scores = ([float(x) for x in SCORE.findall(t)] for t in (sample.body, now))
        assert shown == made, f"README sample `{sample.command}` drifted: regenerate it ({REGENERATE})"
        assert shown_scores == pytest.approx(made_scores, abs=TOLERANCE), sample.command
