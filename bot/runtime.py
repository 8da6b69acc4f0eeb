"""What the handlers share: settings, the engine that answers now, the indexer, the bot's state store.

Handlers reach it as ``context.runtime`` (bot/context.py); ``build_application`` wires it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.settings import BotSettings
from bot.state import AnswerStore
from retrieval.records import BuildReport, ProgressFn
from retrieval.search.engine import Engine


class EngineHolder:
    """The engine that answers questions now.

    Engines never change; a reindex builds a new one and :meth:`swap` replaces the reference in one
    assignment, so a question in flight keeps the engine it started with and the next one gets the new one.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @property
    def engine(self) -> Engine:
        return self._engine

    def swap(self, engine: Engine) -> Engine:
        """Serve ``engine`` from now on; returns the previous one."""
        old, self._engine = self._engine, engine
        return old


@dataclass(frozen=True)
class Indexer:
    """How the bot reindexes (``reindex(progress)``) and opens the newly published index (``open_engine()``).
    Both block; the bot calls them in a worker thread."""

    reindex: Callable[[ProgressFn], BuildReport]
    open_engine: Callable[[], Engine]


@dataclass(frozen=True)
class Runtime:
    settings: BotSettings
    holder: EngineHolder
    indexer: Indexer
    store: AnswerStore
    progress_interval: float = 2.5  # seconds between two edits of the reindex status message
    reindex_lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def is_admin(self, user_id: int | None) -> bool:
        """Admins are numeric user ids from ADMIN_USER_IDS; names are never trusted."""
        return user_id is not None and user_id in self.settings.admin_user_ids
