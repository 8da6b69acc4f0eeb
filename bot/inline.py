"""Inline mode: ``@botname question`` in any chat offers the top quotes; choosing one sends it, cited."""

from __future__ import annotations

import asyncio

from telegram import (
    InlineQueryResultArticle,
    InlineQueryResultsButton,
    InputTextMessageContent,
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode

from bot import format
from bot.context import Context
from retrieval.search.intake import QuestionRules, refusal

CACHE_SECONDS = 30  # short: a reindex may change the answers
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def inline_query(update: Update, context: Context) -> None:
    query = update.inline_query
    if query is None:
        return
    question = query.query.strip()
    if not question:
        await query.answer(
            [], cache_time=CACHE_SECONDS,
            button=InlineQueryResultsButton("Type a question about the articles", start_parameter="inline"),
        )
        return
    rt = context.runtime
    refused = refusal(question, QuestionRules.of(rt.settings))
    if refused is not None and refused.kind == "language":
        await query.answer(
            [], cache_time=CACHE_SECONDS,
            button=InlineQueryResultsButton("Questions must be in English", start_parameter="english"),
        )
        return
    answer = await asyncio.to_thread(rt.holder.engine.ask, question, rt.settings.top_k)
    if not answer.answered:
        await query.answer(
            [], cache_time=CACHE_SECONDS,
            button=InlineQueryResultsButton("No quotes found: try rephrasing", start_parameter="notfound"),
        )
        return
    results = [
        InlineQueryResultArticle(
            id=str(n),
            title=format.inline_title(quote),
            description=format.inline_description(quote),
            input_message_content=InputTextMessageContent(
                format.inline_message(quote), parse_mode=ParseMode.HTML, link_preview_options=NO_PREVIEW
            ),
        )
        for n, quote in enumerate(answer.quotes, 1)
    ]
    await query.answer(results, cache_time=CACHE_SECONDS)
