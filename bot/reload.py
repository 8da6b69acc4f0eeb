"""Picking up an index that was published outside the bot (``verbatim index`` run from a shell).

Every update calls :meth:`Reloader.poll` first (a handler in group -1, see app.py). At most once every
``interval`` seconds it reads the index's CURRENT pointer (one small file read) and compares the live
generation with the one the engine serves. When they differ, the new engine is opened in a worker thread
while the old one keeps answering, and swapped in when it is loaded. One reload at a time; none while an
admin /reindex holds ``reindex_lock`` (that one swaps the engine itself). A generation that fails to load
(damaged, built for another model) is logged once and not tried again: generations never change once
published, so only a newer one (or /reindex) can fix it. The old engine keeps serving meanwhile.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from pathlib import Path
from typing import Final

from bot.context import Context
from bot.runtime import Runtime
from retrieval.errors import VerbatimError
from retrieval.index.layout import CURRENT
from retrieval.search.engine import Engine

log = logging.getLogger(__name__)

CHECK_INTERVAL: Final = 2.0  # seconds between two reads of the CURRENT pointer


def live_generation(index_dir: Path) -> str | None:
    """The name CURRENT points to now ("gen-…"), or None when nothing was published (or it is unreadable:
    the engine that serves is then kept, and loading is left to the next check)."""
    try:
        return (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None


def generation_to_load(live: str | None, serving: str, failed: set[str] | frozenset[str]) -> str | None:
    """The generation to load: the live one, when it is not the one served and has not already failed."""
    if live is None or live == serving or live in failed:
        return None
    return live


class Throttle:
    """True at most once every ``interval`` seconds (the first call always)."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.last: float | None = None

    def due(self, now: float) -> bool:
        if self.last is not None and now - self.last < self.interval:
            return False
        self.last = now
        return True


class Reloader:
    """Watches the live generation for the bot's runtime and swaps in a new engine when it changes."""

    def __init__(self, rt: Runtime, interval: float = CHECK_INTERVAL) -> None:
        self.rt = rt
        self.throttle = Throttle(interval)
        self.failed: set[str] = set()  # generations that could not be loaded (each logged once)
        self.task: asyncio.Task[None] | None = None  # the reload running now, if any

    def poll(self, now: float | None = None) -> asyncio.Task[None] | None:
        """Cheap and non-blocking; called on the event loop. Starts a reload when the live generation is not
        the one served, and returns its task (None when nothing was started)."""
        if self.task is not None and not self.task.done():
            return None
        if self.rt.reindex_lock.locked():
            return None
        if not self.throttle.due(time.monotonic() if now is None else now):
            return None
        serving = self.rt.holder.engine
        name = generation_to_load(live_generation(self.rt.settings.index_dir), serving.index.folder.name,
                                  self.failed)
        if name is None:
            return None
        self.task = asyncio.create_task(self._reload(name, serving), name=f"reload {name}")
        return self.task

    async def _reload(self, name: str, old: Engine) -> None:
        serving = old.index.folder.name
        log.info("Index generation %s was published; loading it (answering from %s meanwhile)", name, serving)
        started = time.monotonic()
        try:
            engine = await asyncio.to_thread(self.rt.indexer.open_engine)
        except VerbatimError as exc:
            self.failed.add(name)
            log.error("Could not load the new index generation %s, still answering from %s: %s",
                      name, serving, exc)
            return
        except Exception as exc:
            self.failed.add(name)
            log.error("Could not load the new index generation %s, still answering from %s: unexpected %s",
                      name, serving, exc.__class__.__name__, exc_info=exc)
            return
        # All on the event loop: an admin /reindex cannot start or finish between this check and the swap.
        if self.rt.reindex_lock.locked() or self.rt.holder.engine is not old:
            log.info("Dropped the loaded generation %s: a /reindex changed the index meanwhile",
                     engine.index.folder.name)
            return
        self.rt.holder.swap(engine)
        index = engine.index
        log.info("Now answering from %s: %d files, %d sentences (loaded in %.1f s)",
                 index.folder.name, len(index.sources), index.n_sentences, time.monotonic() - started)

    async def stop(self) -> None:
        """Abandon a reload in progress (at shutdown); its worker thread finishes on its own."""
        task, self.task = self.task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task


async def check_index(update: object, context: Context) -> None:
    """Runs before the handlers of every update (group -1): notice a newly published index. Never raises,
    so that an update is always handled."""
    try:
        if context.reloader is not None:
            context.reloader.poll()
    except Exception:
        log.exception("Could not check for a new index")
