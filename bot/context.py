"""The bot's typed context (PTB's ``ContextTypes``, as in PTB's contexttypesbot.py example).

Handlers take ``context: Context`` and read what the application shares as ``context.runtime`` (settings,
engine, indexer, state) and ``context.reloader``: typed attributes, set once by ``build_application``,
instead of ``bot_data`` keys checked with ``assert isinstance``.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any, Protocol

from telegram.ext import CallbackContext, ContextTypes, ExtBot

if TYPE_CHECKING:
    from bot.runtime import Runtime


class Reloader(Protocol):
    """What the application needs of the index reloader (bot/reload.py)."""

    def poll(self) -> object: ...

    async def stop(self) -> None: ...


class BotData:
    """What the whole application shares. PTB makes one, empty; ``build_application`` fills it before the
    application starts, so a handler never sees it unset."""

    def __init__(self) -> None:
        self._runtime: Runtime | None = None
        self._reloader: Reloader | None = None
        self._background: set[asyncio.Task[None]] = set()

    def start_background(self, job: Coroutine[Any, Any, None]) -> None:
        """Run ``job`` beside serving (not awaited by PTB's stop, which would wait for it); cancelled at
        shutdown by ``stop_background``."""
        task = asyncio.get_running_loop().create_task(job)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def stop_background(self) -> None:
        for task in list(self._background):
            task.cancel()
        for task in list(self._background):
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def wire(self, runtime: Runtime, reloader: Reloader) -> None:
        self._runtime, self._reloader = runtime, reloader

    @property
    def runtime(self) -> Runtime:
        if self._runtime is None:
            raise RuntimeError("the bot's runtime is not wired: build the application with build_application")
        return self._runtime

    @property
    def reloader(self) -> Reloader | None:
        return self._reloader


class Context(CallbackContext[ExtBot[Any], dict[Any, Any], dict[Any, Any], BotData]):
    @property
    def runtime(self) -> Runtime:
        return self.bot_data.runtime

    @property
    def reloader(self) -> Reloader | None:
        return self.bot_data.reloader


CONTEXT_TYPES: ContextTypes[Context, dict[Any, Any], dict[Any, Any], BotData] = ContextTypes(
    context=Context, bot_data=BotData
)
