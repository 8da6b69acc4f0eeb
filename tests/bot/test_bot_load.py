"""Load: 50 chats ask 20 questions each at once, and an admin reindexes in the middle (tests/support/load.py).

Every question gets exactly one answer, to that question, and nothing arrives twice, even after the driver
stopped looking (the counts are taken again once the bot has stopped and every handler has finished).
The real Application, rate limiter and HTTP stack run against the fake Bot API; the embedder is the fake
one. Latency under this load, with the real model, is measured by benchmarks/load.py, not asserted here.
"""

from __future__ import annotations

from pathlib import Path

from tests.support.bot_harness import ADMIN, OPEN, USER, bot_settings, running_bot
from tests.support.fake_bot_api import FakeBotApi
from tests.support.load import run_load

pytest_plugins = ("tests.support.bot_fixtures",)  # api, corpus

CHATS = range(3_000_001, 3_000_051)
PER_CHAT = 20
NEW_SENTENCE = "Zeppelin pilots circled the stadium twice before landing."


def question(chat: int, n: int) -> str:
    return f"What about the harbour bridge repairs, chat {chat} question {n}?"


def test_fifty_chats_of_twenty_questions_and_a_reindex_lose_nothing_and_double_nothing(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    def add_article() -> None:
        (corpus / "zeppelin.txt").write_text(f"Air show\n\n{NEW_SENTENCE}\n")

    with running_bot(api, bot_settings(api, corpus, tmp_path / "index"), config=OPEN):
        result = run_load(api, CHATS, question, per_chat=PER_CHAT, admin=ADMIN, before_reindex=add_article)
        api.send_private_message(USER, "Zeppelin pilots circled the stadium?")  # the new index serves
        [after] = api.wait_for_messages(USER, 1)
    assert len(result.asked) == len(CHATS) * PER_CHAT
    assert all(a.answered_at is not None for a in result.asked)
    assert result.extra == []
    for chat in CHATS:
        messages = api.messages_to(chat)
        assert len(messages) == PER_CHAT, chat  # one message per answer here: nothing lost, nothing doubled
        for n, message in enumerate(messages):
            assert message.text.startswith(tuple(f"{k} quotes for “{question(chat, n)}”" for k in range(2, 6)))
            assert message.buttons
    assert result.reindex_text is not None and result.reindex_text.startswith("Reindex done")
    assert "1 added, 0 changed, 0 removed" in result.reindex_text
    assert next(said for _, said in after.entities_of("blockquote")) == NEW_SENTENCE
    api.assert_no_errors()
