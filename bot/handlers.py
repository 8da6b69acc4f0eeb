"""Chat handlers: questions (private text, group mentions and replies, /ask), commands, the error handler.

Each handler is thin: it works out what was asked and hands over to answers.py or format.py.
"""

from __future__ import annotations

import asyncio
import html
import logging
from pathlib import Path

from telegram import Chat, Message, MessageEntity, Update
from telegram.constants import ParseMode
from telegram.error import Forbidden, TelegramError, TimedOut
from telegram.ext import filters

from bot import format
from bot.answers import answer_question
from bot.context import Context
from bot.delivery import reply
from retrieval.errors import IndexBusyError, QuestionError, VerbatimError
from retrieval.index.freshness import corpus_changes

log = logging.getLogger(__name__)


def _is_reply_to_bot(message: Message) -> bool:
    replied = message.reply_to_message
    return bool(replied and replied.from_user and replied.from_user.id == message.get_bot().id)


def _bot_mentions(message: Message) -> list[MessageEntity]:
    username = (message.get_bot().username or "").lower()
    return [
        entity
        for entity, said in message.parse_entities([MessageEntity.MENTION]).items()
        if username and said.lower() == "@" + username
    ]


class _AddressedToBot(filters.MessageFilter):
    """A group message that mentions the bot (@botname) or replies to one of its messages."""

    def filter(self, message: Message) -> bool:
        return _is_reply_to_bot(message) or bool(_bot_mentions(message))


ADDRESSED_TO_BOT = _AddressedToBot(name="AddressedToBot")


def question_of(message: Message) -> str:
    """The message's text without the @mentions of the bot."""
    text = message.text or ""
    cuts = sorted(((e.offset, e.offset + e.length) for e in _bot_mentions(message)), reverse=True)
    if cuts:
        # Entity offsets are in UTF-16 code units.
        units = text.encode("utf-16-le")
        for start, end in cuts:
            units = units[: 2 * start] + b" " + b"\0" + units[2 * end :]
        text = units.decode("utf-16-le")
    return " ".join(text.split())


# --- questions ----------------------------------------------------------------------------------------


async def private_question(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None or not message.text:
        return
    await answer_question(message, context.runtime, message.text)


async def group_question(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    question = question_of(message)
    if not question:
        bot = context.bot.username
        await reply(message, html.escape(f"Ask me a question after the mention, e.g. @{bot} "
                                         f"{context.runtime.settings.telegram_example_question}", False))
        return
    await answer_question(message, context.runtime, question)


async def ask(update: Update, context: Context) -> None:
    """/ask question; or /ask in reply to a message, whose text is then the question."""
    message = update.effective_message
    if message is None:
        return
    question = " ".join(context.args or [])
    if not question and message.reply_to_message and message.reply_to_message.text:
        question = message.reply_to_message.text
    if not question.strip():
        example = context.runtime.settings.telegram_example_question
        await reply(message, html.escape(f"Usage: /ask your question, e.g. /ask {example}", False))
        return
    await answer_question(message, context.runtime, question)


# --- commands -----------------------------------------------------------------------------------------


async def start(update: Update, context: Context) -> None:
    if update.effective_message is not None:
        example = context.runtime.settings.telegram_example_question
        await reply(update.effective_message, format.start_message(example, context.bot.username))


async def help_command(update: Update, context: Context) -> None:
    if update.effective_message is not None:
        example = context.runtime.settings.telegram_example_question
        await reply(update.effective_message, format.help_message(example, context.bot.username))


async def unknown_command(update: Update, context: Context) -> None:
    if update.effective_message is not None:
        await reply(update.effective_message, "I don't know that command. /help lists what I can do.")


async def sources(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    for chunk in format.sources_messages(context.runtime.holder.engine.index.sources):
        await reply(message, chunk)


async def stats(update: Update, context: Context) -> None:
    message = update.effective_message
    if message is None:
        return
    rt = context.runtime
    index = rt.holder.engine.index
    changes = await asyncio.to_thread(corpus_changes, index.folder, rt.settings.corpus_dir)
    await reply(
        message,
        format.stats_message(
            sources=len(index.sources),
            sentences=index.n_sentences,
            disk_bytes=await asyncio.to_thread(folder_size, index.folder),
            model=index.manifest.model,
            dimension=index.manifest.dimension,
            built_at=index.built_at,
            last_reindex=rt.store.get_meta("last_reindex") or index.built_at,
            corpus_changes=changes.summary() if changes else None,
        )
    )


def folder_size(folder: Path) -> int:
    """Bytes of the files in ``folder``, recursively (0 if it went away, e.g. pruned)."""
    try:
        return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())
    except OSError:
        return 0


# --- errors -------------------------------------------------------------------------------------------


def user_message_for(error: BaseException | None) -> str:
    """What a user is told about an error: domain errors in their own words, anything else generically."""
    if isinstance(error, QuestionError):
        return html.escape(str(error), False)
    if isinstance(error, IndexBusyError):
        return format.REINDEX_RUNNING
    if isinstance(error, VerbatimError):
        return format.INDEX_UNAVAILABLE
    return format.SOMETHING_WENT_WRONG


async def on_error(update: object, context: Context) -> None:
    """The one error handler: log the error, tell the user something went wrong, never the internals."""
    error = context.error
    if isinstance(error, Forbidden):  # the user blocked the bot or it left the group: nobody to tell
        log.warning("Cannot reach the chat: %s", error)
        return
    if isinstance(error, TimedOut):  # Telegram may have acted on it (delivery.py): nothing more is sent
        log.warning("Telegram did not answer in time; the request may have gone through: %s", error)
        return
    log.error("Error while handling an update", exc_info=error)
    if not isinstance(update, Update):
        return
    text = user_message_for(error)
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(text=html.unescape(text)[:200], show_alert=True)
        elif update.inline_query is not None:
            await update.inline_query.answer([], cache_time=0)
        elif update.effective_chat is not None and update.effective_chat.type != Chat.CHANNEL:
            await context.bot.send_message(update.effective_chat.id, text, parse_mode=ParseMode.HTML)
    except TelegramError as exc:
        log.warning("Could not tell the user about the error: %s", exc)
