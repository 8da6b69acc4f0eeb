"""Running the real bot (bot.app.build_application) in a background thread against the fake Bot API.

    with FakeBotApi() as api, running_bot(api, bot_settings(api, corpus, index)) as bot:
        api.send_private_message(42, "question")
        [reply] = api.wait_for_messages(42)

The thread runs ``Application.run_polling`` exactly as ``verbatim serve`` does (post_init, long polling,
graceful shutdown), with its own event loop; the test drives users through the fake server and waits on
conditions. Test indexes are built with the deterministic FakeEmbedder.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bot.app import build_application, run
from bot.runtime import EngineHolder, Indexer
from bot.settings import BotSettings
from retrieval.corpus.segment import SegmentationSettings
from retrieval.index.builder import build_index
from retrieval.index.reader import load_index
from retrieval.records import BuildReport, ProgressFn
from retrieval.search.engine import Engine, EngineConfig
from tests.support.fake_bot_api import CallbackAnswer, FakeBotApi, InlineAnswer, SentUpdate, StoredMessage
from tests.support.fake_embedder import FakeEmbedder

SEG = SegmentationSettings()
ADMIN = 1001
USER = 2002
# The fake model's similarities are low: accept every candidate (for tests about paging and splitting).
OPEN = EngineConfig(min_best_dense=-1.0, min_quote_dense=-1.0)


class GatedEmbedder(FakeEmbedder):
    """A FakeEmbedder that, while ``gate`` is closed, blocks every encode whose texts contain ``trigger``.

    Lets a test hold a question (or a reindex) in the middle of its work and check what happens meanwhile.
    """

    def __init__(self, trigger: str) -> None:
        super().__init__()
        self.trigger = trigger
        self.gate = threading.Event()
        self.waiting = threading.Event()  # set once an encode is blocked at the gate

    def encode(self, texts: Sequence[str], progress: Callable[[int], None] | None = None) -> np.ndarray:
        if not self.gate.is_set() and any(self.trigger in t for t in texts):
            self.waiting.set()
            if not self.gate.wait(30):
                raise TimeoutError("the test never opened the gate")
        return super().encode(texts, progress)


def bot_settings(api: FakeBotApi, corpus: Path, index: Path, **overrides: Any) -> BotSettings:
    """BotSettings for a bot talking to ``api`` (no .env file is read)."""
    values: dict[str, Any] = {
        "corpus_dir": corpus,
        "index_dir": index,
        "telegram_bot_token": api.token,
        "telegram_base_url": api.base_url,
        "telegram_base_file_url": api.base_file_url,
        "admin_user_ids": frozenset({ADMIN}),
        "embedding_model": FakeEmbedder().name,
    }
    values.update(overrides)
    return BotSettings(_env_file=None, **values)  # type: ignore[call-arg]


def fake_indexer(settings: BotSettings, embedder: Any, config: EngineConfig | None = None) -> Indexer:
    """An Indexer like serve's, with the given embedder (FakeEmbedder, or a slowed-down one)."""

    def reindex(progress: ProgressFn) -> BuildReport:
        return build_index(settings.corpus_dir, settings.index_dir, embedder, SEG, progress=progress)

    def open_engine() -> Engine:
        return Engine(load_index(settings.index_dir, embedder.name, SEG), embedder, config)

    return Indexer(reindex=reindex, open_engine=open_engine)


def build_test_index(corpus: Path, index: Path, embedder: Any | None = None) -> None:
    build_index(corpus, index, embedder or FakeEmbedder(), SEG)


def make_app(
    settings: BotSettings, embedder: Any | None = None, config: EngineConfig | None = None, **kwargs: Any
) -> Any:
    """The real Application over the index in settings.index_dir (built beforehand)."""
    embedder = embedder or FakeEmbedder()
    indexer = fake_indexer(settings, embedder, config)
    return build_application(settings, EngineHolder(indexer.open_engine()), indexer, **kwargs)


class BotThread:
    def __init__(self, app: Any, settings: BotSettings) -> None:
        self.app = app
        self.settings = settings
        self.loop = asyncio.new_event_loop()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="bot", daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            run(self.app, self.settings, stop_signals=None)
        except BaseException as exc:
            self.error = exc

    def start(self, api: FakeBotApi) -> None:
        self.thread.start()
        api.wait_until(
            lambda: self.error is not None or (self.app.running and self.app.updater.running),
            timeout=10,
            description="the bot to start polling",
        )
        if self.error is not None:
            raise self.error

    def stop(self) -> None:
        if self.thread.is_alive():
            with contextlib.suppress(RuntimeError):  # the loop already closed
                self.loop.call_soon_threadsafe(self.app.stop_running)
            self.thread.join(20)
        assert not self.thread.is_alive(), "the bot did not stop"
        if self.error is not None:
            raise self.error


@contextlib.contextmanager
def running_bot(
    api: FakeBotApi,
    settings: BotSettings,
    embedder: Any | None = None,
    config: EngineConfig | None = None,
    **app_kwargs: Any,
) -> Iterator[BotThread]:
    """The bot serving ``settings.index_dir`` (built beforehand) until the block ends."""
    bot = BotThread(make_app(settings, embedder, config, **app_kwargs), settings)
    bot.start(api)
    try:
        yield bot
    finally:
        bot.stop()


def callback_answer_to(api: FakeBotApi, pressed: SentUpdate, timeout: float = 10) -> CallbackAnswer:
    """Wait for the bot's answer to a button press."""
    query_id = pressed.callback_query_id
    assert query_id is not None
    return api.wait_until(lambda: api.callback_answer(query_id), timeout, "the answer to a button press")


def inline_answer_to(api: FakeBotApi, asked: SentUpdate, timeout: float = 10) -> InlineAnswer:
    """Wait for the bot's answer to an inline query."""
    query_id = asked.inline_query_id
    assert query_id is not None
    return api.wait_until(lambda: api.inline_answer(query_id), timeout, "the answer to an inline query")


def message_id(message: StoredMessage) -> int:
    """The id of a message in a chat (not an inline message)."""
    assert message.message_id is not None
    return message.message_id


def callback_query_id(pressed: SentUpdate) -> str:
    """The id of the callback query a button press made (every press makes one)."""
    assert pressed.callback_query_id is not None
    return pressed.callback_query_id


def inline_query_id(asked: SentUpdate) -> str:
    """The id of the inline query a user sent (every inline query has one)."""
    assert asked.inline_query_id is not None
    return asked.inline_query_id
