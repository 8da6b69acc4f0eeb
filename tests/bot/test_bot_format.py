"""The bot's pure parts: HTML building and splitting, answer/context formatting, button data, token redaction.

Every message is checked with the strict Telegram-HTML validator (tests/support/telegram_html.py): it must
parse, stay within 4096 UTF-16 units and 100 entities, and show each quote verbatim with its citation.
"""

from __future__ import annotations

import logging

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot import format
from bot.callback_data import MAX_BYTES, MoreQuotes, ShowContext, decode, encode
from bot.html import Html, bold, code, join, pack, pieces, shorten, tag, text
from bot.logs import REDACTED, Redactor
from retrieval.records import Answer, BuildReport, Citation, Quote, Skipped, SourceRow
from retrieval.search.context import QuoteContext
from tests.support.telegram_html import ParsedHtml, check_message_text, utf16_len

# Text as articles have it: anything printable, with the characters HTML cares about and astral emoji.
chars = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029")
tricky = st.sampled_from(["<", ">", "&", "&amp;", "<b>", "</blockquote>", '"', "'", "😀", "𝔘", "\n", " ",
                          "&#128;"])
raw_text = st.lists(st.one_of(st.text(chars, max_size=40), tricky), max_size=30).map("".join)
sentence = raw_text.map(str.strip).filter(bool)
file_name = st.text(st.characters(whitelist_categories=("Ll", "Lu", "Nd"), whitelist_characters="_-.<>&/"),
                    min_size=1, max_size=40)


def citation_of(source: str, line: int) -> Citation:
    return Citation(source, 0, 1, line)


@st.composite
def quotes(draw: st.DrawFn, max_text: int = 1200) -> Quote:
    body = draw(sentence.filter(lambda s: len(s) <= max_text))
    sources = draw(st.lists(st.tuples(file_name, st.integers(1, 10**5)), min_size=1, max_size=4,
                            unique_by=lambda t: t[0]))
    cites = tuple(citation_of(s, line) for s, line in sources)
    first = cites[0]
    speaker = draw(st.one_of(st.none(), sentence.filter(lambda s: len(s) < 30)))
    return Quote(body, first.source, first.start, first.end, first.line, 0.5, (0,), speaker, cites)


def long_quote(n: int, width: int) -> Quote:
    body = (f"Sentence {n} " + "word & <tag> " * width).strip()
    return Quote(body, "a.txt", 0, len(body), n, 0.5, (n,), None, (Citation("a.txt", 0, len(body), n),))


def check(message: str) -> ParsedHtml:
    """What Telegram would show; fails like Telegram would (strictly)."""
    return check_message_text(message, "HTML")


# --- html.py -------------------------------------------------------------------------------------------


@given(st.lists(st.one_of(raw_text.map(text), raw_text.filter(bool).map(lambda s: bold(s)),
                          raw_text.filter(bool).map(lambda s: code(s)),
                          raw_text.filter(bool).map(lambda s: tag("blockquote", bold(s) + text(s))),
                          ), max_size=8))
def test_html_pieces_know_their_visible_length_and_entities(parts: list[Html]) -> None:
    piece = join(parts, "\n")
    untrimmed = check_message_text("x" + piece.html + "x", "HTML", max_length=10**6, max_entities=10**6)
    assert untrimmed.utf16_length == piece.length + 2
    assert len(untrimmed.entities) == piece.entities


@given(raw_text, st.integers(2, 50))
def test_pieces_cover_the_text_exactly_within_the_limit(s: str, limit: int) -> None:
    parts = pieces(s, limit)
    assert "".join(parts) == s
    assert all(0 < utf16_len(p) <= limit for p in parts)


@given(raw_text, st.integers(3, 80))
def test_shorten_keeps_within_the_limit(s: str, limit: int) -> None:
    out = shorten(s, limit)
    assert utf16_len(out) <= limit
    if utf16_len(" ".join(s.split())) <= limit:
        assert out == " ".join(s.split())


def test_pack_splits_between_groups_and_keeps_limits() -> None:
    groups = [[text("x" * 1000)] for _ in range(9)]
    messages = pack(groups)
    assert len(messages) == 3
    assert all(utf16_len(m) <= 4096 for m in messages)
    many = [[bold(f"b{i}")] for i in range(250)]
    assert all(len(check(m).entities) <= 100 for m in pack(many))


# --- answers -----------------------------------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(sentence, st.lists(quotes(), min_size=1, max_size=12), st.integers(1, 40))
def test_every_answer_is_valid_telegram_html_with_each_quote_verbatim_and_cited(
    question: str, qs: list[Quote], first: int
) -> None:
    answer = Answer(question, True, tuple(qs))
    messages = format.answer_messages(answer, first)
    parsed = [check(m) for m in messages]  # each valid, <= 4096 units, <= 100 entities
    blockquotes = [p.text_of(e) for p in parsed for e in p.of_type("blockquote")]
    assert blockquotes == [q.text for q in qs]  # each quote verbatim, in order, once
    shown = "\n".join(p.plain for p in parsed)
    for n, q in enumerate(qs, first):
        cited = "; ".join(f"{c.source}, line {c.line}" for c in q.citations)
        assert f"[{n}] {cited}" in shown
    codes = [p.text_of(e) for p in parsed for e in p.of_type("code")]
    assert codes == [c.source for q in qs for c in q.citations]


def test_a_long_answer_is_split_at_quote_boundaries() -> None:
    qs = tuple(long_quote(n, 70) for n in range(1, 9))  # ~980 characters each
    messages = format.answer_messages(Answer("what about words?", True, qs))
    assert len(messages) >= 2
    for m in messages:
        parsed = check(m)
        assert parsed.utf16_length <= 4096
        assert m.count("<blockquote>") == m.count("</blockquote>")
    for m in messages[1:]:
        assert m.startswith("<blockquote>")  # a message never starts in the middle of a quote's group
    assert sum(len(check(m).of_type("blockquote")) for m in messages) == len(qs)


def test_a_quote_longer_than_a_message_is_shown_in_pieces() -> None:
    q = long_quote(1, 800)  # ~10,000 characters
    messages = format.answer_messages(Answer("q", True, (q,)))
    assert len(messages) >= 3
    shown = [check(m) for m in messages]
    parts = [p.text_of(e) for p in shown for e in p.of_type("blockquote")]
    assert len(parts) >= 3 and " ".join(parts) == q.text  # cut between words


def test_the_same_sentence_in_several_files_is_one_quote_with_all_sources() -> None:
    cites = (Citation("a.txt", 10, 30, 3), Citation("b.txt", 0, 20, 1))
    q = Quote("Putin called Rutte intelligent.", "a.txt", 10, 30, 3, 0.9, (4,), None, cites)
    [message] = format.answer_messages(Answer("Rutte?", True, (q,)))
    parsed = check(message)
    assert parsed.plain.count("Putin called Rutte intelligent.") == 1
    assert "[1] a.txt, line 3; b.txt, line 1" in parsed.plain
    assert [parsed.text_of(e) for e in parsed.of_type("code")] == ["a.txt", "b.txt"]


def test_escaping_of_question_and_corpus_text() -> None:
    q = Quote("Vote: 5 > 3 & <b>bold</b> claims", "x<y>&z.txt", 0, 1, 2, 0.5, (0,), None, ())
    [message] = format.answer_messages(Answer("is 1 < 2 & 3 > 2?", True, (q,)))
    assert "&lt;b&gt;bold&lt;/b&gt;" in message and "5 &gt; 3 &amp;" in message
    parsed = check(message)
    assert "“is 1 < 2 & 3 > 2?”" in parsed.plain
    assert "Vote: 5 > 3 & <b>bold</b> claims" in parsed.plain
    assert "x<y>&z.txt, line 2" in parsed.plain


@given(sentence, st.sampled_from([None, "Nothing in the corpus answers this question closely enough."]))
def test_not_found_says_so_plainly_without_quotes(question: str, reason: str | None) -> None:
    parsed = check(format.not_found(Answer(question, False, (), reason)))
    assert parsed.plain.startswith("Not found.") and "rephras" in parsed.plain
    assert not parsed.of_type("blockquote")


@settings(max_examples=100, deadline=None)
@given(quotes())
def test_inline_message_is_one_valid_quote_with_its_citation(q: Quote) -> None:
    parsed = check(format.inline_message(q))
    [quoted] = parsed.of_type("blockquote")
    assert parsed.text_of(quoted) == q.text
    assert f"{q.citations[0].source}, line {q.citations[0].line}" in parsed.plain
    assert format.inline_title(q).strip() and len(format.inline_title(q)) <= 120


# --- context, lists, reindex texts --------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(raw_text, sentence, raw_text, file_name, st.integers(1, 10_000), st.integers(1, 3))
def test_context_is_valid_with_the_quote_in_bold(
    before: str, quote: str, after: str, source: str, line: int, repeat: int
) -> None:
    ctx = QuoteContext(source, line, before * repeat * 40, quote, after * repeat * 40)
    parsed = [check(m) for m in format.context_messages(ctx, 3)]
    bolded = [p.text_of(e) for p in parsed for e in p.of_type("bold")]
    assert bolded[0] == "Context of [3]"
    assert "".join(bolded[1:]) == quote
    assert f"{source}, line {line}" in parsed[0].plain


def test_sources_list_splits_and_stays_within_entity_limits() -> None:
    rows = [SourceRow(i, f"folder/article-{i:04d}.txt", "h", "utf-8", "", i) for i in range(400)]
    messages = format.sources_messages(rows)
    assert len(messages) > 1
    shown = "\n".join(check(m).plain for m in messages)
    assert "400 indexed files" in shown and "folder/article-0399.txt — 399 sentences" in shown


def test_reindex_texts_are_valid() -> None:
    from retrieval.records import BuildProgress

    for p in (None, BuildProgress("embedding", 5, 10), BuildProgress("writing", 0, 1)):
        check(format.reindex_progress(p, 3.2))
    report = BuildReport(False, tuple(f"n<{i}>.txt" for i in range(30)), ("c.txt",), ("r.txt",),
                         (Skipped("bad.bin", "unsupported format"), Skipped("<x>.pdf", "no text layer", "a scan"),
                          Skipped("b.bin", "unsupported format")), (), 32, 900, 40, 860, 2.5, "gen-x")
    summary = check(format.reindex_summary(report)).plain
    assert "30 added, 1 changed, 1 removed, 3 skipped" in summary and "900 sentences" in summary
    assert "Not indexed, unsupported format (.bin): b.bin, bad.bin" in summary
    assert "Not indexed, no text layer (.pdf): <x>.pdf" in summary
    assert "n<0>.txt" in summary and "20 more" in summary
    check(format.reindex_failed("index file <x> is damaged & gone"))
    for f in (format.start_message("Who? <a>", "bot"), format.help_message("Q & A", "bot")):
        check(f)
    stats = format.stats_message(sources=3, sentences=10, disk_bytes=1_250_000, model="m<1>", dimension=384,
                                 built_at="2026-01-02T03:04:05+00:00", last_reindex=None)
    assert "Index built: 2026-01-02 03:04 UTC" in check(stats).plain and "Size on disk: 1.2 MB" in stats


# --- callback data -------------------------------------------------------------------------------------

keys = st.text(st.sampled_from("abcXYZ019_-"), min_size=12, max_size=12)


@given(keys, st.integers(0, 9999), st.integers(1, 9999))
def test_callback_data_round_trips_within_64_bytes(key: str, offset: int, number: int) -> None:
    for button in (MoreQuotes(key, offset), ShowContext(key, number)):
        data = encode(button)
        assert len(data.encode()) <= MAX_BYTES
        assert decode(data) == button


@given(st.one_of(st.text(max_size=80), st.binary(max_size=64), st.none(), st.integers()))
def test_forged_callback_data_never_decodes_to_anything_but_our_buttons(data: object) -> None:
    button = decode(data)
    assert button is None or encode(button) == data


@pytest.mark.parametrize("data", ["c:../../etc/passwd:1", "c:abcdefghijkl:0", "m:abcdefghijkl:-1",
                                  "c:abcdefghijkl:1\n", "x:abcdefghijkl:1", "c:abcdefghijk:1",
                                  "m:abcdefghijkl:01", "c:abcdefghijkl:10000",
                                  "c:abcdefghijkl:1:corpus/a.txt"])
def test_forged_callback_data_is_refused(data: str) -> None:
    assert decode(data) is None


# --- token redaction -----------------------------------------------------------------------------------


def test_redactor_removes_the_token_from_messages_arguments_and_tracebacks() -> None:
    token = "123456:AAE-secret_TOKEN"
    redactor = Redactor([token])
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    handler = Keep()
    handler.addFilter(redactor)
    logger = logging.getLogger("test.redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("POST http://x/bot%s/getMe", token)
        logger.warning(f"quoted http://x/bot{token.replace(':', '%3A')}/getMe")
        try:
            raise RuntimeError(f"The token `{token}` was rejected by the server.")
        except RuntimeError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    joined = "\n".join(records)
    assert token not in joined and "AAE-secret_TOKEN" not in joined
    assert joined.count(REDACTED) == 3 and "Traceback" in joined


def test_a_quote_with_more_places_than_listed_says_how_many_more() -> None:
    places = tuple(Citation(f"copy{i}.txt", 0, 9, 3) for i in range(3))
    quote = Quote("A sentence.", "copy0.txt", 0, 9, 3, 1.0, (0,), sources=places, more_sources=147)
    [message] = format.answer_messages(Answer("q?", True, (quote,)))
    parsed = check_message_text(message, "HTML")
    assert "[1] copy0.txt, line 3; copy1.txt, line 3; copy2.txt, line 3; and 147 more" in parsed.plain


def test_stats_say_when_the_corpus_changed_after_the_index_was_built() -> None:
    shown = dict(sources=3, sentences=10, disk_bytes=1, model="m", dimension=4, built_at="", last_reindex=None)
    assert "changed" not in check_message_text(format.stats_message(**shown), "HTML").plain  # type: ignore[arg-type]
    stale = format.stats_message(**shown, corpus_changes="1 file changed (a.txt)")  # type: ignore[arg-type]
    assert ("The corpus changed after the index was built: 1 file changed (a.txt). An admin can /reindex."
            in check_message_text(stale, "HTML").plain)


def test_a_citation_links_the_articles_title_to_its_url_and_stays_valid_html() -> None:
    title, url = "Rutte <warns> & “Moscow”", 'https://news.example.com/a?b=1&c="2"'
    quote = Quote("Rutte spoke.", "page.html", 0, 12, 2, 1.0, (0,), None,
                  (Citation("page.html", 0, 12, 2, title, url), Citation("scan.pdf", 5, 17, 9, "Only a title"),
                   Citation("a.txt", 0, 12, 1)))
    [message] = format.answer_messages(Answer("what did Rutte say?", True, (quote,)))
    parsed = check_message_text(message, "HTML")
    assert 'page.html</code>, line 2 · <a href="https://news.example.com/a?b=1&amp;c=&quot;2&quot;">' in message
    assert [(e.url, parsed.text_of(e)) for e in parsed.entities if e.type == "text_link"] == [(url, title)]
    assert "scan.pdf, line 9 · Only a title; a.txt, line 1" in parsed.plain
    assert "a.txt, line 1 ·" not in parsed.plain
