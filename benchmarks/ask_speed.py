"""Marginal `verbatim ask` time per question (issue 11's latency budget: ≤ 40 ms at 10k sentences), for the
two kinds of question: SQuAD dev's questions over its 2,067 paragraphs (10,330 sentences; mostly factual) and
the Wikinews development set's train questions over its articles (questions about people: the speaker path,
with the topic embedding and the not-found model). Each: one process asking 1 question and one asking 200
(stdin, --json), medians of 3; the marginal time is the difference over 199.

    .venv/bin/python -m benchmarks.ask_speed [squad.json] [devset_dir]     # prints one JSON line
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.procs import REPO

VERBATIM = [sys.executable, "-m", "retrieval.cli"]


def marginal_ms(corpus: Path, questions: Sequence[str], work: Path) -> dict[str, float]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    index = work / "index"
    subprocess.run([*VERBATIM, "index", "--corpus", str(corpus), "--index", str(index)], env=env, check=True,
                   capture_output=True, cwd=REPO)

    def run(n: int) -> float:
        step = max(1, len(questions) // n)
        asked = "\n".join(list(questions[::step])[:n]) + "\n"
        started = time.perf_counter()
        subprocess.run([*VERBATIM, "ask", "--json", "--corpus", str(corpus), "--index", str(index)], input=asked,
                       text=True, env=env, check=False, capture_output=True, cwd=REPO)
        return time.perf_counter() - started

    one = statistics.median(run(1) for _ in range(3))
    many = statistics.median(run(200) for _ in range(3))
    return {"one_s": round(one, 3), "two_hundred_s": round(many, 3), "marginal_ms": round((many - one) / 199 * 1000, 2)}


def main(argv: Sequence[str]) -> int:
    squad = Path(argv[0]) if argv else Path("/work/shared/data/squad/dev-v1.1.json")
    devset = Path(argv[1]) if len(argv) > 1 else REPO / "benchmarks" / "data" / "devset"
    out: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="verbatim-ask-speed-") as tmp:
        work = Path(tmp)
        data = json.loads(squad.read_text(encoding="utf-8"))
        corpus = work / "squad"
        corpus.mkdir()
        questions: list[str] = []
        for a, article in enumerate(data["data"]):
            for p, paragraph in enumerate(article["paragraphs"]):
                (corpus / f"{a:02d}_{p:03d}.txt").write_text(paragraph["context"], encoding="utf-8")
                questions += [q["question"] for q in paragraph["qas"]]
        (work / "s").mkdir()
        out["squad_10k"] = marginal_ms(corpus, questions, work / "s")
        asked = devset / "questions-train.jsonl"
        if asked.is_file():
            people = [json.loads(line)["question"] for line in asked.read_text(encoding="utf-8").splitlines()]
            (work / "w").mkdir()
            out["wikinews_train_people"] = marginal_ms(devset / "articles" / "train", people, work / "w")
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
