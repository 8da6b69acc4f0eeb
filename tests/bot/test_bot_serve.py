"""``verbatim serve`` as a user runs it: a subprocess pointed at the fake Bot API with TELEGRAM_BASE_URL.

A missing or rejected token is a one-line error and exit status 2, without a traceback and without the
token; a real run (real model, real corpus) answers a question and never logs the token, even at DEBUG.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.support.bot_corpus import MAYOR_SENTENCE, QUESTION, write_corpus
from tests.support.bot_harness import USER, bot_settings, build_test_index, running_bot
from tests.support.fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parents[2]
VERBATIM = str(Path(sys.executable).with_name("verbatim"))
SECRET_TOKEN = "987654:WRONG-secret-token-value"


def clean_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "ADMIN_USER_IDS"))}
    env.update({"NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost", "HF_HUB_OFFLINE": "1"})
    env.update({"CORPUS_DIR": str(tmp_path / "corpus"), "INDEX_DIR": str(tmp_path / "index")})
    env.update(extra)
    return env


def serve(tmp_path: Path, env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([VERBATIM, "serve"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def test_a_missing_token_is_a_one_line_error(tmp_path: Path) -> None:
    done = serve(tmp_path, clean_env(tmp_path))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip().count("\n") == 0 and "Traceback" not in done.stderr
    assert done.stderr.startswith("verbatim: TELEGRAM_BOT_TOKEN is not set")


def test_a_rejected_token_is_a_one_line_error_without_the_token(tmp_path: Path) -> None:
    with FakeBotApi(token="123456:RIGHT-token") as api:
        env = clean_env(tmp_path, TELEGRAM_BOT_TOKEN=SECRET_TOKEN, TELEGRAM_BASE_URL=api.base_url)
        done = serve(tmp_path, env)
        debug = serve(tmp_path, {**env, "LOG_LEVEL": "DEBUG"})  # every library's log lines, too
        assert api.calls("getMe") and not api.calls("getMe", ok=True)  # it really asked, and was refused
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip().count("\n") == 0 and "Traceback" not in done.stderr, done.stderr
    expected = f"verbatim: the Bot API server at {api.base_url} rejected TELEGRAM_BOT_TOKEN; check the token"
    assert done.stderr.startswith(expected)
    assert debug.returncode == 2
    for output in (done.stdout, done.stderr, debug.stdout, debug.stderr):
        assert SECRET_TOKEN not in output and "WRONG-secret" not in output and "Traceback" not in output
    assert "/bot[REDACTED]/getMe" in debug.stderr


def test_a_malformed_get_me_answer_is_a_one_line_error(tmp_path: Path) -> None:
    """A Bot API server (an emulator, a proxy) whose getMe answer lacks "is_bot": one line, exit status 2."""
    with FakeBotApi() as api:
        del api.bot_user["is_bot"]
        env = clean_env(tmp_path, TELEGRAM_BOT_TOKEN=api.token, TELEGRAM_BASE_URL=api.base_url)
        done = serve(tmp_path, env)
        assert api.calls("getMe", ok=True)  # the server said yes, in a form the bot cannot read
    assert done.returncode == 2 and done.stdout == "", done.stderr
    assert done.stderr.strip().count("\n") == 0 and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith(f"verbatim: the Bot API server at {api.base_url} sent a malformed answer to getMe")
    assert api.token not in done.stderr


@pytest.mark.model
def test_serve_answers_with_the_real_model_and_never_logs_the_token(tmp_path: Path) -> None:
    index = tmp_path / "index"  # none yet: serve builds it from the corpus before serving
    with FakeBotApi(token="123456:REAL-secret-token-XYZ") as api:
        env = api.subprocess_env(clean_env(tmp_path, CORPUS_DIR=str(ROOT / "corpus"), LOG_LEVEL="DEBUG"))
        env.update({"TELEGRAM_BOT_TOKEN": api.token, "TELEGRAM_BASE_URL": api.base_url})
        process = subprocess.Popen([VERBATIM, "serve", "--index", str(index)], cwd=tmp_path, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            api.send_private_message(42, "what did Putin say about Rutte?")
            [answer] = api.wait_for_messages(42, 1, timeout=120)
            api.send_inline_query(42, "what did Putin say about Rutte?")
            api.wait_until(lambda: api.calls("answerInlineQuery"), timeout=30)
            process.send_signal(signal.SIGTERM)
            out, err = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.communicate()
        api.assert_no_errors()
    assert process.returncode == 0, err
    quotes = [said for _, said in answer.entities_of("blockquote")]
    assert quotes and any("Putin" in q and "Rutte" in q for q in quotes[:3])
    assert "[1] " in answer.text and ".txt, line " in answer.text
    logs = out + err
    assert "Traceback" not in logs
    assert api.token not in logs and "REAL-secret-token-XYZ" not in logs
    assert "[REDACTED]" in logs  # DEBUG logging saw the Bot API URLs, with the token blanked out
    assert "Building the index now." in logs and (index / "CURRENT").is_file()


def test_webhook_mode_sets_the_webhook_and_only_accepts_updates_with_its_secret(tmp_path: Path) -> None:
    corpus = write_corpus(tmp_path)
    build_test_index(corpus, tmp_path / "index")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with FakeBotApi() as api:
        api.add_chat(USER, "private")
        settings = bot_settings(
            api, corpus, tmp_path / "index", telegram_webhook_url=f"https://bot.example/hook/{port}",
            telegram_webhook_listen="127.0.0.1", telegram_webhook_port=port
        )
        with running_bot(api, settings):
            webhook = api.webhook
            assert webhook["url"] == f"https://bot.example/hook/{port}"
            secret = webhook["secret_token"]
            assert len(secret) >= 32 and sorted(webhook["allowed_updates"]) == [
                "callback_query", "inline_query", "message"]
            update = {"update_id": 7, "message": {
                "message_id": 1, "date": 1_700_000_000, "text": QUESTION,
                "chat": {"id": USER, "type": "private", "first_name": "U"},
                "from": {"id": USER, "is_bot": False, "first_name": "U"}}}
            url = f"http://127.0.0.1:{port}/hook/{port}"
            forged = httpx.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})
            assert forged.status_code == 403
            accepted = httpx.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret})
            assert accepted.status_code == 200
            [reply] = api.wait_for_messages(USER, 1)
        api.assert_no_errors()
    assert next(said for _, said in reply.entities_of("blockquote")) == MAYOR_SENTENCE
