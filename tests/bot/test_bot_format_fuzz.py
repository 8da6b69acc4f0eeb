"""Adversarial fuzzing of the formatter (bot/format.py) and the splitter (bot/html.py) against the strict
Telegram-HTML validator (tests/support/telegram_html.py): allowed tags and nesting, entity rules, 4096 UTF-16
units and 100 entities per message.

Beyond tests/bot/test_bot_format.py: text made of markup and entity look-alikes, control and bidi characters and
astral emoji; answers of very many tiny quotes and very many citations (the entity limit); quotes and file
names longer than a message; ``pack`` under tiny limits; and the plain-text fallback showing the same text.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import format
from bot.html import Html, bold, code, pack, pieces, plain_text, shorten, tag, text
from retrieval.records import Answer, Citation, Quote, SourceRow
from retrieval.search.context import QuoteContext
from tests.support.telegram_html import ParsedHtml, check_message_text, utf16_len

MARKUP = ["<", ">", "&", ";", "#", "&amp;", "&lt;", "&gt;", "&quot;", "&#60;", "&#x3C;", "&#0;", "&#xD800;",
          "&#1114112;", "&nbsp;", "&copy", "&unknown;", "&&;;", "<b>", "</b>", "<blockquote>", "</blockquote>",
          "<blockquote expandable>", '<a href="javascript:alert(1)">', "</a>", "<tg-spoiler>", "<code>", "</code>",
          "<pre>", "<br/>", "<!-- -->", "<![CDATA[x]]>", "\n", " ", "\t", "😀", "👷🏽‍♀️", "🇺🇦", "𝔘", "\u200b",
          "\u202e", "\u2066", "\x00", "\x1b[31m", "\x7f", "\u0301", "й", "中"]
junk = st.lists(st.one_of(st.sampled_from(MARKUP), st.text(st.characters(codec="utf-8"), max_size=8)),
                max_size=40).map("".join)
nonblank = junk.filter(lambda s: bool(s.strip()))
tiny = st.text(st.sampled_from("<>&;#ab😀 "), min_size=1, max_size=3).filter(lambda s: bool(s.strip()))
names = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=["Zs", "Cc"]), min_size=1, max_size=30),
    st.builds(lambda part, n: (part + "/") * n + "a.txt", st.sampled_from(["<d>", "&x;", "dir", "ü"]),
              st.integers(1, 2500)),
)
MESSAGE_RULES = {"max_length": 4096, "max_entities": 100}


def check(message: str) -> ParsedHtml:
    parsed = check_message_text(message, "HTML")
    # What the plain-text fallback (bot/delivery.py) sends shows exactly the same text, and is accepted.
    assert check_message_text(plain_text(message), None).plain == parsed.plain
    return parsed


@st.composite
def quotes(draw: st.DrawFn, body: st.SearchStrategy[str] = nonblank, most_citations: int = 30) -> Quote:
    text_ = draw(body).strip()
    sources = draw(st.lists(names, min_size=1, max_size=most_citations, unique=True))
    cites = tuple(Citation(s, 0, 1, draw(st.integers(1, 10**7))) for s in sources)
    speaker = draw(st.one_of(st.none(), nonblank))
    return Quote(text_, cites[0].source, 0, 1, cites[0].line, 0.5, (0,), speaker, cites)


def shown_quotes(parsed: list[ParsedHtml]) -> list[str]:
    return [p.text_of(e) for p in parsed for e in p.of_type("blockquote")]


def check_answer(question: str, qs: list[Quote], first: int) -> None:
    messages = format.answer_messages(Answer(question, True, tuple(qs)), first)
    parsed = [check(m) for m in messages]
    expected = [part.strip() for q in qs for part in pieces(q.text, format.QUOTE_PIECE) if part.strip()]
    assert shown_quotes(parsed) == expected  # every quote verbatim, in order, once (in pieces if long)
    codes = [p.text_of(e) for p in parsed for e in p.of_type("code")]
    assert codes == [shorten(c.source, format.SOURCE_SHOWN) for q in qs for c in q.citations]
    shown = "\n".join(p.plain for p in parsed)
    for n in range(first, first + len(qs)):
        assert f"[{n}] " in shown


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(junk, st.lists(quotes(), min_size=1, max_size=6), st.integers(1, 9999))
def test_answers_of_markup_look_alikes_and_control_characters_are_valid(
    question: str, qs: list[Quote], first: int
) -> None:
    check_answer(question, qs, first)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(quotes(tiny, most_citations=4), min_size=30, max_size=120))
def test_very_many_tiny_quotes_are_split_within_the_entity_limit(qs: list[Quote]) -> None:
    check_answer("tiny?", qs, 1)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.builds(lambda n, w, s: Quote(
    ("𝔘 " * n + w * 50)[: 20_000], s, 0, 1, 7, 0.5, (0,), None, (Citation(s, 0, 1, 7),)),
    st.integers(0, 6000), st.sampled_from(["x", "&", "<ab>", "😀", "\n"]), names), min_size=1, max_size=3))
def test_quotes_and_file_names_longer_than_a_message_are_valid(qs: list[Quote]) -> None:
    check_answer("long?", qs, 1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.one_of(quotes(most_citations=60), quotes(st.just("q " * 3000), most_citations=80)))
def test_an_inline_message_is_one_valid_message_with_the_quote_start(q: Quote) -> None:
    parsed = check(format.inline_message(q))
    [quoted] = parsed.of_type("blockquote")
    shown = parsed.text_of(quoted)
    assert shown == q.text or (shown.endswith("…") and q.text.startswith(shown[:-1].rstrip()))
    assert format.inline_title(q).strip() and utf16_len(format.inline_title(q)) <= 120


def test_an_inline_message_of_a_sentence_in_sixty_files_counts_the_files_it_cannot_list() -> None:
    """Boilerplate in every article of a deep folder: 60 citations of 90-character paths (found by fuzzing:
    the citations used to leave the quote no room at all)."""
    cites = tuple(Citation("news/" * 17 + f"{i:02d}.txt", 0, 1, 10**6 + i) for i in range(60))
    q = Quote("Subscribe to our newsletter. " * 40, cites[0].source, 0, 1, 1, 0.5, (0,), None, cites)
    parsed = check(format.inline_message(q))
    listed = len(parsed.of_type("code"))
    assert 10 < listed < 60 and parsed.plain.endswith(f" (+{60 - listed} more files)")
    assert parsed.text_of(parsed.of_type("blockquote")[0]).startswith("Subscribe to our newsletter.")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(junk, nonblank, junk, st.one_of(names, st.just("x/" * 4000)), st.integers(1, 10**7), st.integers(1, 60))
def test_context_with_long_names_and_markup_is_valid(
    before: str, quote: str, after: str, source: str, line: int, repeat: int
) -> None:
    ctx = QuoteContext(source, line, before * repeat, quote * repeat, after * repeat)
    parsed = [check(m) for m in format.context_messages(ctx, 9999)]
    bolded = [p.text_of(e) for p in parsed for e in p.of_type("bold")]
    assert bolded[0] == "Context of [9999]"
    assert parsed[0].text_of(parsed[0].of_type("code")[0]) == shorten(source, format.SOURCE_SHOWN)
    expected = [part.strip() for part in pieces(ctx.quote, format.CONTEXT_PIECE) if part.strip()]
    assert [b.strip() for b in bolded[1:]] == expected


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(names, min_size=1, max_size=300))
def test_sources_lists_of_any_names_are_valid(sources: list[str]) -> None:
    rows = [SourceRow(i, s, "h", "utf-8", "", i) for i, s in enumerate(sources)]
    messages = [check(m) for m in format.sources_messages(rows)]
    shown = [p.text_of(e) for p in messages for e in p.of_type("code")]
    assert shown == [shorten(s, format.SOURCE_SHOWN) for s in sources]


# --- pack, the splitter --------------------------------------------------------------------------------


def block(kind: str, s: str) -> Html:
    if kind == "bold":
        return bold(s)
    if kind == "code":
        return code(s)
    if kind == "quote":
        return tag("blockquote", bold(s) + text(s))
    return text(s)


# Blocks show some text: a message of white space alone is empty to Telegram (the formatter never makes one).
blocks = st.builds(block, st.sampled_from(["text", "bold", "code", "quote"]),
                   st.text(st.sampled_from(["a", "<", "&", " ", "😀", "\n"]), min_size=1, max_size=60)
                   .filter(lambda s: bool(s.strip())))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(blocks, min_size=1, max_size=6), max_size=25), st.integers(130, 600), st.integers(2, 12))
def test_pack_keeps_every_block_in_order_within_any_limits(
    groups: list[list[Html]], max_units: int, max_entities: int
) -> None:
    messages = pack(groups, max_units=max_units, max_entities=max_entities)
    parsed = [check_message_text(m, "HTML", max_length=max_units, max_entities=max_entities) for m in messages]
    untrimmed = [check_message_text("x" + m + "x", "HTML", max_length=10**6, max_entities=10**6) for m in messages]
    joined = "".join(p.plain[1:-1] for p in untrimmed)
    wanted = [b for g in groups for b in g if b.length]
    position = 0
    for b in wanted:  # each block's text appears, in order
        found = joined.find(check_message_text("x" + b.html + "x", "HTML", max_length=10**6).plain[1:-1],
                            position)
        assert found >= 0
        position = found
    assert sum(len(p.entities) for p in untrimmed) == sum(b.entities for b in wanted)
    assert all(p.plain for p in parsed)
