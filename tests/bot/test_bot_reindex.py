"""Admin /reindex end to end: refusal for non-admins, progress edits, atomic swap while answering, failures.

The reindex is held in the middle of embedding (GatedEmbedder) so that the test can check, deterministically,
what the bot does meanwhile.
"""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

from retrieval.index.generations import current_generation
from tests.support.bot_corpus import MAYOR_SENTENCE, QUESTION, write_corpus
from tests.support.bot_harness import ADMIN, USER, GatedEmbedder, bot_settings, message_id, running_bot
from tests.support.fake_bot_api import FakeBotApi, Fault, StoredMessage

NEW_SENTENCE = "Zeppelin pilots circled the stadium twice before landing."
NEW_QUESTION = "Zeppelin pilots circled the stadium?"
GROUP = -1009876543210
INTERVAL = 0.4  # seconds between status edits in these tests (2.5 s in production)


pytest_plugins = ("tests.support.bot_fixtures",)  # api, corpus


def first_quote(message: StoredMessage) -> str:
    return next(said for _, said in message.entities_of("blockquote"))


def test_a_non_admin_is_refused_and_nothing_runs(api: FakeBotApi, corpus: Path, tmp_path: Path) -> None:
    (corpus / "zeppelin.txt").write_text(f"Air show\n\n{NEW_SENTENCE}\n")
    before = current_generation(tmp_path / "index")
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index")):
        # A user who calls himself like the admin is still not one: only numeric ids count.
        api.send_private_message(USER, "/reindex", username="admin", first_name=str(ADMIN))
        [reply] = api.wait_for_messages(USER, 1)
        api.send_private_message(USER, NEW_QUESTION)
        [_, answer] = api.wait_for_messages(USER, 2)
        api.send_group_message(GROUP, USER, f"/reindex@{api.bot_username}")
        [in_group] = api.wait_for_messages(GROUP, 1)
    assert reply.text.startswith("Sorry, only the bot's admins can reindex")
    assert in_group.text.startswith("Sorry, only the bot's admins can reindex")
    assert current_generation(tmp_path / "index") == before
    assert answer.text.startswith("Not found.")
    api.assert_no_errors()


def test_admin_reindex_reports_progress_and_swaps_the_index_while_questions_are_answered(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    (corpus / "zeppelin.txt").write_text(f"Air show\n\n{NEW_SENTENCE}\n")
    embedder = GatedEmbedder(trigger="twice before landing")  # in the article, not the question
    settings = bot_settings(api, corpus, tmp_path / "index")
    with running_bot(api, settings, embedder=embedder, progress_interval=INTERVAL):
        api.send_private_message(ADMIN, "/reindex")
        assert embedder.waiting.wait(10)  # the reindex is now embedding the new article, held at the gate
        [status] = api.wait_for_messages(ADMIN, 1)

        # Meanwhile the old index answers, in other chats and in the admin's.
        api.send_private_message(USER, QUESTION)
        [answer] = api.wait_for_messages(USER, 1)
        assert first_quote(answer) == MAYOR_SENTENCE
        api.send_private_message(USER, NEW_QUESTION)
        assert api.wait_for_messages(USER, 2)[-1].text.startswith("Not found.")

        # A second /reindex is told that one is running.
        api.send_private_message(ADMIN, "/reindex")
        second = api.wait_for_messages(ADMIN, 2)[-1]
        assert second.text.startswith("A reindex is already running")

        # The status message shows progress, edited at most once per interval.
        api.wait_until(lambda: len(api.message(ADMIN, message_id(status)).history) >= 2, timeout=10,
                       description="two progress edits")
        embedder.gate.set()
        api.wait_until(lambda: "Reindex done" in api.message(ADMIN, message_id(status)).text, timeout=10,
                       description="the summary")
        api.send_private_message(USER, NEW_QUESTION)
        after = api.wait_for_messages(USER, 3)[-1]
    final = api.message(ADMIN, message_id(status))
    assert "Embedding new sentences: 0 of 2 sentences (0%)" in final.history[-1][0]
    edits = api.calls("editMessageText", ok=True)
    gaps = [b.received_at - a.received_at for a, b in itertools.pairwise(edits)]
    assert gaps and min(gaps) >= INTERVAL - 0.001
    assert final.text.startswith("Reindex done in ")
    assert "1 added, 0 changed, 0 removed, 0 skipped" in final.text
    assert "Now 4 files, 10 sentences" in final.text and "Added: zeppelin.txt" in final.text
    assert first_quote(after) == NEW_SENTENCE
    assert "[1] zeppelin.txt, line 3" in after.text
    api.assert_no_errors()


def test_a_reindex_with_nothing_new_says_the_index_is_up_to_date(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index")):
        api.send_private_message(ADMIN, "/reindex")
        [status] = api.wait_for_messages(ADMIN, 1)
        api.wait_until(lambda: "up to date" in api.message(ADMIN, message_id(status)).text, timeout=10)
        api.send_private_message(ADMIN, "/stats")
        stats = api.wait_for_messages(ADMIN, 2)[-1]
    assert "Files: 3" in stats.text
    api.assert_no_errors()


def test_a_failed_reindex_keeps_the_old_index_serving_and_tells_the_admin(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    settings = bot_settings(api, corpus, tmp_path / "index")
    with running_bot(api, settings):
        shutil.rmtree(corpus)  # the corpus folder is gone: the build fails before writing anything
        api.send_private_message(ADMIN, "/reindex")
        [status] = api.wait_for_messages(ADMIN, 1)
        api.wait_until(lambda: "Reindex failed" in api.message(ADMIN, message_id(status)).text, timeout=10)
        api.send_private_message(USER, QUESTION)
        [answer] = api.wait_for_messages(USER, 1)
        # and a later reindex may run again
        write_corpus(tmp_path)
        api.send_private_message(ADMIN, "/reindex")
        retry = api.wait_for_messages(ADMIN, 2)[-1]
        api.wait_until(lambda: "up to date" in api.message(ADMIN, message_id(retry)).text, timeout=10)
    failed = api.message(ADMIN, message_id(status)).text
    assert "The previous index is still serving." in failed
    assert "Traceback" not in failed
    assert first_quote(answer) == MAYOR_SENTENCE
    api.assert_no_errors()


def test_progress_survives_flood_control(api: FakeBotApi, corpus: Path, tmp_path: Path) -> None:
    """RetryAfter on an edit: the rate limiter retries; the reindex finishes with its summary."""
    (corpus / "zeppelin.txt").write_text(f"Air show\n\n{NEW_SENTENCE}\n")
    embedder = GatedEmbedder(trigger="twice before landing")  # in the article, not the question
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index"), embedder=embedder,
                     progress_interval=INTERVAL):
        api.inject_fault("editMessageText", Fault.retry_after(1), times=1)
        api.send_private_message(ADMIN, "/reindex")
        assert embedder.waiting.wait(10)
        [status] = api.wait_for_messages(ADMIN, 1)
        api.wait_until(lambda: api.message(ADMIN, message_id(status)).history, timeout=10,
                       description="a progress edit after the flood wait")
        embedder.gate.set()
        api.wait_until(lambda: "Reindex done" in api.message(ADMIN, message_id(status)).text, timeout=10)
    assert api.pending_faults("editMessageText") == 0
    api.assert_no_errors()
