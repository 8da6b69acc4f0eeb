"""Two bot processes (two real Applications in webhook mode, each with its own webhook server) sharing their
state in a real redis-server, against the fake Bot API: a button on an answer from one is served by the other,
and an update delivered to both is answered once."""

from __future__ import annotations

import concurrent.futures
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot import format
from bot.settings import BotSettings
from tests.support.bot_corpus import MAYOR_SENTENCE, QUESTION, write_corpus
from tests.support.bot_harness import OPEN, USER, bot_settings, build_test_index, callback_answer_to, running_bot
from tests.support.fake_bot_api import FakeBotApi, SentUpdate
from tests.support.net import free_port
from tests.support.redis_server import redis_server

SECRET = "shared-webhook-secret-of-both-processes-0123456789"


@pytest.fixture()
def redis_url(tmp_path: Path) -> Iterator[str]:
    with redis_server(tmp_path / "redis") as url:
        yield url


def process_settings(api: FakeBotApi, tmp_path: Path, redis_url: str | None, n: int) -> BotSettings:
    port = free_port()
    return bot_settings(
        api, tmp_path / "corpus", tmp_path / "index", telegram_webhook_url=f"https://bot.example/hook/{port}",
        telegram_webhook_listen="127.0.0.1", telegram_webhook_port=port, telegram_webhook_secret=SECRET,
        telegram_state_url=redis_url, telegram_state_file=tmp_path / f"state-{n}.sqlite",
    )


def deliver(api: FakeBotApi, sent: SentUpdate, settings: BotSettings) -> None:
    """POST the update to one process's webhook, as Telegram (or a load balancer) would."""
    url = f"http://127.0.0.1:{settings.telegram_webhook_port}/hook/{settings.telegram_webhook_port}"
    done = httpx.post(url, json=api.webhook_update(sent.update_id),
                      headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}, timeout=30)
    assert done.status_code == 200


def answer_and_press_context(api: FakeBotApi, tmp_path: Path, redis_url: str | None) -> str | None:
    """Ask process 1, press "Context [1]" on its answer at process 2; process 2's answer to the press."""
    first, second = (process_settings(api, tmp_path, redis_url, n) for n in (1, 2))
    with running_bot(api, first, config=OPEN), running_bot(api, second, config=OPEN):
        deliver(api, api.send_private_message(USER, QUESTION), first)
        [answer] = api.wait_for_messages(USER, 1)
        assert answer.message_id is not None
        context_button = next(b["text"] for b in answer.buttons if b["text"].startswith("Context"))
        pressed = api.press_button(USER, answer.message_id, button_text=context_button)
        deliver(api, pressed, second)
        replied = callback_answer_to(api, pressed)
        if replied.text is None:
            api.wait_for_messages(USER, 2)
    api.assert_no_errors()
    return replied.text


def test_a_button_from_process_1_is_served_by_process_2(tmp_path: Path, redis_url: str) -> None:
    write_corpus(tmp_path)
    build_test_index(tmp_path / "corpus", tmp_path / "index")
    with FakeBotApi() as api:
        api.add_chat(USER, "private")
        assert answer_and_press_context(api, tmp_path, redis_url) is None  # no alert: it was served
        context = api.messages_to(USER)[-1]
        assert MAYOR_SENTENCE in context.text


def test_with_sqlite_state_the_other_process_does_not_know_the_answer(tmp_path: Path) -> None:
    """The control: what the shared store fixes."""
    write_corpus(tmp_path)
    build_test_index(tmp_path / "corpus", tmp_path / "index")
    with FakeBotApi() as api:
        api.add_chat(USER, "private")
        assert answer_and_press_context(api, tmp_path, None) == format.EXPIRED


def test_an_update_delivered_to_both_processes_is_answered_once(tmp_path: Path, redis_url: str) -> None:
    write_corpus(tmp_path)
    build_test_index(tmp_path / "corpus", tmp_path / "index")
    with FakeBotApi() as api:
        api.add_chat(USER, "private")
        first, second = (process_settings(api, tmp_path, redis_url, n) for n in (1, 2))
        with running_bot(api, first, config=OPEN), running_bot(api, second, config=OPEN):
            updates = [api.send_private_message(USER, f"{QUESTION} ({i})") for i in range(5)]
            with concurrent.futures.ThreadPoolExecutor(10) as pool:  # both at once, as after a failover
                jobs = [pool.submit(deliver, api, u, s) for u in updates for s in (first, second)]
                for job in jobs:
                    job.result()
            api.wait_for_messages(USER, 5)
            api.wait_for_requests("sendMessage", 5)
        sent = api.calls("sendMessage", ok=True)
        assert len(sent) == 5  # one answer per update, never two
        api.assert_no_errors()
