"""The Telegram-HTML validator: what it accepts, the entities it reports, and every rejection rule."""

from __future__ import annotations

import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.telegram_html import (
    MAX_MESSAGE_LENGTH,
    PARSE_ENTITIES_PREFIX,
    Entity,
    ParsedHtml,
    TelegramHtmlError,
    check_message_text,
    parse_telegram_html,
    utf16_len,
)


def spans(parsed: ParsedHtml) -> list[tuple[str, int, int, str]]:
    return [(e.type, e.offset, e.length, parsed.text_of(e)) for e in parsed.entities]


def refusal(text: str, *, strict: bool = True) -> str:
    with pytest.raises(TelegramHtmlError) as info:
        parse_telegram_html(text, strict=strict)
    description = info.value.description
    assert description.startswith(PARSE_ENTITIES_PREFIX)
    return description.removeprefix(PARSE_ENTITIES_PREFIX)


# ---- accepted ---------------------------------------------------------------------------------------------


def test_every_documented_tag() -> None:
    parsed = parse_telegram_html(
        "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>k</strike>"
        '<del>d</del><span class="tg-spoiler">p</span><tg-spoiler>q</tg-spoiler>'
        '<a href="http://www.example.com/">link</a><a href="tg://user?id=123456789">men</a>'
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji><code>c</code><pre>pre</pre>'
        '<pre><code class="language-python">py</code></pre><blockquote>bq</blockquote>'
        "<blockquote expandable>ex</blockquote>"
    )
    assert [(t, text) for t, _, _, text in spans(parsed)] == [
        ("bold", "b"),
        ("bold", "s"),
        ("italic", "i"),
        ("italic", "e"),
        ("underline", "u"),
        ("underline", "n"),
        ("strikethrough", "s"),
        ("strikethrough", "k"),
        ("strikethrough", "d"),
        ("spoiler", "p"),
        ("spoiler", "q"),
        ("text_link", "link"),
        ("text_link", "men"),
        ("custom_emoji", "👍"),
        ("code", "c"),
        ("pre", "pre"),
        ("pre", "py"),
        ("blockquote", "bq"),
        ("expandable_blockquote", "ex"),
    ]
    by_type = {e.type: e for e in parsed.entities}
    assert by_type["custom_emoji"].custom_emoji_id == "5368324170671202286"
    assert [e.language for e in parsed.entities if e.type == "pre"] == [None, "python"]
    assert parsed.entities[11].url == "http://www.example.com/"


def test_nesting_offsets_and_utf16() -> None:
    parsed = parse_telegram_html("😀 <b>bold <i>both 🎉</i></b> &lt;tail&gt; &#x1F600;&#65;")
    assert parsed.plain == "😀 bold both 🎉 <tail> 😀A"
    assert spans(parsed) == [("bold", 3, 12, "bold both 🎉"), ("italic", 8, 7, "both 🎉")]
    assert parsed.entities[0].to_dict() == {"type": "bold", "offset": 3, "length": 12}
    assert Entity.from_dict(parsed.entities[1].to_dict()) == parsed.entities[1]


def test_entity_and_attribute_syntax() -> None:
    assert parse_telegram_html("&quot;&amp;&#39;").plain == "\"&'"
    link = parse_telegram_html("<a href='https://e.com/?a=1&amp;b=2'>x</a>").entities[0]
    assert link.url == "https://e.com/?a=1&b=2"
    assert parse_telegram_html('<a  href = "https://e.com" >x</a>').entities[0].url == "https://e.com"
    assert parse_telegram_html("<span class=tg-spoiler>x</span>").entities[0].type == "spoiler"
    assert parse_telegram_html("<b>x</>").entities[0].type == "bold"  # Telegram lets </> close anything
    assert parse_telegram_html("<B>x</b>").entities[0].type == "bold"  # start tags are case-insensitive
    assert parse_telegram_html("<b></b>x").entities == ()  # empty entities vanish
    assert parse_telegram_html("<pre><code>x</code></pre>").entities == (Entity("pre", 0, 1),)
    assert (
        parse_telegram_html("<blockquote><b>q</b> <a href='https://e.com'>l</a></blockquote>").plain == "q l"
    )


def test_lenient_mode_accepts_what_telegram_accepts() -> None:
    assert (
        parse_telegram_html("Tom & Jerry > cats &nbsp; &lt", strict=False).plain
        == "Tom & Jerry > cats &nbsp; <"
    )
    nested = parse_telegram_html("<code><b>x</b></code>", strict=False)
    assert [e.type for e in nested.entities] == ["code", "bold"]


# ---- refused: Telegram's own errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("<br>", 'Unsupported start tag "br" at byte offset 0'),
        ("<br/>", 'Unsupported start tag "br/" at byte offset 0'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("привет <p>", 'Unsupported start tag "p" at byte offset 13'),
        ("x <b", "Unclosed start tag at byte offset 2"),
        ("<a href", 'Unclosed start tag "a" at byte offset 0'),
        ('<a href="x', "Unclosed start tag at byte offset 0"),
        ('<a ="x">y</a>', 'Empty attribute name in the tag "a" at byte offset 0'),
        ("<a href=x/>y</a>", "Unexpected end of name token at byte offset 8"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ('<span class="bold">x</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</i>", 'Can\'t find end tag corresponding to start tag "b"'),
        ('<tg-emoji emoji-id="x">y</tg-emoji>', "Invalid custom emoji identifier specified"),
        ("<tg-emoji>y</tg-emoji>", "Invalid custom emoji identifier specified"),
        ("&#xD83D;", "Text contains invalid Unicode characters after decoding HTML entities"),
    ],
)
def test_telegram_refusals(text: str, error: str) -> None:
    assert refusal(text).startswith(error)
    assert refusal(text, strict=False).startswith(error)  # Telegram itself refuses these


# ---- refused: strict rules (Telegram would accept, repair or silently drop) -------------------------------


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("AT&T", 'Character "&" must be escaped as "&amp;" at byte offset 2'),
        ("a & b", 'Character "&" must be escaped as "&amp;" at byte offset 2'),
        ("1 > 0", 'Character ">" must be escaped as "&gt;" at byte offset 2'),
        ("&nbsp;", 'Unsupported HTML entity "&nbsp;" at byte offset 0'),
        ("&copy;", 'Unsupported HTML entity "&copy;"'),
        ("&LT;", 'Unsupported HTML entity "&LT;"'),
        ("&lt", 'HTML entity "&lt" must end with ";"'),
        ("&#65", 'HTML entity "&#65" must end with ";"'),
        ("&#0;", 'Invalid numeric character reference "&#0;"'),
        ("&#x110000;", 'Invalid numeric character reference "&#x110000;"'),
        ("&#;", 'Invalid numeric character reference "&#;"'),
        ("<a href='https://e.com/?a=1&b=2'>x</a>", 'Character "&" must be escaped'),
        ("<b class='x'>y</b>", 'Unsupported attribute "class" in the tag "b"'),
        ("<a href='https://e.com' target=_blank>y</a>", "Unexpected end of name token"),
        ("<a href='https://e.com' title='t'>y</a>", 'Unsupported attribute "title" in the tag "a"'),
        ("<a href='https://e.com' href='https://f.com'>y</a>", 'Repeated attribute "href"'),
        ("<b bold>y</b>", 'Expected equal sign in declaration of an attribute of the tag "b"'),
        ("<a>https://e.com</a>", 'Tag "a" must have a valid http(s):// or tg:// URL in href (got none)'),
        (
            "<a href='e.com'>x</a>",
            "Tag \"a\" must have a valid http(s):// or tg:// URL in href (got 'e.com')",
        ),
        ("<a href='javascript:alert(1)'>x</a>", 'Tag "a" must have a valid'),
        ("<a href=''>x</a>", 'Tag "a" must have a valid'),
        ("<code class='python'>x</code>", 'Tag "code" takes only class="language-..."'),
        (
            "<code class='language-python'>x</code>",
            "Programming language can't be specified for standalone code",
        ),
        ("<tg-emoji emoji-id='5368324170671202286'></tg-emoji>", 'Tag "tg-emoji" must contain an emoji'),
        ("<code><b>x</b></code>", 'Tag "b" can\'t be used inside "code" at byte offset 6'),
        ("<code><code>x</code></code>", 'Tag "code" can\'t be used inside "code"'),
        ("<pre><b>x</b></pre>", 'Tag "b" can\'t be used inside "pre"'),
        ("<pre>x<code>y</code></pre>", 'Tag "code" inside "pre" must wrap the whole block'),
        ("<pre><code>y</code>x</pre>", 'Tag "code" inside "pre" must wrap the whole block'),
        ("<pre><code>a</code><code>b</code></pre>", 'Tag "code" inside "pre" must wrap the whole block'),
        ("<b><code>x</code></b>", 'Tag "code" can\'t be used inside "b"'),
        ("<i><pre>x</pre></i>", 'Tag "pre" can\'t be used inside "i"'),
        ("<a href='https://e.com'><a href='https://f.com'>x</a></a>", 'Tag "a" can\'t be used inside "a"'),
        ("<a href='https://e.com'><code>x</code></a>", 'Tag "code" can\'t be used inside "a"'),
        (
            "<a href='https://e.com'><blockquote>x</blockquote></a>",
            'Tag "blockquote" can\'t be used inside "a"',
        ),
        (
            "<blockquote><blockquote>x</blockquote></blockquote>",
            "Blockquotes can't be nested at byte offset 12",
        ),
        (
            "<blockquote expandable><b><blockquote>x</blockquote></b></blockquote>",
            "Blockquotes can't be nested",
        ),
    ],
)
def test_strict_refusals(text: str, error: str) -> None:
    assert refusal(text).startswith(error), refusal(text)


# ---- message-level rules -----------------------------------------------------------------------------


def test_empty_and_whitespace_only_messages() -> None:
    for text, mode in [
        ("", None),
        ("", "HTML"),
        (" \n\t", None),
        ("<b> </b>\n", "HTML"),
        ("<b></b>", "HTML"),
    ]:
        with pytest.raises(TelegramHtmlError) as info:
            check_message_text(text, mode)
        assert info.value.description == "Bad Request: message text is empty"


def test_length_limit_counts_utf16_after_parsing_and_trimming() -> None:
    assert check_message_text("a" * MAX_MESSAGE_LENGTH, None).utf16_length == 4096
    assert check_message_text(f"<b>{'a' * 4096}</b>", "HTML").plain == "a" * 4096  # tags don't count
    assert check_message_text("&lt;" * 4096, "html").plain == "<" * 4096  # entities count once
    assert check_message_text("  " + "a" * 4096 + "\n\n", None).utf16_length == 4096  # trimmed first
    assert check_message_text("😀" * 2048, None).utf16_length == 4096
    for text, mode in [
        ("a" * 4097, None),
        ("😀" * 2048 + "a", None),
        ("<i>" + "&amp;" * 4097 + "</i>", "HTML"),
    ]:
        with pytest.raises(TelegramHtmlError) as info:
            check_message_text(text, mode)
        assert info.value.description == "Bad Request: message is too long"


def test_entity_limit() -> None:
    assert len(check_message_text("<b>x</b> " * 100, "HTML").entities) == 100
    with pytest.raises(TelegramHtmlError) as info:
        check_message_text("<b>x</b> " * 101, "HTML")
    assert info.value.description == "Bad Request: too many entities"


def test_trimming_moves_and_clips_entities() -> None:
    parsed = check_message_text("\n  <b> bold</b> <i>it </i>\n", "HTML")
    assert parsed.plain == "bold it"
    assert spans(parsed) == [("bold", 0, 4, "bold"), ("italic", 5, 2, "it")]


def test_parse_modes() -> None:
    assert check_message_text("<b>x</b>", None).plain == "<b>x</b>"  # plain text: tags are text
    assert check_message_text("<b>x</b>", "").entities == ()
    assert check_message_text("<b>x</b>", "HTML").plain == "x"
    for mode, error in [("MarkdownV2", "not supported by the fake"), ("bogus", "unsupported parse_mode")]:
        with pytest.raises(TelegramHtmlError, match=error):
            check_message_text("x", mode)
    with pytest.raises(TelegramHtmlError, match="Unsupported start tag"):
        check_message_text("<p>x</p>", "HTML")


# ---- properties --------------------------------------------------------------------------------------

TAGS = [
    ("<b>", "</b>", "bold"),
    ("<strong>", "</strong>", "bold"),
    ("<i>", "</i>", "italic"),
    ("<em>", "</em>", "italic"),
    ("<u>", "</u>", "underline"),
    ("<ins>", "</ins>", "underline"),
    ("<s>", "</s>", "strikethrough"),
    ("<strike>", "</strike>", "strikethrough"),
    ("<del>", "</del>", "strikethrough"),
    ('<span class="tg-spoiler">', "</span>", "spoiler"),
    ("<tg-spoiler>", "</tg-spoiler>", "spoiler"),
    ("<code>", "</code>", "code"),
    ("<pre>", "</pre>", "pre"),
    ('<pre><code class="language-py">', "</code></pre>", "pre"),
    ("<blockquote>", "</blockquote>", "blockquote"),
    ("<blockquote expandable>", "</blockquote>", "expandable_blockquote"),
    ('<a href="https://example.com/a?b=1&amp;c=2">', "</a>", "text_link"),
]
FORMATTING = [t for t in TAGS if t[2] in {"bold", "italic", "underline", "strikethrough", "spoiler"}]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_escaped_text_parses_to_itself(text: str) -> None:
    parsed = parse_telegram_html(html.escape(text))
    assert parsed.plain == text and parsed.entities == ()
    assert parse_telegram_html(html.escape(text, quote=False)).plain == text


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1), st.sampled_from(TAGS), st.text(), st.text())
def test_escaped_text_in_any_tag(inner: str, tag: tuple[str, str, str], before: str, after: str) -> None:
    opening, closing, entity_type = tag
    parsed = parse_telegram_html(
        html.escape(before) + opening + html.escape(inner) + closing + html.escape(after)
    )
    assert parsed.plain == before + inner + after
    [entity] = parsed.entities
    assert entity.type == entity_type
    assert entity.offset == utf16_len(before) and entity.length == utf16_len(inner)
    assert parsed.text_of(entity) == inner
    assert utf16_len(parsed.plain) == len(parsed.plain.encode("utf-16-le")) // 2


@st.composite
def formatted(draw: st.DrawFn, depth: int = 0) -> tuple[str, str, list[tuple[str, str]]]:
    """(html, plain, [(entity type, covered text)]) for random nestings of formatting tags."""
    parts = draw(st.lists(st.one_of(st.text(max_size=5), st.just("node")), min_size=1, max_size=4))
    html_out, plain_out, expected = "", "", []
    for part in parts:
        if part == "node" and depth < 3:
            opening, closing, entity_type = draw(st.sampled_from(FORMATTING))
            inner_html, inner_plain, inner_expected = draw(formatted(depth + 1))
            html_out += opening + inner_html + closing
            if inner_plain:
                expected.append((entity_type, inner_plain))
            expected += inner_expected
            plain_out += inner_plain
        elif part != "node":
            html_out += html.escape(part)
            plain_out += part
    return html_out, plain_out, expected


@settings(max_examples=200, deadline=None)
@given(formatted())
def test_nested_formatting_reports_every_entity(case: tuple[str, str, list[tuple[str, str]]]) -> None:
    source, plain, expected = case
    parsed = parse_telegram_html(source)
    assert parsed.plain == plain
    assert sorted((e.type, parsed.text_of(e)) for e in parsed.entities) == sorted(expected)
    for entity in parsed.entities:
        assert entity.offset >= 0 and entity.offset + entity.length <= utf16_len(plain)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), min_size=1))
def test_an_unescaped_special_character_is_always_refused(text: str) -> None:
    for special in "<>&":
        if special in text:
            with pytest.raises(TelegramHtmlError):
                parse_telegram_html(text.replace("<", "< ").replace("&", "& "))
            return
    assert parse_telegram_html(text).plain == text
