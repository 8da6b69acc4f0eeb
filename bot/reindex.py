"""Admin /reindex: rebuild the index in a worker thread while the old index keeps answering.

One status message is edited with the progress, at most once every ``progress_interval`` seconds, and
finally with a summary. The new index is opened in the worker too and swapped in with one assignment; a
failure leaves the old engine serving and is reported to the admin. One reindex at a time.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time

from telegram import Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, RetryAfter, TelegramError, TimedOut

from bot import format
from bot.context import Context
from bot.delivery import reply
from bot.runtime import Runtime
from retrieval.errors import IndexBusyError, VerbatimError
from retrieval.records import BuildProgress, BuildReport

log = logging.getLogger(__name__)


class StatusMessage:
    """The message showing a reindex's progress: edited at most once per ``interval`` seconds."""

    def __init__(self, command: Message, message: Message | None, interval: float) -> None:
        self.command = command  # the /reindex message
        self.message = message  # the status message; None if sending it timed out
        self.interval = interval
        self.shown = message.text_html if message is not None and message.text else ""
        self.sent_at = time.monotonic()
        self.last_edit: float | None = None

    def next_edit(self) -> float:
        """When the message may be edited next (time.monotonic() clock)."""
        return (self.last_edit if self.last_edit is not None else self.sent_at) + self.interval

    async def show(self, text: str) -> bool:
        """Edit the message to ``text`` now; False if that failed. "Not modified" counts as shown; after
        RetryAfter the next edit waits as long as Telegram asked."""
        if text == self.shown:
            return True
        if self.message is None:
            return False
        try:
            await self.message.edit_text(text, parse_mode=ParseMode.HTML)
        except RetryAfter as exc:
            retry = exc.retry_after
            wait = retry.total_seconds() if isinstance(retry, dt.timedelta) else float(retry)
            log.info("Reindex status: Telegram asks to wait %.0f s before editing again", wait)
            self.last_edit = time.monotonic() + wait
            return False
        except BadRequest as exc:
            if "not modified" not in exc.message.lower():
                log.warning("Could not update the reindex status: %s", exc)
                return False
        except TimedOut as exc:  # the edit may have gone through (delivery.py): counted as shown
            log.warning("Reindex status: Telegram did not answer in time: %s", exc)
        except TelegramError as exc:
            log.warning("Could not update the reindex status: %s", exc)
            return False
        finally:
            # Counted from the answer, so that Telegram never sees two edits closer than the interval.
            self.last_edit = max(self.last_edit or 0.0, time.monotonic())
        self.shown = text
        return True

    async def finish(self, text: str) -> None:
        """The last edit, keeping the interval after a progress edit; sent anew if the edit fails."""
        if self.last_edit is not None:
            await asyncio.sleep(max(0.0, self.last_edit + self.interval - time.monotonic()))
        if not await self.show(text):
            await reply(self.message or self.command, text)


async def reindex_command(update: Update, context: Context) -> None:
    message = update.effective_message
    user = update.effective_user
    if message is None:
        return
    rt = context.runtime
    if user is None or not rt.is_admin(user.id):
        log.info("Refused /reindex from non-admin user %s", user.id if user else None)
        await reply(message, format.REINDEX_REFUSED)
        return
    if rt.reindex_lock.locked():
        await reply(message, format.REINDEX_RUNNING)
        return
    async with rt.reindex_lock:
        log.info("Reindex started by admin %s", user.id)
        sent = await reply(message, format.reindex_progress(None, 0.0))
        status = StatusMessage(message, sent, rt.progress_interval)
        text = await run_reindex(rt, status)
        await status.finish(text)


async def run_reindex(rt: Runtime, status: StatusMessage) -> str:
    """Reindex in a worker thread, report progress, swap the engine; the final text for the admin."""
    latest: list[BuildProgress | None] = [None]  # set by the worker thread, read by the loop
    started = time.monotonic()

    def progress(p: BuildProgress) -> None:
        latest[0] = p

    def build() -> BuildReport:
        report = rt.indexer.reindex(progress)
        if not report.noop:
            rt.holder.swap(rt.indexer.open_engine())
        return report

    job = asyncio.ensure_future(asyncio.to_thread(build))
    while not job.done():
        await asyncio.wait({job}, timeout=max(0.0, status.next_edit() - time.monotonic()))
        if not job.done() and time.monotonic() >= status.next_edit():
            await status.show(format.reindex_progress(latest[0], time.monotonic() - started))
    try:
        report = job.result()
    except IndexBusyError:
        return format.reindex_failed("Another reindex of this index is running (`verbatim index`?).")
    except VerbatimError as exc:
        log.warning("Reindex failed: %s", exc)
        return format.reindex_failed(str(exc))
    except Exception as exc:
        log.exception("Reindex failed")
        return format.reindex_failed(f"Unexpected error ({exc.__class__.__name__}); see the bot's log.")
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    await asyncio.to_thread(rt.store.set_meta, "last_reindex", now)
    log.info(
        "Reindex done in %.1f s: %d added, %d changed, %d removed, %d skipped; %d sentences",
        report.seconds, len(report.added), len(report.changed), len(report.removed), len(report.skipped),
        report.sentences,
    )
    return format.reindex_summary(report)
