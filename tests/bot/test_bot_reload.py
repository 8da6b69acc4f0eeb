"""An index published outside the bot (``verbatim index`` in a shell) is picked up without a restart.

End to end: the real Application against the fake Bot API, the new generation built by calling
``build_index`` directly, as the CLI does from another process. Unit tests drive ``bot.reload`` with stubs.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from bot.app import build_application
from bot.reload import Reloader, Throttle, generation_to_load, live_generation
from bot.runtime import EngineHolder, Indexer, Runtime
from retrieval.errors import IndexCorruptError
from retrieval.index.builder import build_index
from retrieval.index.generations import current_generation
from retrieval.index.layout import SENTENCE_FAISS
from retrieval.search.engine import Engine
from tests.support.bot_corpus import MAYOR_SENTENCE, QUESTION
from tests.support.bot_harness import SEG, USER, BotThread, bot_settings, fake_indexer, running_bot
from tests.support.fake_bot_api import FakeBotApi, StoredMessage
from tests.support.fake_embedder import FakeEmbedder

pytest_plugins = ("tests.support.bot_fixtures",)  # api, corpus

NEW_SENTENCE = "Zeppelin pilots circled the stadium twice before landing."
NEW_QUESTION = "Zeppelin pilots circled the stadium?"
INTERVAL = 0.2  # seconds between two checks of CURRENT in these tests (2 s in production)


def first_quote(message: StoredMessage) -> str:
    return next(said for _, said in message.entities_of("blockquote"))


def publish_from_outside(corpus: Path, index: Path, *, rebuild: bool = False) -> Path:
    """What `verbatim index` in a shell does: add an article, build and publish a new generation."""
    (corpus / "zeppelin.txt").write_text(f"Air show\n\n{NEW_SENTENCE}\n", encoding="utf-8")
    build_index(corpus, index, FakeEmbedder(), SEG, rebuild=rebuild)
    generation = current_generation(index)
    assert generation is not None
    return generation


def runtime_of(bot: BotThread) -> Runtime:
    rt = bot.app.bot_data.runtime
    assert isinstance(rt, Runtime)
    return rt


def ask(api: FakeBotApi, question: str) -> StoredMessage:
    """Ask in the user's private chat and return the bot's answer (one message)."""
    count = len(api.messages_to(USER)) + 1
    api.send_private_message(USER, question)
    return api.wait_for_messages(USER, count)[-1]


def ask_until(
    api: FakeBotApi, question: str, done: Callable[[StoredMessage], bool], settled: Callable[[], bool],
    timeout: float = 15,
) -> StoredMessage:
    """Ask ``question`` again until an answer satisfies ``done``; between two questions, wait (at most
    INTERVAL) for ``settled``. Fails after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        answer = ask(api, question)
        if done(answer):
            return answer
        if time.monotonic() > deadline:
            raise AssertionError(f"no answer satisfied the condition in {timeout} s; last: {answer.text!r}")
        with contextlib.suppress(AssertionError):  # not yet: ask again
            api.wait_until(settled, timeout=INTERVAL, description="the reload")


# --- end to end ---------------------------------------------------------------------------------------


def test_a_generation_published_from_a_shell_is_picked_up_without_a_restart(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    old = current_generation(index)
    with running_bot(api, bot_settings(api, corpus, index), reload_interval=INTERVAL) as bot:
        rt = runtime_of(bot)
        before = ask(api, NEW_QUESTION)
        new = publish_from_outside(corpus, index)
        answer = ask_until(api, NEW_QUESTION, lambda m: NEW_SENTENCE in m.text,
                           settled=lambda: rt.holder.engine.index.folder == new)
        served = rt.holder.engine.index.folder
        old_question = ask(api, QUESTION)
    assert old is not None and new != old
    assert before.text.startswith("Not found.")
    assert first_quote(answer) == NEW_SENTENCE
    assert "[1] zeppelin.txt, line 3" in answer.text
    assert served == new
    assert first_quote(old_question) == MAYOR_SENTENCE
    api.assert_no_errors()


class GatedOpen:
    """An ``open_engine`` that, once ``armed``, blocks until ``gate`` opens: holds a reload mid-load."""

    def __init__(self, open_engine: Callable[[], Engine]) -> None:
        self.open_engine = open_engine
        self.armed = False
        self.gate = threading.Event()
        self.waiting = threading.Event()
        self.calls = 0

    def __call__(self) -> Engine:
        if self.armed:
            self.calls += 1
            self.waiting.set()
            if not self.gate.wait(30):
                raise TimeoutError("the test never opened the gate")
        return self.open_engine()


def test_questions_are_answered_by_the_old_engine_while_the_new_one_loads(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    settings = bot_settings(api, corpus, index)
    indexer = fake_indexer(settings, FakeEmbedder())
    opener = GatedOpen(indexer.open_engine)
    holder = EngineHolder(opener())
    opener.armed = True
    # Interval 0: every update checks, so that "one reload at a time" is put to the test.
    app = build_application(settings, holder, Indexer(indexer.reindex, opener), reload_interval=0.0)
    bot = BotThread(app, settings)
    bot.start(api)
    try:
        new = publish_from_outside(corpus, index)
        in_flight = ask(api, NEW_QUESTION)  # notices the new generation, and is answered by the old one
        assert opener.waiting.wait(10)
        meanwhile = [ask(api, QUESTION), ask(api, NEW_QUESTION), ask(api, NEW_QUESTION)]
        calls_while_loading = opener.calls
        opener.gate.set()
        api.wait_until(lambda: holder.engine.index.folder == new, timeout=10, description="the swap")
        after = ask(api, NEW_QUESTION)
        reloader = app.bot_data.reloader
    finally:
        opener.gate.set()
        bot.stop()
    assert in_flight.text.startswith("Not found.")
    assert first_quote(meanwhile[0]) == MAYOR_SENTENCE
    assert all(m.text.startswith("Not found.") for m in meanwhile[1:])
    assert calls_while_loading == 1
    assert opener.calls == 1
    assert first_quote(after) == NEW_SENTENCE
    assert isinstance(reloader, Reloader) and not reloader.failed
    api.assert_no_errors()


def test_a_damaged_new_generation_is_logged_once_and_the_old_engine_keeps_answering(
    api: FakeBotApi, corpus: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.reload")
    index = tmp_path / "index"
    old = current_generation(index)
    assert old is not None

    def failures() -> list[logging.LogRecord]:
        return [r for r in caplog.records if r.name == "bot.reload" and r.levelno >= logging.WARNING]

    with running_bot(api, bot_settings(api, corpus, index), reload_interval=0.0) as bot:
        rt = runtime_of(bot)
        damaged = publish_from_outside(corpus, index)
        raw = (damaged / SENTENCE_FAISS).read_bytes()
        (damaged / SENTENCE_FAISS).write_bytes(raw[: len(raw) // 2])

        ask_until(api, NEW_QUESTION, lambda _: bool(failures()), settled=lambda: bool(failures()))
        # Every later update checks again (interval 0): the damaged generation is not tried again.
        answers = [ask(api, QUESTION), ask(api, NEW_QUESTION), ask(api, NEW_QUESTION)]
        served_after_failure = rt.holder.engine.index.folder
        logged = failures()
        loads = [r for r in caplog.records if r.name == "bot.reload" and "was published" in r.getMessage()]

        # A good generation published later is picked up.
        good = publish_from_outside(corpus, index, rebuild=True)
        recovered = ask_until(api, NEW_QUESTION, lambda m: NEW_SENTENCE in m.text,
                              settled=lambda: rt.holder.engine.index.folder == good)
    assert served_after_failure == old
    assert first_quote(answers[0]) == MAYOR_SENTENCE
    assert all(m.text.startswith("Not found.") for m in answers[1:])
    assert len(logged) == 1 and len(loads) == 1
    line = logged[0].getMessage()
    assert "\n" not in line
    assert f"Could not load the new index generation {damaged.name}, still answering from {old.name}" in line
    assert SENTENCE_FAISS in line
    assert first_quote(recovered) == NEW_SENTENCE
    api.assert_no_errors()


# --- the parts, with stubs ----------------------------------------------------------------------------


def test_generation_to_load() -> None:
    assert generation_to_load(None, "gen-a", set()) is None  # nothing published (or unreadable)
    assert generation_to_load("gen-a", "gen-a", set()) is None
    assert generation_to_load("gen-b", "gen-a", set()) == "gen-b"
    assert generation_to_load("gen-b", "gen-a", {"gen-b"}) is None  # failed before: not again
    assert generation_to_load("gen-c", "gen-a", {"gen-b"}) == "gen-c"


def test_live_generation_reads_the_pointer(tmp_path: Path) -> None:
    assert live_generation(tmp_path) is None
    (tmp_path / "CURRENT").write_text("gen-x\n")
    assert live_generation(tmp_path) == "gen-x"
    (tmp_path / "CURRENT").write_bytes(b"\xff\xfe")
    assert live_generation(tmp_path) is None


def test_throttle() -> None:
    throttle = Throttle(2.0)
    assert throttle.due(100.0)
    assert not throttle.due(101.9)
    assert throttle.due(102.0)
    assert not throttle.due(103.0)
    assert Throttle(0.0).due(5.0) and Throttle(0.0).due(5.0)


def stub_engine(folder: Path) -> Any:
    return SimpleNamespace(index=SimpleNamespace(folder=folder, sources=(), n_sentences=0))


def stub_runtime(index_dir: Path, open_engine: Callable[[], Any]) -> Any:
    return SimpleNamespace(
        settings=SimpleNamespace(index_dir=index_dir),
        holder=EngineHolder(stub_engine(index_dir / "gen-a")),
        indexer=SimpleNamespace(open_engine=open_engine),
        reindex_lock=asyncio.Lock(),
    )


def test_poll_loads_once_swaps_and_skips_while_an_admin_reindex_runs(tmp_path: Path) -> None:
    (tmp_path / "CURRENT").write_text("gen-b\n")
    opened: list[Any] = []

    def open_engine() -> Any:
        opened.append(stub_engine(tmp_path / "gen-b"))
        return opened[-1]

    async def scenario() -> None:
        rt = stub_runtime(tmp_path, open_engine)
        reloader = Reloader(rt, interval=0.0)
        async with rt.reindex_lock:
            assert reloader.poll() is None  # an admin /reindex runs: it swaps the engine itself
        task = reloader.poll()
        assert task is not None
        assert reloader.poll() is None  # one reload at a time
        await task
        assert rt.holder.engine is opened[0]
        assert reloader.poll() is None  # now serving the live generation
        assert len(opened) == 1

    asyncio.run(scenario())


def test_a_load_that_ends_during_an_admin_reindex_is_dropped(tmp_path: Path) -> None:
    (tmp_path / "CURRENT").write_text("gen-b\n")
    release = threading.Event()

    def open_engine() -> Any:
        release.wait(10)
        return stub_engine(tmp_path / "gen-b")

    async def scenario() -> None:
        rt = stub_runtime(tmp_path, open_engine)
        before = rt.holder.engine
        reloader = Reloader(rt, interval=0.0)
        task = reloader.poll()
        assert task is not None
        async with rt.reindex_lock:  # the admin's /reindex starts while the load runs...
            release.set()
            await task
            assert rt.holder.engine is before  # ...so the load is not swapped in over it
        assert not reloader.failed

    asyncio.run(scenario())


def test_a_failed_load_is_logged_once_and_not_retried(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / "CURRENT").write_text("gen-b\n")
    calls: list[int] = []

    def open_engine() -> Any:
        calls.append(1)
        raise IndexCorruptError("index file gen-b/vectors.npy is damaged. Rebuild with `verbatim index --rebuild`.")

    async def scenario() -> None:
        rt = stub_runtime(tmp_path, open_engine)
        before = rt.holder.engine
        reloader = Reloader(rt, interval=0.0)
        task = reloader.poll()
        assert task is not None
        await task
        for _ in range(3):
            assert reloader.poll() is None
        assert rt.holder.engine is before
        assert reloader.failed == {"gen-b"}

    with caplog.at_level(logging.INFO, logger="bot.reload"):
        asyncio.run(scenario())
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(calls) == 1 and len(errors) == 1
    assert "gen-b" in errors[0].getMessage() and "still answering from gen-a" in errors[0].getMessage()
