"""The answer buttons and inline mode, end to end against the fake Bot API.

"More quotes" pages on; "Context [n]" shows the paragraph with the quote in bold; both survive a restart
(the state file); forged data is refused and never reads a file; unknown keys say the answer expired.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from bot.state import StateStore
from tests.support.bot_corpus import BRIDGE, ESCAPED_SENTENCE, MAYOR_SENTENCE, QUESTION
from tests.support.bot_harness import (
    OPEN,
    USER,
    bot_settings,
    build_test_index,
    callback_query_id,
    inline_query_id,
    message_id,
    running_bot,
)
from tests.support.fake_bot_api import FakeBotApi, StoredMessage

pytest_plugins = ("tests.support.bot_fixtures",)  # api, corpus


def quotes_in(message: StoredMessage) -> list[str]:
    return [said for _, said in message.entities_of("blockquote")]


def button(message: StoredMessage, text: str) -> str:
    matches: list[str] = [b["callback_data"] for b in message.buttons if b["text"] == text]
    [data] = matches
    return data


def test_more_quotes_pages_on_and_then_says_there_are_no_more(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    settings = bot_settings(api, corpus, tmp_path / "index", top_k=2)
    with running_bot(api, settings, config=OPEN):
        api.send_private_message(USER, QUESTION)
        [first] = api.wait_for_messages(USER, 1)
        assert [b["text"] for b in first.buttons] == ["Context [1]", "Context [2]", "More quotes"]
        seen = quotes_in(first)
        pages = [first]
        while any(b["text"] == "More quotes" for b in pages[-1].buttons):
            pressed = api.press_button(USER, pages[-1].message_id, button_text="More quotes")
            done = api.wait_until(partial(api.callback_answer, callback_query_id(pressed)))
            if done.text:
                break  # "No more quotes"
            pages.append(api.wait_for_messages(USER, len(pages) + 1)[-1])
            seen += quotes_in(pages[-1])
            # the page that was continued loses its "More quotes" button, keeps its context buttons
            previous = api.message(USER, message_id(pages[-2]))

            def more_removed(continued: int = message_id(pages[-2])) -> bool:
                return "More quotes" not in [b["text"] for b in api.message(USER, continued).buttons]

            api.wait_until(more_removed, description="More removed")
        last = api.callback_answers[-1]
    assert len(pages) >= 3
    assert pages[1].text.startswith("More quotes [3]–[4] for “")
    assert "\n[3] " in pages[1].text
    assert [b["text"] for b in pages[1].buttons][:2] == ["Context [3]", "Context [4]"]
    assert len(seen) == len(set(seen))  # no quote twice
    assert seen[0] == MAYOR_SENTENCE and ESCAPED_SENTENCE in seen
    assert previous.buttons and all(b["text"].startswith("Context") for b in previous.buttons)
    assert last.text in (None, "No more quotes for this question.")
    api.assert_no_errors()


def test_show_context_gives_the_paragraph_with_the_quote_in_bold(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index")):
        api.send_private_message(USER, "Engineers found rust <and> cracks & loose bolts in the bridge deck")
        [answer] = api.wait_for_messages(USER, 1)
        number = quotes_in(answer).index(ESCAPED_SENTENCE) + 1
        pressed = api.press_button(USER, answer.message_id, button_text=f"Context [{number}]")
        context = api.wait_for_messages(USER, 2)[-1]
        assert api.callback_answer(callback_query_id(pressed)) is not None
    assert context.reply_to_message_id == answer.message_id
    assert context.text.startswith(f"Context of [{number}] · bridge.txt, line 3\n")
    [paragraph] = [said for _, said in context.entities_of("blockquote")]
    # The quote's paragraph, verbatim; it has two sentences only, so the paragraphs around it come too.
    assert paragraph == BRIDGE.strip()
    assert [said for _, said in context.entities_of("bold")][1:] == [ESCAPED_SENTENCE]
    assert "&lt;and&gt; cracks &amp; loose" in context.html
    api.assert_no_errors()


def test_buttons_keep_working_after_a_restart(api: FakeBotApi, corpus: Path, tmp_path: Path) -> None:
    settings = bot_settings(api, corpus, tmp_path / "index", top_k=2)
    with running_bot(api, settings, config=OPEN):
        api.send_private_message(USER, QUESTION)
        [answer] = api.wait_for_messages(USER, 1)
    with running_bot(api, settings, config=OPEN):  # a new Application, as after `verbatim serve` restarts
        api.press_button(USER, answer.message_id, button_text="Context [1]")
        context = api.wait_for_messages(USER, 2)[-1]
        api.press_button(USER, answer.message_id, button_text="More quotes")
        more = api.wait_for_messages(USER, 3)[-1]
    assert context.text.startswith("Context of [1] · bridge.txt, line 3")
    assert more.text.startswith("More quotes [3]–[4]")
    api.assert_no_errors()


def test_forged_or_expired_callback_data_is_refused_and_reads_no_file(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET outside the index\n")
    settings = bot_settings(api, corpus, tmp_path / "index")
    with running_bot(api, settings):
        api.send_private_message(USER, QUESTION)
        [answer] = api.wait_for_messages(USER, 1)
        key = button(answer, "Context [1]").split(":")[1]
        forged = {
            "c:../../secret.txt:1": "This button is not valid.",
            f"c:{key}:1:{secret}": "This button is not valid.",
            f"x:{key}:1": "This button is not valid.",
            "c:AAAAAAAAAAAA:1": "This answer expired. Please ask the question again.",
            f"c:{key}:99": "This answer expired. Please ask the question again.",
            "m:AAAAAAAAAAAA:5": "This answer expired. Please ask the question again.",
        }
        for data, expected in forged.items():
            pressed = api.press_button(USER, answer.message_id, data, forge=True)
            reply = api.wait_until(partial(api.callback_answer, callback_query_id(pressed)))
            assert (reply.text, reply.show_alert) == (expected, True), data
        # A forged button press without data at all (a game button) is refused too.
        pressed = api.press_button(USER, answer.message_id, None, forge=True)
        api.wait_until(lambda: api.callback_answer(callback_query_id(pressed)))
    assert len(api.messages_to(USER)) == 1  # nothing was sent for any of them
    assert all("SECRET" not in r.summary() for r in api.requests)
    api.assert_no_errors()


def test_an_answer_forgotten_by_the_state_file_expires(api: FakeBotApi, corpus: Path, tmp_path: Path) -> None:
    settings = bot_settings(api, corpus, tmp_path / "index")
    with running_bot(api, settings):
        api.send_private_message(USER, QUESTION)
        [answer] = api.wait_for_messages(USER, 1)
    store = StateStore(settings.state_file)
    assert store.prune(keep_days=-1) == 1
    store.close()
    with running_bot(api, settings):
        pressed = api.press_button(USER, answer.message_id, button_text="Context [1]")
        reply = api.wait_until(lambda: api.callback_answer(callback_query_id(pressed)))
    assert reply.text == "This answer expired. Please ask the question again." and reply.show_alert
    api.assert_no_errors()


def test_context_of_a_quote_whose_article_was_removed_says_so(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    settings = bot_settings(api, corpus, tmp_path / "index")
    with running_bot(api, settings):
        api.send_private_message(USER, "Engineers found rust <and> cracks & loose bolts in the bridge deck")
        [answer] = api.wait_for_messages(USER, 1)
    (corpus / "bridge.txt").unlink()
    build_test_index(corpus, tmp_path / "index")
    with running_bot(api, settings):
        number = quotes_in(answer).index(ESCAPED_SENTENCE) + 1
        pressed = api.press_button(USER, answer.message_id, button_text=f"Context [{number}]")
        reply = api.wait_until(lambda: api.callback_answer(callback_query_id(pressed)))
    assert reply.text is not None and reply.text.startswith("This quote is no longer in the index")
    assert len(api.messages_to(USER)) == 1
    api.assert_no_errors()


def test_inline_query_offers_quotes_and_choosing_one_sends_it_cited(
    api: FakeBotApi, corpus: Path, tmp_path: Path
) -> None:
    with running_bot(api, bot_settings(api, corpus, tmp_path / "index")):
        asked = api.send_inline_query(USER, QUESTION)
        offered = api.wait_until(lambda: api.inline_answer(inline_query_id(asked)))
        empty = api.send_inline_query(USER, "   ")
        hint = api.wait_until(lambda: api.inline_answer(inline_query_id(empty)))
        nothing = api.send_inline_query(USER, "quantum chromodynamics lattice")
        not_found = api.wait_until(lambda: api.inline_answer(inline_query_id(nothing)))
    first = offered.results[0]
    assert first["title"].startswith("The mayor said the harbour bridge")
    assert first["description"] == "bridge.txt, line 3 (+1 more)"
    shown = offered.message_text(first["id"])
    assert [shown.text_of(e) for e in shown.of_type("blockquote")] == [MAYOR_SENTENCE]
    assert shown.plain.endswith("bridge.txt, line 3; echo.txt, line 3")
    assert first["input_message_content"]["link_preview_options"] == {"is_disabled": True}
    chosen = api.choose_inline_result(inline_query_id(asked), first["id"])
    assert chosen.result_id == first["id"]
    assert hint.results == [] and hint.button is not None
    assert not_found.results == [] and not_found.button is not None and "rephras" in not_found.button["text"]
    api.assert_no_errors()
