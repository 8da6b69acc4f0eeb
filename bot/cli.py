"""``verbatim serve``: run the Telegram bot. Registered through the ``verbatim.commands`` entry point.

Order of start-up: the token is checked first (a missing or rejected token is a one-line error and exit
status 2, before the model loads), then the model and the index load, then the bot serves.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import sys
from typing import Any

from telegram import Bot
from telegram.error import InvalidToken, NetworkError, TelegramError

from bot.logs import configure_logging
from retrieval.cli import add_location_flags
from retrieval.settings import Settings

EXIT_CONFIG = 2
log = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve", help="run the Telegram bot (long polling, or a webhook if TELEGRAM_WEBHOOK_URL is set)"
    )
    add_location_flags(parser)
    parser.set_defaults(handler=cmd_serve)


class StartupError(Exception):
    """A one-line reason the bot cannot start, safe to print (never contains the token)."""


async def check_token(settings: Settings) -> str:
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


def _fail(message: str) -> int:
    print(f"verbatim: {message}", file=sys.stderr)
    return EXIT_CONFIG


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    token = settings.telegram_bot_token.get_secret_value().strip() if settings.telegram_bot_token else ""
    if not token:
        return _fail("TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its token in .env "
                     "(see .env.example)")
    from bot.app import build_application, run, webhook_secret

    secret = webhook_secret(settings) if settings.telegram_webhook_url else None
    if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
        return _fail("TELEGRAM_WEBHOOK_SECRET takes 1 to 256 characters of A-Z, a-z, 0-9, _ and - only")
    redactor = configure_logging(settings.log_level, [token, secret or ""])
    try:
        username = asyncio.run(check_token(settings))
    except StartupError as exc:
        return _fail(redactor.redact(str(exc)))

    from bot.runtime import EngineHolder, Indexer
    from retrieval.service import make_embedder, open_engine, reindex

    log.info("Starting @%s: loading the model and the index", username)
    embedder = make_embedder(settings)
    engine = open_engine(settings, embedder)  # a VerbatimError here is printed by retrieval.cli in one line
    embedder.encode(["warm up"])  # load the model now, not on the first question
    indexer = Indexer(
        reindex=lambda progress: reindex(settings, embedder, progress=progress),
        open_engine=lambda: open_engine(settings, embedder),
    )
    app = build_application(settings, EngineHolder(engine), indexer)
    try:
        run(app, settings, secret)
    except InvalidToken:
        return _fail("the Bot API server rejected TELEGRAM_BOT_TOKEN; check the token with @BotFather")
    return 0
