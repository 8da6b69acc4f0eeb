"""Running the real ``verbatim`` command (retrieval.cli.main.main) in this process, with the FakeEmbedder.

    cli = FakeCli(monkeypatch, capsys, tmp_path)     # cwd = tmp_path: ./corpus (the bot corpus), ./index
    run = cli("ask", "--json", stdin=b"question\\n")  # -> Run(code, out, err)

Everything but the model is real: argument parsing, settings from the environment, the index build, the
engine, the output. stdin is bytes (as a terminal or a pipe gives them); ``tty=True`` makes it a terminal.
"""

from __future__ import annotations

import io
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from retrieval.cli.main import main
from retrieval.search import service
from tests.support.bot_corpus import write_corpus
from tests.support.fake_embedder import FakeEmbedder

SETTINGS_ENV = ("CORPUS_DIR", "INDEX_DIR", "TOP_K", "MAX_QUESTION_CHARS", "QUESTION_LANGUAGES", "MAX_FILE_MB",
                "EMBEDDING_BACKEND", "VECTOR_BACKEND")


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


class _Stdin(io.TextIOWrapper):
    def __init__(self, data: bytes, tty: bool) -> None:
        super().__init__(io.BytesIO(data), encoding="utf-8", errors="surrogateescape")
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


class FakeCli:
    def __init__(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], root: Path,
        embedder: Any | None = None, corpus: bool = True,
    ) -> None:
        self.monkeypatch, self.capsys, self.root = monkeypatch, capsys, root
        self.embedder = embedder or FakeEmbedder()
        for name in SETTINGS_ENV:
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("EMBEDDING_MODEL", self.embedder.name)
        monkeypatch.chdir(root)  # default ./corpus and ./index; no .env from the repository
        monkeypatch.setattr(service, "make_embedder", lambda settings: self.embedder)
        if corpus:
            write_corpus(root)

    @property
    def corpus(self) -> Path:
        return self.root / "corpus"

    @property
    def index(self) -> Path:
        return self.root / "index"

    def __call__(self, *argv: str, stdin: bytes = b"", tty: bool = False) -> Run:
        self.capsys.readouterr()
        self.monkeypatch.setattr(sys, "stdin", _Stdin(stdin, tty))
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse
            code = int(exc.code or 0)
        out, err = self.capsys.readouterr()
        return Run(code, out, err)
