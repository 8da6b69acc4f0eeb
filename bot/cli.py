"""``verbatim serve``: run the Telegram bot. Registered through the ``verbatim.commands`` entry point.

Order of start-up: the token is checked first (a missing or rejected token is a one-line error and exit
status 2, before the model loads), then the model and the index load (the index is built first if there
is none yet), then the bot serves. Any other start-up problem is a VerbatimError, printed by retrieval.cli.main
in one line. This module stays light (every ``verbatim`` command loads it): the bot is imported on serve.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import re
import sys
from typing import Any

from bot.settings import BotSettings
from retrieval.cli.options import add_location_flags, setting_errors
from retrieval.settings import Settings

EXIT_CONFIG = 2
SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}")  # what Telegram accepts as a webhook secret token
log = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve", help="run the Telegram bot (long polling, or a webhook if TELEGRAM_WEBHOOK_URL is set)"
    )
    add_location_flags(parser)
    parser.set_defaults(handler=cmd_serve)


def _fail(message: str) -> int:
    print(f"verbatim: {message}", file=sys.stderr)
    return EXIT_CONFIG


def cmd_serve(args: argparse.Namespace, core: Settings) -> int:
    from pydantic import ValidationError

    try:
        # the bot's own settings on top of the core ones (--corpus/--index already applied to ``core``)
        settings = BotSettings(**core.model_dump())
    except ValidationError as exc:
        for line in setting_errors(exc)[:-1]:
            print(f"verbatim: {line}", file=sys.stderr)
        return _fail(setting_errors(exc)[-1])
    token = settings.telegram_bot_token.get_secret_value().strip() if settings.telegram_bot_token else ""
    if not token:
        return _fail("TELEGRAM_BOT_TOKEN is not set: create a bot with @BotFather and put its token in .env "
                     "(see .env.example)")
    from telegram.error import InvalidToken, TelegramError

    from bot.app import build_application, run, webhook_secret
    from bot.logs import configure_logging
    from bot.runtime import EngineHolder, Indexer
    from bot.startup import StartupError, check_token, first_engine
    from retrieval.search.service import make_embedder, open_engine, reindex

    url = settings.telegram_webhook_url
    if url is not None and not url.startswith("https://"):
        return _fail("TELEGRAM_WEBHOOK_URL must be a public https:// URL (Telegram only posts to HTTPS)")
    secret = webhook_secret(settings) if url else None
    if secret is not None and not SECRET_TOKEN.fullmatch(secret):
        return _fail("TELEGRAM_WEBHOOK_SECRET takes 1 to 256 characters of A-Z, a-z, 0-9, _ and - only")
    redactor = configure_logging(settings.log_level, [token, secret or ""])
    try:
        username = asyncio.run(check_token(settings))
    except StartupError as exc:
        return _fail(redactor.redact(str(exc)))

    log.info("Starting @%s: loading the model and the index", username)
    embedder = make_embedder(settings)
    indexer = Indexer(
        reindex=lambda progress: reindex(settings, embedder, progress=progress),
        open_engine=lambda: open_engine(settings, embedder),
    )
    embedder.encode(["warm up"])  # load the model now, not on the first question
    app = build_application(settings, EngineHolder(first_engine(indexer)), indexer)
    try:
        run(app, settings, secret)
    except InvalidToken:
        return _fail("the Bot API server rejected TELEGRAM_BOT_TOKEN; check the token with @BotFather")
    except TelegramError as exc:  # e.g. setWebhook refused
        return _fail(redactor.redact(f"the Bot API server refused to start the bot: {exc.message}"))
    return 0
