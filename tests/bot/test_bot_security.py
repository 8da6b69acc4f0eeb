"""Security of the bot, end to end against the fake Bot API.

* Admin commands are authorized by numeric user id at every entry point: private and group messages, a
  forwarded command, an anonymous group admin, forged callback data, inline queries, messages sent via the
  bot. Only the admin's own /reindex runs.
* The token never appears in logs (at DEBUG, with httpx, httpcore and PTB logging every request), in
  exception tracebacks, or in anything the bot sends to users.
* No user input (questions, /ask, inline queries, forged callback data) makes the bot open or reveal a file
  outside the index: every file the bot process opens meanwhile is recorded with an audit hook.
* .env is git-ignored and .env.example holds no secrets.
"""

from __future__ import annotations

import io
import json
import logging
import re
import subprocess
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.logs import NOISY, REDACTED, configure_logging
from retrieval.index.generations import current_generation
from tests.support.bot_corpus import QUESTION, write_corpus
from tests.support.bot_harness import (
    ADMIN,
    OPEN,
    USER,
    GatedEmbedder,
    bot_settings,
    build_test_index,
    callback_answer_to,
    inline_answer_to,
    message_id,
    running_bot,
)
from tests.support.fake_bot_api import FakeBotApi, Fault

pytest_plugins = ("tests.support.bot_fixtures",)  # api, corpus

ROOT = Path(__file__).resolve().parents[2]
GROUP = -1004444444444
REFUSED = "Sorry, only the bot's admins can reindex."
ANONYMOUS_ADMIN = {"id": 1087968824, "is_bot": True, "first_name": "Group", "username": "GroupAnonymousBot"}
NEW_ARTICLE = "Air show\n\nZeppelin pilots circled the stadium twice before landing.\n"


def user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}


def command_message(message_id: int, chat: dict[str, Any], sender: dict[str, Any], text: str,
                    **extra: Any) -> dict[str, Any]:
    """A raw message update carrying a bot command (as Telegram sends one)."""
    command = text.split()[0]
    return {"message": {"message_id": message_id, "date": 1_700_000_000, "chat": chat, "from": sender,
                        "text": text, "entities": [{"type": "bot_command", "offset": 0, "length": len(command)}],
                        **extra}}


# --- admin commands --------------------------------------------------------------------------------------


def test_only_the_admins_numeric_id_can_reindex_from_any_entry_point(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    (corpus / "zeppelin.txt").write_text(NEW_ARTICLE)  # a reindex would change the index
    before = current_generation(tmp_path / "index")
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index")):
        api.send_private_message(USER, QUESTION)
        [answer] = api.wait_for_messages(USER, 1)

        # Messages: in private (with the admin's id as a name), and in a group.
        api.send_private_message(USER, "/reindex", username=f"id{ADMIN}", first_name=str(ADMIN))
        api.send_group_message(GROUP, USER, f"/reindex@{api.bot_username}")
        # A command forwarded from the admin is still the forwarder's; an anonymous group admin has no id.
        api.enqueue_update(command_message(
            500, {"id": USER, "type": "private", "first_name": "U"}, user(USER), "/reindex",
            forward_origin={"type": "user", "date": 1_700_000_000, "sender_user": user(ADMIN)}))
        api.enqueue_update(command_message(
            501, {"id": GROUP, "type": "supergroup", "title": "G"}, ANONYMOUS_ADMIN,
            f"/reindex@{api.bot_username}", sender_chat={"id": GROUP, "type": "supergroup", "title": "G"}))
        # Sent through inline mode (a chosen result reading /reindex): not a command at all.
        api.enqueue_update(command_message(
            502, {"id": USER, "type": "private", "first_name": "U"}, user(USER), "/reindex", via_bot=api.bot_user))
        # Callback data naming an admin action, on a real answer of the bot.
        presses = [api.press_button(USER, answer.message_id, data, forge=True)
                   for data in ("reindex", "/reindex", "r:reindex", f"admin:{ADMIN}:reindex", "m:reindex___:0")]
        # Inline queries: asked as questions, never run.
        inline = [api.send_inline_query(USER, text) for text in ("/reindex", f"/reindex@{api.bot_username}")]

        refusals = api.wait_for_messages(USER, 3)[1:]
        in_group = api.wait_for_messages(GROUP, 2)
        alerts = [callback_answer_to(api, p) for p in presses]
        answered = [inline_answer_to(api, q) for q in inline]
        # The admin, by id, can; the status message is the only reindex message anyone got.
        api.send_private_message(ADMIN, "/reindex")
        [status] = api.wait_for_messages(ADMIN, 1)
        api.wait_until(lambda: "Reindex done" in api.message(ADMIN, message_id(status)).text, timeout=15)
    assert [m.text[: len(REFUSED)] for m in refusals + in_group] == [REFUSED] * 4
    assert len(api.messages_to(USER)) == 3 and len(api.messages_to(GROUP)) == 2  # nothing for the via_bot one
    assert all((a.text, a.show_alert) == ("This button is not valid.", True) for a in alerts)
    assert all(a.button is not None or a.results for a in answered)
    assert not any("Reindexing" in m.text for chat in (USER, GROUP) for m in api.messages_to(chat))
    assert current_generation(tmp_path / "index") != before  # only the admin's reindex ran ...
    assert len(api.calls("editMessageText")) >= 1 and all(
        r.params["chat_id"] == ADMIN for r in api.calls("editMessageText"))  # ... and only it reported
    api.assert_no_errors()


# --- the token -----------------------------------------------------------------------------------------

TOKEN = "987654321:AAH-SecretPart_of-the-TOKEN-xyz"
SECRET_PART = TOKEN.split(":", 1)[1]


@pytest.fixture()
def debug_logs() -> Iterator[io.StringIO]:
    """The root logger as ``verbatim serve`` sets it up at LOG_LEVEL=DEBUG, writing to a string."""
    root = logging.getLogger()
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    saved = root.level, {name: logging.getLogger(name).level for name in NOISY}
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        for h in root.handlers:
            for f in [f for f in h.filters if f.__class__.__name__ == "Redactor"]:
                h.removeFilter(f)
        root.setLevel(saved[0])
        for name, level in saved[1].items():
            logging.getLogger(name).setLevel(level)


def test_the_token_never_appears_in_logs_tracebacks_or_messages_even_at_debug(
    tmp_path: Path, debug_logs: io.StringIO
) -> None:
    class Leaky(GatedEmbedder):
        """A library that puts the token in its exception (as PTB does in InvalidToken at start-up)."""

        def encode(self, texts: Any, progress: Any = None) -> Any:
            if any("leak" in t for t in texts):
                raise RuntimeError(f"request to https://api.telegram.org/bot{TOKEN}/sendMessage failed")
            return super().encode(texts, progress)

    embedder = Leaky(trigger="never")
    embedder.gate.set()
    corpus = write_corpus(tmp_path)
    build_test_index(corpus, tmp_path / "index")
    with FakeBotApi(token=TOKEN) as api:
        configure_logging("DEBUG", [TOKEN])
        with running_bot(api, bot_settings(api, corpus, tmp_path / "index"), embedder=embedder, config=OPEN):
            api.send_private_message(USER, QUESTION)
            api.send_private_message(USER + 1, "please leak the token")
            api.wait_for_messages(USER, 1)
            [apology] = api.wait_for_messages(USER + 1, 1)
            # Faults, one chat each: retried, lost (504, only logged), plain text, 401 (an apology follows).
            faults = [(Fault.drop_connection(), 1), (Fault.server_error(502), 1), (Fault.server_error(504), 0),
                      (Fault.bad_request("can't parse entities: x"), 1), (Fault.error(401, "Unauthorized"), 1)]
            for chat, (fault, expected) in enumerate(faults, USER + 10):
                api.inject_fault("sendMessage", fault, times=1)
                api.send_private_message(chat, QUESTION)
                if expected:
                    api.wait_for_messages(chat, expected, timeout=10)
                else:  # the 504: nothing arrives
                    api.wait_until(lambda: any(r.status == 504 for r in api.calls("sendMessage")), timeout=10)
            pressed = api.press_button(USER, api.messages_to(USER)[0].message_id, f"c:{TOKEN}"[:64], forge=True)
            callback_answer_to(api, pressed)
            api.send_inline_query(USER, "harbour bridge")
            api.wait_until(lambda: api.calls("answerInlineQuery"), timeout=10)
        logs = debug_logs.getvalue()
    assert apology.text.startswith("Sorry, something went wrong")
    for form in (TOKEN, SECRET_PART, urllib.parse.quote(TOKEN, safe=""), "AAH-SecretPart"):
        assert form not in logs
        for request in api.requests:
            if request.method in ("sendMessage", "editMessageText", "answerCallbackQuery", "answerInlineQuery"):
                assert form not in json.dumps(request.params, ensure_ascii=False)
    assert f"/bot{REDACTED}/sendMessage" in logs  # httpx logged the URLs, token blanked
    assert "httpcore" in logs and "telegram" in logs and "Traceback" in logs  # the libraries spoke at DEBUG
    assert f"https://api.telegram.org/bot{REDACTED}/sendMessage failed" in logs  # the exception, redacted


# --- files outside the index ---------------------------------------------------------------------------

_opened: list[str] = []
_recording = threading.Event()


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if _recording.is_set() and event == "open" and args and isinstance(args[0], str | bytes | Path):
        _opened.append(str(args[0]))


sys.addaudithook(_audit)  # permanent for the process; records only while a test sets _recording


JUNK_DATA = [
    "c:../../secret.txt:1", "c:../../../etc/passwd:1", "c:/etc/passwd:1", "m:%2e%2e%2fsecret:1",
    "c:KEY:0", "c:KEY:10000", "c:KEY:99999999999999999999", "m:KEY:-1", "c:KEY:-5", "c:KEY:1e3",
    "c:KEY:１", "c:KEY:١", "m:KEY:99999", "c:KEY:1 ", "c:KEY:1\x00/etc/passwd", "c:KEY\n:1",
    "c:ключключключ:1", "c:😀😀😀😀😀😀😀😀😀😀😀😀:1", "\x00\x01\x02", "ø" * 32, "c:" + "A" * 60,
    "c:KEY:1:/etc/passwd", "C:KEY:1", "c::1", ":", "c:KEY", "c:KEY:",
]


def test_no_user_input_opens_or_reveals_a_file_outside_the_index(api: FakeBotApi, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET: outside the index\n")
    corpus = write_corpus(tmp_path)
    (corpus / "leak.txt").symlink_to(secret)  # not followed by the indexer
    (corpus / "passwd.txt").symlink_to("/etc/passwd")
    build_test_index(corpus, tmp_path / "index")
    paths = [str(secret), "../secret.txt", "../../../../etc/passwd", "/etc/passwd", "file:///etc/passwd",
             "leak.txt", "passwd.txt", "%2e%2e%2fsecret.txt", "~/.ssh/id_rsa", "TOP SECRET", "root:x:0:0"]
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index"), config=OPEN):
        api.send_private_message(USER, QUESTION)
        [answer] = api.wait_for_messages(USER, 1)
        key = answer.callback_data[0].split(":")[1]
        _opened.clear()
        _recording.set()
        secret.read_text()
        assert _opened == [str(secret)]  # the hook sees what is opened
        _opened.clear()
        try:
            for path in paths:
                api.send_private_message(USER + 1, path)
                api.send_private_message(USER + 2, f"/ask {path}")
                api.send_inline_query(USER + 3, path)
            presses = [api.press_button(USER, answer.message_id, data.replace("KEY", key), forge=True)
                       for data in JUNK_DATA]
            api.wait_for_messages(USER + 1, len(paths), timeout=20)
            api.wait_for_messages(USER + 2, len(paths), timeout=20)
            answers = [callback_answer_to(api, p) for p in presses]
            api.wait_until(lambda: len(api.calls("answerInlineQuery")) == len(paths), timeout=20)
        finally:
            _recording.clear()
    allowed = [Path(p).resolve() for p in (sys.prefix, sys.base_prefix, ROOT, tmp_path / "index")]
    outside = [p for p in _opened if not any(Path(p).resolve().is_relative_to(a) for a in allowed)]
    assert outside == []  # meanwhile the bot opened nothing but Python's own files and the index
    sent = json.dumps([r.params for r in api.requests], ensure_ascii=False)
    assert "TOP SECRET: outside" not in sent and "root:x:0:0:" not in sent
    assert {a.text for a in answers} <= {"This button is not valid.",
                                         "This answer expired. Please ask the question again.",
                                         "No more quotes for this question."}
    assert len(api.messages_to(USER)) == 1  # no forged button produced a message
    api.assert_no_errors()


# --- .env ----------------------------------------------------------------------------------------------


def git(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="not a git checkout")
def test_env_is_git_ignored_and_never_tracked() -> None:
    assert git("check-ignore", "-q", ".env").returncode == 0
    assert not [p for p in git("ls-files").stdout.splitlines() if p == ".env" or p.endswith("/.env")]
    assert git("check-ignore", "-q", ".env.example").returncode == 1  # the example is meant to be committed


def test_env_example_holds_no_secrets() -> None:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    settings = dict(line.split("=", 1) for line in lines if line.strip() and not line.lstrip().startswith("#"))
    secret_names = [name for name in settings if re.search(r"TOKEN|SECRET|PASSWORD|API_KEY", name)]
    assert {"TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET"} <= set(secret_names)
    assert {name: settings[name] for name in secret_names if settings[name].strip()} == {}
    assert settings["ADMIN_USER_IDS"].strip() == ""
    token_like = re.compile(r"\d{6,}:[A-Za-z0-9_-]{20,}")
    assert not [line for line in lines if token_like.search(line)]
