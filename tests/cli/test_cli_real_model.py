"""End to end through the `verbatim` command with the real all-MiniLM-L6-v2 model on corpus/."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.model


def verbatim(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "retrieval.cli.main", *args], input=stdin, capture_output=True, text=True,
        cwd=ROOT, env=full_env, timeout=600, check=False,
    )


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    index = tmp_path_factory.mktemp("index")
    done = verbatim("index", "--corpus", "corpus", "--index", str(index))
    assert done.returncode == 0, done.stderr
    assert "Indexed 5 files" in done.stdout
    return index


def source_text(name: str) -> str:
    return (ROOT / "corpus" / name).read_bytes().decode("utf-8")


def test_sample_question_quotes_putin_on_rutte_verbatim(index_dir: Path) -> None:
    done = verbatim("ask", "--json", "--corpus", "corpus", "--index", str(index_dir), "what did Putin say about Rutte?")
    assert done.returncode == 0, done.stderr
    answer = json.loads(done.stdout)
    assert answer["question"] == "what did Putin say about Rutte?" and answer["answered"] is True
    quotes = answer["quotes"]
    assert 1 <= len(quotes) <= 5
    assert any("characterized Rutte as ‘intelligent and systematic’" in q["text"] for q in quotes)
    for q in quotes:
        assert set(q) >= {"text", "source", "start", "end", "line", "score"}
        assert source_text(q["source"])[q["start"] : q["end"]] == q["text"]
        assert source_text(q["source"]).count("\n", 0, q["start"]) + 1 == q["line"]
        for c in q["sources"]:
            assert source_text(c["source"])[c["start"] : c["end"]].split() == q["text"].split() or c == q["sources"][0]


def test_text_output_shows_quote_file_line_and_score(index_dir: Path) -> None:
    done = verbatim("ask", "--index", str(index_dir), "-k", "2", "what did Putin say about Rutte?")
    assert done.returncode == 0, done.stderr
    assert "Q: what did Putin say about Rutte?" in done.stdout
    assert ".txt, line " in done.stdout and "score" in done.stdout
    assert done.stdout.count("[") >= 2


def test_stdin_answers_every_line_in_one_process(index_dir: Path) -> None:
    questions = "Who held a press conference with Rutte?\nWhat is the capital of Peru?\n\nHow much is Germany's fund?\n"
    done = verbatim("ask", "--json", "-k", "2", "--index", str(index_dir), stdin=questions)
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert [a["question"] for a in answers] == [  # one object per input line, the blank one included
        "Who held a press conference with Rutte?", "What is the capital of Peru?", "", "How much is Germany's fund?"]
    assert answers[0]["answered"] and "Tusk" in answers[0]["quotes"][0]["text"]
    assert answers[1]["answered"] is False and answers[1]["quotes"] == [] and "error" not in answers[1]
    assert answers[2]["answered"] is False and "empty" in answers[2]["error"]
    assert answers[3]["answered"] and "€500 billion" in answers[3]["quotes"][0]["text"]
    assert all(len(a["quotes"]) <= 2 for a in answers)
    assert done.returncode == 2 and done.stderr == "verbatim: 1 of 4 questions were not asked (see their errors)\n"


def test_bytes_that_are_not_utf8_are_answered_on_argv_and_stdin(index_dir: Path) -> None:
    """The real tokenizer refuses the lone surrogates Python makes of such bytes; the command must not."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "LC_ALL": "C.UTF-8"}
    base = [sys.executable, "-m", "retrieval.cli.main", "ask", "--json", "-k", "1", "--index", str(index_dir)]
    piped = subprocess.run(base, input=b"caf\xe9 Putin\nwhat did Putin say about Rutte?\n", capture_output=True,
                           cwd=ROOT, env=env, timeout=600, check=False)
    assert piped.returncode == 0 and b"Traceback" not in piped.stderr, piped.stderr
    answers = [json.loads(line) for line in piped.stdout.decode("utf-8").splitlines()]
    assert [a["question"] for a in answers] == ["caf\ufffd Putin", "what did Putin say about Rutte?"]
    assert answers[1]["answered"]
    argv = subprocess.run([*base, b"caf\xe9 Putin"], capture_output=True, cwd=ROOT, env=env, timeout=600,
                          check=False)
    assert argv.returncode == 0 and b"Traceback" not in argv.stderr, argv.stderr
    assert json.loads(argv.stdout)["question"] == "caf\ufffd Putin"


def test_a_reader_that_leaves_early_is_not_an_error(index_dir: Path) -> None:
    """`verbatim ask ... | head -1`: the pipe closes after one line; no traceback, exit status 0."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "retrieval.cli.main", "ask", "--index", str(index_dir)], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env={**os.environ, "HF_HUB_OFFLINE": "1"},
    )
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    proc.stdin.write(("What did Putin say about Rutte?\n" * 400).encode())
    proc.stdin.close()
    assert proc.stdout.readline().startswith(b"Q: ")
    proc.stdout.close()
    assert proc.wait(timeout=600) == 0
    assert b"Traceback" not in proc.stderr.read()


def test_unchanged_corpus_reindex_is_a_noop(index_dir: Path) -> None:
    done = verbatim("index", "--corpus", "corpus", "--index", str(index_dir))
    assert done.returncode == 0, done.stderr
    assert "no embedding work" in done.stdout


def test_other_model_is_refused_with_rebuild_hint(index_dir: Path) -> None:
    done = verbatim("ask", "--index", str(index_dir), "anything", env={"EMBEDDING_MODEL": "some/other-model"})
    assert done.returncode == 2
    assert f"`verbatim index --index {index_dir} --rebuild`" in done.stderr and "Traceback" not in done.stderr


def test_missing_index_is_a_clear_error(tmp_path: Path) -> None:
    done = verbatim("ask", "--index", str(tmp_path / "nothing"), "anything")
    assert done.returncode == 2 and "verbatim index" in done.stderr and "Traceback" not in done.stderr


def test_invalid_setting_is_one_clear_line() -> None:
    done = verbatim("ask", "anything", env={"ADMIN_USER_IDS": "@bob", "TOP_K": "0"})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "invalid setting TOP_K" in done.stderr
    # ADMIN_USER_IDS is the bot's setting (bot/settings.py): `verbatim serve` checks it, before any network
    served = verbatim("serve", env={"ADMIN_USER_IDS": "@bob", "TELEGRAM_BOT_TOKEN": "123:abc"})
    assert served.returncode == 2 and "Traceback" not in served.stderr
    assert "invalid setting ADMIN_USER_IDS" in served.stderr and "numeric" in served.stderr
