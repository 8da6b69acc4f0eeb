"""What a new bot owner meets in the first hour (issue 14): an optional call failing at start must not hold
up answers, a question in another language gets told why, /stats says when the corpus changed after the
index was built, and /reindex shows progress as the batches finish."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from tests.support.bot_corpus import MAYOR_SENTENCE, QUESTION
from tests.support.bot_harness import ADMIN, USER, bot_settings, message_id, running_bot
from tests.support.fake_bot_api import FakeBotApi, Fault
from tests.support.fake_embedder import FakeEmbedder

pytest_plugins = ("tests.support.bot_fixtures",)  # api, corpus


def test_a_failing_command_menu_does_not_hold_up_the_first_answer(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    """setMyCommands answers 500 every time: the bot polls at once (running_bot waits for that) and answers
    while the menu is still being retried, instead of after minutes of retries."""
    api.inject_fault("setMyCommands", Fault.server_error(500), times=1000)
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index")):
        api.send_private_message(USER, QUESTION)
        [answer] = api.wait_for_messages(USER, 1, timeout=30)
        sent = api.calls("sendMessage")[0].seq
        assert api.pending_faults("setMyCommands") > 0  # its retries were not exhausted first
        api.wait_until(lambda: [r for r in api.calls("setMyCommands") if r.seq > sent], timeout=30,
                       description="the command menu being retried after the answer")
    assert next(said for _, said in answer.entities_of("blockquote")) == MAYOR_SENTENCE
    assert api.calls("setMyCommands") and not api.calls("setMyCommands", ok=True)


def test_a_question_in_russian_is_told_to_be_asked_in_english(api: FakeBotApi, corpus: Path, tmp_path: Path) -> None:
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index")):
        api.send_private_message(USER, "Что сказал мэр о мосте в гавани?")
        [reply] = api.wait_for_messages(USER, 1)
        api.send_inline_query(USER, "Что сказал мэр о мосте?")
        inline = api.wait_until(lambda: api.calls("answerInlineQuery"), timeout=10)
    assert reply.text.startswith("Questions must be in English; this one seems to be in Cyrillic script.")
    assert "EMBEDDING_MODEL" in reply.text and "QUESTION_LANGUAGES" in reply.text
    assert inline[0].params["button"]["text"] == "Questions must be in English"
    api.assert_no_errors()


def test_stats_say_when_the_corpus_changed_after_the_index_was_built(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index")):
        api.send_private_message(USER, "/stats")
        [fresh] = api.wait_for_messages(USER, 1)
        (corpus / "bridge.txt").write_text("The bridge is closed for good.\n", encoding="utf-8")
        api.send_private_message(USER, "/stats")
        stale = api.wait_for_messages(USER, 2)[-1]
    assert "changed" not in fresh.text
    assert ("The corpus changed after the index was built: 1 file changed (bridge.txt). An admin can /reindex."
            in stale.text)
    api.assert_no_errors()


class SteppedEmbedder(FakeEmbedder):
    """Embeds one text per batch, reporting each; holds after the first batch of an encode that holds
    ``trigger`` until ``gate`` opens, so that the test sees the progress of a reindex half-way."""

    def __init__(self, trigger: str) -> None:
        super().__init__()
        self.trigger = trigger
        self.gate = threading.Event()

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        held = any(self.trigger in t for t in texts)
        rows = []
        for n, text in enumerate(texts):
            rows.append(super().encode([text]))
            if progress is not None:
                progress(1)
            if held and n == 0 and not self.gate.wait(30):
                raise TimeoutError("the test never opened the gate")
        return np.vstack(rows) if rows else np.zeros((0, self.dimension), dtype=np.float32)


def test_reindex_progress_moves_as_batches_finish(api: FakeBotApi, corpus: Path, tmp_path: Path) -> None:
    (corpus / "zeppelin.txt").write_text(
        "Air show\n\nZeppelin pilots circled twice. Crowds cheered loudly. Rain stopped at noon.\n", encoding="utf-8")
    embedder = SteppedEmbedder("Zeppelin")
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index"), embedder=embedder, progress_interval=0.1):
        api.send_private_message(ADMIN, "/reindex")
        [status] = api.wait_for_messages(ADMIN, 1)
        api.wait_until(lambda: "Embedding new sentences: 1 of 4 sentences (25%)." in
                       api.message(ADMIN, message_id(status)).text, timeout=10, description="progress after one batch")
        embedder.gate.set()
        api.wait_until(lambda: "Reindex done" in api.message(ADMIN, message_id(status)).text, timeout=10,
                       description="the summary")
    api.assert_no_errors()
