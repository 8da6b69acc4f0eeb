"""A fake Telegram Bot API server for tests: real HTTP on 127.0.0.1, its own thread and event loop.

Use it with the real python-telegram-bot stack::

    with FakeBotApi(token="123:ABC", bot_username="verbatim_test_bot") as api:
        app = ApplicationBuilder().token(api.token).base_url(api.base_url).build()
        ...
        api.send_private_message(42, "hello")
        [reply] = api.wait_for_messages(42, count=1)   # or: await api.wait_for_messages_async(...)
        api.assert_no_errors()

What it does (see the class docstring for the API):

* Parses parameters the way the Bot API does: query string, ``application/x-www-form-urlencoded`` (what
  PTB 22 sends: scalars as text, objects/arrays as JSON strings), ``application/json`` and
  ``multipart/form-data``; values are coerced per parameter type.
* Answers like Telegram: ``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": 400,
  "description": "Bad Request: ..."}`` so PTB raises ``BadRequest``/``InvalidToken``/``RetryAfter``.
  Wrong token -> 401 Unauthorized; unknown method -> 404 Not Found.
* Fails loudly where Telegram is lenient: an unknown parameter or object field is a 400 (Telegram ignores
  it), and HTML is validated strictly (see ``tests/support/telegram_html.py``). Every error the fake
  produced (not injected faults) lands in ``api.errors``; ``api.assert_no_errors()`` fails the test.
* Long polling ``getUpdates`` (offset/limit/timeout/allowed_updates; a newer poll terminates an older
  one with 409 Conflict, as Telegram does), messages with per-chat ids, edits, deletes, callback and
  inline queries, bot commands, chat actions, webhook bookkeeping.
* Simulated users (``send_private_message``, ``send_group_message``, ``mention_bot_in_group``,
  ``send_command``, ``press_button``, ``send_inline_query``, ``choose_inline_result``) and waits that
  work from sync tests (blocking) and async tests (``*_async``).
* Fault injection: ``api.inject_fault("sendMessage", Fault.retry_after(3), times=2)``.

Error descriptions copy Telegram's where known; a few (marked "fake Bot API") are the fake's own.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import re
import threading
import time
import traceback
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, Final, Literal, TypeVar

from aiohttp import web
from telegram.ext import Application

from tests.support.telegram_html import (
    Entity,
    ParsedHtml,
    TelegramHtmlError,
    check_message_text,
    utf16_len,
)

__all__ = [
    "ApiRequestError",
    "CallbackAnswer",
    "FakeBotApi",
    "Fault",
    "InlineAnswer",
    "RecordedRequest",
    "SentUpdate",
    "StoredMessage",
    "ensure_no_proxy",
    "polling",
]

T = TypeVar("T")

UPDATE_TYPES: Final = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "message_reaction",
        "message_reaction_count",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
        "managed_bot",
        "guest_message",
    }
)
# Without allowed_updates Telegram sends every type but these.
DEFAULT_EXCLUDED_UPDATES: Final = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
CHAT_ACTIONS: Final = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
BUTTON_ACTIONS: Final = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
BUTTON_EXTRA_FIELDS: Final = frozenset({"text", "style", "icon_custom_emoji_id"})
COMMAND_RE: Final = re.compile(r"[a-z0-9_]{1,32}")
QUERY_TOO_OLD: Final = "Bad Request: query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED: Final = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly the "
    "same as a current content and reply markup of the message"
)
CONFLICT_POLL: Final = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)
CONFLICT_WEBHOOK: Final = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_LOOPBACK: Final = ("127.0.0.1", "localhost")


def ensure_no_proxy() -> None:
    """Make HTTP clients in this process (httpx honours the environment) bypass proxies for loopback."""
    for key in ("NO_PROXY", "no_proxy"):
        parts = [p.strip() for p in os.environ.get(key, "").split(",") if p.strip()]
        for host in _LOOPBACK:
            if host not in parts:
                parts.append(host)
        os.environ[key] = ",".join(parts)


ensure_no_proxy()


# ---------------------------------------------------------------------------------------------------------
# Public records
# ---------------------------------------------------------------------------------------------------------


class ApiRequestError(Exception):
    """Raised inside the fake to answer a request with a Bot API error."""

    def __init__(self, status: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            out["parameters"] = self.parameters
        return out


def _bad(description: str) -> ApiRequestError:
    if not description.startswith(("Bad Request: ", "Forbidden: ", "Conflict: ")):
        description = "Bad Request: " + description
    return ApiRequestError(400, description)


@dataclass(frozen=True)
class Fault:
    """A failure to inject into the next calls of a method; build one with the classmethods."""

    kind: Literal["error", "http", "delay", "drop"]
    status: int = 0
    description: str = ""
    parameters: dict[str, Any] | None = None
    seconds: float = 0.0
    then: Literal["process", "drop"] = "process"
    body: str | None = None

    @classmethod
    def retry_after(cls, seconds: int = 1) -> Fault:
        """HTTP 429 with ``parameters.retry_after``: PTB raises ``RetryAfter``."""
        return cls(
            "error",
            429,
            f"Too Many Requests: retry after {seconds}",
            parameters={"retry_after": seconds},
        )

    @classmethod
    def server_error(cls, status: int = 500) -> Fault:
        """HTTP 500 (JSON, as Telegram's "Internal Server Error") or 502/503/504 (an HTML page from the
        front proxy, as Telegram's 502 Bad Gateway looks): PTB raises ``NetworkError``."""
        if status == 500:
            return cls("error", 500, "Internal Server Error")
        phrase = {502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Time-out"}.get(
            status, "Error"
        )
        title = f"{status} {phrase}"
        page = f"<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"
        return cls("http", status, body=page)

    @classmethod
    def delay(cls, seconds: float, *, then: Literal["process", "drop"] = "process") -> Fault:
        """Hold the request ``seconds`` (longer than the client's timeout makes PTB raise ``TimedOut``),
        then process it normally (so a timed-out sendMessage was still delivered, as can happen with
        Telegram) or drop the connection."""
        return cls("delay", seconds=seconds, then=then)

    @classmethod
    def drop_connection(cls) -> Fault:
        """Close the connection without answering: PTB raises ``NetworkError``."""
        return cls("drop")

    @classmethod
    def bad_request(cls, description: str) -> Fault:
        """HTTP 400 with this description ("Bad Request: " is prepended when missing)."""
        return cls("error", 400, _bad(description).description)

    @classmethod
    def error(cls, status: int, description: str, parameters: dict[str, Any] | None = None) -> Fault:
        """Any Bot API error, e.g. ``Fault.error(403, "Forbidden: bot was blocked by the user")``."""
        return cls("error", status, description, parameters=parameters)

    @property
    def label(self) -> str:
        if self.kind == "delay":
            return f"delay {self.seconds}s then {self.then}"
        if self.kind == "drop":
            return "drop connection"
        return f"HTTP {self.status}"


@dataclass
class RecordedRequest:
    """One request the fake received, in the order the responses were finished."""

    seq: int
    method: str
    params: dict[str, Any]
    http_method: str
    received_at: float
    finished_at: float = 0.0
    status: int | None = None
    response: Any = None
    fault: str | None = None
    error: str | None = None  # the description when the fake itself refused the request
    abandoned: bool = False  # a long poll whose client had already gone

    @property
    def ok(self) -> bool:
        return self.status == 200

    @property
    def result(self) -> Any:
        if isinstance(self.response, dict):
            return self.response.get("result")
        return None

    def summary(self) -> str:
        shown = {k: _short(v) for k, v in self.params.items()}
        outcome = f"HTTP {self.status}" if self.status is not None else "no response"
        if self.fault:
            outcome += f" [fault: {self.fault}]"
        if self.error:
            outcome += f" {self.error!r}"
        if self.abandoned:
            outcome += " [client gone]"
        return f"#{self.seq} {self.method} {shown} -> {outcome}"


def _short(value: Any, limit: int = 80) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class StoredMessage:
    """A message in a chat (sent by the bot or by a simulated user), or a bot's inline message."""

    chat_id: int | None
    message_id: int | None
    from_bot: bool
    sender: dict[str, Any]
    text: str  # what the user sees (entities parsed, trimmed)
    entities: tuple[Entity, ...] = ()
    raw_text: str = ""  # exactly what was sent, e.g. the HTML
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    link_preview_options: dict[str, Any] | None = None
    reply_to_message_id: int | None = None
    message_thread_id: int | None = None
    date: int = 0
    edit_date: int | None = None
    deleted: bool = False
    inline_message_id: str | None = None
    document: dict[str, Any] | None = None  # a user's document message: Telegram's Document object
    history: list[tuple[str, tuple[Entity, ...], dict[str, Any] | None]] = field(default_factory=list)

    @property
    def html(self) -> str:
        return self.raw_text

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """The inline keyboard's buttons, row by row."""
        if not self.reply_markup:
            return []
        rows = self.reply_markup.get("inline_keyboard") or []
        return [button for row in rows for button in row]

    @property
    def callback_data(self) -> list[str]:
        return [b["callback_data"] for b in self.buttons if "callback_data" in b]

    def entities_of(self, entity_type: str) -> list[tuple[Entity, str]]:
        """(entity, covered text) for each entity of a type."""
        parsed = ParsedHtml(self.text, self.entities)
        return [(e, parsed.text_of(e)) for e in self.entities if e.type == entity_type]


@dataclass(frozen=True)
class SentUpdate:
    """What a simulated user action produced."""

    update_id: int
    user_id: int
    chat_id: int | None = None
    message_id: int | None = None
    callback_query_id: str | None = None
    inline_query_id: str | None = None
    inline_message_id: str | None = None
    result_id: str | None = None


@dataclass
class _File:
    """A file a user sent: served by getFile (its path) and then by the file URL."""

    file_id: str
    unique_id: str
    path: str
    data: bytes
    size: int  # as Telegram reports it
    served: bool = False  # getFile handed out its path


@dataclass
class CallbackAnswer:
    callback_query_id: str
    text: str | None
    show_alert: bool
    url: str | None
    cache_time: int | None


@dataclass
class InlineAnswer:
    inline_query_id: str
    results: list[dict[str, Any]]
    cache_time: int | None
    is_personal: bool
    next_offset: str | None
    button: dict[str, Any] | None

    @property
    def result_ids(self) -> list[str]:
        return [r["id"] for r in self.results]

    def message_text(self, result_id: str) -> ParsedHtml:
        """The parsed message an article result would send."""
        for result in self.results:
            if result["id"] == result_id:
                content = result["input_message_content"]
                return check_message_text(content["message_text"], content.get("parse_mode"))
        raise KeyError(result_id)


@dataclass
class _Chat:
    id: int
    type: str
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    next_message_id: int = 1
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    last_user_id: int | None = None

    def to_api(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "type": self.type}
        for key in ("title", "username", "first_name", "last_name"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out


@dataclass
class _CallbackQuery:
    id: str
    user_id: int
    chat_id: int | None
    message_id: int | None
    inline_message_id: str | None
    data: str | None
    answered: bool = False


@dataclass
class _InlineQuery:
    id: str
    user_id: int
    query: str
    answer: InlineAnswer | None = None


@dataclass
class _Update:
    update_id: int
    type: str
    payload: dict[str, Any]
    delivered: bool = False


# ---------------------------------------------------------------------------------------------------------
# Parameter specs
# ---------------------------------------------------------------------------------------------------------

ParamType = Literal["str", "int", "bool", "json", "chat_id", "file"]
_SEND_COMMON: Final[dict[str, ParamType]] = {
    "business_connection_id": "str",
    "chat_id": "chat_id",
    "message_thread_id": "int",
    "direct_messages_topic_id": "int",
    "disable_notification": "bool",
    "protect_content": "bool",
    "allow_paid_broadcast": "bool",
    "message_effect_id": "str",
    "suggested_post_parameters": "json",
    "reply_parameters": "json",
    "reply_markup": "json",
    # Deprecated, still accepted by Telegram (PTB converts them to reply_parameters/link_preview_options).
    "reply_to_message_id": "int",
    "allow_sending_without_reply": "bool",
}
_SCOPE: Final[dict[str, ParamType]] = {"scope": "json", "language_code": "str"}
METHOD_PARAMS: Final[dict[str, dict[str, ParamType]]] = {
    "getMe": {},
    "logOut": {},
    "close": {},
    "getUpdates": {"offset": "int", "limit": "int", "timeout": "int", "allowed_updates": "json"},
    "setWebhook": {
        "url": "str",
        "certificate": "file",
        "ip_address": "str",
        "max_connections": "int",
        "allowed_updates": "json",
        "drop_pending_updates": "bool",
        "secret_token": "str",
    },
    "deleteWebhook": {"drop_pending_updates": "bool"},
    "getWebhookInfo": {},
    "setMyCommands": {"commands": "json", **_SCOPE},
    "getMyCommands": dict(_SCOPE),
    "deleteMyCommands": dict(_SCOPE),
    "sendMessage": {
        **_SEND_COMMON,
        "text": "str",
        "parse_mode": "str",
        "entities": "json",
        "link_preview_options": "json",
        "disable_web_page_preview": "bool",
    },
    "editMessageText": {
        "business_connection_id": "str",
        "chat_id": "chat_id",
        "message_id": "int",
        "inline_message_id": "str",
        "text": "str",
        "parse_mode": "str",
        "entities": "json",
        "link_preview_options": "json",
        "disable_web_page_preview": "bool",
        "reply_markup": "json",
    },
    "editMessageReplyMarkup": {
        "business_connection_id": "str",
        "chat_id": "chat_id",
        "message_id": "int",
        "inline_message_id": "str",
        "reply_markup": "json",
    },
    "answerCallbackQuery": {
        "callback_query_id": "str",
        "text": "str",
        "show_alert": "bool",
        "url": "str",
        "cache_time": "int",
    },
    "answerInlineQuery": {
        "inline_query_id": "str",
        "results": "json",
        "cache_time": "int",
        "is_personal": "bool",
        "next_offset": "str",
        "button": "json",
    },
    "sendChatAction": {
        "business_connection_id": "str",
        "chat_id": "chat_id",
        "message_thread_id": "int",
        "action": "str",
    },
    "deleteMessage": {"chat_id": "chat_id", "message_id": "int"},
    "deleteMessages": {"chat_id": "chat_id", "message_ids": "json"},
    "getChat": {"chat_id": "chat_id"},
    "getFile": {"file_id": "str"},
}
_REQUIRED: Final[dict[str, tuple[str, ...]]] = {
    "setWebhook": ("url",),
    "setMyCommands": ("commands",),
    "sendMessage": ("chat_id",),
    "answerCallbackQuery": ("callback_query_id",),
    "answerInlineQuery": ("inline_query_id", "results"),
    "sendChatAction": ("chat_id", "action"),
    "deleteMessage": ("chat_id", "message_id"),
    "deleteMessages": ("chat_id", "message_ids"),
    "getChat": ("chat_id",),
    "getFile": ("file_id",),
}
# Telegram's Bot API serves files up to 20 MB through getFile (larger ones: "file is too big").
MAX_DOWNLOAD_BYTES: Final = 20 * 1024 * 1024
_LOWER_METHODS: Final = {name.lower(): name for name in METHOD_PARAMS}
_TRUE: Final = frozenset({"true", "1", "True"})
_FALSE: Final = frozenset({"false", "0", "False"})


def _coerce(method: str, name: str, kind: ParamType, value: Any) -> Any:
    def invalid() -> ApiRequestError:
        return _bad(f"fake Bot API: parameter {name!r} of {method} has an invalid value {_short(value)}")

    if kind == "file":
        return value
    if isinstance(value, dict) and "__file__" in value:
        raise _bad(f"fake Bot API: parameter {name!r} of {method} can't be a file")
    if kind == "str":
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise invalid()
        return value if isinstance(value, str) else str(value)
    if kind == "int":
        if isinstance(value, bool):
            raise invalid()
        if isinstance(value, int):
            return value
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            return int(value)
        raise invalid()
    if kind == "chat_id":
        if isinstance(value, bool):
            raise invalid()
        if isinstance(value, int):
            return value
        if isinstance(value, str):
            stripped = value.strip()
            if re.fullmatch(r"-?\d+", stripped):
                return int(stripped)
            if stripped.startswith("@"):
                return stripped
            if not stripped:
                raise _bad("chat_id is empty")
        raise _bad("chat not found")
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value in _TRUE:
            return True
        if isinstance(value, str) and value in _FALSE:
            return False
        if isinstance(value, int) and value in (0, 1):
            return bool(value)
        raise invalid()
    # json
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise _bad(f"can't parse {name} JSON object") from None
    return value


def _check_fields(
    obj: Any, allowed: Iterable[str], what: str, required: Iterable[str] = ()
) -> dict[str, Any]:
    if not isinstance(obj, dict):
        raise _bad(f"can't parse {what}: expected an Object, got {_short(obj)}")
    unknown = sorted(set(obj) - set(allowed))
    if unknown:
        raise _bad(f"fake Bot API: unexpected field {unknown[0]!r} in {what}")
    for key in required:
        if key not in obj:
            raise _bad(f'can\'t parse {what}: Field "{key}" must be specified')
    return obj


# ---------------------------------------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------------------------------------


class FakeBotApi:
    """A fake Bot API on ``127.0.0.1:<ephemeral port>``, run in a background thread with its own loop.

    Attributes to use in tests:

    * ``base_url`` — pass to ``ApplicationBuilder().base_url(...)`` (``http://127.0.0.1:PORT/bot``);
      ``token``, ``bot_id``, ``bot_username``, ``bot_user`` (the getMe dict).
    * ``requests`` / ``calls(method)`` — every request as :class:`RecordedRequest`; ``errors`` — those the
      fake refused (excluding injected faults); ``assert_no_errors()``.
    * ``messages_to(chat_id)`` — the bot's live messages in a chat, as :class:`StoredMessage`;
      ``message(chat_id, message_id)``, ``chat_history(chat_id)``, ``inline_message(id)``,
      ``callback_answer(query_id)``, ``inline_answer(query_id)``, ``chat_actions``, ``commands()``.
    * Simulated users: ``send_private_message``, ``send_group_message``, ``mention_bot_in_group``,
      ``send_command``, ``press_button``, ``send_inline_query``, ``choose_inline_result``,
      ``enqueue_update`` (raw). Each returns a :class:`SentUpdate`. Thread-safe.
    * Waits: ``wait_for_requests``, ``wait_for_messages``, ``wait_until`` (blocking; from sync tests or a
      thread) and their ``*_async`` twins (from a coroutine running alongside an in-process bot).
    * Faults: ``inject_fault(method, Fault..., times=N)``, ``pending_faults``, ``clear_faults``.
    """

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "verbatim_test_bot",
        *,
        bot_first_name: str = "Verbatim",
        strict_html: bool = True,
        max_poll_timeout: float = 50.0,
    ) -> None:
        if ":" not in token or not token.split(":", 1)[0].isdigit():
            raise ValueError(f"a Telegram token looks like '123456:ABC...', not {token!r}")
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.strict_html = strict_html
        self.max_poll_timeout = max_poll_timeout
        self.bot_user: dict[str, Any] = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": bot_first_name,
            "username": bot_username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }
        self.port = 0
        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)
        self._async_watchers: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()
        self._seq = itertools.count(1)
        self._requests: list[RecordedRequest] = []
        self._by_method: dict[str, list[RecordedRequest]] = {}
        self._errors: list[RecordedRequest] = []
        self._faults: dict[str, deque[list[Any]]] = {}
        self._users: dict[int, dict[str, Any]] = {}
        self._chats: dict[int, _Chat] = {}
        self._updates: list[_Update] = []
        self._next_update_id = 1
        self._allowed_updates: frozenset[str] | None = None
        self._callbacks: dict[str, _CallbackQuery] = {}
        self._inline_queries: dict[str, _InlineQuery] = {}
        self._inline_messages: dict[str, StoredMessage] = {}
        self._callback_answers: list[CallbackAnswer] = []
        self._chat_actions: list[tuple[int, str, float]] = []
        self._commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self._webhook: dict[str, Any] = {}
        self._ids = itertools.count(1)
        self._poll_generation = 0
        self._files: dict[str, _File] = {}  # file_id -> what users sent (getFile and the file URL serve it)
        # Server-loop state.
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self._closing: asyncio.Event | None = None
        self._poll_wakeup: asyncio.Event | None = None

    # ---- lifecycle ----------------------------------------------------------------------------------

    def __enter__(self) -> FakeBotApi:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        """Start serving; returns once the port is bound."""
        if self._thread is not None:
            raise RuntimeError("FakeBotApi already started")
        ensure_no_proxy()
        self._thread = threading.Thread(target=self._serve, name="FakeBotApi", daemon=True)
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("FakeBotApi did not start within 10 s")
        if self._startup_error is not None:
            raise RuntimeError("FakeBotApi failed to start") from self._startup_error

    def stop(self, timeout: float = 10.0) -> None:
        """Answer pending long polls, close connections, stop the thread."""
        loop, thread = self._loop, self._thread
        if loop is None or thread is None or not thread.is_alive():
            return
        with contextlib.suppress(RuntimeError):
            asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(timeout)
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout)
        if thread.is_alive():
            raise RuntimeError("FakeBotApi thread did not stop")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """For ``ApplicationBuilder().base_url(...)``: PTB appends the token and ``/method``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    def subprocess_env(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """An environment for a ``verbatim serve`` subprocess pointed at this fake."""
        ensure_no_proxy()
        env = dict(os.environ)
        env["TELEGRAM_BOT_TOKEN"] = self.token
        env["TELEGRAM_BASE_URL"] = self.base_url
        if extra:
            env.update(extra)
        return env

    def _serve(self) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        try:
            loop.run_until_complete(self._startup())
        except BaseException as exc:
            self._startup_error = exc
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        try:
            loop.run_forever()
        finally:
            with contextlib.suppress(Exception):
                loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _startup(self) -> None:
        self._closing = asyncio.Event()
        self._poll_wakeup = asyncio.Event()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/file/bot{token}/{file_path:.*}", self._handle_file)
        app.router.add_route("*", "/{tail:.*}", self._handle_other)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def _shutdown(self) -> None:
        assert self._closing is not None
        self._closing.set()
        self._fire_poll_wakeup()
        if self._runner is not None:
            await self._runner.cleanup()

    # ---- notification -------------------------------------------------------------------------------

    def _changed(self) -> None:
        """Call with the lock held after any state change: wakes sync and async waiters."""
        self._cond.notify_all()
        for loop, event in list(self._async_watchers):
            try:
                loop.call_soon_threadsafe(event.set)
            except RuntimeError:
                self._async_watchers.discard((loop, event))

    def _fire_poll_wakeup(self) -> None:
        """Server loop only: wake every pending long poll."""
        event = self._poll_wakeup
        self._poll_wakeup = asyncio.Event()
        if event is not None:
            event.set()

    def _wake_polls(self) -> None:
        loop = self._loop
        if loop is None:
            return
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(self._fire_poll_wakeup)

    # ---- HTTP ---------------------------------------------------------------------------------------

    async def _handle_other(self, request: web.Request) -> web.StreamResponse:
        rec = RecordedRequest(next(self._seq), request.path, {}, request.method, time.monotonic())
        body = {"ok": False, "error_code": 404, "description": "Not Found"}
        self._finish(rec, 404, body, error="Not Found (bad path)")
        return web.json_response(body, status=404)

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        """A file download, as Telegram serves them: GET <base_file_url><token>/<file_path from getFile>."""
        rec = RecordedRequest(next(self._seq), "file:" + request.match_info["file_path"], {}, request.method,
                              time.monotonic())
        with self._lock:
            stored = next((f for f in self._files.values() if f.path == request.match_info["file_path"]), None)
        if request.match_info["token"] != self.token:
            self._finish(rec, 401, None, error="Unauthorized (file download with a wrong token)")
            return web.Response(status=401)
        if request.method != "GET" or stored is None or not stored.served:
            # Only files a getFile call handed out can be downloaded, and only with GET.
            self._finish(rec, 404, None, error="Not Found (file never handed out by getFile)")
            return web.Response(status=404)
        self._finish(rec, 200, None)
        return web.Response(body=stored.data, content_type="application/octet-stream")

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        received = time.monotonic()
        seq = next(self._seq)
        method_name = request.match_info["method"]
        method = _LOWER_METHODS.get(method_name.lower(), method_name)
        rec = RecordedRequest(seq, method, {}, request.method, received)
        try:
            raw = await self._read_params(request)
        except ApiRequestError as exc:
            self._finish(rec, exc.status, exc.body(), error=exc.description)
            return web.json_response(exc.body(), status=exc.status)
        rec.params = dict(raw)
        if request.match_info["token"] != self.token:
            body = {"ok": False, "error_code": 401, "description": "Unauthorized"}
            self._finish(rec, 401, body, error="Unauthorized")
            return web.json_response(body, status=401)
        if method not in METHOD_PARAMS:
            body = {"ok": False, "error_code": 404, "description": "Not Found"}
            self._finish(rec, 404, body, error=f"Not Found (unknown method {method_name!r})")
            return web.json_response(body, status=404)

        fault = self._take_fault(method)
        if fault is not None:
            rec.fault = fault.label
            early = await self._apply_fault(fault, request, rec)
            if early is not None:
                return early
        try:
            params = self._coerce_params(method, raw)
            rec.params = params
            result = await self._dispatch(method, params, request, rec)
        except ApiRequestError as exc:
            if rec.abandoned:
                self._finish(rec, exc.status, exc.body())
            else:
                self._finish(rec, exc.status, exc.body(), error=exc.description)
            return web.json_response(exc.body(), status=exc.status)
        except Exception as exc:  # a bug in the fake or a request it can't handle: fail loudly
            description = f"fake Bot API crashed: {exc!r}\n{traceback.format_exc()}"
            body = {"ok": False, "error_code": 500, "description": description}
            self._finish(rec, 500, body, error=description)
            return web.json_response(body, status=500)
        body = {"ok": True, "result": result}
        self._finish(rec, 200, body)
        return web.json_response(body, dumps=lambda obj: json.dumps(obj, ensure_ascii=False))

    def _finish(
        self, rec: RecordedRequest, status: int | None, body: Any, *, error: str | None = None
    ) -> None:
        rec.finished_at = time.monotonic()
        rec.status = status
        rec.response = body
        rec.error = error
        with self._lock:
            self._requests.append(rec)
            self._by_method.setdefault(rec.method, []).append(rec)
            if error is not None:
                self._errors.append(rec)
            self._changed()

    async def _read_params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = {}
        for key in request.query:
            params[key] = request.query[key]
        if not request.body_exists:
            return params
        ctype = request.content_type
        if ctype == "application/json":
            try:
                data = await request.json()
            except ValueError:
                raise _bad("fake Bot API: the JSON body can't be parsed") from None
            if not isinstance(data, dict):
                raise _bad("fake Bot API: the JSON body must be an object")
            params.update({k: v for k, v in data.items() if v is not None})
        elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for key in form:
                values = form.getall(key)
                if len(values) != 1:
                    raise _bad(f"fake Bot API: parameter {key!r} given {len(values)} times")
                value = values[0]
                if isinstance(value, web.FileField):
                    content = value.file.read()
                    params[key] = {
                        "__file__": True,
                        "filename": value.filename,
                        "content_type": value.content_type,
                        "size": len(content),
                    }
                else:
                    params[key] = value
        else:
            raise _bad(f"fake Bot API: unsupported Content-Type {ctype!r}")
        return params

    def _coerce_params(self, method: str, raw: dict[str, Any]) -> dict[str, Any]:
        spec = METHOD_PARAMS[method]
        unknown = sorted(set(raw) - set(spec))
        if unknown:
            raise _bad(f"fake Bot API: unexpected parameter {unknown[0]!r} for {method}")
        params = {name: _coerce(method, name, spec[name], value) for name, value in raw.items()}
        for name in _REQUIRED.get(method, ()):
            if name not in params:
                raise _bad(f"{name} is empty")
        for value in params.values():
            if isinstance(value, str) and any(0xD800 <= ord(ch) <= 0xDFFF for ch in value):
                raise _bad("strings must be encoded in UTF-8")
        return params

    def _take_fault(self, method: str) -> Fault | None:
        with self._lock:
            for key in (method, "*"):
                queue = self._faults.get(key)
                if queue:
                    entry = queue[0]
                    entry[1] -= 1
                    if entry[1] <= 0:
                        queue.popleft()
                    fault: Fault = entry[0]
                    self._changed()
                    return fault
        return None

    async def _apply_fault(
        self, fault: Fault, request: web.Request, rec: RecordedRequest
    ) -> web.StreamResponse | None:
        if fault.kind == "error":
            body: dict[str, Any] = {"ok": False, "error_code": fault.status, "description": fault.description}
            if fault.parameters:
                body["parameters"] = fault.parameters
            self._finish(rec, fault.status, body)
            return web.json_response(body, status=fault.status)
        if fault.kind == "http":
            self._finish(rec, fault.status, fault.body)
            return web.Response(status=fault.status, text=fault.body or "", content_type="text/html")
        if fault.kind == "delay":
            assert self._closing is not None
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), fault.seconds)
            if fault.then == "process" and not self._closing.is_set():
                return None
        # drop (or delay then drop): close the socket without a response.
        self._finish(rec, None, None)
        transport = request.transport
        if transport is not None:
            transport.abort()
        return web.Response(status=499)

    async def _dispatch(
        self, method: str, params: dict[str, Any], request: web.Request, rec: RecordedRequest
    ) -> Any:
        if method == "getUpdates":
            return await self._get_updates(params, request, rec)
        handler: Callable[[dict[str, Any]], Any] = getattr(self, "_m_" + method)
        with self._lock:
            result = handler(params)
            self._changed()
        return result

    # ---- faults (public) ----------------------------------------------------------------------------

    def inject_fault(self, method: str, fault: Fault, times: int = 1) -> None:
        """Make the next ``times`` calls of ``method`` (``"*"``: of any method) fail with ``fault``.
        Faults queue: a second one for the same method applies after the first is used up."""
        if method != "*" and method not in METHOD_PARAMS:
            raise ValueError(f"unknown method {method!r}; the fake serves {sorted(METHOD_PARAMS)}")
        if times < 1:
            raise ValueError("times must be >= 1")
        with self._lock:
            self._faults.setdefault(method, deque()).append([fault, times])

    def pending_faults(self, method: str | None = None) -> int:
        """How many faulted calls are still to come (for one method, or all)."""
        with self._lock:
            keys = [method] if method else list(self._faults)
            return sum(entry[1] for key in keys for entry in self._faults.get(key, ()))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    # ---- recording (public) -------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def errors(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._errors)

    def calls(self, method: str, *, ok: bool | None = None) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self._by_method.get(method, []) if ok is None or r.ok == ok]

    def take_errors(self) -> list[RecordedRequest]:
        """Return the errors so far and forget them (for tests that provoke errors on purpose)."""
        with self._lock:
            out, self._errors = self._errors, []
            return out

    def assert_no_errors(self, allow: Iterable[str] = ()) -> None:
        """Fail if the fake refused any request, except errors whose description contains one of
        ``allow``."""
        allowed = tuple(allow)
        with self._lock:
            bad = [r for r in self._errors if not (r.error and any(a in r.error for a in allowed))]
        if bad:
            lines = "\n".join("  " + r.summary() for r in bad)
            raise AssertionError(f"the fake Bot API refused {len(bad)} request(s):\n{lines}")

    def request_log(self, last: int = 30) -> str:
        with self._lock:
            recent = self._requests[-last:]
        return "\n".join("  " + r.summary() for r in recent) or "  (no requests)"

    # ---- state (public) -----------------------------------------------------------------------------

    def messages_to(self, chat_id: int, *, include_deleted: bool = False) -> list[StoredMessage]:
        """The bot's messages in a chat, oldest first."""
        with self._lock:
            chat = self._chats.get(chat_id)
            if chat is None:
                return []
            return [
                m
                for _, m in sorted(chat.messages.items())
                if m.from_bot and (include_deleted or not m.deleted)
            ]

    def chat_history(self, chat_id: int) -> list[StoredMessage]:
        """Every message in a chat (users' and the bot's, deleted ones included), oldest first."""
        with self._lock:
            chat = self._chats.get(chat_id)
            return [m for _, m in sorted(chat.messages.items())] if chat else []

    def message(self, chat_id: int, message_id: int) -> StoredMessage:
        with self._lock:
            return self._chats[chat_id].messages[message_id]

    def inline_message(self, inline_message_id: str) -> StoredMessage:
        with self._lock:
            return self._inline_messages[inline_message_id]

    def callback_answer(self, callback_query_id: str) -> CallbackAnswer | None:
        with self._lock:
            for answer in self._callback_answers:
                if answer.callback_query_id == callback_query_id:
                    return answer
        return None

    @property
    def callback_answers(self) -> list[CallbackAnswer]:
        with self._lock:
            return list(self._callback_answers)

    def inline_answer(self, inline_query_id: str) -> InlineAnswer | None:
        with self._lock:
            query = self._inline_queries.get(inline_query_id)
            return query.answer if query else None

    @property
    def chat_actions(self) -> list[tuple[int, str, float]]:
        """(chat_id, action, monotonic time) for each sendChatAction."""
        with self._lock:
            return list(self._chat_actions)

    def commands(self, scope: dict[str, Any] | None = None, language_code: str = "") -> list[dict[str, str]]:
        with self._lock:
            return list(self._commands.get((_scope_key(scope), language_code), []))

    @property
    def webhook(self) -> dict[str, Any]:
        with self._lock:
            return dict(self._webhook)

    def webhook_update(self, update_id: int) -> dict[str, Any]:
        """A queued update as Telegram would POST it to a webhook (this fake does not POST to webhooks: a test
        delivers it, to one bot process or to several)."""
        with self._lock:
            for u in self._updates:
                if u.update_id == update_id:
                    out: dict[str, Any] = json.loads(json.dumps({"update_id": u.update_id, u.type: u.payload}))
                    return out
        raise KeyError(f"no queued update {update_id}")

    def pending_updates(self) -> list[int]:
        """Ids of updates not yet confirmed by the bot (via a later getUpdates offset)."""
        with self._lock:
            return [u.update_id for u in self._updates]

    # ---- waiting ------------------------------------------------------------------------------------

    @staticmethod
    def _refuse_in_loop(name: str) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return
        raise RuntimeError(
            f"FakeBotApi.{name}() blocks; inside a running event loop await {name}_async() instead "
            "(blocking would freeze an in-process bot)"
        )

    def wait_until(
        self, predicate: Callable[[], T | None], timeout: float = 5.0, description: str = "condition"
    ) -> T:
        """Block until ``predicate()`` returns something truthy and return it; on timeout raise an
        AssertionError with the recent request log."""
        self._refuse_in_loop("wait_until")
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise self._timeout_error(description, timeout)
                self._cond.wait(min(remaining, 0.5))

    async def wait_until_async(
        self, predicate: Callable[[], T | None], timeout: float = 5.0, description: str = "condition"
    ) -> T:
        """Like :meth:`wait_until`, without blocking the running event loop."""
        loop = asyncio.get_running_loop()
        event = asyncio.Event()
        watcher = (loop, event)
        with self._lock:
            self._async_watchers.add(watcher)
        try:
            deadline = time.monotonic() + timeout
            while True:
                event.clear()
                with self._lock:
                    value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise self._timeout_error(description, timeout)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), min(remaining, 0.5))
        finally:
            with self._lock:
                self._async_watchers.discard(watcher)

    def _timeout_error(self, description: str, timeout: float) -> AssertionError:
        return AssertionError(
            f"timed out after {timeout} s waiting for {description}; recent Bot API requests:\n"
            f"{self.request_log()}"
        )

    def _requests_predicate(
        self, method: str, count: int, ok: bool | None, since: int
    ) -> Callable[[], list[RecordedRequest] | None]:
        def check() -> list[RecordedRequest] | None:
            candidates = self._by_method.get(method, [])
            if len(candidates) < count:  # cheap: this runs on every request while a test waits
                return None
            found = [r for r in candidates if r.seq > since and (ok is None or r.ok == ok)]
            return found if len(found) >= count else None

        return check

    def wait_for_requests(
        self, method: str, count: int = 1, timeout: float = 5.0, *, ok: bool | None = None, since: int = 0
    ) -> list[RecordedRequest]:
        """Block until at least ``count`` requests of ``method`` (with ``seq > since``; only successful
        ones if ``ok=True``) have been answered; return them all."""
        return self.wait_until(
            self._requests_predicate(method, count, ok, since), timeout, f"{count} {method} request(s)"
        )

    async def wait_for_requests_async(
        self, method: str, count: int = 1, timeout: float = 5.0, *, ok: bool | None = None, since: int = 0
    ) -> list[RecordedRequest]:
        return await self.wait_until_async(
            self._requests_predicate(method, count, ok, since), timeout, f"{count} {method} request(s)"
        )

    def _messages_predicate(self, chat_id: int, count: int) -> Callable[[], list[StoredMessage] | None]:
        def check() -> list[StoredMessage] | None:
            found = self.messages_to(chat_id)
            return found if len(found) >= count else None

        return check

    def wait_for_messages(self, chat_id: int, count: int = 1, timeout: float = 5.0) -> list[StoredMessage]:
        """Block until the bot has at least ``count`` live messages in the chat; return them all."""
        return self.wait_until(
            self._messages_predicate(chat_id, count), timeout, f"{count} bot message(s) in chat {chat_id}"
        )

    async def wait_for_messages_async(
        self, chat_id: int, count: int = 1, timeout: float = 5.0
    ) -> list[StoredMessage]:
        return await self.wait_until_async(
            self._messages_predicate(chat_id, count), timeout, f"{count} bot message(s) in chat {chat_id}"
        )

    @property
    def last_seq(self) -> int:
        """The seq of the latest recorded request: pass as ``since=`` to wait only for newer ones."""
        with self._lock:
            return max((r.seq for r in self._requests), default=0)

    # ---- simulated users ----------------------------------------------------------------------------

    def _user(
        self,
        user_id: int,
        first_name: str | None = None,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str | None = None,
    ) -> dict[str, Any]:
        if user_id <= 0:
            raise ValueError("user ids are positive")
        user = self._users.setdefault(
            user_id, {"id": user_id, "is_bot": False, "first_name": f"User{user_id}", "language_code": "en"}
        )
        if first_name is not None:
            user["first_name"] = first_name
        if username is not None:
            user["username"] = username
        if last_name is not None:
            user["last_name"] = last_name
        if language_code is not None:
            user["language_code"] = language_code
        return user

    def add_chat(
        self,
        chat_id: int,
        chat_type: Literal["private", "group", "supergroup", "channel"] = "supergroup",
        *,
        title: str | None = None,
        username: str | None = None,
    ) -> None:
        """Make a chat known (the bot can then send to it)."""
        with self._lock:
            self._chat(chat_id, chat_type, title=title, username=username)

    def _chat(
        self, chat_id: int, chat_type: str, *, title: str | None = None, username: str | None = None
    ) -> _Chat:
        if chat_type == "private" and chat_id <= 0:
            raise ValueError("a private chat's id is the user's (positive) id")
        if chat_type != "private" and chat_id >= 0:
            raise ValueError("group, supergroup and channel ids are negative (e.g. -1001234567890)")
        chat = self._chats.get(chat_id)
        if chat is None:
            chat = _Chat(chat_id, chat_type)
            if chat_type == "private":
                user = self._user(chat_id)
                chat.first_name = user["first_name"]
                chat.last_name = user.get("last_name")
                chat.username = user.get("username")
            else:
                chat.title = title or f"Test {chat_type} {chat_id}"
            self._chats[chat_id] = chat
        elif chat.type != chat_type:
            raise ValueError(f"chat {chat_id} is a {chat.type}, not a {chat_type}")
        if title is not None and chat_type != "private":
            chat.title = title
        if username is not None:
            chat.username = username
        return chat

    def _enqueue(self, update_type: str, payload: dict[str, Any]) -> int:
        """Lock held."""
        update_id = self._next_update_id
        self._next_update_id += 1
        self._updates.append(_Update(update_id, update_type, payload))
        self._changed()
        self._wake_polls()
        return update_id

    def enqueue_update(self, update: dict[str, Any]) -> int:
        """Queue a raw update (without ``update_id``: one is assigned); returns its update_id."""
        kinds = [k for k in update if k != "update_id"]
        if len(kinds) != 1 or kinds[0] not in UPDATE_TYPES:
            raise ValueError(f"an update has exactly one of {sorted(UPDATE_TYPES)}, got {kinds}")
        with self._lock:
            return self._enqueue(kinds[0], update[kinds[0]])

    def _user_message(
        self,
        chat: _Chat,
        user: dict[str, Any],
        text: str,
        *,
        reply_to: int | None,
        entities: list[dict[str, Any]] | None,
    ) -> SentUpdate:
        """Lock held."""
        if not text:
            raise ValueError("Telegram users can't send empty text messages")
        if entities is None:
            entities = _detect_entities(text)
        message_id = chat.next_message_id
        chat.next_message_id += 1
        stored = StoredMessage(
            chat_id=chat.id,
            message_id=message_id,
            from_bot=False,
            sender=dict(user),
            text=text,
            entities=tuple(Entity.from_dict(e) for e in entities),
            raw_text=text,
            reply_to_message_id=reply_to,
            date=int(time.time()),
        )
        payload = self._message_api(stored, chat)
        if reply_to is not None:
            target = chat.messages.get(reply_to)
            if target is None or target.deleted:
                raise ValueError(f"no message {reply_to} in chat {chat.id} to reply to")
            payload["reply_to_message"] = self._message_api(target, chat, with_reply=False)
        chat.messages[message_id] = stored
        chat.last_user_id = user["id"]
        update_id = self._enqueue("message", payload)
        return SentUpdate(update_id, user["id"], chat_id=chat.id, message_id=message_id)

    def send_private_message(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str | None = None,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str | None = None,
        reply_to: int | None = None,
        entities: list[dict[str, Any]] | None = None,
    ) -> SentUpdate:
        """User ``user_id`` writes ``text`` to the bot in private. ``/commands`` and ``@mentions`` get their
        entities automatically (or pass ``entities``). ``reply_to``: a message id in that chat."""
        with self._lock:
            user = self._user(user_id, first_name, username, last_name, language_code)
            chat = self._chat(user_id, "private")
            return self._user_message(chat, user, text, reply_to=reply_to, entities=entities)

    def send_private_document(
        self,
        user_id: int,
        file_name: str,
        data: bytes,
        *,
        file_size: int | None = None,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
    ) -> SentUpdate:
        """User ``user_id`` sends a file to the bot in private. ``file_size`` is what Telegram reports (by
        default ``len(data)``); a file over 20 MB is refused by getFile, as Telegram does."""
        with self._lock:
            user = self._user(user_id, None, None, None, None)
            chat = self._chat(user_id, "private")
            number = next(self._ids)
            stored_file = _File(f"FILE{number:06d}", f"U{number:06d}", f"documents/file_{number}",
                                data, len(data) if file_size is None else file_size)
            self._files[stored_file.file_id] = stored_file
            document = {"file_id": stored_file.file_id, "file_unique_id": stored_file.unique_id,
                        "file_name": file_name, "mime_type": mime_type, "file_size": stored_file.size}
            message_id = chat.next_message_id
            chat.next_message_id += 1
            message = StoredMessage(chat_id=chat.id, message_id=message_id, from_bot=False, sender=dict(user),
                                    text=caption or "", raw_text=caption or "", date=int(time.time()),
                                    document=document)
            payload = self._message_api(message, chat)
            chat.messages[message_id] = message
            chat.last_user_id = user["id"]
            update_id = self._enqueue("message", payload)
            return SentUpdate(update_id, user["id"], chat_id=chat.id, message_id=message_id)

    def file_downloads(self) -> list[RecordedRequest]:
        """Every download of a file's bytes (successful or not)."""
        with self._lock:
            return [r for r in self._requests if r.method.startswith("file:")]

    def send_group_message(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        *,
        chat_type: Literal["group", "supergroup"] = "supergroup",
        title: str | None = None,
        first_name: str | None = None,
        username: str | None = None,
        reply_to: int | None = None,
        entities: list[dict[str, Any]] | None = None,
    ) -> SentUpdate:
        """User ``user_id`` writes in group ``chat_id`` (negative). ``reply_to`` a bot message id makes
        ``reply_to_message`` carry that stored message. Every message is delivered (as with privacy mode
        off or the bot an admin)."""
        with self._lock:
            user = self._user(user_id, first_name, username)
            chat = self._chat(chat_id, chat_type, title=title)
            return self._user_message(chat, user, text, reply_to=reply_to, entities=entities)

    def mention_bot_in_group(self, chat_id: int, user_id: int, question: str, **kwargs: Any) -> SentUpdate:
        """``@botname question`` in a group, with its ``mention`` entity."""
        return self.send_group_message(chat_id, user_id, f"@{self.bot_username} {question}", **kwargs)

    def send_command(
        self, chat_id: int, command: str, *, user_id: int | None = None, **kwargs: Any
    ) -> SentUpdate:
        """``/ask foo``, ``/reindex``, ``/start@botname`` in a private chat (``chat_id > 0``: the user) or
        a group (``user_id`` defaults to the last user who wrote there)."""
        if not re.match(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?(\s|$)", command):
            raise ValueError(f"not a bot command: {command!r}")
        if chat_id > 0:
            if user_id not in (None, chat_id):
                raise ValueError("in a private chat the user is the chat")
            return self.send_private_message(chat_id, command, **kwargs)
        if user_id is None:
            with self._lock:
                chat = self._chats.get(chat_id)
                user_id = chat.last_user_id if chat else None
            if user_id is None:
                raise ValueError("pass user_id: nobody has written in this group yet")
        return self.send_group_message(chat_id, user_id, command, **kwargs)

    def press_button(
        self,
        chat_id: int | None = None,
        message_id: int | None = None,
        callback_data: str | None = None,
        *,
        button_text: str | None = None,
        inline_message_id: str | None = None,
        user_id: int | None = None,
        forge: bool = False,
    ) -> SentUpdate:
        """A user presses a callback button of a stored bot message (by ``chat_id`` + ``message_id``, or
        ``inline_message_id``), chosen by ``callback_data`` or ``button_text``. ``forge=True`` sends
        ``callback_data`` even if no such button exists (a tampered client). Returns the query id."""
        with self._lock:
            if inline_message_id is not None:
                target = self._inline_messages.get(inline_message_id)
                if target is None:
                    raise ValueError(f"no inline message {inline_message_id!r}")
            else:
                if chat_id is None or message_id is None:
                    raise ValueError("pass chat_id and message_id, or inline_message_id")
                chat = self._chats.get(chat_id)
                target = chat.messages.get(message_id) if chat else None
                if target is None:
                    raise ValueError(f"no message {message_id} in chat {chat_id}")
                if target.deleted and not forge:
                    raise ValueError(f"message {message_id} in chat {chat_id} was deleted")
            data = callback_data
            if not forge:
                buttons = [b for b in target.buttons if "callback_data" in b]
                if button_text is not None:
                    buttons = [b for b in buttons if b["text"] == button_text]
                if data is not None:
                    buttons = [b for b in buttons if b["callback_data"] == data]
                if not buttons:
                    raise ValueError(
                        f"no callback button (text={button_text!r}, data={callback_data!r}) on that message; "
                        f"it has {target.buttons}"
                    )
                data = buttons[0]["callback_data"]
            if user_id is None:
                if chat_id is not None and chat_id > 0:
                    user_id = chat_id
                elif chat_id is not None and self._chats[chat_id].last_user_id is not None:
                    user_id = self._chats[chat_id].last_user_id
                else:
                    raise ValueError("pass user_id")
            assert user_id is not None
            user = self._user(user_id)
            query_id = str(next(self._ids) * 1000003 + 7)
            payload: dict[str, Any] = {"id": query_id, "from": dict(user)}
            if inline_message_id is not None:
                payload["inline_message_id"] = inline_message_id
                payload["chat_instance"] = f"inline-{inline_message_id}"
            else:
                assert chat_id is not None
                payload["message"] = self._message_api(target, self._chats[chat_id])
                payload["chat_instance"] = f"chat{chat_id}"
            if data is not None:
                payload["data"] = data
            self._callbacks[query_id] = _CallbackQuery(
                query_id, user_id, chat_id, message_id, inline_message_id, data
            )
            update_id = self._enqueue("callback_query", payload)
            return SentUpdate(
                update_id,
                user_id,
                chat_id=chat_id,
                message_id=message_id,
                callback_query_id=query_id,
                inline_message_id=inline_message_id,
            )

    def send_inline_query(
        self,
        user_id: int,
        query: str,
        *,
        offset: str = "",
        chat_type: str | None = "sender",
        first_name: str | None = None,
        username: str | None = None,
    ) -> SentUpdate:
        """A user types ``@botname query`` in some chat; returns the inline query id."""
        with self._lock:
            user = self._user(user_id, first_name, username)
            query_id = str(next(self._ids) * 1000033 + 11)
            payload: dict[str, Any] = {"id": query_id, "from": dict(user), "query": query, "offset": offset}
            if chat_type is not None:
                payload["chat_type"] = chat_type
            self._inline_queries[query_id] = _InlineQuery(query_id, user_id, query)
            update_id = self._enqueue("inline_query", payload)
            return SentUpdate(update_id, user_id, inline_query_id=query_id)

    def choose_inline_result(self, inline_query_id: str, result_id: str) -> SentUpdate:
        """The user picks a result the bot answered; the message is stored (as an inline message with an
        ``inline_message_id`` when the result has an inline keyboard, as Telegram reports it then)."""
        with self._lock:
            query = self._inline_queries.get(inline_query_id)
            if query is None or query.answer is None:
                raise ValueError(f"inline query {inline_query_id!r} was not answered")
            result = next((r for r in query.answer.results if r["id"] == result_id), None)
            if result is None:
                raise ValueError(f"no result {result_id!r}; the bot answered {query.answer.result_ids}")
            user = self._user(query.user_id)
            payload: dict[str, Any] = {"result_id": result_id, "from": dict(user), "query": query.query}
            inline_message_id = None
            content = result["input_message_content"]
            parsed = check_message_text(content["message_text"], content.get("parse_mode"))
            if result.get("reply_markup"):
                inline_message_id = f"AgAAA{next(self._ids):08d}"
                payload["inline_message_id"] = inline_message_id
                self._inline_messages[inline_message_id] = StoredMessage(
                    chat_id=None,
                    message_id=None,
                    from_bot=True,
                    sender=dict(user),
                    text=parsed.plain,
                    entities=parsed.entities,
                    raw_text=content["message_text"],
                    parse_mode=content.get("parse_mode"),
                    reply_markup=result.get("reply_markup"),
                    link_preview_options=content.get("link_preview_options"),
                    date=int(time.time()),
                    inline_message_id=inline_message_id,
                )
            update_id = self._enqueue("chosen_inline_result", payload)
            return SentUpdate(
                update_id, query.user_id, inline_message_id=inline_message_id, result_id=result_id
            )

    # ---- message helpers ----------------------------------------------------------------------------

    def _message_api(self, msg: StoredMessage, chat: _Chat, *, with_reply: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "message_id": msg.message_id,
            "from": dict(self.bot_user if msg.from_bot else msg.sender),
            "chat": chat.to_api(),
            "date": msg.date,
            "text": msg.text,
        }
        if msg.document is not None:  # a document message has a document (and maybe a caption), no text
            del out["text"]
            out["document"] = dict(msg.document)
            if msg.text:
                out["caption"] = msg.text
        if msg.from_bot:
            out["from"] = {k: self.bot_user[k] for k in ("id", "is_bot", "first_name", "username")}
        if msg.entities:
            out["entities"] = [e.to_dict() for e in msg.entities]
        if msg.edit_date is not None:
            out["edit_date"] = msg.edit_date
        if msg.message_thread_id is not None:
            out["message_thread_id"] = msg.message_thread_id
        if msg.reply_markup and msg.reply_markup.get("inline_keyboard"):
            out["reply_markup"] = {"inline_keyboard": msg.reply_markup["inline_keyboard"]}
        if msg.link_preview_options:
            out["link_preview_options"] = msg.link_preview_options
        if with_reply and msg.reply_to_message_id is not None:
            target = chat.messages.get(msg.reply_to_message_id)
            if target is not None:
                out["reply_to_message"] = self._message_api(target, chat, with_reply=False)
        return out

    def _known_chat(self, chat_id: int | str) -> _Chat:
        if isinstance(chat_id, str):
            name = chat_id[1:].lower()
            for candidate in self._chats.values():
                if candidate.username and candidate.username.lower() == name:
                    return candidate
            raise _bad("chat not found")
        chat = self._chats.get(chat_id)
        if chat is None:
            raise _bad("chat not found")
        return chat

    def _text(self, text: str | None, parse_mode: str | None, entities: Any) -> ParsedHtml:
        if entities is not None and parse_mode:
            # Telegram ignores parse_mode when entities are given; a bot doing both has a bug.
            raise _bad("fake Bot API: both parse_mode and entities were given")
        try:
            parsed = check_message_text(text, parse_mode, strict=self.strict_html)
        except TelegramHtmlError as exc:
            raise _bad(exc.description) from None
        if entities is not None:
            if not isinstance(entities, list):
                raise _bad("can't parse entities JSON object")
            length = utf16_len(text or "")
            checked = []
            for raw in entities:
                item = _check_fields(
                    raw,
                    ("type", "offset", "length", "url", "user", "language", "custom_emoji_id"),
                    "MessageEntity",
                    ("type", "offset", "length"),
                )
                entity = Entity.from_dict(item)
                if entity.offset < 0 or entity.length <= 0 or entity.offset + entity.length > length:
                    raise _bad("fake Bot API: entity out of the text's bounds")
                checked.append(entity)
            if len(checked) > 100:
                raise _bad("too many entities")
            parsed = ParsedHtml(text or "", tuple(checked))
        return parsed

    def _link_preview(self, params: dict[str, Any]) -> dict[str, Any] | None:
        options = params.get("link_preview_options")
        if options is not None:
            _check_fields(
                options,
                ("is_disabled", "url", "prefer_small_media", "prefer_large_media", "show_above_text"),
                "LinkPreviewOptions",
            )
            if options.get("prefer_small_media") and options.get("prefer_large_media"):
                raise _bad("fake Bot API: prefer_small_media and prefer_large_media are exclusive")
        if params.get("disable_web_page_preview"):
            if options is not None:
                raise _bad("fake Bot API: link_preview_options and disable_web_page_preview together")
            options = {"is_disabled": True}
        return options

    def _reply_markup(self, markup: Any) -> dict[str, Any] | None:
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise _bad("can't parse reply keyboard markup JSON object")
        kinds = [k for k in ("inline_keyboard", "keyboard", "remove_keyboard", "force_reply") if k in markup]
        if len(kinds) != 1:
            raise _bad("can't parse reply keyboard markup JSON object")
        if kinds[0] != "inline_keyboard":
            return markup
        _check_fields(markup, ("inline_keyboard",), "InlineKeyboardMarkup")
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise _bad('can\'t parse inline keyboard: Field "inline_keyboard" must be an Array of Arrays')
        count = 0
        for row in rows:
            for button in row:
                count += 1
                self._check_button(button)
        if count > 100:
            raise _bad("reply markup is too long")
        return markup

    @staticmethod
    def _check_button(button: Any) -> None:
        _check_fields(button, BUTTON_EXTRA_FIELDS | set(BUTTON_ACTIONS), "InlineKeyboardButton")
        text = button.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _bad('can\'t parse inline keyboard button: Field "text" must be a non-empty String')
        actions = [a for a in BUTTON_ACTIONS if a in button]
        if not actions:
            raise _bad(
                "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
            )
        if len(actions) > 1:
            raise _bad(
                "can't parse inline keyboard button: exactly one of the optional fields must be used, "
                f"got {actions}"
            )
        if "callback_data" in button:
            data = button["callback_data"]
            if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= 64:
                raise _bad("BUTTON_DATA_INVALID")
        if "url" in button:
            url = button["url"]
            if not isinstance(url, str) or not re.match(r"(https?|tg)://\S+$", url):
                raise _bad(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")

    def _edit_target(self, params: dict[str, Any]) -> tuple[StoredMessage, _Chat | None]:
        inline_id = params.get("inline_message_id")
        if inline_id is not None:
            if "chat_id" in params or "message_id" in params:
                raise _bad("fake Bot API: give inline_message_id or chat_id+message_id, not both")
            msg = self._inline_messages.get(inline_id)
            if msg is None:
                raise _bad("MESSAGE_ID_INVALID")
            return msg, None
        if "chat_id" not in params:
            raise _bad("chat_id is empty")
        if "message_id" not in params:
            raise _bad("message identifier is not specified")
        chat = self._known_chat(params["chat_id"])
        msg = chat.messages.get(params["message_id"])
        if msg is None or msg.deleted:
            raise _bad("message to edit not found")
        if not msg.from_bot:
            raise _bad("message can't be edited")
        return msg, chat

    # ---- methods (lock held) ------------------------------------------------------------------------

    def _m_getMe(self, params: dict[str, Any]) -> Any:
        return dict(self.bot_user)

    def _m_logOut(self, params: dict[str, Any]) -> Any:
        return True

    def _m_close(self, params: dict[str, Any]) -> Any:
        return True

    def _m_setWebhook(self, params: dict[str, Any]) -> Any:
        url = params["url"]
        if url and not url.startswith("https://"):
            raise _bad("bad webhook: An HTTPS URL must be provided for webhook")
        if "allowed_updates" in params:
            self._allowed_updates = self._parse_allowed(params["allowed_updates"])
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self._webhook = {k: v for k, v in params.items() if k != "certificate"} if url else {}
        return True

    def _m_deleteWebhook(self, params: dict[str, Any]) -> Any:
        self._webhook = {}
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _m_getWebhookInfo(self, params: dict[str, Any]) -> Any:
        info: dict[str, Any] = {
            "url": self._webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }
        if "max_connections" in self._webhook:
            info["max_connections"] = self._webhook["max_connections"]
        if "allowed_updates" in self._webhook:
            info["allowed_updates"] = self._webhook["allowed_updates"]
        return info

    def _parse_scope(self, params: dict[str, Any]) -> str:
        scope = params.get("scope")
        if scope is not None:
            _check_fields(scope, ("type", "chat_id", "user_id"), "BotCommandScope", ("type",))
            kinds = {
                "default": (),
                "all_private_chats": (),
                "all_group_chats": (),
                "all_chat_administrators": (),
                "chat": ("chat_id",),
                "chat_administrators": ("chat_id",),
                "chat_member": ("chat_id", "user_id"),
            }
            if scope["type"] not in kinds:
                raise _bad("can't parse BotCommandScope: unsupported type")
            if set(scope) - {"type"} != set(kinds[scope["type"]]):
                raise _bad(f"can't parse BotCommandScope: wrong fields for type {scope['type']!r}")
        language = params.get("language_code", "")
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise _bad("invalid language code specified")
        return _scope_key(scope)

    def _m_setMyCommands(self, params: dict[str, Any]) -> Any:
        key = (self._parse_scope(params), params.get("language_code", ""))
        commands = params["commands"]
        if not isinstance(commands, list):
            raise _bad("can't parse commands JSON object")
        if len(commands) > 100:
            raise _bad("too many commands specified")
        seen = set()
        clean = []
        for raw in commands:
            item = _check_fields(raw, ("command", "description"), "BotCommand", ("command", "description"))
            command, description = item["command"], item["description"]
            if not isinstance(command, str) or not COMMAND_RE.fullmatch(command):
                raise _bad("BOT_COMMAND_INVALID")
            if command in seen:
                raise _bad("fake Bot API: duplicate command " + command)
            seen.add(command)
            if not isinstance(description, str) or not description.strip():
                raise _bad("command description must be non-empty")
            if len(description) > 256:
                raise _bad("command description is too long")
            clean.append({"command": command, "description": description})
        if clean:
            self._commands[key] = clean
        else:
            self._commands.pop(key, None)
        return True

    def _m_getMyCommands(self, params: dict[str, Any]) -> Any:
        key = (self._parse_scope(params), params.get("language_code", ""))
        return list(self._commands.get(key, []))

    def _m_deleteMyCommands(self, params: dict[str, Any]) -> Any:
        key = (self._parse_scope(params), params.get("language_code", ""))
        self._commands.pop(key, None)
        return True

    def _m_sendMessage(self, params: dict[str, Any]) -> Any:
        chat = self._known_chat(params["chat_id"])
        parse_mode = params.get("parse_mode")
        parsed = self._text(params.get("text"), parse_mode, params.get("entities"))
        markup = self._reply_markup(params.get("reply_markup"))
        preview = self._link_preview(params)
        reply_to = self._reply_target(chat, params)
        message_id = chat.next_message_id
        chat.next_message_id += 1
        stored = StoredMessage(
            chat_id=chat.id,
            message_id=message_id,
            from_bot=True,
            sender=dict(self.bot_user),
            text=parsed.plain,
            entities=parsed.entities,
            raw_text=params.get("text", ""),
            parse_mode=parse_mode,
            reply_markup=markup,
            link_preview_options=preview,
            reply_to_message_id=reply_to,
            message_thread_id=params.get("message_thread_id"),
            date=int(time.time()),
        )
        chat.messages[message_id] = stored
        return self._message_api(stored, chat)

    def _reply_target(self, chat: _Chat, params: dict[str, Any]) -> int | None:
        reply = params.get("reply_parameters")
        if reply is not None:
            if "reply_to_message_id" in params or "allow_sending_without_reply" in params:
                raise _bad("fake Bot API: reply_parameters together with the deprecated reply_to_message_id")
            _check_fields(
                reply,
                (
                    "message_id",
                    "chat_id",
                    "allow_sending_without_reply",
                    "quote",
                    "quote_parse_mode",
                    "quote_entities",
                    "quote_position",
                    "checklist_task_id",
                ),
                "ReplyParameters",
                ("message_id",),
            )
            if reply.get("chat_id") not in (None, chat.id):
                raise _bad("fake Bot API: replies to other chats are not supported")
            target, lenient = reply["message_id"], bool(reply.get("allow_sending_without_reply"))
        elif "reply_to_message_id" in params:
            target = params["reply_to_message_id"]
            lenient = bool(params.get("allow_sending_without_reply"))
        else:
            return None
        found = chat.messages.get(target) if isinstance(target, int) else None
        if found is None or found.deleted:
            if lenient:
                return None
            raise _bad("message to be replied not found")
        return int(target)

    def _m_editMessageText(self, params: dict[str, Any]) -> Any:
        msg, chat = self._edit_target(params)
        parse_mode = params.get("parse_mode")
        parsed = self._text(params.get("text"), parse_mode, params.get("entities"))
        markup = self._reply_markup(params.get("reply_markup"))
        preview = self._link_preview(params)
        if (
            parsed.plain == msg.text
            and parsed.entities == msg.entities
            and _same_markup(markup, msg.reply_markup)
        ):
            raise _bad(NOT_MODIFIED)
        msg.history.append((msg.text, msg.entities, msg.reply_markup))
        msg.text, msg.entities, msg.reply_markup = parsed.plain, parsed.entities, markup
        msg.raw_text, msg.parse_mode = params.get("text", ""), parse_mode
        msg.link_preview_options = preview
        msg.edit_date = int(time.time())
        return True if chat is None else self._message_api(msg, chat)

    def _m_editMessageReplyMarkup(self, params: dict[str, Any]) -> Any:
        msg, chat = self._edit_target(params)
        markup = self._reply_markup(params.get("reply_markup"))
        if _same_markup(markup, msg.reply_markup):
            raise _bad(NOT_MODIFIED)
        msg.history.append((msg.text, msg.entities, msg.reply_markup))
        msg.reply_markup = markup
        msg.edit_date = int(time.time())
        return True if chat is None else self._message_api(msg, chat)

    def _m_answerCallbackQuery(self, params: dict[str, Any]) -> Any:
        query = self._callbacks.get(params["callback_query_id"])
        if query is None or query.answered:
            raise _bad(QUERY_TOO_OLD)
        text = params.get("text")
        if text is not None and len(text) > 200:
            raise _bad("MESSAGE_TOO_LONG")
        url = params.get("url")
        if url is not None and not re.match(r"(https?|tg)://\S+$", url):
            raise _bad("URL_INVALID")
        query.answered = True
        self._callback_answers.append(
            CallbackAnswer(
                query.id, text, bool(params.get("show_alert", False)), url, params.get("cache_time")
            )
        )
        return True

    def _m_answerInlineQuery(self, params: dict[str, Any]) -> Any:
        query = self._inline_queries.get(params["inline_query_id"])
        if query is None or query.answer is not None:
            raise _bad(QUERY_TOO_OLD)
        results = params["results"]
        if not isinstance(results, list):
            raise _bad("can't parse results JSON object")
        if len(results) > 50:
            raise _bad("RESULTS_TOO_MUCH")
        ids: set[str] = set()
        for result in results:
            self._check_inline_result(result, ids)
        next_offset = params.get("next_offset")
        if next_offset is not None and len(next_offset.encode("utf-8")) > 64:
            raise _bad("fake Bot API: next_offset is longer than 64 bytes")
        button = params.get("button")
        if button is not None:
            _check_fields(
                button, ("text", "web_app", "start_parameter"), "InlineQueryResultsButton", ("text",)
            )
            start = button.get("start_parameter")
            if (start is None) == ("web_app" not in button):
                raise _bad(
                    "fake Bot API: InlineQueryResultsButton needs exactly one of web_app, start_parameter"
                )
            if start is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", start):
                raise _bad("START_PARAM_INVALID")
        query.answer = InlineAnswer(
            query.id,
            results,
            params.get("cache_time"),
            bool(params.get("is_personal", False)),
            next_offset,
            button,
        )
        return True

    def _check_inline_result(self, result: Any, ids: set[str]) -> None:
        if not isinstance(result, dict) or "type" not in result or "id" not in result:
            raise _bad("can't parse InlineQueryResult: fields type and id must be specified")
        result_id = result["id"]
        if not isinstance(result_id, str) or not 1 <= len(result_id.encode("utf-8")) <= 64:
            raise _bad("RESULT_ID_INVALID")
        if result_id in ids:
            raise _bad("RESULT_ID_DUPLICATE")
        ids.add(result_id)
        if result["type"] != "article":
            raise _bad(f"fake Bot API: inline result type {result['type']!r} is not supported by the fake")
        _check_fields(
            result,
            (
                "type",
                "id",
                "title",
                "input_message_content",
                "reply_markup",
                "url",
                "description",
                "thumbnail_url",
                "thumbnail_width",
                "thumbnail_height",
                "hide_url",
            ),
            "InlineQueryResultArticle",
            ("title", "input_message_content"),
        )
        if not isinstance(result["title"], str) or not result["title"].strip():
            raise _bad("RESULT_TITLE_EMPTY")
        content = _check_fields(
            result["input_message_content"],
            ("message_text", "parse_mode", "entities", "link_preview_options", "disable_web_page_preview"),
            "InputTextMessageContent",
            ("message_text",),
        )
        self._text(content.get("message_text"), content.get("parse_mode"), content.get("entities"))
        self._link_preview(content)
        self._reply_markup(result.get("reply_markup"))

    def _m_sendChatAction(self, params: dict[str, Any]) -> Any:
        chat = self._known_chat(params["chat_id"])
        if params["action"] not in CHAT_ACTIONS:
            raise _bad("wrong parameter action in request")
        self._chat_actions.append((chat.id, params["action"], time.monotonic()))
        return True

    def _m_deleteMessage(self, params: dict[str, Any]) -> Any:
        chat = self._known_chat(params["chat_id"])
        msg = chat.messages.get(params["message_id"])
        if msg is None or msg.deleted:
            raise _bad("message to delete not found")
        msg.deleted = True
        return True

    def _m_deleteMessages(self, params: dict[str, Any]) -> Any:
        chat = self._known_chat(params["chat_id"])
        ids = params["message_ids"]
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100 or not all(isinstance(i, int) for i in ids):
            raise _bad("fake Bot API: message_ids must be 1-100 integers")
        for message_id in ids:
            msg = chat.messages.get(message_id)
            if msg is not None:
                msg.deleted = True
        return True

    def _m_getFile(self, params: dict[str, Any]) -> Any:
        stored = self._files.get(params["file_id"])
        if stored is None:
            raise _bad("Bad Request: invalid file_id")
        if stored.size > MAX_DOWNLOAD_BYTES:
            raise _bad("Bad Request: file is too big")
        stored.served = True
        return {"file_id": stored.file_id, "file_unique_id": stored.unique_id, "file_size": stored.size,
                "file_path": stored.path}

    def _m_getChat(self, params: dict[str, Any]) -> Any:
        chat = self._known_chat(params["chat_id"])
        info = chat.to_api()
        info.update(
            {
                "accent_color_id": 0,
                "max_reaction_count": 11,
                "accepted_gift_types": {
                    "unlimited_gifts": False,
                    "limited_gifts": False,
                    "unique_gifts": False,
                    "premium_subscription": False,
                    "gifts_from_channels": False,
                },
            }
        )
        return info

    # ---- getUpdates ---------------------------------------------------------------------------------

    @staticmethod
    def _parse_allowed(value: Any) -> frozenset[str] | None:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise _bad("can't parse allowed_updates JSON array")
        unknown = sorted(set(value) - UPDATE_TYPES)
        if unknown:
            raise _bad(f"fake Bot API: unknown update type {unknown[0]!r} in allowed_updates")
        return frozenset(value) if value else None

    def _select_updates(self, offset: int, limit: int) -> list[_Update]:
        """Lock held: confirm updates below ``offset`` and return what to deliver."""
        if offset < 0:
            keep = -offset
            self._updates = self._updates[-keep:] if keep < len(self._updates) else self._updates
        elif offset > 0:
            self._updates = [u for u in self._updates if u.update_id >= offset]
        allowed = self._allowed_updates
        if allowed is None:
            allowed = UPDATE_TYPES - DEFAULT_EXCLUDED_UPDATES
        # Telegram never creates updates of types the bot did not ask for.
        self._updates = [u for u in self._updates if u.type in allowed]
        return self._updates[:limit]

    async def _get_updates(self, params: dict[str, Any], request: web.Request, rec: RecordedRequest) -> Any:
        assert self._closing is not None
        with self._lock:
            if self._webhook.get("url"):
                raise ApiRequestError(409, CONFLICT_WEBHOOK)
            if "allowed_updates" in params:
                self._allowed_updates = self._parse_allowed(params["allowed_updates"])
            self._poll_generation += 1
            generation = self._poll_generation
        self._fire_poll_wakeup()  # an older poll still waiting learns it is superseded
        offset = params.get("offset", 0)
        limit = min(max(params.get("limit", 100), 1), 100)
        timeout = min(max(params.get("timeout", 0), 0), self.max_poll_timeout)
        deadline = time.monotonic() + timeout
        while True:
            wakeup = self._poll_wakeup
            assert wakeup is not None
            with self._lock:
                if self._poll_generation != generation:
                    superseded = True
                    batch: list[_Update] = []
                else:
                    superseded = False
                    batch = self._select_updates(offset, limit)
                    self._changed()
            if superseded:
                await asyncio.sleep(0.05)  # let a vanished client's connection_lost be seen
                rec.abandoned = _client_gone(request)
                raise ApiRequestError(409, CONFLICT_POLL)
            if batch or self._closing.is_set():
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wakeup.wait(), remaining)
        if _client_gone(request):
            rec.abandoned = True
            return []
        with self._lock:
            for update in batch:
                update.delivered = True
        return [{"update_id": u.update_id, u.type: u.payload} for u in batch]


def _client_gone(request: web.Request) -> bool:
    transport = request.transport
    return transport is None or transport.is_closing()


def _scope_key(scope: dict[str, Any] | None) -> str:
    if scope is None or scope == {"type": "default"}:
        return "default"
    return json.dumps(scope, sort_keys=True)


def _same_markup(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    def norm(markup: dict[str, Any] | None) -> Any:
        if not markup or not markup.get("inline_keyboard"):
            return None
        return json.dumps(markup, sort_keys=True)

    return bool(norm(a) == norm(b))


_COMMAND_ENTITY_RE: Final = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?")
_MENTION_RE: Final = re.compile(r"(?<![\w@/])@[A-Za-z0-9_]{5,32}")


def _detect_entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram's clients/servers attach to a user's text: bot_command and mention."""
    spans: list[tuple[int, int, str]] = []
    for match in _COMMAND_ENTITY_RE.finditer(text):
        spans.append((match.start(), match.end(), "bot_command"))
    for match in _MENTION_RE.finditer(text):
        if not any(s <= match.start() < e for s, e, _ in spans):
            spans.append((match.start(), match.end(), "mention"))
    spans.sort()
    return [
        {"type": kind, "offset": utf16_len(text[:start]), "length": utf16_len(text[start:end])}
        for start, end, kind in spans
    ]


AnyApplication = Application[Any, Any, Any, Any, Any, Any]


@asynccontextmanager
async def polling(app: AnyApplication, *, timeout: int = 1) -> AsyncIterator[AnyApplication]:
    """Initialise and start a PTB Application and its long polling (against the fake its ``base_url``
    points at); stop everything on exit, as ``run_polling`` would, but inside the caller's event loop::

        app = ApplicationBuilder().token(api.token).base_url(api.base_url).build()
        async with polling(app):
            api.send_private_message(42, "hi")
            await api.wait_for_messages_async(42)
    """
    if app.updater is None:
        raise ValueError("the Application was built without an Updater")
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=timeout)
        try:
            yield app
        finally:
            if app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
