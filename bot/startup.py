"""Start-up of ``verbatim serve``: is the token accepted, which engine to start with, and the optional
calls (the command menu, the staleness check) that run beside serving, never before it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any, Final

from telegram import Bot, BotCommand
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.runtime import Indexer
from bot.settings import BotSettings
from retrieval.errors import IndexMismatchError, IndexMissingError
from retrieval.index.freshness import corpus_changes
from retrieval.search.engine import Engine

log = logging.getLogger(__name__)
OPTIONAL_BUDGET: Final = 60.0  # seconds an optional call may take, retries included, before it is given up


class StartupError(Exception):
    """A one-line reason the bot cannot start, safe to print (never contains the token)."""


async def check_token(settings: BotSettings) -> str:
    """Ask the Bot API who we are; the bot's @username, or StartupError."""
    assert settings.telegram_bot_token is not None
    bot = Bot(settings.telegram_bot_token.get_secret_value(), base_url=settings.telegram_base_url)
    try:
        async with bot:
            return bot.username
    except InvalidToken:
        raise StartupError(
            f"the Bot API server at {settings.telegram_base_url} rejected TELEGRAM_BOT_TOKEN; "
            "check the token with @BotFather"
        ) from None
    except NetworkError:
        raise StartupError(
            f"cannot reach the Bot API server at {settings.telegram_base_url}; check the network and "
            "TELEGRAM_BASE_URL"
        ) from None
    except TelegramError as exc:
        raise StartupError(f"the Bot API server refused getMe ({exc.__class__.__name__})") from None
    except (TypeError, KeyError, ValueError, AttributeError) as exc:  # e.g. a User without "is_bot"
        raise StartupError(
            f"the Bot API server at {settings.telegram_base_url} sent a malformed answer to getMe "
            f"({exc.__class__.__name__}: {str(exc)[:200]}); check TELEGRAM_BASE_URL"
        ) from None


async def register_commands(bot: Bot, commands: Sequence[BotCommand]) -> None:
    """The command menu: a convenience. Runs beside serving; a failure (after delivery.py's retries, at
    most OPTIONAL_BUDGET seconds) is one warning, and the bot serves without the menu."""
    try:
        async with asyncio.timeout(OPTIONAL_BUDGET):
            await bot.set_my_commands(commands)
    except (TelegramError, TimeoutError) as exc:
        log.warning("Could not register the command menu: %s", exc or "no answer in time")


async def warn_if_stale(engine: Engine, settings: Any) -> None:
    """A warning in the log when the corpus changed after the index was built (an admin can /reindex)."""
    try:
        changes = await asyncio.to_thread(corpus_changes, engine.index.folder, settings.corpus_dir)
    except Exception:  # a hint, never a reason to stop: the log says what went wrong
        log.exception("Could not compare the corpus with the index")
        return
    if changes:
        log.warning("The corpus changed after the index was built: %s. An admin can /reindex.", changes.summary())


def first_engine(indexer: Indexer) -> Engine:
    """The engine to start with. With no index yet (or one built for another model or backend), the index
    is built first, so that a fresh checkout serves at once. Other errors (a damaged index) are raised."""
    try:
        return indexer.open_engine()
    except (IndexMissingError, IndexMismatchError) as exc:
        log.warning("%s Building the index now.", exc)
    report = indexer.reindex(lambda _: None)
    log.info("Indexed %d files, %d sentences in %.1f s", report.sources, report.sentences, report.seconds)
    return indexer.open_engine()
