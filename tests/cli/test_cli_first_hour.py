"""What a new user meets in the first hour with `verbatim` (issue 14), through the real command in this
process with the FakeEmbedder (tests/support/cli_harness.py): input that is not UTF-8, batches that stay
aligned, input errors that are errors, hints that name the right folder, a stale index, progress off a
terminal, a prompt on one, plural words, no leftovers after a failure."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.bot_corpus import QUESTION
from tests.support.cli_harness import FakeCli, Run

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> FakeCli:
    cli = FakeCli(monkeypatch, capsys, tmp_path)
    built = cli("index")
    assert built.code == 0, built.err
    return cli


def one_line_error(run: Run) -> str:
    assert run.code == 2 and run.out == "", run
    assert len(run.err_lines) == 1 and "Traceback" not in run.err, run.err
    return run.err_lines[0]


# --- 1, 2: input decoded safely; one output per input line ---------------------------------------------


def test_a_stdin_batch_gives_one_json_object_per_input_line_in_order(cli: FakeCli) -> None:
    lines = [b"caf\xe9 harbour bridge\n", b"\n", QUESTION.encode() + b"\r\n", b"   \n", b"mayor bridge repairs"]
    run = cli("ask", "--json", "-k", "2", stdin=b"".join(lines))
    answers = [json.loads(line) for line in run.out.splitlines()]
    assert [a["question"] for a in answers] == ["caf\ufffd harbour bridge", "", QUESTION, "   ", "mayor bridge repairs"]
    assert ["error" in a for a in answers] == [False, True, False, True, False]
    assert all(a["answered"] is False and a["quotes"] == [] for a in answers if "error" in a)
    assert "empty" in answers[1]["error"]
    # blank lines are input errors: the batch goes on, and its exit status says so at the end, in one line
    assert run.code == 2 and run.err_lines == ["verbatim: 2 of 5 questions were not asked (see their errors)"]


def test_a_text_batch_answers_every_line_too(cli: FakeCli) -> None:
    run = cli("ask", stdin=b"harbour bridge\n\nmayor\n")
    assert run.out.count("Q: ") == 3 and "Not asked: The question is empty" in run.out


def test_a_question_argument_with_bytes_that_are_not_utf8_is_answered(cli: FakeCli) -> None:
    # what Python makes of the argument bytes b"caf\xe9 harbour bridge" (surrogateescape)
    run = cli("ask", "--json", "caf\udce9 harbour bridge")
    assert run.code == 0 and json.loads(run.out)["question"] == "caf\ufffd harbour bridge"


# --- 3: input errors are one line on stderr and exit status 2 --------------------------------------------


@pytest.mark.parametrize("flags", [["-k", "0"], ["-k", "-1"], ["-k", "51"], ["-k", "five"]])
def test_a_bad_quote_count_is_an_input_error(cli: FakeCli, flags: list[str]) -> None:
    line = one_line_error(cli("ask", *flags, QUESTION))
    assert "-k" in line


def test_top_k_zero_is_refused_the_same_way(cli: FakeCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TOP_K", "0")
    assert "TOP_K" in one_line_error(cli("ask", QUESTION))


def test_a_too_long_question_is_an_input_error_without_echoing_it(cli: FakeCli) -> None:
    line = one_line_error(cli("ask", "harbour " * 1250))
    assert "too long (9,999 characters; at most 1,000" in line and "MAX_QUESTION_CHARS" in line
    assert "harbour harbour" not in line


def test_a_too_long_line_in_a_batch_gets_an_error_object_and_the_batch_goes_on(cli: FakeCli) -> None:
    run = cli("ask", "--json", stdin=b"harbour bridge\n" + b"x" * 5000 + b"\nmayor\n")
    answers = [json.loads(line) for line in run.out.splitlines()]
    assert len(answers) == 3 and "too long" in answers[1]["error"] and "error" not in answers[2]
    assert run.code == 2 and "1 of 3 questions" in run.err


def test_a_question_not_in_english_is_an_input_error_naming_the_setting(cli: FakeCli) -> None:
    line = one_line_error(cli("ask", "Что сказал мэр о мосте?"))
    assert "must be in English" in line and "EMBEDDING_MODEL" in line and "QUESTION_LANGUAGES" in line
    line = one_line_error(cli("ask", "Was sagte der Bürgermeister über die Brücke?"))
    assert "German" in line


def test_question_languages_any_lets_other_languages_through(cli: FakeCli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUESTION_LANGUAGES", "any")
    assert cli("ask", "Что сказал мэр о мосте?").code == 0


# --- 4: hints name the folder asked about; a corpus that does not exist is an error ----------------------


def test_the_missing_index_hint_names_the_folder(cli: FakeCli, tmp_path: Path) -> None:
    elsewhere = tmp_path / "other index"
    line = one_line_error(cli("ask", "--index", str(elsewhere), QUESTION))
    assert f"there is no index in {elsewhere} yet" in line
    assert f"`verbatim index --index '{elsewhere}'`" in line


def test_the_default_index_folder_reads_as_a_folder(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    line = one_line_error(FakeCli(monkeypatch, capsys, tmp_path)("ask", QUESTION))
    assert "there is no index in ./index yet. Build it with `verbatim index`." in line


def test_ask_with_a_corpus_that_does_not_exist_is_an_error(cli: FakeCli, tmp_path: Path) -> None:
    line = one_line_error(cli("ask", "--corpus", str(tmp_path / "nowhere"), QUESTION))
    assert "nowhere does not exist" in line


# --- 5: a corpus that changed after the index was built is noted ----------------------------------------


def test_a_corpus_changed_after_indexing_is_noted_until_the_next_index(cli: FakeCli) -> None:
    assert "changed after" not in cli("ask", QUESTION).err
    (cli.corpus / "bridge.txt").write_text("The bridge is closed.\n", encoding="utf-8")
    (cli.corpus / "music.txt").unlink()
    (cli.corpus / "new.txt").write_text("A new article.\n", encoding="utf-8")
    run = cli("ask", QUESTION)
    assert run.code == 0
    [note] = [line for line in run.err_lines if "changed after" in line]
    assert "1 file changed (bridge.txt), 1 removed (music.txt), 1 added (new.txt)" in note
    assert "`verbatim index`" in note
    assert cli("index").code == 0
    assert "changed after" not in cli("ask", QUESTION).err


def test_a_touched_file_is_noted_until_a_no_op_index_records_its_time(cli: FakeCli) -> None:
    echo = cli.corpus / "echo.txt"
    later = time.time() + 60
    os.utime(echo, (later, later))
    assert "1 file changed (echo.txt)" in cli("ask", QUESTION).err
    indexed = cli("index")
    assert "no embedding work done" in indexed.out
    assert "changed after" not in cli("ask", QUESTION).err


# --- 7: progress off a terminal; a prompt on one ----------------------------------------------------------


def test_progress_is_plain_lines_when_stderr_is_not_a_terminal(cli: FakeCli) -> None:
    run = cli("index", "--rebuild")
    assert run.code == 0 and "\r" not in run.err
    assert "segmenting: 3 of 3 files (100%)" in run.err_lines


def test_ask_without_a_question_on_a_terminal_prompts(cli: FakeCli) -> None:
    run = cli("ask", stdin=QUESTION.encode() + b"\n\n", tty=True)
    assert run.err_lines[0].startswith("Type a question and press Enter")
    assert run.out.count("Q: ") == 1 and run.code == 0  # the empty line is a person pressing Enter


# --- 10: wording and leftovers ------------------------------------------------------------------------


def test_one_file_is_one_file(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    cli = FakeCli(monkeypatch, capsys, tmp_path, corpus=False)
    cli.corpus.mkdir()
    (cli.corpus / "one.txt").write_text("Only one sentence here.\n", encoding="utf-8")
    out = cli("index").out
    assert out.startswith("Indexed 1 file, 1 sentence in ") and "embedded 1 sentence," in out
    assert cli("index").out.startswith("Index is up to date: 1 file, 1 sentence;")


def test_a_failed_index_leaves_no_folder_and_a_good_one_no_lock(
    cli: FakeCli, tmp_path: Path
) -> None:
    fresh = tmp_path / "fresh-index"
    line = one_line_error(cli("index", "--corpus", str(tmp_path / "missing"), "--index", str(fresh)))
    assert "does not exist" in line and not fresh.exists()
    assert not (cli.index / ".lock").exists()


def test_a_terminated_reqa_run_removes_its_temporary_folder(tmp_path: Path) -> None:
    """SIGTERM arrives while `verbatim eval reqa` works in its temporary folder (run_reqa is stood in for
    by one that records the folder and sends the signal): the folder goes, the exit status says why."""
    squad = tmp_path / "dev.json"
    squad.write_text('{"data": []}', encoding="utf-8")
    script = (
        "import os, signal, sys, time\n"
        "import retrieval.eval.reqa as reqa\n"
        "from retrieval.cli.main import main\n"
        "def stand_in(path, settings, workdir, progress=None, max_questions=None):\n"
        "    print(workdir, flush=True)\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    time.sleep(30)\n"
        "reqa.run_reqa = stand_in\n"
        f"sys.exit(main(['eval', 'reqa', {str(squad)!r}]))\n"
    )
    env = {**os.environ, "TMPDIR": str(tmp_path), "HF_HUB_OFFLINE": "1"}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    workdir = Path(done.stdout.strip())
    assert workdir.name.startswith("verbatim-reqa-") and workdir.parent == tmp_path, done
    assert not workdir.exists() and not list(tmp_path.glob("verbatim-reqa-*"))
    assert done.returncode == 143 and "verbatim: terminated" in done.stderr and "Traceback" not in done.stderr
