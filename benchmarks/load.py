"""Answer latency under load, real model: ``python -m benchmarks.load`` writes benchmarks/LOAD.md.

The scenario of tests/bot/test_bot_load.py (tests/support/load.py): 50 chats ask 20 questions each, each chat
the next question as soon as its answer has arrived, all chats at once, and an admin /reindex in the middle
(a new article is added to the corpus just before), against the fake Bot API server. Here the bot is
``verbatim serve`` as deployed, in its own process: the real model (EMBEDDING_BACKEND=onnx-int8), a copy of
corpus/, the default rate limiter and retry policy. The fake server and the simulated chats run in this
process. Latency = the question put on the fake server -> the last message of its answer stored by it.

Before the load, one chat asks 20 questions alone: the latency without load, for comparison.

    python -m benchmarks.load                                  # 50 x 20, writes benchmarks/LOAD.md
    LOAD_CHATS=5 LOAD_QUESTIONS=4 python -m benchmarks.load    # a quick look; prints, writes nothing

``measure()`` and ``render()`` are what benchmarks/run.py may call.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.procs import REPO, bench_env, verbatim
from tests.support.fake_bot_api import FakeBotApi
from tests.support.load import LoadResult, run_load

LOAD_MD = REPO / "benchmarks" / "LOAD.md"
GOLD = REPO / "tests" / "data" / "corpus_questions.jsonl"
CHATS = int(os.environ.get("LOAD_CHATS", "50"))
PER_CHAT = int(os.environ.get("LOAD_QUESTIONS", "20"))
ADMIN = 900_001
FIRST_CHAT = 3_000_001
ALONE = 2_999_999  # the chat asking alone before the load
COMMAND = "python -m benchmarks.load"
NEW_ARTICLE = (
    "Harbour festival draws record crowds\n\n"
    "The harbour festival drew a record 40,000 visitors on Saturday, organisers said. "
    "Fireworks closed the evening over the old docks.\n\n"
    "'We have never seen the quay this full,' the festival director told reporters.\n"
)


@dataclass(frozen=True)
class LoadFigures:
    chats: int
    per_chat: int
    answers: int
    seconds: float  # first question to last answer
    p50: float  # seconds
    p95: float
    p99: float
    mean: float
    max: float
    reindex_seconds: float | None  # /reindex sent to its final status, under the load
    reindex_text: str | None
    alone_p50: float  # one chat asking alone, before the load
    alone_p99: float
    not_found: int  # answers that were "Not found." (the gold set has unanswerable questions)

    @property
    def throughput(self) -> float:
        return self.answers / self.seconds


def gold_questions() -> list[str]:
    rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [str(r["question"]) for r in rows]


def checked(api: FakeBotApi, result: LoadResult) -> LoadResult:
    """Every question answered once: an answer each, nothing extra, every message of the chats accounted for."""
    missing = [a for a in result.asked if a.answered_at is None]
    if missing or result.extra:
        raise RuntimeError(f"{len(missing)} questions unanswered, {len(result.extra)} messages extra")
    for chat in {a.chat for a in result.asked}:
        parts = sum(len(a.parts) for a in result.asked if a.chat == chat)
        if len(api.messages_to(chat)) != parts:
            raise RuntimeError(f"chat {chat}: {len(api.messages_to(chat))} messages for {parts} answer parts")
    api.assert_no_errors()
    return result


def start_serve(api: FakeBotApi, work: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in bench_env().items() if not k.startswith(("TELEGRAM_", "ADMIN_USER_IDS", "LOG_LEVEL"))}
    env.update(
        CORPUS_DIR=str(work / "corpus"), INDEX_DIR=str(work / "index"), TELEGRAM_BOT_TOKEN=api.token,
        TELEGRAM_BASE_URL=api.base_url, ADMIN_USER_IDS=str(ADMIN), LOG_LEVEL="WARNING",
        NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost",
    )
    subprocess.run(verbatim("index"), env=env, cwd=work, check=True, capture_output=True)
    log = (work / "serve.log").open("wb")
    process = subprocess.Popen(verbatim("serve"), env=env, cwd=work, stdout=log, stderr=subprocess.STDOUT)
    api.wait_until(lambda: process.poll() is not None or api.calls("getUpdates"), timeout=180,
                   description="verbatim serve to start polling")
    if process.poll() is not None:
        raise RuntimeError(f"verbatim serve exited:\n{(work / 'serve.log').read_text()[-3000:]}")
    return process


def stop_serve(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def measure(work: Path, chats: int = CHATS, per_chat: int = PER_CHAT) -> LoadFigures:
    """Run the scenario against ``verbatim serve`` over a copy of corpus/ in ``work`` (emptied first)."""
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(REPO / "corpus", work / "corpus")
    questions = gold_questions()

    def ask(chat: int, n: int) -> str:
        return questions[(chat * 7 + n) % len(questions)]

    def add_article() -> None:
        (work / "corpus" / "zz_harbour_festival.txt").write_text(NEW_ARTICLE, encoding="utf-8")

    with FakeBotApi(token=f"123456:LOAD-{secrets.token_urlsafe(24)}") as api:
        process = start_serve(api, work)
        try:
            run_load(api, [ALONE - 1], ask, per_chat=3, stall_timeout=120)  # warm-up
            alone = checked(api, run_load(api, [ALONE], ask, per_chat=per_chat, stall_timeout=120))
            chat_ids = range(FIRST_CHAT, FIRST_CHAT + chats)
            loaded = run_load(api, chat_ids, ask, per_chat=per_chat, admin=ADMIN, before_reindex=add_article,
                              stall_timeout=120)
        finally:
            stop_serve(process)
        checked(api, loaded)  # again, now that the bot has stopped: nothing arrived late
    values = loaded.latencies()
    return LoadFigures(
        chats=chats, per_chat=per_chat, answers=len(values), seconds=loaded.seconds,
        p50=loaded.percentile(50), p95=loaded.percentile(95), p99=loaded.percentile(99),
        mean=sum(values) / len(values), max=values[-1],
        reindex_seconds=loaded.reindex_seconds, reindex_text=loaded.reindex_text,
        alone_p50=alone.percentile(50), alone_p99=alone.percentile(99),
        not_found=sum(a.text.startswith("Not found.") for a in loaded.asked),
    )


def code_version() -> str:
    """The commit measured, and whether the working tree had changes to the code on top of it."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, check=False).stdout.strip()

    changed = git("status", "--porcelain", "--", "bot", "retrieval")
    return git("rev-parse", "--short", "HEAD") + (" with uncommitted changes to bot/ or retrieval/" if changed else "")


def render(f: LoadFigures, started: str, machine: str, load_average: str) -> str:
    reindex = (
        f"{f.reindex_seconds:.1f} s, under the load ({(f.reindex_text or '').splitlines()[0]})"
        if f.reindex_seconds is not None else "not run"
    )
    lines = [
        "# Verbatim bot: answer latency under load",
        "",
        f"- Date: {started} (UTC).",
        f"- Machine: {machine}; load average at the end: {load_average} (2 shared cores: figures vary from run "
        "to run).",
        f"- Command: `{COMMAND}` (`make`'s environment: HF_HUB_OFFLINE=1); code: {code_version()}.",
        f"- Scenario: {f.chats} chats × {f.per_chat} questions, each chat asking its next question as soon as the "
        f"answer to the previous one arrived, all chats at once ({f.chats} questions in flight); an admin "
        "/reindex when half of the questions had been sent, after adding an article to the corpus. Questions: "
        "the gold set (tests/data/corpus_questions.jsonl), cycled.",
        "- Bot: `verbatim serve` in its own process, real model (EMBEDDING_BACKEND=onnx-int8), a copy of corpus/, "
        "the default rate limiter (PTB's AIORateLimiter: 30 messages/s overall) and retry policy, long polling "
        "against the fake Bot API server (tests/support/fake_bot_api.py) and the simulated chats in the "
        "benchmark's process.",
        "- Latency: the question put on the fake server → the last message of its answer stored by the fake "
        "(long poll, PTB, engine, state file, rate limiter, HTTP).",
        "",
        "| measure | value |",
        "| --- | --- |",
        f"| answers (each question exactly once) | {f.answers:,} ({f.not_found} of them \"Not found.\") |",
        f"| answer latency p50 under load | {f.p50 * 1000:,.0f} ms |",
        f"| answer latency p95 under load | {f.p95 * 1000:,.0f} ms |",
        f"| answer latency p99 under load | {f.p99 * 1000:,.0f} ms |",
        f"| answer latency mean / max under load | {f.mean * 1000:,.0f} / {f.max * 1000:,.0f} ms |",
        f"| throughput | {f.throughput:.1f} answers/s ({f.seconds:.1f} s for all) |",
        f"| admin /reindex during the load | {reindex} |",
        f"| one chat alone, before the load: latency p50 / p99 | {f.alone_p50 * 1000:,.0f} / "
        f"{f.alone_p99 * 1000:,.0f} ms |",
        "",
        "With a fixed number of questions in flight the latency is that number over the throughput (Little's law): "
        f"{f.chats} / {f.throughput:.1f} per s = {f.chats / f.throughput:.2f} s. The throughput is bounded by the "
        "rate limiter (Telegram allows a bot about 30 messages per second overall) and by the 2 cores, shared "
        "by the model, the bot and, here, the fake server with the simulated chats. The tail varies from run to "
        "run between one and two such cycles: the rate limiter (aiolimiter) lets a message that just arrived take "
        "a freed slot, and a waiting message that finds none goes back to the end of the queue.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    from benchmarks.run import load_average, machine

    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M")
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="verbatim-load-") as tmp:
        figures = measure(Path(tmp))
    report = render(figures, started, machine(), load_average())
    print(report)
    print(f"(took {time.perf_counter() - t0:.0f} s)")
    if (CHATS, PER_CHAT) == (50, 20):
        LOAD_MD.write_text(report, encoding="utf-8")
        print(f"wrote {LOAD_MD}")


if __name__ == "__main__":
    main()
