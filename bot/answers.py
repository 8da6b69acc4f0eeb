"""Answering a question in a chat: ask the engine off the event loop, remember the answer, send it.

Shared by questions (handlers.py) and the "More quotes" button (callbacks.py).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot import format
from bot.callback_data import MAX_NUMBER, MoreQuotes, ShowContext, encode
from bot.delivery import reply
from bot.runtime import Runtime
from retrieval.records import Answer
from retrieval.search.engine import Engine
from retrieval.search.intake import QuestionRules, refusal

CONTEXT_BUTTONS_PER_ROW = 3


@dataclass(frozen=True)
class Page:
    answer: Answer  # at most k quotes, from ``offset``
    offset: int
    has_more: bool


def ask_page(engine: Engine, question: str, k: int, offset: int = 0) -> Page:
    """One page of quotes; asks for one more than shown to know whether a next page exists."""
    answer = engine.ask(question, k=k + 1, offset=offset)
    has_more = len(answer.quotes) > k
    if has_more:
        answer = Answer(answer.question, answer.answered, answer.quotes[:k], answer.reason, answer.note)
    return Page(answer, offset, has_more)


def keyboard(key: str, page: Page) -> InlineKeyboardMarkup | None:
    """"Context [n]" for each quote of the page, and "More quotes" when there are more."""
    first = page.offset + 1
    numbers = [n for n in range(first, first + len(page.answer.quotes)) if n <= MAX_NUMBER]
    rows = [
        [
            InlineKeyboardButton(f"Context [{n}]", callback_data=encode(ShowContext(key, n)))
            for n in numbers[i : i + CONTEXT_BUTTONS_PER_ROW]
        ]
        for i in range(0, len(numbers), CONTEXT_BUTTONS_PER_ROW)
    ]
    next_offset = page.offset + len(page.answer.quotes)
    if page.has_more and next_offset <= MAX_NUMBER:
        rows.append([InlineKeyboardButton("More quotes", callback_data=encode(MoreQuotes(key, next_offset)))])
    return InlineKeyboardMarkup(rows) if rows else None


async def send_page(message: Message, page: Page, key: str | None, *, do_quote: bool | None = None) -> None:
    """Send a page of an answer in reply to ``message``; the buttons go on the last part. A part that timed
    out is not sent again (it may have arrived), and the next parts still are."""
    chunks = format.answer_messages(page.answer, page.offset + 1)
    markup = keyboard(key, page) if key is not None and page.answer.answered else None
    for n, chunk in enumerate(chunks):
        last = n == len(chunks) - 1
        await reply(message, chunk, do_quote=do_quote, reply_markup=markup if last else None)


async def answer_question(message: Message, rt: Runtime, question: str) -> None:
    """Answer ``question`` in reply to ``message``: quotes with buttons, a plain "not found", or why the
    question cannot be asked (too long, not in English: search/intake.py)."""
    refused = refusal(question, QuestionRules.of(rt.settings))
    if refused is not None and refused.kind != "empty":
        size, limit = len(question.strip()), rt.settings.max_question_chars
        await reply(message, format.question_too_long(size, limit) if refused.kind == "too_long"
                    else format.question_refused(refused.message))
        return
    page = await asyncio.to_thread(ask_page, rt.holder.engine, question, rt.settings.top_k)
    key = None
    if page.answer.answered:
        key = await asyncio.to_thread(rt.store.new_answer, question, page.answer.quotes)
    await send_page(message, page, key)
