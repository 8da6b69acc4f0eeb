"""Pure formatting of everything the bot says, as Telegram HTML (see html.py for the building blocks).

Answers: a short header, then each quote verbatim in its own ``<blockquote>`` followed by its citation
``[n] file, line L`` (one quote, every file it stands in). Long answers are split between quotes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

from bot.html import (
    EMPTY,
    MAX_UNITS,
    Html,
    bold,
    code,
    concat,
    join,
    link,
    pack,
    pieces,
    shorten,
    tag,
    text,
    utf16_len,
)
from retrieval.corpus.scan import group_skipped
from retrieval.records import Answer, BuildProgress, BuildReport, Citation, Quote, SourceRow
from retrieval.search.context import QuoteContext

QUESTION_SHOWN: Final = 160  # characters of the question repeated in a header
QUOTE_PIECE: Final = 3500  # a longer quote is shown in several blockquotes
CONTEXT_SIDE: Final = 900  # characters of context shown on each side of a quote
CONTEXT_PIECE: Final = 2000
TITLE_SHOWN: Final = 100  # characters of an article's title beside its file name
SOURCE_SHOWN: Final = 500  # a longer file name (a path deep in folders) is shortened wherever it is shown
CITATION_LINE: Final = 1500  # citations of one quote wrap onto a new line past this length ...
CITATIONS_PER_LINE: Final = 20  # ... or this many files
INLINE_CITATIONS: Final = 1500  # units of citations listed at most in an inline message
NAMES_SHOWN: Final = 10  # file names listed per kind in a reindex summary

REPHRASE: Final = (
    "Try rephrasing: name the person, place or event, or use the words an article would use."
)


def _s(n: int) -> str:
    return "" if n == 1 else "s"


# --- answers ------------------------------------------------------------------------------------------


def citation(c: Citation) -> Html:
    """``file, line N``, then the article's title linked to its address when its file carries them."""
    where = code(shorten(c.source, SOURCE_SHOWN)) + text(f", line {c.line}")
    label = shorten(c.title or c.url or "", TITLE_SHOWN)
    if c.url and c.url.lower().startswith(("http://", "https://")):  # Telegram links only these
        return where + text(" · ") + link(label, c.url)
    return where + text(f" · {label}") if label else where


def citation_lines(quote: Quote, number: int | None) -> list[Html]:
    """``[n] a.txt, line 3; b.txt, line 9``: every place the quote stands, on as many lines as it takes."""
    line = text(f"[{number}] ") if number is not None else EMPTY
    lines: list[Html] = []
    for n, c in enumerate(quote.citations):
        item = citation(c)
        if n and (line.length + item.length > CITATION_LINE or line.entities >= CITATIONS_PER_LINE):
            lines.append(line + text(";"))
            line = text("   ")
        elif n:
            line = line + text("; ")
        line = line + item
    if quote.more_sources:  # places beyond those the answer found (engine.py counts them)
        line = line + text(f"; and {quote.more_sources:,} more")
    if quote.speaker:
        line = line + text(" · speaker: " + shorten(quote.speaker, 100))
    return [*lines, line]


def quote_blocks(quote: Quote, number: int | None) -> list[Html]:
    """The quote verbatim (one blockquote per piece of a very long quote), then its citation."""
    quoted = [tag("blockquote", text(part.strip())) for part in pieces(quote.text, QUOTE_PIECE)]
    return [*quoted, *citation_lines(quote, number)]


def _question(question: str) -> str:
    return "“" + shorten(question, QUESTION_SHOWN) + "”"


def answer_header(answer: Answer, first_number: int) -> Html:
    n = len(answer.quotes)
    if first_number == 1:
        head = bold(f"{n} quote{_s(n)}") + text(" for " + _question(answer.question))
        return head + text(f"\n{answer.note}") if answer.note else head
    last = first_number + n - 1
    numbers = f"[{first_number}]" if n == 1 else f"[{first_number}]–[{last}]"
    return bold("More quotes") + text(f" {numbers} for " + _question(answer.question))


def answer_messages(answer: Answer, first_number: int = 1) -> list[str]:
    """An answered question as one or more HTML messages, split only between quotes."""
    if not answer.answered or not answer.quotes:
        return [not_found(answer)]
    groups: list[list[Html]] = [[answer_header(answer, first_number)]]
    groups += [quote_blocks(q, first_number + i) for i, q in enumerate(answer.quotes)]
    return pack(groups)


def not_found(answer: Answer) -> str:
    """A plain "not found", with the reason and a hint; never any quote."""
    reason = answer.reason or "Nothing in the articles answers this question closely enough."
    if answer.note:
        reason = f"{answer.note} {reason}"
    return join([bold("Not found."), text(reason), text(REPHRASE)], " ").html


def question_too_long(size: int, limit: int) -> str:
    return f"That question is too long ({size:,} characters; at most {limit:,}). Please shorten it."


def question_refused(reason: str) -> str:
    """A question that is not asked as it stands (e.g. not in English): the reason, which names the fix."""
    return text(reason).html


NO_MORE_QUOTES: Final = "No more quotes for this question."


# --- inline mode ----------------------------------------------------------------------------------------


def inline_title(quote: Quote) -> str:
    return shorten(quote.text, 120)


def inline_description(quote: Quote) -> str:
    first = quote.citations[0]
    more = len(quote.citations) - 1
    return f"{first.source}, line {first.line}" + (f" (+{more} more)" if more else "")


def inline_message(quote: Quote) -> str:
    """One quote with its citation, as sent when an inline result is chosen (one message). Citations past
    ``INLINE_CITATIONS`` units are counted, not listed, so the quote keeps room."""
    lines = citation_lines(quote, None)
    shown = [lines[0]]
    for line in lines[1:]:
        if sum(x.length + 1 for x in shown) + line.length > INLINE_CITATIONS:
            break
        shown.append(line)
    cite = join(shown, "\n")
    more = len(quote.citations) - sum(line.entities for line in shown)  # one code entity per citation
    if more:
        cite = cite + text(f" (+{more} more file{_s(more)})")
    room = MAX_UNITS - cite.length - 8
    body = quote.text if utf16_len(quote.text) <= room else _head(quote.text, room)
    return (tag("blockquote", text(body)) + text("\n") + cite).html


# --- show context ------------------------------------------------------------------------------------


def _head(s: str, limit: int) -> str:
    """The start of ``s``, at most ``limit`` UTF-16 units, cut after a word, "…" if cut."""
    if utf16_len(s) <= limit:
        return s
    return pieces(s, limit - 1)[0].rstrip() + "…"


def _tail(s: str, limit: int) -> str:
    """The end of ``s``, at most ``limit`` UTF-16 units, cut before a word, "…" if cut."""
    if utf16_len(s) <= limit:
        return s
    return "…" + pieces(s[::-1], limit - 1)[0][::-1].lstrip()


def context_messages(ctx: QuoteContext, number: int) -> list[str]:
    """The paragraph around quote [n], the quote in bold, as one or more messages."""
    header = bold(f"Context of [{number}]") + text(" · ") + code(shorten(ctx.source, SOURCE_SHOWN)) + text(
        f", line {ctx.line}"
    )
    parts = pieces(ctx.quote, CONTEXT_PIECE)
    blocks: list[Html] = []
    for i, part in enumerate(parts):
        before = text(_tail(ctx.before, CONTEXT_SIDE)) if i == 0 else EMPTY
        after = text(_head(ctx.after, CONTEXT_SIDE)) if i == len(parts) - 1 else EMPTY
        blocks.append(tag("blockquote", concat([before, bold(part), after])))
    return pack([[header, *blocks]])


# --- commands -----------------------------------------------------------------------------------------


def start_message(example: str, bot_username: str | None) -> str:
    lines = [
        bold("Verbatim") + text(" answers questions about the news articles it has indexed with the exact "
                                "sentences from those articles, each cited to its file and line. "
                                "When nothing answers, it says so instead of guessing."),
        text("Just send a question, for example:"),
        tag("blockquote", text(example)),
    ]
    if bot_username:
        lines.append(
            text(f"In groups, mention me (@{bot_username} your question), reply to me, or use /ask.")
        )
    lines.append(text("/help lists everything I can do."))
    return join(lines, "\n\n").html


def help_message(example: str, bot_username: str | None) -> str:
    me = f"@{bot_username}" if bot_username else "the bot"
    lines = [
        bold("Asking"),
        text("• In a private chat, every message is a question."),
        text(f"• In a group: {me} your question, a reply to one of my messages, or /ask your question."),
        text(f"• In any chat, type {me} your question and pick a quote to send it with its citation."),
        text("Example: " + example),
        EMPTY,
        bold("Answers"),
        text("Each quote is an exact sentence from an article, with [n] the file and line it stands on. "
             "\u201cMore quotes\u201d shows the next ones; \u201cContext [n]\u201d shows the paragraph "
             "around quote n."),
        EMPTY,
        bold("Commands"),
        text("/ask question: answer a question\n/sources: the indexed files\n/stats: index size, model and "
             "last reindex\n/reindex: update the index from the articles folder (admins only)\n"
             "/add URL: add a web page; /remove SOURCE: remove an article; or send a document (.txt .md .html "
             ".pdf .docx) in a private chat to add it (admins only)\n/help: this"),
    ]
    return join(lines, "\n").html


def sources_messages(rows: Sequence[SourceRow]) -> list[str]:
    total = sum(r.n_sentences for r in rows)
    header = bold(f"{len(rows):,} indexed file{_s(len(rows))}") + text(
        f", {total:,} sentences"
    )
    if not rows:
        return [(header + text(". Add articles to the corpus folder and run /reindex.")).html]
    lines = [
        text("• ") + code(shorten(r.source, SOURCE_SHOWN)) + text(f" — {r.n_sentences:,} sentence{_s(r.n_sentences)}")
        for r in rows
    ]
    return pack([[header], *[[line] for line in lines]], group_sep="\n")


def when(iso: str | None) -> str:
    """An ISO timestamp as ``2026-11-21 05:12 UTC``; the raw text if it does not parse."""
    if not iso:
        return "never"
    try:
        stamp = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(dt.UTC)
    return stamp.strftime("%Y-%m-%d %H:%M UTC")


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"


def stats_message(
    *,
    sources: int,
    sentences: int,
    disk_bytes: int,
    model: str,
    dimension: int,
    built_at: str,
    last_reindex: str | None,
    corpus_changes: str | None = None,
) -> str:
    lines = [
        bold("Index"),
        text(f"Files: {sources:,}"),
        text(f"Sentences: {sentences:,}"),
        text(f"Size on disk: {megabytes(disk_bytes)}"),
        text("Model: ") + code(model) + text(f" ({dimension} dimensions)"),
        text(f"Index built: {when(built_at)}"),
        text(f"Last reindex: {when(last_reindex)}"),
    ]
    if corpus_changes:
        lines.append(text(f"The corpus changed after the index was built: {corpus_changes}. An admin can /reindex."))
    return join(lines, "\n").html


# --- admin reindex ------------------------------------------------------------------------------------

_PHASES: Final = {
    "reading": "reading the articles",
    "segmenting": "splitting articles into sentences",
    "embedding": "embedding new sentences",
    "tables": "building the search tables",
    "writing": "writing the new index",
}


def reindex_progress(progress: BuildProgress | None, seconds: float) -> str:
    head = bold("Reindexing…") + text(f" {seconds:.0f} s")
    if progress is None:
        return (head + text("\nStarting.")).html
    what = _PHASES.get(progress.phase, progress.phase)
    line = what[:1].upper() + what[1:]
    if progress.total and progress.phase in ("segmenting", "embedding"):
        unit = "files" if progress.phase == "segmenting" else "sentences"
        pct = 100 * progress.done // progress.total
        line += f": {progress.done:,} of {progress.total:,} {unit} ({pct}%)"
    return (head + text("\n" + line + ".")).html


def _names(kind: str, names: Sequence[str]) -> Html:
    shown = ", ".join(names[:NAMES_SHOWN])
    if len(names) > NAMES_SHOWN:
        shown += f" and {len(names) - NAMES_SHOWN} more"
    return text(f"\n{kind}: {shown}")


def reindex_summary(report: BuildReport) -> str:
    if report.noop:
        head = bold("Index already up to date.") + text(
            f" Nothing was added, changed or removed ({report.seconds:.1f} s)."
        )
    else:
        head = bold("Reindex done") + text(
            f" in {report.seconds:.1f} s: {len(report.added)} added, {len(report.changed)} changed, "
            f"{len(report.removed)} removed, {len(report.skipped)} skipped."
        )
    body = text(f"\nNow {report.sources:,} files, {report.sentences:,} sentences")
    if not report.noop:
        body = body + text(f" (embedded {report.embedded:,}, reused {report.reused:,}).")
    else:
        body = body + text(".")
    details = [
        _names(kind, names)
        for kind, names in (("Added", report.added), ("Changed", report.changed), ("Removed", report.removed))
        if names
    ]
    if report.skipped:
        details += [  # what was not indexed, by reason and kind of file (as `verbatim index` lists it)
            _names(f"Not indexed, {reason} ({kind})", [s.source for s in entries])
            for reason, kind, entries in group_skipped(report.skipped)
        ]
    if report.full_rebuild_reason:
        details.append(text(f"\nFull rebuild: {report.full_rebuild_reason}"))
    out = head + body + concat(details)
    if out.length > MAX_UNITS:
        out = head + body
    return out.html


def reindex_failed(reason: str) -> str:
    return (bold("Reindex failed.") + text(f" {shorten(reason, 1500)}\nThe previous index is still serving.")
            ).html


REINDEX_REFUSED: Final = "Sorry, only the bot's admins can reindex. Questions work for everyone: just ask one."


REINDEX_RUNNING: Final = (
    "A reindex is already running; its status message shows how far it got. Try again when it ends."
)


# --- errors -------------------------------------------------------------------------------------------


SOMETHING_WENT_WRONG: Final = "Sorry, something went wrong while handling that. Please try again in a moment."


EXPIRED: Final = "This answer expired. Please ask the question again."


INVALID_BUTTON: Final = "This button is not valid."


INDEX_UNAVAILABLE: Final = (
    "The index can't be read right now. Please try again later (the admins can see why in the log)."
)
QUOTE_GONE: Final = (
    "This quote is no longer in the index: its article changed or was removed. Ask again for fresh quotes."
)

