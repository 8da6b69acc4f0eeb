"""What every ``verbatim`` command shares: settings built once from the environment and the flags."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from retrieval.settings import Settings

Handler = Callable[[argparse.Namespace, Settings], int]


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is (as Ctrl-C is), so that every clean-up on the way out runs."""


def interrupted(exc: KeyboardInterrupt, note: str = "") -> int:
    """Say on stderr that the command was stopped (``note``: what was kept), in one line; the exit status."""
    what = "terminated" if isinstance(exc, Terminated) else "interrupted"
    print(f"verbatim: {what}{'; ' + note if note else ''}", file=sys.stderr)
    return 143 if isinstance(exc, Terminated) else 130


def setting_errors(exc: ValidationError) -> list[str]:
    """One line per bad setting: its environment name and what is wrong."""
    return [
        f"invalid setting {'.'.join(str(part) for part in err['loc']).upper() or 'settings'}: {err['msg']}"
        for err in exc.errors()
    ]


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings from the environment and .env, with --corpus/--index taking precedence."""
    overrides: dict[str, Any] = {}
    if getattr(args, "corpus", None) is not None:
        overrides["corpus_dir"] = args.corpus
    if getattr(args, "index", None) is not None:
        overrides["index_dir"] = args.index
    return Settings(**overrides)


def add_location_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--corpus", type=Path, help="corpus folder (default: CORPUS_DIR, else ./corpus)")
    parser.add_argument("--index", type=Path, help="index folder (default: INDEX_DIR, else ./index)")
