"""The wiring diagram: which update goes to which handler, and how the Application runs.

``build_application`` makes a python-telegram-bot Application for an engine holder and an indexer;
``run`` serves it with long polling, or with a webhook when TELEGRAM_WEBHOOK_URL is set.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import signal
import urllib.parse
from collections.abc import Callable, Coroutine, Sequence
from typing import TYPE_CHECKING, Any, Final

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    ExtBot,
    InlineQueryHandler,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot import admin, callbacks, handlers, inline, reindex, reload, startup
from bot.context import CONTEXT_TYPES, BotData, Context
from bot.delivery import RetryPolicy, TelegramRequest
from bot.runtime import EngineHolder, Indexer, Runtime
from bot.settings import BotSettings
from bot.state import AnswerStore, StateStore

if TYPE_CHECKING:
    from bot.state_redis import RedisStateStore

log = logging.getLogger(__name__)

COMMANDS: Final = (
    BotCommand("ask", "Answer a question with quotes from the articles"),
    BotCommand("sources", "List the indexed articles"),
    BotCommand("stats", "Index size, model and last reindex"),
    BotCommand("help", "How to ask, and what the buttons do"),
    BotCommand("start", "What this bot does"),
    BotCommand("reindex", "Update the index from the articles folder (admins only)"),
    BotCommand("add", "Add a web page to the articles: /add URL (admins only)"),
    BotCommand("remove", "Remove an article: /remove SOURCE (admins only)"),
)
ALLOWED_UPDATES: Final = [Update.MESSAGE, Update.CALLBACK_QUERY, Update.INLINE_QUERY]
RETRIES: Final = 5  # a request refused with RetryAfter (flood control) is repeated this often, after the wait
NO_PREVIEW: Final = LinkPreviewOptions(is_disabled=True)
STOP_SIGNALS: Final = (signal.SIGINT, signal.SIGTERM, signal.SIGABRT)
DEFAULT_RETRY: Final = RetryPolicy()
# The application as built here: typed context and bot data (bot/context.py).
App = Application[ExtBot[Any], Context, dict[Any, Any], dict[Any, Any], BotData, Any]


async def _post_init(app: App) -> None:
    rt = app.bot_data.runtime
    # Optional calls run beside serving: a failing setMyCommands (retried by delivery.py) never holds up
    # polling, so the first question is answered at once.
    app.bot_data.start_background(startup.register_commands(app.bot, COMMANDS))
    app.bot_data.start_background(startup.warn_if_stale(rt.holder.engine, rt.settings))
    forgotten = rt.store.prune()
    if not rt.settings.admin_user_ids:
        log.warning("ADMIN_USER_IDS is empty: nobody can run /reindex")
    index = rt.holder.engine.index
    log.info(
        "Serving as @%s: %d files, %d sentences (%s); %d old answers forgotten",
        app.bot.username, len(index.sources), index.n_sentences, index.folder.name, forgotten,
    )


async def _post_shutdown(app: App) -> None:
    await app.bot_data.stop_background()
    if app.bot_data.reloader is not None:
        await app.bot_data.reloader.stop()
    app.bot_data.runtime.store.close()


def build_application(
    settings: BotSettings,
    holder: EngineHolder,
    indexer: Indexer,
    *,
    progress_interval: float = 2.5,
    retry: RetryPolicy = DEFAULT_RETRY,
    reload_interval: float = reload.CHECK_INTERVAL,
) -> App:
    """The bot: handlers wired to the shared runtime; link previews off; requests that Telegram surely did
    not act on are repeated as ``retry`` says (delivery.py), requests refused with RetryAfter after the wait.
    An index published outside the bot is noticed on the next update, at most one check per
    ``reload_interval`` seconds (reload.py)."""
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    builder = (
        ApplicationBuilder()
        .context_types(CONTEXT_TYPES)
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(settings.telegram_base_url)
        .base_file_url(settings.telegram_base_file_url)
        .request(TelegramRequest(retry))
        .defaults(
            # No default parse_mode: PTB would add it to requests that have none (editMessageReplyMarkup,
            # reply_parameters.quote_parse_mode). Every text is sent with parse_mode=HTML explicitly.
            Defaults(link_preview_options=NO_PREVIEW, allow_sending_without_reply=True)
        )
        .concurrent_updates(True)  # chats are answered concurrently; answering runs in worker threads
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
        .rate_limiter(AIORateLimiter(max_retries=RETRIES))  # type: ignore[arg-type]
    )
    app = builder.build()
    store, shared = _state_store(settings)
    rt = Runtime(settings, holder, indexer, store, progress_interval=progress_interval)
    app.bot_data.wire(rt, reload.Reloader(rt, reload_interval))

    if shared is not None:  # several processes: only the one that claims an update answers it
        app.add_handler(TypeHandler(Update, _claimed_by(shared)), group=-2)

    # Before every update's handler: has a new index been published (e.g. `verbatim index` in a shell)?
    app.add_handler(TypeHandler(Update, reload.check_index), group=-1)

    # Not edits (an edited question is not asked again), nor quotes sent through inline mode.
    new = filters.UpdateType.MESSAGE & ~filters.VIA_BOT
    app.add_handler(CommandHandler("start", handlers.start, filters=new))
    app.add_handler(CommandHandler("help", handlers.help_command, filters=new))
    app.add_handler(CommandHandler("ask", handlers.ask, filters=new))
    app.add_handler(CommandHandler("sources", handlers.sources, filters=new))
    app.add_handler(CommandHandler("stats", handlers.stats, filters=new))
    app.add_handler(CommandHandler("reindex", reindex.reindex_command, filters=new))
    app.add_handler(CommandHandler("add", admin.add_command, filters=new))
    app.add_handler(CommandHandler("remove", admin.remove_command, filters=new))
    private = new & filters.ChatType.PRIVATE
    app.add_handler(MessageHandler(private & filters.Document.ALL, admin.on_document))
    app.add_handler(MessageHandler(private & filters.COMMAND, handlers.unknown_command))
    app.add_handler(MessageHandler(private & filters.TEXT, handlers.private_question))
    app.add_handler(
        MessageHandler(
            new & filters.ChatType.GROUPS & filters.TEXT & ~filters.COMMAND & handlers.ADDRESSED_TO_BOT,
            handlers.group_question,
        )
    )
    app.add_handler(CallbackQueryHandler(callbacks.on_button))
    app.add_handler(InlineQueryHandler(inline.inline_query))
    app.add_error_handler(handlers.on_error)
    return app


def _state_store(settings: BotSettings) -> tuple[AnswerStore, RedisStateStore | None]:
    """The SQLite store, or with TELEGRAM_STATE_URL the Redis one (also returned as the update claimer)."""
    if settings.telegram_state_url is None:
        return StateStore(settings.state_file), None
    from bot.state_redis import RedisStateStore  # the optional redis extra

    store = RedisStateStore(settings.telegram_state_url)
    return store, store


def _claimed_by(store: RedisStateStore) -> Callable[[Update, Context], Coroutine[Any, Any, None]]:
    async def claim(update: Update, context: Context) -> None:
        """Before everything else (group -2): stop here when another process claimed this update (Telegram
        delivered it twice, or to two webhooks behind a load balancer)."""
        if not await asyncio.to_thread(store.claim_update, update.update_id):
            log.info("Update %d is answered by another process", update.update_id)
            raise ApplicationHandlerStop

    return claim


def webhook_secret(settings: BotSettings) -> str:
    """TELEGRAM_WEBHOOK_SECRET, or a fresh random one: Telegram sends it back with every update."""
    if settings.telegram_webhook_secret is not None:
        return settings.telegram_webhook_secret.get_secret_value()
    return secrets.token_urlsafe(32)


def run(
    app: App,
    settings: BotSettings,
    secret: str | None = None,
    *,
    stop_signals: Sequence[int] | None = STOP_SIGNALS,
) -> None:
    """Serve until a stop signal: long polling, or a webhook when TELEGRAM_WEBHOOK_URL is set.
    ``stop_signals=None`` when not in the main thread (tests)."""
    url = settings.telegram_webhook_url
    if url is None:
        log.info("Starting long polling")
        app.run_polling(allowed_updates=ALLOWED_UPDATES, stop_signals=stop_signals)
        return
    path = urllib.parse.urlsplit(url).path.lstrip("/")
    listen, port = settings.telegram_webhook_listen, settings.telegram_webhook_port
    log.info("Starting the webhook on %s:%d/%s", listen, port, path)
    app.run_webhook(
        listen=listen,
        port=port,
        url_path=path,
        webhook_url=url,
        secret_token=secret or webhook_secret(settings),
        allowed_updates=ALLOWED_UPDATES,
        stop_signals=stop_signals,
    )
