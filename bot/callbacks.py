"""The answer buttons: "More quotes" and "Context [n]".

Button data is only a key into the bot's state file (see callback_data.py and state.py): it never names a
file, and context comes from the index's stored article texts. Data that is not exactly ours is refused;
a key the state file does not know (pruned, or another bot's) is "this answer expired".
"""

from __future__ import annotations

import asyncio
import logging

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest

from bot import format
from bot.admin import confirm_remove
from bot.answers import ask_page, send_page
from bot.callback_data import MoreQuotes, RemoveSource, ShowContext, decode
from bot.context import Context
from bot.delivery import reply
from bot.runtime import Runtime
from retrieval.search.context import quote_context

log = logging.getLogger(__name__)


async def on_button(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None:
        return
    button = decode(query.data)
    if button is None:
        log.warning("Refused callback data that is not ours from user %s", query.from_user.id)
        await query.answer(format.INVALID_BUTTON, show_alert=True)
        return
    message = query.message
    if not isinstance(message, Message):  # an inline message, or one the bot can no longer see
        await query.answer(format.EXPIRED, show_alert=True)
        return
    if isinstance(button, MoreQuotes):
        await more_quotes(query, message, context.runtime, button)
    elif isinstance(button, RemoveSource):
        await confirm_remove(query, message, context.runtime, button)
    else:
        await show_context(query, message, context.runtime, button)


async def more_quotes(query: CallbackQuery, message: Message, rt: Runtime, button: MoreQuotes) -> None:
    question = await asyncio.to_thread(rt.store.question, button.key)
    if question is None:
        await query.answer(format.EXPIRED, show_alert=True)
        return
    page = await asyncio.to_thread(ask_page, rt.holder.engine, question, rt.settings.top_k, button.offset)
    if not page.answer.answered:
        await query.answer(format.NO_MORE_QUOTES)
        await _drop_more_button(message)
        return
    await query.answer()
    await _drop_more_button(message)
    await asyncio.to_thread(rt.store.add_quotes, button.key, button.offset + 1, page.answer.quotes)
    await send_page(message, page, button.key)


async def show_context(query: CallbackQuery, message: Message, rt: Runtime, button: ShowContext) -> None:
    stored = await asyncio.to_thread(rt.store.quote, button.key, button.number)
    if stored is None:
        await query.answer(format.EXPIRED, show_alert=True)
        return
    index = rt.holder.engine.index
    ctx = await asyncio.to_thread(quote_context, index, stored.source, stored.start, stored.end, stored.text)
    if ctx is None:
        await query.answer(format.QUOTE_GONE, show_alert=True)
        return
    await query.answer()
    for chunk in format.context_messages(ctx, button.number):
        await reply(message, chunk, do_quote=True)


async def _drop_more_button(message: Message) -> None:
    """Take "More quotes" off a message whose next page was shown (or that has none)."""
    markup = message.reply_markup
    if markup is None:
        return
    rows = [
        [b for b in row if not isinstance(decode(b.callback_data), MoreQuotes)]
        for row in markup.inline_keyboard
    ]
    rows = [row for row in rows if row]
    if sum(map(len, rows)) == sum(map(len, markup.inline_keyboard)):
        return
    try:
        await message.edit_reply_markup(InlineKeyboardMarkup(rows) if rows else None)
    except BadRequest as exc:  # not modified (pressed twice), or too old to edit: harmless
        log.debug("Could not remove the More quotes button: %s", exc)
