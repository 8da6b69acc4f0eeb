"""Hostile questions through the bot: in private, as a group mention, with /ask and inline, each gets exactly
one reply that answers or explains (never an apology for an internal error), and every request the bot makes
is one Telegram accepts (the fake validates HTML strictly and refuses anything invalid).
"""

from __future__ import annotations

from pathlib import Path

from tests.support.bot_harness import bot_settings, inline_answer_to, running_bot
from tests.support.fake_bot_api import FakeBotApi, StoredMessage

pytest_plugins = ("tests.support.bot_fixtures",)  # api, corpus

HOSTILE = {
    "whitespace": " \t  \u00a0\u2003 ",
    "zero-width": "\u200b\u200c\u2060\ufeff",
    "one character": "?",
    "one letter": "й",
    "10,000 characters": ("harbour bridge " * 667)[:10_000],
    "4,096 characters": "b" * 4096,
    "control characters": "bridge\x00\x01\x07\x08\x1b[2J\x1b[31mred\x7f\x9b deck\u202e\u2066reversed\u2069",
    "HTML injection": '<b>bold</b> <script>alert(1)</script> </blockquote><a href="javascript:x">x</a> &amp; '
                      "&lt;b&gt; harbour bridge?",
    "entity-like text": "&#x3C;b&#x3E; &#60; &amp;amp; &#0; &#xD800; &nbsp &copy; &unknown; harbour bridge",
    "Markdown injection": "*bold* _italic_ `code` ```pre``` [link](http://evil.example) ~~s~~ ||spoiler|| "
                          "\\*harbour\\* bridge",
    "emoji": "🌉🔧👷🏽‍♀️ harbour bridge? 🤔🇺🇦",
    "Cyrillic": "Что сказал мэр о мосте в гавани?",
    "right-to-left": "מה אמר ראש העיר על הגשר?",
    "astral letters": "𝔥𝔞𝔯𝔟𝔬𝔲𝔯 𝔟𝔯𝔦𝔡𝔤𝔢 𝔡𝔢𝔠𝔨",
    "combining marks": "e\u0301" * 499,
    "punctuation only": "?!.,;:…—«»",
    "path": "../../../../etc/passwd",
}
ANSWERS = (" quote for “", " quotes for “")  # after the number
EXPLAINED = ("Not found.", "That question is too long (", "Usage: /ask your question",
             "Ask me a question after the mention", "Questions must be in English")
LONG = {"10,000 characters", "4,096 characters"}
FIRST_USER = 7_000_001
FIRST_GROUP = -1007000000001


def check_reply(case: str, question: str, reply: StoredMessage) -> None:
    text = reply.text
    assert not text.startswith("Sorry"), (case, text)
    if case in LONG:
        assert text == f"That question is too long ({len(question.strip()):,} characters; at most 1,000). " \
                       "Please shorten it.", case
    elif case == "whitespace":  # what an empty question gets where it was asked
        assert text.startswith(("Not found. The question is empty", *EXPLAINED[2:4])), text
    else:
        number, _, rest = text.partition(" ")
        assert text.startswith(EXPLAINED) or (number.isdigit() and (" " + rest).startswith(ANSWERS)), (case, text)


def test_hostile_questions_are_answered_or_explained_from_every_entry_point(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    cases = list(HOSTILE.items())
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index")):
        for n, (_, question) in enumerate(cases):
            api.send_private_message(FIRST_USER + n, question)
            api.mention_bot_in_group(FIRST_GROUP - n, FIRST_USER + n, question)
            api.send_command(FIRST_GROUP - n, f"/ask {question}", user_id=FIRST_USER + n)
            api.send_inline_query(FIRST_USER + n, question)
        # Empty questions: /ask alone, a bare mention, an empty inline query.
        api.send_command(FIRST_USER + 100, "/ask")
        api.mention_bot_in_group(FIRST_GROUP - 100, FIRST_USER + 100, "")
        empty_inline = api.send_inline_query(FIRST_USER + 100, "")
        private = {case: api.wait_for_messages(FIRST_USER + n, 1, timeout=20)
                   for n, (case, _) in enumerate(cases)}
        groups = {case: api.wait_for_messages(FIRST_GROUP - n, 2, timeout=20) for n, (case, _) in enumerate(cases)}
        usage = api.wait_for_messages(FIRST_USER + 100, 1)
        hint = api.wait_for_messages(FIRST_GROUP - 100, 1)
        inline = api.wait_until(lambda: [r for r in api.calls("answerInlineQuery")
                                         if len(api.calls("answerInlineQuery")) == len(cases) + 1], timeout=20)
    for case, question in cases:
        assert len(private[case]) == 1 and len(api.messages_to(FIRST_GROUP - cases.index((case, question)))) == 2
        for reply in (*private[case], *groups[case]):
            check_reply(case, question, reply)
    shown = private["HTML injection"][0].text
    if not shown.startswith("Not found."):
        assert '“<b>bold</b> <script>alert(1)</script> </blockquote><a href="javascript:x">' in shown
    assert usage[0].text.startswith("Usage: /ask your question")
    assert hint[0].text.startswith("Ask me a question after the mention")
    assert all(r.ok for r in inline)
    empty = inline_answer_to(api, empty_inline)
    assert empty.results == [] and empty.button is not None
    api.assert_no_errors()
