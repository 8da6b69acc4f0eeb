"""Getting the bot's messages to Telegram when Telegram or the network misbehaves.

The rule: **a request is repeated only when Telegram surely did not act on it**, so that a question is
answered once, never twice (a repeated ``sendMessage`` that had in fact gone through would show the answer
twice; python-telegram-bot#1045).

Repeated, with exponential backoff for up to ``RetryPolicy.give_up_after`` seconds (``TelegramRequest``):

* HTTP 500, 502 and 503: Telegram, or its front end, answered that it failed the request;
* the request was never sent: no connection (refused, connect timeout, no free connection in the pool) or
  an error while writing it;
* a dropped connection: the server closed it without a single byte of an answer (a stale keep-alive
  connection, a front end restarting). Telegram's front end answers 502/504 itself when something fails
  behind it, so a connection closed without any answer never reached the Bot API.

Repeated after the wait Telegram asks for: 429 Too Many Requests (``RetryAfter``, AIORateLimiter in app.py).

Not repeated: a request that timed out waiting for the answer (a read timeout) or got a 504 Gateway Timeout
(both raised as ``TimedOut``). Telegram received it and may have delivered the message; the bot logs a
warning and goes on (the other parts of a long answer are still sent). If that message was in fact lost, the
user gets no answer rather than two. ``RetryPolicy.read_timeout`` is long so that only a stuck server gets
there.

Refused (400 Bad Request, e.g. "can't parse entities"): :func:`reply` sends the message again once, as plain
text: the same words without formatting, so quotes stay verbatim, with the same buttons.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from dataclasses import dataclass
from typing import Any, Final

import httpx
from telegram import InlineKeyboardMarkup, Message
from telegram.error import BadRequest, NetworkError, TimedOut
from telegram.request import HTTPXRequest, RequestData

from bot.html import plain_text

log = logging.getLogger(__name__)

RETRY_STATUSES: Final = frozenset({500, 502, 503})
GATEWAY_TIMEOUT: Final = 504  # raised as TimedOut: the request may have been processed
NOT_SENT: Final = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.WriteError, httpx.WriteTimeout)
DROPPED: Final = "without sending a response"  # httpcore's RemoteProtocolError when no answer came at all


@dataclass(frozen=True)
class RetryPolicy:
    """How long to wait for Telegram, and how to repeat requests it surely did not act on."""

    read_timeout: float = 15.0  # seconds to wait for an answer; past it a request is never repeated
    first_delay: float = 0.5  # before the first repetition; doubled each time ...
    max_delay: float = 10.0  # ... up to this
    give_up_after: float = 120.0  # no repetition starts later than this after the first attempt

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        return min(self.max_delay, self.first_delay * 2.0 ** (attempt - 1))


def not_delivered(error: NetworkError) -> str | None:
    """Why Telegram surely did not act on a request that failed with ``error``; None when it may have."""
    cause = error.__cause__
    if isinstance(cause, NOT_SENT):
        return f"not sent: {cause.__class__.__name__}"
    if isinstance(cause, httpx.RemoteProtocolError) and DROPPED in str(cause):
        return "connection dropped without an answer"
    return None


class TelegramRequest(HTTPXRequest):
    """PTB's HTTP client, repeating the requests that Telegram surely did not act on (see the module)."""

    def __init__(self, policy: RetryPolicy, connection_pool_size: int = 256) -> None:
        super().__init__(connection_pool_size=connection_pool_size, read_timeout=policy.read_timeout)
        self.policy = policy

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        write_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        connect_timeout: Any = HTTPXRequest.DEFAULT_NONE,
        pool_timeout: Any = HTTPXRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]  # never the URL: it holds the token
        started = time.monotonic()
        for attempt in itertools.count(1):
            failure: NetworkError | None = None
            try:
                code, payload = await super().do_request(
                    url, method, request_data, read_timeout, write_timeout, connect_timeout, pool_timeout
                )
            except NetworkError as exc:  # TimedOut included
                reason = not_delivered(exc)
                if reason is None:
                    raise
                failure = exc
            else:
                if code == GATEWAY_TIMEOUT:  # Telegram's front end gave up waiting: it may have gone through
                    raise TimedOut(f"{endpoint}: 504 Gateway Timeout from the Bot API server")
                if code not in RETRY_STATUSES:
                    return code, payload
                reason = f"HTTP {code}"
            delay = self.policy.delay(attempt)
            if time.monotonic() + delay - started > self.policy.give_up_after:
                log.warning("%s failed %d times (last: %s); giving up", endpoint, attempt, reason)
                if failure is not None:
                    raise failure
                return code, payload  # PTB raises its NetworkError for the status
            log.info("%s failed (%s); trying again in %.2f s", endpoint, reason, delay)
            await asyncio.sleep(delay)
        raise AssertionError("unreachable")


async def reply(
    message: Message,
    html: str,
    *,
    reply_markup: InlineKeyboardMarkup | None = None,
    do_quote: bool | None = None,
) -> Message | None:
    """Send ``html`` in reply to ``message``, as plain text if Telegram refuses it. None when Telegram did
    not answer in time: the message may have arrived, and is not sent again."""
    try:
        try:
            return await message.reply_html(html, do_quote=do_quote, reply_markup=reply_markup)
        except BadRequest as exc:
            log.warning("Telegram refused a message to chat %s (%s); sending it as plain text",
                        message.chat_id, exc.message)
            return await message.reply_text(plain_text(html), do_quote=do_quote, reply_markup=reply_markup)
    except TimedOut as exc:
        if not_delivered(exc):
            raise
        log.warning("Telegram did not answer in time about a message to chat %s; it may have been delivered, "
                    "so it is not sent again", message.chat_id)
        return None
