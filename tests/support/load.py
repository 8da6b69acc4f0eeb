"""The load scenario: many simulated chats ask at once, an admin reindexes in the middle, against the fake
Bot API. Shared by tests/bot/test_bot_load.py (fake embedder: nothing lost or doubled) and benchmarks/load.py
(real model: answer latency under that load).

Each chat asks its questions one after another, the next as soon as the answer to the previous one has
arrived, as a person would; so ``chats`` questions are in flight at any time. When half of all questions have
been sent, ``before_reindex()`` runs (e.g. adds an article) and the admin sends /reindex. The bot may run in
this process or in another one: the driver only talks to the fake server.

An answer is the bot's messages in the chat from the question on, up to and including the first one that
ends an answer: one with buttons (the last part of a page of quotes) or one without a quote (not found, too
long, an apology). Latency is from just before the question is put on the fake server to the moment the
fake finished storing that last message.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from tests.support.fake_bot_api import FakeBotApi, RecordedRequest

REINDEX_DONE = ("Reindex done", "Index already up to date", "Reindex failed")


@dataclass
class Asked:
    """One question of one chat, and the messages that answered it."""

    chat: int
    number: int  # 0-based, within the chat
    question: str
    sent_at: float  # time.monotonic()
    answered_at: float | None = None
    parts: list[dict[str, Any]] = field(default_factory=list)  # the Bot API messages of the answer

    @property
    def latency(self) -> float:
        assert self.answered_at is not None
        return self.answered_at - self.sent_at

    @property
    def text(self) -> str:
        return "\n".join(str(p.get("text", "")) for p in self.parts)


@dataclass
class LoadResult:
    asked: list[Asked]
    seconds: float  # first question sent to last answer received
    extra: list[dict[str, Any]]  # bot messages in a chat with no question in flight (duplicates)
    reindex_text: str | None  # the admin's status message at the end
    reindex_seconds: float | None  # /reindex sent to its final status

    def latencies(self) -> list[float]:
        return sorted(a.latency for a in self.asked if a.answered_at is not None)

    def percentile(self, q: float) -> float:
        """The q-th percentile of the answer latencies, in seconds (nearest rank)."""
        values = self.latencies()
        rank = max(0, min(len(values) - 1, round(q / 100 * len(values) + 0.5) - 1))
        return values[rank]

    def summary(self) -> str:
        values = self.latencies()
        return (
            f"{len(values)} answers in {self.seconds:.1f} s ({len(values) / self.seconds:.1f}/s); latency p50 "
            f"{self.percentile(50):.3f} s, p99 {self.percentile(99):.3f} s, mean {statistics.fmean(values):.3f} "
            f"s, max {values[-1]:.3f} s"
        )


def _ends_answer(message: dict[str, Any]) -> bool:
    if message.get("reply_markup"):
        return True
    return not any(e.get("type") == "blockquote" for e in message.get("entities", ()))


class _Driver:
    def __init__(
        self,
        api: FakeBotApi,
        chats: Sequence[int],
        questions: Callable[[int, int], str],
        per_chat: int,
        admin: int | None,
        before_reindex: Callable[[], None] | None,
    ) -> None:
        self.api = api
        self.chats = set(chats)
        self.questions = questions
        self.per_chat = per_chat
        self.admin = admin
        self.before_reindex = before_reindex
        self.in_flight: dict[int, Asked] = {}
        self.asked: list[Asked] = []
        self.extra: list[dict[str, Any]] = []
        self.seen = 0  # sendMessage requests processed
        self.reindex_sent_at: float | None = None

    def ask(self, chat: int, number: int) -> None:
        question = self.questions(chat, number)
        asked = Asked(chat, number, question, time.monotonic())
        self.in_flight[chat] = asked
        self.asked.append(asked)
        self.api.send_private_message(chat, question)
        if self.admin is not None and self.reindex_sent_at is None and 2 * len(self.asked) >= self.total:
            if self.before_reindex is not None:
                self.before_reindex()
            self.reindex_sent_at = time.monotonic()
            self.api.send_private_message(self.admin, "/reindex")

    @property
    def total(self) -> int:
        return len(self.chats) * self.per_chat

    def take(self, request: RecordedRequest) -> None:
        if not request.ok:
            return
        message = request.result
        chat = message["chat"]["id"]
        if chat not in self.chats:
            return
        asked = self.in_flight.get(chat)
        if asked is None:
            self.extra.append(message)
            return
        asked.parts.append(message)
        if _ends_answer(message):
            asked.answered_at = request.finished_at
            del self.in_flight[chat]
            if asked.number + 1 < self.per_chat:
                self.ask(chat, asked.number + 1)

    def run(self, stall_timeout: float) -> LoadResult:
        started = time.monotonic()
        for chat in sorted(self.chats):
            self.ask(chat, 0)
        while self.in_flight:
            requests = self.api.wait_for_requests("sendMessage", self.seen + 1, timeout=stall_timeout)
            for request in requests[self.seen :]:
                self.take(request)
            self.seen = len(requests)
        finished = max(a.answered_at or 0.0 for a in self.asked)
        reindex_text, reindex_seconds = self.reindex_outcome(stall_timeout)
        return LoadResult(self.asked, finished - started, self.extra, reindex_text, reindex_seconds)

    def reindex_outcome(self, timeout: float) -> tuple[str | None, float | None]:
        if self.admin is None or self.reindex_sent_at is None:
            return None, None
        admin = self.admin

        def final() -> str | None:
            found = [m.text for m in self.api.messages_to(admin) if m.text.startswith(REINDEX_DONE)]
            return found[-1] if found else None

        text = self.api.wait_until(final, timeout=timeout, description="the reindex summary")
        done = max(r.finished_at for method in ("sendMessage", "editMessageText")
                   for r in self.api.calls(method, ok=True) if r.params.get("chat_id") == admin)
        return text, done - self.reindex_sent_at


def run_load(
    api: FakeBotApi,
    chats: Sequence[int],
    questions: Callable[[int, int], str],
    *,
    per_chat: int,
    admin: int | None = None,
    before_reindex: Callable[[], None] | None = None,
    stall_timeout: float = 60.0,
) -> LoadResult:
    """Run the scenario against the bot polling ``api``; ``questions(chat, n)`` is chat's n-th question.
    Fails (AssertionError) if no answer arrives for ``stall_timeout`` seconds."""
    driver = _Driver(api, chats, questions, per_chat, admin, before_reindex)
    return driver.run(stall_timeout)
