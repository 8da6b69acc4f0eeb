"""The ``verbatim`` command: a thin layer over the library.

    verbatim index [--rebuild]          build or update the index of the corpus folder
    verbatim ask "question" [--json]    answer one question (or one per line from stdin)
    verbatim text SOURCE                print the text SOURCE was indexed with (what quotes point into)
    verbatim eval reqa [path]           ReQA SQuAD: P@1, MRR@10, R@5 of dense, BM25 and the pipeline

Other packages add subcommands through the ``verbatim.commands`` entry point group (the bot adds
``serve``), so this module never imports them. Settings are built once here and passed down.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
from collections.abc import Sequence
from importlib.metadata import entry_points
from types import FrameType
from typing import Any, NoReturn

from pydantic import ValidationError

from retrieval.cli import ask, index, text
from retrieval.cli import eval as eval_command
from retrieval.cli.options import Handler, Terminated, add_location_flags, interrupted, setting_errors, settings_from
from retrieval.errors import VerbatimError

__all__ = ["add_location_flags", "build_parser", "main", "settings_from"]


def _quiet_libraries() -> None:
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    logging.getLogger("sentence_transformers").setLevel(logging.WARNING)


class _Formatter(logging.Formatter):
    """Verbatim's own notices (INFO from ``retrieval``, e.g. the one-time ONNX export) as ``verbatim: ...``;
    warnings and errors with their level and logger, as before."""

    def format(self, record: logging.LogRecord) -> str:
        if record.levelno < logging.WARNING and record.name.startswith("retrieval"):
            return f"verbatim: {record.getMessage()}"
        return f"{record.levelname} {record.name}: {super().format(record)}"


def _configure_logging() -> None:
    root = logging.getLogger()
    if not root.handlers:  # (a host that configured logging, e.g. a test runner, keeps its own)
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(_Formatter())
        root.addHandler(handler)
        root.setLevel(logging.WARNING)
    logging.getLogger("retrieval").setLevel(logging.INFO)


class Parser(argparse.ArgumentParser):
    """argparse, with a usage error in one line on stderr (exit status 2), as every bad input is."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (see `{self.prog} --help`)\n")


def build_parser() -> tuple[argparse.ArgumentParser, Any]:
    parser = Parser(prog="verbatim", description="Exact, cited quotes from a folder of articles.")
    sub = parser.add_subparsers(dest="command", required=True)

    for register in (index.register, ask.register, text.register, eval_command.register):
        register(sub)
    for ep in entry_points(group="verbatim.commands"):
        ep.load()(sub)
    return parser, sub


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated()


def main(argv: Sequence[str] | None = None) -> int:
    _quiet_libraries()
    _configure_logging()
    parser, _ = build_parser()
    args = parser.parse_args(argv)
    try:  # SIGTERM (a `kill`, a CI timeout) stops the command the way Ctrl-C does, clean-ups included
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread
        previous = None
    try:
        return _run(args)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _run(args: argparse.Namespace) -> int:
    try:
        settings = settings_from(args)
        handler: Handler = args.handler
        return handler(args, settings)
    except VerbatimError as exc:
        print(f"verbatim: {exc}", file=sys.stderr)
        return 2
    except ValidationError as exc:  # a bad setting: name it and say what is wrong, in one line each
        for line in setting_errors(exc):
            print(f"verbatim: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        return interrupted(exc)
    except BrokenPipeError:  # `verbatim ask ... | head`: the reader left early; as the Python docs advise,
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no traceback at exit either
        return 0


if __name__ == "__main__":
    sys.exit(main())
