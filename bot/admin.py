"""Admins add and remove articles from the chat: a document sent in private, /add <url>, /remove <source>.

An article is checked by the index's own loaders before anything is written (bot/uploads.py), saved under
<corpus>/uploads/ with a safe name, and indexed incrementally by the /reindex machinery (bot/reindex.py:
progress in one edited message, the old index serving until the swap). Then the admin is told what was
added. Everyone else is refused and nothing is written. Every add and remove is logged with the admin's id.
"""

from __future__ import annotations

import asyncio
import html
import logging
import secrets
from typing import Final

import numpy as np
from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import TelegramError

from bot import format
from bot.callback_data import RemoveSource, encode
from bot.context import Context
from bot.delivery import reply
from bot.reindex import StatusMessage, run_reindex
from bot.runtime import Runtime
from bot.uploads import already_there, check_article, corpus_file, load_limits, save, supported_list
from bot.web_fetch import FetchError, fetch_page
from retrieval.corpus.loaders import Unloadable, suffix_of, supported_suffixes

log = logging.getLogger(__name__)

_MIB: Final = 1024 * 1024
SAMPLE_CHARS: Final = 400
ADMINS_ONLY: Final = "Sorry, only the bot's admins can add or remove articles. Questions work for everyone."
EXPIRED: Final = "This confirmation expired. Send /remove again."


def _e(value: str) -> str:
    return html.escape(value, False)


def _max_bytes(rt: Runtime) -> int:
    return int(rt.settings.max_upload_mb * _MIB)


def _too_large(rt: Runtime) -> str:
    return f"Not added: the file is larger than {rt.settings.max_upload_mb:g} MB (setting MAX_UPLOAD_MB)."


async def _admin(message: Message, rt: Runtime, what: str) -> int | None:
    """The admin's id, or None after refusing a non-admin."""
    user = message.from_user
    if user is None or not rt.is_admin(user.id):
        log.info("Refused %s from non-admin user %s", what, user.id if user else None)
        await reply(message, ADMINS_ONLY)
        return None
    return user.id


async def _admin_request(update: Update, context: Context, what: str) -> tuple[Message, Runtime, int] | None:
    """The message, runtime and admin id of an admin's update; None when there is no message, or after
    refusing a non-admin. The one prologue of every admin handler."""
    message = update.effective_message
    if message is None:
        return None
    rt = context.runtime
    admin = await _admin(message, rt, what)
    return None if admin is None else (message, rt, admin)


# --- adding ------------------------------------------------------------------------------------------


async def on_document(update: Update, context: Context) -> None:
    """A document sent in private: an admin's new article."""
    document = update.effective_message.document if update.effective_message else None
    if document is None:
        return
    request = await _admin_request(update, context, "a document")
    if request is None:
        return
    message, rt, admin = request
    name = document.file_name or ""
    # Refused before downloading: the size Telegram reports, and a format the index cannot read.
    if document.file_size is None or document.file_size > _max_bytes(rt):
        await reply(message, _e(_too_large(rt)))
        return
    if suffix_of(name) not in supported_suffixes():
        await reply(message, _e(f"Not added: {suffix_of(name) or 'files without a suffix'} is not an article "
                                f"format. Send one of {supported_list()}."))
        return
    try:
        data = bytes(await (await document.get_file()).download_as_bytearray())
    except TelegramError as exc:
        log.warning("Could not download a document from admin %s: %s", admin, exc)
        await reply(message, _e(f"Not added: the file could not be downloaded ({exc.message})."))
        return
    if len(data) > _max_bytes(rt):  # the reported size was wrong
        await reply(message, _e(_too_large(rt)))
        return
    await add_article(message, rt, admin, name, data)


async def add_command(update: Update, context: Context) -> None:
    """/add <url>: one web page, downloaded and added like a document."""
    request = await _admin_request(update, context, "/add")
    if request is None:
        return
    message, rt, admin = request
    if len(context.args or []) != 1:
        await reply(message, "Usage: /add https://example.com/article.html")
        return
    url = (context.args or [""])[0]
    try:
        page = await fetch_page(url, max_bytes=_max_bytes(rt), timeout=rt.settings.add_url_timeout,
                                allow_private=rt.settings.allow_private_urls)
    except FetchError as exc:
        log.info("Admin %s: /add %s not fetched: %s", admin, url, exc)
        await reply(message, _e(f"Not added: {exc}"))
        return
    await add_article(message, rt, admin, page.name, page.data, origin=page.url)


async def add_article(message: Message, rt: Runtime, admin: int, name: str, data: bytes,
                      origin: str | None = None) -> None:
    """Check, save and index one article; tell the admin what was added (or why not)."""
    corpus = rt.settings.corpus_dir
    try:
        article = await asyncio.to_thread(check_article, name, data, load_limits(rt.settings.max_file_mb))
    except Unloadable as exc:
        log.info("Admin %s: %s not added: %s", admin, origin or name, exc)
        await reply(message, _e(f"Not added: {exc}."))
        return
    same = await asyncio.to_thread(already_there, corpus, rt.holder.engine.index.sources, article)
    if same is not None:
        await reply(message, _e(f"Already in the corpus as {same}; nothing added."))
        return
    if rt.reindex_lock.locked():
        await reply(message, _e("A reindex is running; send the article again when it ends. Nothing was added."))
        return
    async with rt.reindex_lock:
        await asyncio.to_thread(save, corpus, article)
        log.info("Admin %s added %s (%d bytes, sha256 %s%s)", admin, article.source, len(data), article.sha256,
                 f", from {origin}" if origin else "")
        sent = await reply(message, format.reindex_progress(None, 0.0))
        status = StatusMessage(message, sent, rt.progress_interval)
        await status.finish(await run_reindex(rt, status))
    await reply(message, added_message(rt, article.source))


def added_message(rt: Runtime, source: str) -> str:
    """What the index now holds of ``source``: title, sentences, the first sentence as a sample."""
    index = rt.holder.engine.index
    position = next((i for i, row in enumerate(index.sources) if row.source == source), None)
    if position is None:
        return _e(f"Saved as {source}, but it is not in the index (see the reindex message).")
    row = index.sources[position]
    ids = np.flatnonzero(index.sent_source == position)
    lines = [f"<b>Added</b> {_e(source)}"]
    if row.title:
        lines.append(f"Title: {_e(row.title)}")
    if row.url:
        lines.append(f"URL: {_e(row.url)}")
    lines.append(f"Sentences: {row.n_sentences}")
    if len(ids):
        sample = index.text(int(ids[0]))
        if len(sample) > SAMPLE_CHARS:
            sample = sample[: SAMPLE_CHARS - 1] + "…"
        lines.append(f"First sentence: “{_e(sample)}”")
    return "\n".join(lines)


# --- removing ----------------------------------------------------------------------------------------


async def remove_command(update: Update, context: Context) -> None:
    """/remove <source>: asks for confirmation with a button (its data is an opaque key, never the name)."""
    request = await _admin_request(update, context, "/remove")
    if request is None:
        return
    message, rt, _admin_id = request
    source = " ".join(context.args or [])
    if not source:
        await reply(message, "Usage: /remove SOURCE (a file name as quotes cite it; /sources lists them)")
        return
    if corpus_file(rt.settings.corpus_dir, source) is None:
        await reply(message, _e(f"Not removed: {source} is not a file in the corpus folder."))
        return
    key = secrets.token_urlsafe(9)  # 12 characters, callback_data.KEY_PATTERN
    await asyncio.to_thread(rt.store.set_meta, f"remove:{key}", source)
    buttons = InlineKeyboardMarkup([[
        InlineKeyboardButton("Remove", callback_data=encode(RemoveSource(key, confirmed=True))),
        InlineKeyboardButton("Cancel", callback_data=encode(RemoveSource(key, confirmed=False))),
    ]])
    await reply(message, f"Remove <b>{_e(source)}</b> from the corpus folder and the index?", reply_markup=buttons)


async def confirm_remove(query: CallbackQuery, message: Message, rt: Runtime, button: RemoveSource) -> None:
    """The Remove (or Cancel) button of a /remove confirmation."""
    admin = query.from_user.id
    if not rt.is_admin(admin):
        log.info("Refused a remove button from non-admin user %s", admin)
        await query.answer(ADMINS_ONLY, show_alert=True)
        return
    name = f"remove:{button.key}"
    source = await asyncio.to_thread(rt.store.get_meta, name)
    if not source:
        await query.answer(EXPIRED, show_alert=True)
        return
    if not button.confirmed:
        await asyncio.to_thread(rt.store.set_meta, name, "")
        await query.answer()
        await message.edit_text(f"Not removed: {_e(source)}", parse_mode="HTML")
        return
    path = corpus_file(rt.settings.corpus_dir, source)
    if path is None:
        await asyncio.to_thread(rt.store.set_meta, name, "")
        await query.answer(f"{source} is no longer in the corpus folder.", show_alert=True)
        return
    if rt.reindex_lock.locked():
        await query.answer(format.REINDEX_RUNNING, show_alert=True)
        return
    async with rt.reindex_lock:
        await asyncio.to_thread(rt.store.set_meta, name, "")  # one press removes once
        await query.answer()
        await asyncio.to_thread(path.unlink)
        log.info("Admin %s removed %s", admin, source)
        await message.edit_text(f"Removed <b>{_e(source)}</b>; reindexing.", parse_mode="HTML")
        sent = await reply(message, format.reindex_progress(None, 0.0))
        status = StatusMessage(message, sent, rt.progress_interval)
        await status.finish(await run_reindex(rt, status))
