"""``verbatim ask``: answer questions with quotes, text for people or ``--json`` (JSON Lines) for scripts."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from typing import Any

from retrieval.cli.options import add_location_flags
from retrieval.settings import Settings


def register(sub: Any) -> None:
    parser = sub.add_parser("ask", help="answer questions with quotes (one per stdin line if none is given)")
    add_location_flags(parser)
    parser.add_argument("question", nargs="*", help="the question; omit it to read one question per line from stdin")
    parser.add_argument("--json", action="store_true", help="print one JSON object per question")
    parser.add_argument("-k", type=int, default=None, help="how many quotes (default: TOP_K)")
    parser.set_defaults(handler=cmd_ask)


def _questions(args: argparse.Namespace) -> Iterator[str]:
    if args.question:
        yield " ".join(args.question)
        return
    for line in sys.stdin:
        line = line.rstrip("\n")
        if line.strip():
            yield line


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from retrieval.cli.render import answer_json, answer_text
    from retrieval.search.service import make_embedder, open_engine

    engine = open_engine(settings, make_embedder(settings))
    k = args.k or settings.top_k
    first = True
    for question in _questions(args):
        answer = engine.ask(question, k=k)
        if args.json:
            print(answer_json(answer), flush=True)
        else:
            if not first:
                print()
            print(answer_text(answer), flush=True)
        first = False
    return 0
