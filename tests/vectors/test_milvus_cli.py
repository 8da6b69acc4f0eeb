"""VECTOR_BACKEND=milvus through the `verbatim` command with the real model on corpus/: the same answers as
FAISS, and the one-line errors (exit 2) that leave the published index as it was."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.net import free_port

ROOT = Path(__file__).resolve().parents[2]
QUESTIONS = [json.loads(line)["question"] for line in (ROOT / "tests/data/corpus_questions.jsonl").open()]
pytestmark = pytest.mark.model


def verbatim(*args: str, env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("VECTOR_", "MILVUS_", "INDEX_", "CORPUS_"))}
    return subprocess.run(
        [sys.executable, "-m", "retrieval.cli.main", *args], input=stdin, capture_output=True, text=True,
        cwd=ROOT, env={**clean, "HF_HUB_OFFLINE": "1", **env}, timeout=600, check=False,
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("parity")
    setups = {
        "faiss": {"INDEX_DIR": str(root / "faiss")},
        "milvus": {"INDEX_DIR": str(root / "milvus"), "VECTOR_BACKEND": "milvus",
                   "MILVUS_URI": str(root / "milvus.db")},
    }
    for env in setups.values():
        done = verbatim("index", "--corpus", "corpus", env=env)
        assert done.returncode == 0, done.stderr
        assert "Indexed 5 files" in done.stdout
    return {"root": root, "env": setups}


def answers(env: dict[str, str], questions: list[str]) -> list[dict[str, Any]]:
    done = verbatim("ask", "--json", "--corpus", "corpus", env=env, stdin="\n".join(questions) + "\n")
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def without_scores(answer: dict[str, Any]) -> dict[str, Any]:
    return {**answer, "quotes": [{k: v for k, v in q.items() if k != "score"} for q in answer["quotes"]]}


def test_milvus_gives_the_same_answers_as_faiss(built: dict[str, Any]) -> None:
    faiss = answers(built["env"]["faiss"], QUESTIONS)
    milvus = answers(built["env"]["milvus"], QUESTIONS)
    assert len(faiss) == len(milvus) == len(QUESTIONS)
    for f, m in zip(faiss, milvus, strict=True):
        assert without_scores(m) == without_scores(f)  # quotes, sources, offsets, lines, speakers, in order
        for fq, mq in zip(f["quotes"], m["quotes"], strict=True):
            assert mq["score"] == pytest.approx(fq["score"], abs=1e-3)
    putin = milvus[QUESTIONS.index("What did Putin say about Rutte?")]
    assert putin["answered"] and any("intelligent and systematic" in q["text"] for q in putin["quotes"])


def test_the_milvus_index_refers_to_its_collections(built: dict[str, Any]) -> None:
    index = Path(built["env"]["milvus"]["INDEX_DIR"])
    generation = index / (index / "CURRENT").read_text().strip()
    manifest = json.loads((generation / "manifest.json").read_text())
    ref = json.loads((generation / "sentences.faiss").read_text())
    assert manifest["vectors"] == "milvus" and manifest["ann"] == "milvus-flat"
    assert ref["backend"] == "milvus" and ref["generation"] == generation.name and ref["count"] == manifest["sentences"]


@pytest.mark.parametrize(
    ("command", "backend", "uri", "message"),
    [
        ("index", "milvus", "http://127.0.0.1:{port}", "cannot reach the Milvus server"),
        ("index", "milvus", "{root}/missing/milvus.db", "does not exist; create it"),
        ("ask", "milvus", "http://127.0.0.1:{port}", "cannot reach the Milvus server"),
        ("ask", "milvus", "{root}/elsewhere.db", "not in Milvus at"),
        ("ask", "faiss", "", "built with VECTOR_BACKEND=milvus"),
    ],
)
def test_milvus_problems_are_one_line_exit_2_and_damage_nothing(
    built: dict[str, Any], command: str, backend: str, uri: str, message: str
) -> None:
    root: Path = built["root"]
    env = {**built["env"]["milvus"], "VECTOR_BACKEND": backend,
           "MILVUS_URI": uri.format(port=free_port(), root=root)}
    index = Path(env["INDEX_DIR"])
    live = (index / "CURRENT").read_text()
    args = ("index", "--corpus", "corpus", "--rebuild") if command == "index" else ("ask", "what did Putin say?")
    done = verbatim(*args, env=env)
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr and len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert (index / "CURRENT").read_text() == live
    again = verbatim("ask", "--json", "--corpus", "corpus", "what did Putin say about Rutte?",
                     env=built["env"]["milvus"])
    assert again.returncode == 0 and json.loads(again.stdout)["answered"], again.stderr


def test_an_index_built_by_faiss_is_refused_by_milvus(built: dict[str, Any]) -> None:
    env = {**built["env"]["faiss"], "VECTOR_BACKEND": "milvus", "MILVUS_URI": str(built["root"] / "milvus.db")}
    done = verbatim("ask", "what did Putin say?", env=env)
    assert done.returncode == 2
    assert "built with VECTOR_BACKEND=faiss" in done.stderr and "--rebuild" in done.stderr
