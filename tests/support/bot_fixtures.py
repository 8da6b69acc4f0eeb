"""Fixtures of the bot's end-to-end tests; a test module loads them with
``pytest_plugins = ("tests.support.bot_fixtures",)``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.bot_corpus import write_corpus
from tests.support.bot_harness import build_test_index
from tests.support.fake_bot_api import FakeBotApi


@pytest.fixture()
def api() -> Iterator[FakeBotApi]:
    """A fresh fake Bot API server on 127.0.0.1."""
    with FakeBotApi() as server:
        yield server


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """The small test corpus in tmp_path/corpus, indexed (FakeEmbedder) into tmp_path/index."""
    corpus = write_corpus(tmp_path)
    build_test_index(corpus, tmp_path / "index")
    return corpus
