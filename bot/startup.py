"""Start-up checks of ``verbatim serve``: is the token accepted, and which engine to start with."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.runtime import Indexer
from bot.settings import BotSettings
from retrieval.errors import IndexMismatchError, IndexMissingError
from retrieval.search.engine import Engine

log = logging.getLogger(__name__)


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
