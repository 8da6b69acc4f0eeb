"""The bot in chats, end to end: the real Application and HTTP client against the fake Bot API server.

Questions in private, in groups (mention, reply, /ask), answer HTML and citations, escaping, splitting,
"not found", commands, concurrency. The fake refuses anything Telegram would refuse; every test ends with
``api.assert_no_errors()``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

from tests.support.bot_corpus import (
    ESCAPED_SENTENCE,
    MAYOR_SENTENCE,
    MUSIC_QUESTION,
    QUESTION,
    write_long_corpus,
)
from tests.support.bot_harness import OPEN, USER, GatedEmbedder, bot_settings, build_test_index, running_bot
from tests.support.fake_bot_api import FakeBotApi, StoredMessage

GROUP = -1001234567890


pytest_plugins = ("tests.support.bot_fixtures",)  # api, corpus


def blockquotes(message: StoredMessage) -> list[str]:
    return [said for _, said in message.entities_of("blockquote")]


def test_a_private_question_gets_each_quote_in_a_blockquote_with_its_citations(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index")):
        api.send_private_message(USER, QUESTION)
        [reply] = api.wait_for_messages(USER, 1)
    assert reply.parse_mode == "HTML"
    assert reply.link_preview_options == {"is_disabled": True}
    quotes = blockquotes(reply)
    n = len(quotes)
    assert reply.text.startswith(f"{n} quote{'s' if n > 1 else ''} for “{QUESTION}”\n\n")
    assert [said for _, said in reply.entities_of("bold")] == [f"{n} quote{'s' if n > 1 else ''}"]
    # The best sentence stands in two files: shown once, with both sources.
    assert quotes[0] == MAYOR_SENTENCE and reply.text.count(MAYOR_SENTENCE) == 1
    assert f"{MAYOR_SENTENCE}\n[1] bridge.txt, line 3; echo.txt, line 3" in reply.text
    assert [said for _, said in reply.entities_of("code")][:2] == ["bridge.txt", "echo.txt"]
    assert f"<blockquote>{MAYOR_SENTENCE}</blockquote>\n[1] <code>bridge.txt</code>, line 3; " in reply.html
    for number in range(2, n + 1):
        assert f"\n[{number}] bridge.txt, line " in reply.text  # the other quotes: the bridge article's
    assert "Mozart" not in reply.text
    assert [b["text"] for b in reply.buttons] == [f"Context [{i}]" for i in range(1, n + 1)]
    assert all(len(data.encode()) <= 64 for data in reply.callback_data)
    api.assert_no_errors()


def test_question_and_corpus_text_are_escaped(api: FakeBotApi, corpus: Path, tmp_path: Path) -> None:
    question = "Engineers found rust <and> cracks & loose bolts in the bridge deck? <b>x</b>"
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index")):
        api.send_private_message(USER, question)
        [reply] = api.wait_for_messages(USER, 1)
    assert "“" + question + "”" in reply.text  # shown literally, not as markup
    assert ESCAPED_SENTENCE in blockquotes(reply)
    assert "&lt;and&gt; cracks &amp; loose" in reply.html and "&lt;b&gt;x&lt;/b&gt;" in reply.html
    api.assert_no_errors()


def test_a_long_answer_is_split_into_valid_messages_between_quotes(api: FakeBotApi, tmp_path: Path) -> None:
    corpus = write_long_corpus(tmp_path)
    build_test_index(corpus, tmp_path / "index")
    settings = bot_settings(api, corpus, tmp_path / "index", top_k=8)
    with running_bot(api, settings, config=OPEN):
        api.send_private_message(USER, "what does the harbour bridge report say?")
        # the buttons go on the last part
        api.wait_until(lambda: any(m.buttons for m in api.messages_to(USER)), description="the last part")
        replies = api.messages_to(USER)
    assert len(replies) >= 2
    for n, reply in enumerate(replies):
        assert len(reply.text.encode("utf-16-le")) // 2 <= 4096
        assert len(reply.entities) <= 100
        if n:
            assert reply.html.startswith("<blockquote>")  # never split inside a quote and its citation
    assert [bool(r.buttons) for r in replies] == [False] * (len(replies) - 1) + [True]
    shown = [q for r in replies for q in blockquotes(r)]
    assert len(shown) == 8
    assert "&lt;detail" in replies[0].html
    api.assert_no_errors()


def test_nothing_relevant_is_a_plain_not_found(api: FakeBotApi, corpus: Path, tmp_path: Path) -> None:
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index", max_question_chars=50)):
        api.send_private_message(USER, "quantum chromodynamics lattice gauge theory")
        [reply] = api.wait_for_messages(USER, 1)
        api.send_private_message(USER, "harbour bridge " * 10)
        [_, too_long] = api.wait_for_messages(USER, 2)
    assert reply.text.startswith("Not found.") and "rephras" in reply.text
    assert not reply.entities_of("blockquote") and not reply.buttons
    assert too_long.text == "That question is too long (149 characters; at most 50). Please shorten it."
    api.assert_no_errors()


def test_in_groups_the_bot_answers_mentions_replies_and_ask_only(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index")):
        api.send_group_message(GROUP, USER, "the mayor said the harbour bridge is great")  # not for the bot
        mention = api.mention_bot_in_group(GROUP, USER, QUESTION)
        [first] = api.wait_for_messages(GROUP, 1)
        assert first.reply_to_message_id == mention.message_id
        assert blockquotes(first)[0] == MAYOR_SENTENCE

        reply = api.send_group_message(GROUP, USER, "Engineers found rust?", reply_to=first.message_id)
        second = api.wait_for_messages(GROUP, 2)[-1]
        assert second.reply_to_message_id == reply.message_id
        assert ESCAPED_SENTENCE in blockquotes(second)

        ask = api.send_command(GROUP, f"/ask@{api.bot_username} {QUESTION}", user_id=USER)
        third = api.wait_for_messages(GROUP, 3)[-1]
        assert third.reply_to_message_id == ask.message_id and blockquotes(third)[0] == MAYOR_SENTENCE

        api.send_command(GROUP, "/ask", user_id=USER)
        usage = api.wait_for_messages(GROUP, 4)[-1]
        assert usage.text.startswith("Usage: /ask your question")

        api.mention_bot_in_group(GROUP, USER, "")
        hint = api.wait_for_messages(GROUP, 5)[-1]
        assert hint.text.startswith("Ask me a question after the mention")
    # The message that was not addressed to the bot got no answer.
    assert len(api.messages_to(GROUP)) == 5
    api.assert_no_errors()


def test_commands_are_registered_and_answered(api: FakeBotApi, corpus: Path, tmp_path: Path) -> None:
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index")):
        commands = [c["command"] for c in api.commands()]
        assert commands == ["ask", "sources", "stats", "help", "start", "reindex", "add", "remove"]
        for n, command in enumerate(["/start", "/help", "/sources", "/stats", "/frobnicate"], 1):
            api.send_private_message(USER, command)
            api.wait_for_messages(USER, n)
        start, help_, sources, stats, unknown = api.messages_to(USER)
    assert "exact sentences" in start.text and "What did Putin say about Rutte?" in start.text
    assert "/reindex" in help_.text and f"@{api.bot_username}" in help_.text
    assert sources.text.startswith("3 indexed files, 8 sentences")
    assert "• bridge.txt — 4 sentences" in sources.text
    assert "Files: 3" in stats.text and "Sentences: 8" in stats.text and "fake-hash-embedder" in stats.text
    assert "Size on disk: 0." in stats.text
    assert "Index built: 20" in stats.text and "Last reindex: 20" in stats.text
    assert unknown.text.startswith("I don't know that command")
    api.assert_no_errors()


def test_chats_are_answered_concurrently(api: FakeBotApi, corpus: Path, tmp_path: Path) -> None:
    """A question stuck in the model does not hold up another chat's question."""
    embedder = GatedEmbedder(trigger="Orchestra")
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index"), embedder=embedder):
        api.send_private_message(USER, MUSIC_QUESTION)
        assert embedder.waiting.wait(10)
        api.send_private_message(USER + 1, QUESTION)
        [other] = api.wait_for_messages(USER + 1, 1)
        assert blockquotes(other)[0] == MAYOR_SENTENCE
        assert api.messages_to(USER) == []  # still thinking
        embedder.gate.set()
        [held] = api.wait_for_messages(USER, 1)
    assert "Mozart" in held.text
    api.assert_no_errors()


def test_an_unexpected_error_is_logged_and_the_user_told_without_internals(
    api: FakeBotApi, corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken(GatedEmbedder):
        def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
            if any("explode" in t for t in texts):
                raise RuntimeError("secret internal detail /etc/index/vectors.npy")
            return super().encode(texts, progress)

    embedder = Broken(trigger="never")
    embedder.gate.set()
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index"), embedder=embedder):
        api.send_private_message(USER, "explode please")
        [reply] = api.wait_for_messages(USER, 1)
    assert reply.text.startswith("Sorry, something went wrong")
    assert "secret" not in reply.text and "vectors" not in reply.text
    assert any("secret internal detail" in r.getMessage() or (r.exc_text or "").find("secret") >= 0
               or (r.exc_info and "secret" in str(r.exc_info[1])) for r in caplog.records)
    api.assert_no_errors()



def test_a_quote_sent_through_inline_mode_is_not_taken_for_a_question(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index")):
        api.add_chat(USER, "private")
        user = {"id": USER, "is_bot": False, "first_name": "U"}
        api.enqueue_update({"message": {
            "message_id": 100, "date": 1_700_000_000, "text": MAYOR_SENTENCE, "via_bot": api.bot_user,
            "chat": {"id": USER, "type": "private", "first_name": "U"}, "from": user}})
        api.send_private_message(USER, QUESTION)
        [reply] = api.wait_for_messages(USER, 1)
        api.send_private_message(USER, "/stats")  # updates are handled concurrently: wait for a later one
        api.wait_for_messages(USER, 2)
    assert reply.text.startswith(f"{len(blockquotes(reply))} quote")
    assert len(api.messages_to(USER)) == 2
    api.assert_no_errors()
