"""The fake Bot API, exercised through the real python-telegram-bot stack (Bot, Application, HTTPX)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    LinkPreviewOptions,
    ReplyParameters,
    Update,
)
from telegram.error import (
    BadRequest,
    Conflict,
    EndPointNotFound,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from tests.support.fake_bot_api import FakeBotApi, Fault, polling

TOKEN = "123456:TEST-TOKEN"
BOT = "verbatim_test_bot"


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi(token=TOKEN, bot_username=BOT) as fake:
        yield fake


def run(coro_fn: Callable[[Bot], Awaitable[Any]], api: FakeBotApi, token: str = TOKEN) -> Any:
    """Run ``coro_fn(bot)`` with an initialised real Bot pointed at the fake."""

    async def main() -> Any:
        async with Bot(token, base_url=api.base_url) as bot:
            return await coro_fn(bot)

    return asyncio.run(main())


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(d, callback_data=d) for d in data]])


@asynccontextmanager
async def running_app(api: FakeBotApi, *handlers: Any) -> AsyncIterator[Any]:
    """A real PTB Application polling the fake, with the given handlers."""
    app = ApplicationBuilder().token(api.token).base_url(api.base_url).build()
    for handler in handlers:
        app.add_handler(handler)
    async with polling(app, timeout=2) as running:
        yield running


# ---- basics ---------------------------------------------------------------------------------------------


def test_get_me_and_base_url(api: FakeBotApi) -> None:
    assert api.base_url.startswith("http://127.0.0.1:") and api.base_url.endswith("/bot")
    me = run(lambda bot: bot.get_me(), api)
    assert me.id == 123456 and me.username == BOT and me.is_bot
    assert api.calls("getMe") and all(r.ok for r in api.calls("getMe"))
    api.assert_no_errors()


def test_echo_round_trip_through_a_real_application(api: FakeBotApi) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None and update.effective_message.text is not None
        await update.effective_message.reply_html(
            f"<b>echo:</b> {update.effective_message.text}", do_quote=True
        )

    async def main() -> None:
        async with running_app(api, MessageHandler(filters.TEXT & ~filters.COMMAND, echo)):
            sent = api.send_private_message(42, "hello there", first_name="Ann", username="ann")
            [reply] = await api.wait_for_messages_async(42, count=1)
            assert reply.text == "echo: hello there"
            assert [(e.type, e.offset, e.length) for e in reply.entities] == [("bold", 0, 5)]
            assert reply.reply_to_message_id == sent.message_id
            assert sent.message_id is not None and reply.message_id == sent.message_id + 1
            # A second message from another user, while polling continues.
            api.send_private_message(7, "second")
            [other] = await api.wait_for_messages_async(7, count=1)
            assert other.text == "echo: second"
        assert api.pending_updates() == []  # the final getUpdates confirmed everything

    asyncio.run(main())
    api.assert_no_errors()


def test_a_subprocess_bot_can_use_the_fake(api: FakeBotApi) -> None:
    api.add_chat(-1001, "supergroup", title="News")
    script = textwrap.dedent(
        """
        import asyncio, os
        from telegram import Bot
        async def main():
            async with Bot(os.environ["TELEGRAM_BOT_TOKEN"], base_url=os.environ["TELEGRAM_BASE_URL"]) as bot:
                await bot.send_message(-1001, "from a subprocess")
        asyncio.run(main())
        """
    )
    subprocess.run([sys.executable, "-c", script], env=api.subprocess_env(), check=True, timeout=60)
    assert [m.text for m in api.messages_to(-1001)] == ["from a subprocess"]


# ---- errors PTB must see --------------------------------------------------------------------------------


def test_invalid_html_is_a_bad_request(api: FakeBotApi) -> None:
    api.send_private_message(42, "hi")
    with pytest.raises(
        BadRequest, match=r'(?i)can\'t parse entities: unsupported start tag "div" at byte offset 0'
    ):
        run(lambda bot: bot.send_message(42, "<div>x</div>", parse_mode="HTML"), api)
    with pytest.raises(BadRequest, match=r"(?i)can't find end tag corresponding to start tag"):
        run(lambda bot: bot.send_message(42, "<b>x", parse_mode="HTML"), api)
    with pytest.raises(BadRequest, match=r"(?i)must be escaped"):
        run(lambda bot: bot.send_message(42, "AT&T", parse_mode="HTML"), api)
    # The same text without parse_mode is plain text and fine.
    run(lambda bot: bot.send_message(42, "<div>x</div>"), api)
    assert [m.text for m in api.messages_to(42)] == ["<div>x</div>"]
    errors = api.take_errors()
    assert len(errors) == 3 and all(e.status == 400 for e in errors)
    api.assert_no_errors()


def test_too_long_message_and_too_many_entities(api: FakeBotApi) -> None:
    api.send_private_message(42, "hi")
    run(lambda bot: bot.send_message(42, "a" * 4096), api)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        run(lambda bot: bot.send_message(42, "a" * 4097), api)
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        run(lambda bot: bot.send_message(42, "<b>" + "😀" * 2049 + "</b>", parse_mode="HTML"), api)
    run(lambda bot: bot.send_message(42, "<b>x</b> " * 100, parse_mode="HTML"), api)
    with pytest.raises(BadRequest, match=r"(?i)too many entities"):
        run(lambda bot: bot.send_message(42, "<b>x</b> " * 101, parse_mode="HTML"), api)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        run(lambda bot: bot.send_message(42, " \n <b> </b>", parse_mode="HTML"), api)
    assert len(api.take_errors()) == 4


def test_callback_data_is_limited_to_64_bytes(api: FakeBotApi) -> None:
    api.send_private_message(42, "hi")
    ok = "é" * 32  # 64 bytes in UTF-8
    run(lambda bot: bot.send_message(42, "pick", reply_markup=keyboard(ok)), api)
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        run(lambda bot: bot.send_message(42, "pick", reply_markup=keyboard("x" * 65)), api)
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        run(lambda bot: bot.send_message(42, "pick", reply_markup=keyboard("é" * 32 + "x")), api)
    assert api.messages_to(42)[0].callback_data == [ok]
    api.take_errors()


def test_inline_keyboard_buttons_need_text_and_exactly_one_action(api: FakeBotApi) -> None:
    api.send_private_message(42, "hi")
    url = f"{api.base_url}{api.token}/sendMessage"

    def send_raw(markup: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        body = json.dumps({"chat_id": 42, "text": "x", "reply_markup": markup}).encode()
        return _post_status(url, body, "application/json")

    bad = [
        ({"inline_keyboard": [[{"text": "no action"}]]}, "Text buttons are unallowed"),
        ({"inline_keyboard": [[{"text": "", "callback_data": "a"}]]}, "non-empty"),
        (
            {"inline_keyboard": [[{"text": "two", "callback_data": "a", "url": "https://example.com"}]]},
            "exactly one",
        ),
        ({"inline_keyboard": [[{"text": "u", "url": "not a url"}]]}, "Wrong HTTP URL"),
        ({"inline_keyboard": [[{"text": "f", "callback_data": "a", "colour": "red"}]]}, "unexpected field"),
        ({"inline_keyboard": [[{"text": "b", "callback_data": str(i)} for i in range(101)]]}, "too long"),
    ]
    for markup, error in bad:
        status, body = send_raw(markup)
        assert status == 400 and body["ok"] is False and body["error_code"] == 400, body
        assert body["description"].startswith("Bad Request: ") and error in body["description"], body
    assert len(api.take_errors()) == len(bad)
    status, body = send_raw({"inline_keyboard": [[{"text": "site", "url": "https://example.com"}]]})
    assert status == 200 and body["result"]["reply_markup"]["inline_keyboard"][0][0]["text"] == "site"
    api.assert_no_errors()


def test_unknown_method_and_wrong_token(api: FakeBotApi) -> None:
    with pytest.raises(InvalidToken):
        run(lambda bot: bot.get_me(), api, token="123456:WRONG")
    with pytest.raises(EndPointNotFound):  # the Bot was initialised, so the token is known to be good
        run(lambda bot: bot.do_api_request("no_such_method"), api)
    raw = urllib.request.Request(f"{api.base_url}{api.token}/noSuchMethod", data=b"", method="POST")
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(raw, timeout=5)
    assert info.value.code == 404
    assert json.loads(info.value.read()) == {"ok": False, "error_code": 404, "description": "Not Found"}
    errors = api.take_errors()
    assert [e.status for e in errors] == [401, 404, 404]


def test_unknown_parameter_is_refused_and_recorded(api: FakeBotApi) -> None:
    api.send_private_message(42, "hi")
    with pytest.raises(BadRequest, match="unexpected parameter 'colour'"):
        run(lambda bot: bot.send_message(42, "x", api_kwargs={"colour": "red"}), api)
    with pytest.raises(AssertionError, match="refused 1 request"):
        api.assert_no_errors()
    api.assert_no_errors(allow=["unexpected parameter"])


def test_chat_not_found(api: FakeBotApi) -> None:
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        run(lambda bot: bot.send_message(999, "x"), api)
    api.take_errors()


# ---- editing, deleting ----------------------------------------------------------------------------------


def test_edit_message_text(api: FakeBotApi) -> None:
    api.send_private_message(42, "hi")

    async def scenario(bot: Bot) -> None:
        msg = await bot.send_message(42, "<b>draft</b>", parse_mode="HTML", reply_markup=keyboard("a"))
        with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
            await bot.edit_message_text(
                "<b>draft</b>", 42, msg.message_id, parse_mode="HTML", reply_markup=keyboard("a")
            )
        # Same text but without bold is a modification; so is dropping the keyboard.
        edited = await bot.edit_message_text("draft", 42, msg.message_id, reply_markup=keyboard("a"))
        assert not isinstance(edited, bool) and edited.edit_date is not None
        await bot.edit_message_text("draft", 42, msg.message_id)
        with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
            await bot.edit_message_text("x", 42, 999)
        with pytest.raises(BadRequest, match=r"(?i)message can't be edited"):
            await bot.edit_message_text("x", 42, 1)  # the user's message
        assert await bot.delete_message(42, msg.message_id)
        with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
            await bot.delete_message(42, msg.message_id)

    run(scenario, api)
    [stored] = api.messages_to(42, include_deleted=True)
    assert stored.deleted and stored.text == "draft" and stored.reply_markup is None
    assert [h[0] for h in stored.history] == ["draft", "draft"]
    assert api.messages_to(42) == []
    assert len(api.take_errors()) == 4


def test_reply_parameters_and_link_preview_are_stored(api: FakeBotApi) -> None:
    user = api.send_private_message(42, "question")

    async def scenario(bot: Bot) -> None:
        await bot.send_message(
            42,
            "answer",
            reply_parameters=ReplyParameters(user.message_id or 0),
            link_preview_options=LinkPreviewOptions(is_disabled=True),
        )
        with pytest.raises(BadRequest, match=r"(?i)message to be replied not found"):
            await bot.send_message(42, "x", reply_parameters=ReplyParameters(555))
        await bot.send_message(
            42, "y", reply_parameters=ReplyParameters(555, allow_sending_without_reply=True)
        )

    run(scenario, api)
    first, second = api.messages_to(42)
    assert first.reply_to_message_id == user.message_id and first.link_preview_options == {
        "is_disabled": True
    }
    assert second.reply_to_message_id is None
    api.take_errors()


# ---- faults ---------------------------------------------------------------------------------------------


def test_429_fault_raises_retry_after_and_clears_after_n_calls(api: FakeBotApi) -> None:
    api.send_private_message(42, "hi")
    api.inject_fault("sendMessage", Fault.retry_after(3), times=2)
    assert api.pending_faults("sendMessage") == 2

    async def scenario(bot: Bot) -> None:
        for _ in range(2):
            with pytest.raises(RetryAfter, match="Retry in 3 seconds"):
                await bot.send_message(42, "x")
        await bot.send_message(42, "third time lucky")
        await bot.get_me()  # other methods were never affected

    run(scenario, api)
    assert api.pending_faults() == 0
    assert [m.text for m in api.messages_to(42)] == ["third time lucky"]
    assert [r.fault for r in api.calls("sendMessage")] == ["HTTP 429", "HTTP 429", None]
    api.assert_no_errors()  # injected faults are not the fake's errors


def test_server_errors_drops_delays_and_custom_bad_requests(api: FakeBotApi) -> None:
    api.send_private_message(42, "hi")
    api.inject_fault("sendMessage", Fault.server_error(500))
    api.inject_fault("sendMessage", Fault.server_error(502))
    api.inject_fault("sendMessage", Fault.drop_connection())
    api.inject_fault("sendMessage", Fault.delay(0.6))
    api.inject_fault("sendMessage", Fault.bad_request("Forced failure"))
    api.inject_fault("sendChatAction", Fault.error(403, "Forbidden: bot was blocked by the user"))

    async def scenario(bot: Bot) -> None:
        with pytest.raises(NetworkError, match="Internal Server Error"):
            await bot.send_message(42, "1")
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.send_message(42, "2")
        with pytest.raises(NetworkError, match="disconnected"):
            await bot.send_message(42, "3")
        with pytest.raises(TimedOut):
            await bot.send_message(42, "4 (delivered although the client gave up)", read_timeout=0.2)
        with pytest.raises(BadRequest, match="Forced failure"):
            await bot.send_message(42, "5")
        with pytest.raises(Forbidden, match="bot was blocked"):
            await bot.send_chat_action(42, "typing")
        await bot.send_message(42, "6")

    run(scenario, api)
    api.wait_until(lambda: len(api.messages_to(42)) == 2, timeout=3, description="the delayed message")
    # The delayed request was processed after "6" had been sent, so it got the later message id.
    assert [m.text for m in api.messages_to(42)] == ["6", "4 (delivered although the client gave up)"]
    api.assert_no_errors()


def test_fault_validation() -> None:
    api = FakeBotApi()
    with pytest.raises(ValueError):
        api.inject_fault("sendMesage", Fault.retry_after())
    with pytest.raises(ValueError):
        api.inject_fault("sendMessage", Fault.retry_after(), times=0)


# ---- updates --------------------------------------------------------------------------------------------


def test_long_poll_returns_when_an_update_arrives(api: FakeBotApi) -> None:
    async def scenario(bot: Bot) -> None:
        threading.Timer(0.3, lambda: api.send_private_message(42, "wake up")).start()
        # the update arrives while the poll waits (it could not be in an answer given before it was sent),
        # and ends the poll long before its 30 s timeout (the guard would give up first)
        updates = await asyncio.wait_for(bot.get_updates(timeout=30), timeout=20)
        assert [u.message.text for u in updates if u.message] == ["wake up"]
        # Unconfirmed updates come again; a higher offset confirms them.
        again = await bot.get_updates(timeout=0)
        assert [u.update_id for u in again] == [updates[0].update_id]
        assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == ()
        assert api.pending_updates() == []
        # An empty long poll waits (it is still pending after the others were answered at once), then
        # ends empty at its timeout.
        pending = asyncio.ensure_future(bot.get_updates(timeout=2))
        await asyncio.sleep(0.3)
        assert not pending.done()
        assert await asyncio.wait_for(pending, timeout=20) == ()

    run(scenario, api)
    api.assert_no_errors()


def test_get_updates_limit_offset_and_allowed_updates(api: FakeBotApi) -> None:
    for i in range(5):
        api.send_private_message(42, f"m{i}")
    api.send_inline_query(42, "inline")

    async def scenario(bot: Bot) -> None:
        first = await bot.get_updates(limit=2, timeout=0)
        assert [u.message.text for u in first if u.message] == ["m0", "m1"]
        last = await bot.get_updates(offset=-1, timeout=0)
        assert len(last) == 1 and last[0].inline_query is not None
        api.send_private_message(42, "m5")
        api.send_inline_query(42, "dropped: not allowed")
        only_messages = await bot.get_updates(
            offset=last[0].update_id + 1, timeout=0, allowed_updates=["message"]
        )
        assert [u.message.text for u in only_messages if u.message] == ["m5"]
        assert all(u.inline_query is None for u in only_messages)

    run(scenario, api)
    api.assert_no_errors()


def test_a_second_poller_terminates_the_first_with_conflict(api: FakeBotApi) -> None:
    # Two Bot instances: one Bot's getUpdates connection pool holds a single connection.
    async def scenario(bot: Bot) -> None:
        async with Bot(api.token, base_url=api.base_url) as other:
            first = asyncio.create_task(bot.get_updates(timeout=5))
            await api.wait_until_async(lambda: api._poll_generation == 1, description="the first poll")
            second = asyncio.create_task(other.get_updates(timeout=1))
            with pytest.raises(Conflict, match="terminated by other getUpdates request"):
                await first
            assert await second == ()

    run(scenario, api)
    assert [e.status for e in api.take_errors()] == [409]


def test_webhook_bookkeeping_blocks_polling(api: FakeBotApi) -> None:
    async def scenario(bot: Bot) -> None:
        assert await bot.set_webhook("https://example.com/hook", secret_token="s3cret")
        info = await bot.get_webhook_info()
        assert info.url == "https://example.com/hook"
        with pytest.raises(Conflict, match="webhook is active"):
            await bot.get_updates(timeout=0)
        assert await bot.delete_webhook()
        assert await bot.get_updates(timeout=0) == ()

    run(scenario, api)
    assert api.webhook == {}
    assert len(api.take_errors()) == 1


# ---- simulated users ------------------------------------------------------------------------------------


def test_group_mention_command_and_reply_to_the_bot(api: FakeBotApi) -> None:
    group = -1001234567890
    mention = api.mention_bot_in_group(group, 5, "who won?", first_name="Bo", username="bo_user")
    command = api.send_command(group, f"/ask@{BOT} what happened", user_id=5)
    private_command = api.send_command(42, "/reindex")

    async def scenario(bot: Bot) -> list[Update]:
        updates = list(await bot.get_updates(timeout=0))
        sent = await bot.send_message(
            group, "answer", reply_parameters=ReplyParameters(mention.message_id or 0)
        )
        api.send_group_message(group, 6, "follow-up", reply_to=sent.message_id)
        updates += await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
        return updates

    updates = run(scenario, api)
    messages = [u.message for u in updates]
    assert all(m is not None for m in messages)
    m0, m1, m2, m3 = messages
    assert m0 is not None and m1 is not None and m2 is not None and m3 is not None
    assert m0.chat.type == "supergroup" and m0.from_user is not None and m0.from_user.username == "bo_user"
    assert m0.parse_entities() == {m0.entities[0]: f"@{BOT}"} and m0.entities[0].type == "mention"
    assert m1.entities[0].type == "bot_command" and m1.parse_entity(m1.entities[0]) == f"/ask@{BOT}"
    assert m2.chat.type == "private" and m2.chat.id == 42 and m2.text == "/reindex"
    assert private_command.chat_id == 42 and command.chat_id == group
    assert m3.reply_to_message is not None and m3.reply_to_message.text == "answer"
    assert m3.reply_to_message.from_user is not None and m3.reply_to_message.from_user.id == 123456


def test_command_handlers_in_an_application(api: FakeBotApi) -> None:
    seen: list[tuple[str, list[str]]] = []

    async def ask(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        seen.append(("ask", list(context.args or [])))
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, "ok")

    async def main() -> None:
        async with running_app(api, CommandHandler("ask", ask), CommandHandler("start", ask)):
            api.send_command(42, "/ask foo bar")
            api.send_command(-100777, f"/start@{BOT}", user_id=9)
            api.send_command(-100777, "/start@some_other_bot", user_id=9)
            await api.wait_for_messages_async(42)
            await api.wait_for_messages_async(-100777)
            await asyncio.sleep(0.2)

    asyncio.run(main())
    assert seen == [("ask", ["foo", "bar"]), ("ask", [])]
    api.assert_no_errors()


def test_callback_queries(api: FakeBotApi) -> None:
    answered: list[str] = []

    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and query.data is not None
        answered.append(query.data)
        await query.answer(f"you chose {query.data}")
        await query.edit_message_text(f"chosen: {query.data}")

    async def main() -> None:
        api.send_private_message(42, "hi")
        async with Bot(api.token, base_url=api.base_url) as bot:
            msg = await bot.send_message(42, "pick one", reply_markup=keyboard("left", "right"))
        async with running_app(api, CallbackQueryHandler(on_button)):
            press = api.press_button(42, msg.message_id, button_text="right")
            await api.wait_for_requests_async("editMessageText", ok=True)
            answer = api.callback_answer(press.callback_query_id or "")
            assert answer is not None and answer.text == "you chose right"
        with pytest.raises(ValueError, match="no callback button"):
            api.press_button(42, msg.message_id, "middle")

    asyncio.run(main())
    assert answered == ["right"]
    assert api.messages_to(42)[0].text == "chosen: right"
    api.assert_no_errors()


def test_answer_callback_query_rules(api: FakeBotApi) -> None:
    api.send_private_message(42, "hi")

    async def scenario(bot: Bot) -> None:
        msg = await bot.send_message(42, "pick", reply_markup=keyboard("a"))
        forged = api.press_button(42, msg.message_id, "tampered", forge=True)
        updates = await bot.get_updates(timeout=0)
        assert updates[-1].callback_query is not None and updates[-1].callback_query.data == "tampered"
        with pytest.raises(BadRequest, match=r"(?i)message_too_long"):
            await bot.answer_callback_query(forged.callback_query_id or "", text="x" * 201)
        assert await bot.answer_callback_query(forged.callback_query_id or "", text="x" * 200)
        with pytest.raises(BadRequest, match=r"(?i)query is too old"):
            await bot.answer_callback_query(forged.callback_query_id or "")
        with pytest.raises(BadRequest, match=r"(?i)query is too old"):
            await bot.answer_callback_query("12345")

    run(scenario, api)
    assert len(api.take_errors()) == 3


def test_inline_queries(api: FakeBotApi) -> None:
    def article(result_id: str, text: str, **kwargs: Any) -> InlineQueryResultArticle:
        return InlineQueryResultArticle(
            result_id, "title", InputTextMessageContent(text, parse_mode="HTML"), **kwargs
        )

    async def on_inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.inline_query
        assert query is not None
        await query.answer([article("r1", f"<b>{query.query}</b>", reply_markup=keyboard("more"))])

    async def main() -> None:
        async with running_app(api, InlineQueryHandler(on_inline)):
            sent = api.send_inline_query(42, "who won?")
            await api.wait_for_requests_async("answerInlineQuery", ok=True)
        answer = api.inline_answer(sent.inline_query_id or "")
        assert answer is not None and answer.result_ids == ["r1"]
        assert answer.message_text("r1").plain == "who won?"
        chosen = api.choose_inline_result(sent.inline_query_id or "", "r1")
        assert chosen.inline_message_id is not None
        async with Bot(api.token, base_url=api.base_url) as bot:
            updates = await bot.get_updates(timeout=0)
            result = updates[-1].chosen_inline_result
            assert result is not None and result.inline_message_id == chosen.inline_message_id
            assert await bot.edit_message_text("edited", inline_message_id=chosen.inline_message_id) is True
            with pytest.raises(BadRequest, match=r"(?i)message_id_invalid"):
                await bot.edit_message_text("x", inline_message_id="nope")
            bad_cases: list[tuple[list[InlineQueryResultArticle], str]] = [
                ([article(str(i), "x") for i in range(51)], "results_too_much"),
                ([article("same", "x"), article("same", "y")], "result_id_duplicate"),
                ([article("x" * 65, "x")], "result_id_invalid"),
                ([article("ok", "<i>unclosed")], "can't find end tag"),
            ]
            for results, error in bad_cases:
                query = api.send_inline_query(42, "q")
                with pytest.raises(BadRequest, match=rf"(?i){error}"):
                    await bot.answer_inline_query(query.inline_query_id or "", results)
        assert api.inline_message(chosen.inline_message_id).text == "edited"

    asyncio.run(main())
    assert len(api.take_errors()) == 5


def test_commands_actions_and_chat(api: FakeBotApi) -> None:
    api.send_private_message(42, "hi")

    async def scenario(bot: Bot) -> None:
        assert await bot.set_my_commands(
            [BotCommand("ask", "Ask a question"), BotCommand("reindex", "Rebuild")]
        )
        assert [c.command for c in await bot.get_my_commands()] == ["ask", "reindex"]
        for bad, error in [
            (BotCommand("Ask", "x"), "bot_command_invalid"),
            (BotCommand("a" * 33, "x"), "bot_command_invalid"),
            (BotCommand("ask", "x" * 257), "too long"),
            (BotCommand("ask", ""), "non-empty"),
        ]:
            with pytest.raises(BadRequest, match=rf"(?i){error}"):
                await bot.set_my_commands([bad])
        with pytest.raises(BadRequest, match=r"(?i)too many commands"):
            await bot.set_my_commands([BotCommand(f"c{i}", "d") for i in range(101)])
        assert await bot.delete_my_commands()
        assert await bot.get_my_commands() == ()
        assert await bot.send_chat_action(42, "typing")
        with pytest.raises(BadRequest, match=r"(?i)wrong parameter action"):
            await bot.send_chat_action(42, "dancing")
        chat = await bot.get_chat(42)
        assert chat.type == "private" and chat.first_name == "User42"

    run(scenario, api)
    assert [(c, a) for c, a, _ in api.chat_actions] == [(42, "typing")]
    assert len(api.take_errors()) == 6


# ---- transport --------------------------------------------------------------------------------------------


def _post_status(url: str, body: bytes, content_type: str) -> tuple[int, dict[str, Any]]:
    try:
        return 200, _post(url, body, content_type)
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def _post(url: str, body: bytes, content_type: str) -> dict[str, Any]:
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": content_type})
    with urllib.request.urlopen(request, timeout=5) as response:
        data: dict[str, Any] = json.loads(response.read())
        return data


def test_json_form_and_multipart_bodies_parse_alike(api: FakeBotApi) -> None:
    api.send_private_message(42, "hi")
    url = f"{api.base_url}{api.token}/sendMessage"
    markup = {"inline_keyboard": [[{"text": "a", "callback_data": "a"}]]}
    as_json = _post(
        url, json.dumps({"chat_id": 42, "text": "json", "reply_markup": markup}).encode(), "application/json"
    )
    form = urllib.parse.urlencode(
        {"chat_id": "42", "text": "form", "reply_markup": json.dumps(markup)}
    ).encode()
    as_form = _post(url, form, "application/x-www-form-urlencoded")
    boundary = "XyZ"
    parts = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in {"chat_id": "42", "text": "multipart", "reply_markup": json.dumps(markup)}.items()
    )
    as_multipart = _post(
        url, (parts + f"--{boundary}--\r\n").encode(), f"multipart/form-data; boundary={boundary}"
    )
    for response, text in [(as_json, "json"), (as_form, "form"), (as_multipart, "multipart")]:
        assert response["ok"] and response["result"]["text"] == text
        assert response["result"]["reply_markup"] == markup
    assert [r.params["chat_id"] for r in api.calls("sendMessage")] == [42, 42, 42]
    api.assert_no_errors()


def test_many_concurrent_requests(api: FakeBotApi) -> None:
    chats = list(range(1, 51))
    for chat in chats:
        api.send_private_message(chat, "hi")

    async def scenario(bot: Bot) -> None:
        await asyncio.gather(*(bot.send_message(chat, f"m{i}") for i in range(8) for chat in chats))

    async def main() -> None:
        async with Bot(api.token, base_url=api.base_url) as bot:
            await scenario(bot)

    asyncio.run(main())
    for chat in chats:
        ids = [m.message_id for m in api.messages_to(chat)]
        assert ids == list(range(2, 10))
    assert len(api.calls("sendMessage", ok=True)) == 400
    api.assert_no_errors()


def test_waits_time_out_with_the_request_log(api: FakeBotApi) -> None:
    run(lambda bot: bot.get_me(), api)
    with pytest.raises(AssertionError, match=r"(?s)timed out after 0.2 s waiting for 1 sendMessage.*getMe"):
        api.wait_for_requests("sendMessage", timeout=0.2)

    async def inside_a_loop() -> None:
        with pytest.raises(RuntimeError, match="_async"):
            api.wait_for_messages(42, timeout=0.1)
        with pytest.raises(AssertionError, match="bot message"):
            await api.wait_for_messages_async(42, timeout=0.2)

    asyncio.run(inside_a_loop())


def test_stop_answers_pending_long_polls(api: FakeBotApi) -> None:
    results: list[Any] = []

    def poll() -> None:
        request = urllib.request.Request(f"{api.base_url}{api.token}/getUpdates?timeout=30", method="GET")
        with urllib.request.urlopen(request, timeout=10) as response:
            results.append(json.loads(response.read()))

    thread = threading.Thread(target=poll)
    thread.start()
    api.wait_until(lambda: api._poll_generation == 1, timeout=5, description="the poll to arrive")
    api.stop()
    thread.join(20)  # the poll asked for 30 s: still running now would mean stop left it waiting
    assert not thread.is_alive()
    assert results == [{"ok": True, "result": []}]
