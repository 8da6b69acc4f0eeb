"""Telegram misbehaving, driven from the fake Bot API: the bot retries what Telegram surely did not act on,
falls back to plain text when a message is refused, and never sends an answer twice (bot/delivery.py).

Each test checks the end state after the bot has stopped (every handler finished): every question has
exactly one answer, and the injected faults were all used.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import httpx
import pytest
from telegram.error import NetworkError, TimedOut

from bot.delivery import RetryPolicy, not_delivered
from tests.support.bot_corpus import ESCAPED_SENTENCE, MAYOR_SENTENCE
from tests.support.bot_harness import (
    ADMIN,
    OPEN,
    USER,
    bot_settings,
    callback_answer_to,
    inline_answer_to,
    message_id,
    running_bot,
)
from tests.support.fake_bot_api import FakeBotApi, Fault, StoredMessage

pytest_plugins = ("tests.support.bot_fixtures",)  # api, corpus

# Repetitions in milliseconds, so that a test uses its faults up quickly.
FAST = RetryPolicy(read_timeout=5.0, first_delay=0.05, max_delay=0.2, give_up_after=10.0)
# A short read timeout for the timeout tests; the fake holds a request twice as long.
IMPATIENT = RetryPolicy(read_timeout=2.0, first_delay=0.05, max_delay=0.2, give_up_after=10.0)
HOLD = 4.0
# No "say": every question gets quotes from the small corpus (OPEN accepts every candidate).
QUESTIONS = {USER + i: f"Engineers found rust in the harbour bridge deck, report {i}?" for i in range(3)}


def ask_all(api: FakeBotApi, questions: dict[int, str]) -> None:
    for user, question in questions.items():
        api.send_private_message(user, question)


def wait_answers(api: FakeBotApi, questions: dict[int, str], timeout: float = 30) -> None:
    for user in questions:
        api.wait_for_messages(user, 1, timeout=timeout)


def answered_once(api: FakeBotApi, questions: dict[int, str]) -> dict[int, StoredMessage]:
    """Each user got exactly one message: the answer to their question, with its quotes."""
    out = {}
    for user, question in questions.items():
        messages = api.messages_to(user)
        assert len(messages) == 1, [m.text[:80] for m in messages]
        assert f"for “{question}”" in messages[0].text
        assert ESCAPED_SENTENCE in messages[0].text and messages[0].buttons
        out[user] = messages[0]
    return out


def logged(caplog: pytest.LogCaptureFixture, words: str) -> list[str]:
    return [r.getMessage() for r in caplog.records if words in r.getMessage()]


def failed(error: NetworkError, cause: BaseException) -> NetworkError:
    error.__cause__ = cause  # as PTB raises it: `raise NetworkError(...) from httpx_error`
    return error


@pytest.mark.parametrize(
    ("error", "surely_not_delivered"),
    [
        (failed(NetworkError("x"), httpx.ConnectError("refused")), True),
        (failed(TimedOut(), httpx.ConnectTimeout("slow")), True),
        (failed(TimedOut("Pool timeout"), httpx.PoolTimeout("busy")), True),
        (failed(NetworkError("x"), httpx.WriteError("broken pipe")), True),
        (failed(TimedOut(), httpx.WriteTimeout("slow")), True),
        (failed(NetworkError("x"), httpx.RemoteProtocolError("Server disconnected without sending a response.")),
         True),
        (failed(TimedOut(), httpx.ReadTimeout("slow")), False),  # sent; Telegram may have acted on it
        (failed(NetworkError("x"), httpx.ReadError("reset")), False),
        (failed(NetworkError("x"), httpx.RemoteProtocolError("peer closed connection without sending complete "
                                                             "message body")), False),  # it had begun to answer
        (NetworkError("Internal Server Error"), False),  # status codes are judged by TelegramRequest itself
    ],
)
def test_only_failures_where_telegram_surely_did_not_act_are_repeatable(
    error: NetworkError, surely_not_delivered: bool
) -> None:
    assert (not_delivered(error) is not None) == surely_not_delivered


def test_the_backoff_doubles_up_to_its_ceiling() -> None:
    policy = RetryPolicy(first_delay=0.5, max_delay=10.0)
    assert [policy.delay(n) for n in range(1, 8)] == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0]


def test_flood_control_is_waited_out_and_every_question_answered_once(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index"), config=OPEN, retry=FAST):
        api.inject_fault("sendMessage", Fault.retry_after(1), times=3)
        ask_all(api, QUESTIONS)
        wait_answers(api, QUESTIONS)
    assert api.pending_faults() == 0
    answered_once(api, QUESTIONS)
    refused = [r for r in api.calls("sendMessage") if r.status == 429]
    assert len(refused) == 3 and len(api.calls("sendMessage", ok=True)) == len(QUESTIONS)
    api.assert_no_errors()


@pytest.mark.parametrize(
    "fault",
    [
        Fault.server_error(500),
        Fault.server_error(502),
        Fault.server_error(503),
        Fault.drop_connection(),
        Fault.delay(0.3, then="drop"),  # dropped after a while, still without any answer
    ],
    ids=["500", "502", "503", "dropped", "dropped-later"],
)
def test_requests_telegram_did_not_act_on_are_repeated_and_answered_once(
    api: FakeBotApi, corpus: Path, tmp_path: Path, fault: Fault, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot")
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index"), config=OPEN, retry=FAST):
        api.inject_fault("sendMessage", fault, times=4)
        ask_all(api, QUESTIONS)
        wait_answers(api, QUESTIONS)
    assert api.pending_faults() == 0
    answered_once(api, QUESTIONS)
    assert len(api.calls("sendMessage")) == len(QUESTIONS) + 4  # each fault cost one attempt, no more
    assert len(logged(caplog, "sendMessage failed")) == 4
    api.assert_no_errors()


def test_faults_on_every_method_including_polling_lose_nothing(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    """Dropped connections and 502s on whatever comes next: getUpdates, sendMessage, callbacks, inline."""
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index"), config=OPEN, retry=FAST):
        api.inject_fault("*", Fault.drop_connection(), times=2)
        api.inject_fault("*", Fault.server_error(502), times=2)
        ask_all(api, QUESTIONS)
        wait_answers(api, QUESTIONS)
        answer = api.messages_to(USER)[0]
        api.inject_fault("answerCallbackQuery", Fault.server_error(500), times=2)
        api.inject_fault("sendMessage", Fault.drop_connection(), times=1)
        pressed = api.press_button(USER, answer.message_id, button_text="Context [1]")
        context = api.wait_for_messages(USER, 2)[-1]
        api.inject_fault("answerInlineQuery", Fault.drop_connection(), times=2)
        inline = api.send_inline_query(USER + 1, "harbour bridge deck")
        offered = inline_answer_to(api, inline)
        callback = callback_answer_to(api, pressed)
    assert api.pending_faults() == 0
    assert api.calls("getUpdates", ok=False)  # polling went through some of the faults
    assert len(api.messages_to(USER)) == 2 and context.text.startswith("Context of [1]")
    assert callback.text is None and len(api.calls("answerCallbackQuery", ok=True)) == 1
    assert offered.results and len(api.calls("answerInlineQuery", ok=True)) == 1
    for user in QUESTIONS:
        if user != USER:
            assert len(api.messages_to(user)) == 1
    api.assert_no_errors()


def test_a_refused_message_is_sent_again_as_plain_text_with_the_quotes_verbatim(
    api: FakeBotApi, corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    refusal = "can't parse entities: Unsupported start tag \"foo\" at byte offset 0"
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index"), config=OPEN, retry=FAST):
        api.inject_fault("sendMessage", Fault.bad_request(refusal), times=1)
        api.send_private_message(USER, "Engineers found rust <and> cracks & loose bolts in the bridge deck")
        [plain] = api.wait_for_messages(USER, 1)
        api.send_private_message(USER, "What about the harbour bridge repairs?")  # later answers: HTML again
        html = api.wait_for_messages(USER, 2)[-1]
    assert plain.parse_mode is None and plain.entities == ()
    assert re.match(r"\d quotes for “Engineers found rust <and> cracks & loose bolts in the bridge deck”\n\n",
                    plain.text)
    assert f"\n{ESCAPED_SENTENCE}\n[" in plain.text  # verbatim: not "&lt;and&gt;", each quote on its own line
    assert f"\n{MAYOR_SENTENCE}\n[" in plain.text
    assert "bridge.txt, line 3" in plain.text and "&lt;" not in plain.text
    assert [b["text"] for b in plain.buttons][:2] == ["Context [1]", "Context [2]"]
    assert html.parse_mode == "HTML" and html.entities_of("blockquote")
    [refused] = [r for r in api.calls("sendMessage") if r.status == 400]
    assert refused.params["parse_mode"] == "HTML"
    assert logged(caplog, "sending it as plain text")
    api.assert_no_errors()


def test_a_message_refused_twice_ends_in_an_apology(api: FakeBotApi, corpus: Path, tmp_path: Path) -> None:
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index"), config=OPEN, retry=FAST):
        api.inject_fault("sendMessage", Fault.bad_request("message text is empty"), times=2)
        api.send_private_message(USER, "Engineers found rust in the bridge deck?")
        [reply] = api.wait_for_messages(USER, 1)
    assert reply.text.startswith("Sorry, something went wrong")
    assert len(api.messages_to(USER)) == 1
    api.assert_no_errors()


def test_a_send_that_timed_out_is_not_repeated_so_a_delivered_answer_is_never_doubled(
    api: FakeBotApi, corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Telegram got the request and delivered it, but its answer came after the bot stopped waiting."""
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index"), config=OPEN, retry=IMPATIENT):
        api.inject_fault("sendMessage", Fault.delay(HOLD, then="process"), times=1)
        api.send_private_message(USER, QUESTIONS[USER])
        api.wait_for_messages(USER, 1, timeout=HOLD + 10)  # stored when the fake processed it
        api.send_private_message(USER + 1, QUESTIONS[USER + 1])  # the bot goes on answering
        api.wait_for_messages(USER + 1, 1, timeout=10)
    answered_once(api, {u: QUESTIONS[u] for u in (USER, USER + 1)})
    assert len(api.calls("sendMessage")) == 2  # the timed-out one was not sent again
    assert logged(caplog, "it may have been delivered")
    api.assert_no_errors()


@pytest.mark.parametrize("fault", [Fault.delay(HOLD, then="drop"), Fault.server_error(504)], ids=["lost", "504"])
def test_a_send_that_may_have_arrived_is_not_repeated_even_if_it_was_lost(
    api: FakeBotApi, corpus: Path, tmp_path: Path, fault: Fault, caplog: pytest.LogCaptureFixture
) -> None:
    """The other side of that choice: an answer lost after a timeout (or a 504) is logged, not sent again,
    and no apology follows (the user may be reading the answer)."""
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index"), config=OPEN, retry=IMPATIENT):
        api.inject_fault("sendMessage", fault, times=1)
        api.send_private_message(USER, QUESTIONS[USER])
        api.wait_for_requests("sendMessage", 1, timeout=HOLD + 10)
        api.wait_until(lambda: logged(caplog, "it may have been delivered"), timeout=10)
        api.send_private_message(USER + 1, QUESTIONS[USER + 1])
        api.wait_for_messages(USER + 1, 1, timeout=10)
    assert api.messages_to(USER) == []
    assert [int(r.params["chat_id"]) for r in api.calls("sendMessage")] == [USER, USER + 1]
    api.assert_no_errors()


def test_the_bot_starts_through_faults_and_serves(api: FakeBotApi, corpus: Path, tmp_path: Path) -> None:
    api.inject_fault("getMe", Fault.server_error(502), times=2)
    api.inject_fault("setMyCommands", Fault.bad_request("BOT_COMMAND_INVALID"), times=1)
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index"), config=OPEN, retry=FAST):
        api.send_private_message(USER, QUESTIONS[USER])
        api.wait_for_messages(USER, 1)
    answered_once(api, {USER: QUESTIONS[USER]})
    assert api.pending_faults() == 0
    api.assert_no_errors()


def test_a_reindex_finishes_through_faults_on_its_status_edits(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index"), retry=FAST, progress_interval=0.2):
        api.inject_fault("editMessageText", Fault.server_error(500), times=2)
        api.inject_fault("editMessageText", Fault.drop_connection(), times=1)
        api.send_private_message(ADMIN, "/reindex")
        [status] = api.wait_for_messages(ADMIN, 1)
        api.wait_until(lambda: "up to date" in api.message(ADMIN, message_id(status)).text, timeout=15)
    assert api.pending_faults() == 0
    assert len(api.messages_to(ADMIN)) == 1  # the summary is an edit of the status, not a new message
    api.assert_no_errors()
