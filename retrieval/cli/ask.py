"""``verbatim ask``: answer questions with quotes, text for people or ``--json`` (JSON Lines) for scripts.

One question from the arguments, or one per line from stdin (a prompt first when stdin is a terminal).
Input is decoded safely (a byte that is not UTF-8 becomes U+FFFD) and each line is answered on its own:
exactly one answer, or one error, per input line, in order. A question that cannot be asked (empty, too
long, not in English: search/intake.py) is an input error: from the arguments, one line on stderr and exit
status 2; in a batch, an error object (``"error"``) for its line, the batch goes on, and the exit status
is 2 at the end. A note on stderr says when the corpus changed after the index was built (freshness.py).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from retrieval.cli.options import add_location_flags
from retrieval.errors import QuestionError, VerbatimError
from retrieval.settings import TOP_K_MAX, TOP_K_MIN, Settings

PROMPT = "Type a question and press Enter (Ctrl-D to end); `verbatim ask \"question\"` asks just one."


def register(sub: Any) -> None:
    parser = sub.add_parser("ask", help="answer questions with quotes (one per stdin line if none is given)")
    add_location_flags(parser)
    parser.add_argument("question", nargs="*", help="the question; omit it to read one question per line from stdin")
    parser.add_argument("--json", action="store_true", help="print one JSON object per question")
    parser.add_argument("-k", type=int, default=None,
                        help=f"how many quotes, {TOP_K_MIN} to {TOP_K_MAX} (default: TOP_K)")
    parser.set_defaults(handler=cmd_ask)


def quote_count(k: int | None, settings: Settings) -> int:
    """-k, checked against the bounds TOP_K has (settings.py), or TOP_K."""
    if k is None:
        return settings.top_k
    if not TOP_K_MIN <= k <= TOP_K_MAX:
        raise VerbatimError(f"-k takes a number of quotes from {TOP_K_MIN} to {TOP_K_MAX}, not {k}")
    return k


def stdin_lines() -> Iterator[str]:
    """stdin, one decoded line at a time (read as bytes: a byte that is not UTF-8 cannot stop the batch)."""
    from retrieval.search.intake import decode_line

    for raw in sys.stdin.buffer:
        yield decode_line(raw)


def staleness_note(settings: Settings, explicit_corpus: bool, generation: Path) -> str | None:
    """One line for stderr when the corpus changed after the index was built, else None."""
    from retrieval.index.freshness import corpus_changes
    from retrieval.index.layout import index_command

    changes = corpus_changes(generation, settings.corpus_dir if explicit_corpus else None)
    if not changes:
        return None
    return (f"verbatim: note: the corpus changed after the index was built: {changes.summary()}; quotes may be "
            f"out of date. Update the index with {index_command(settings.index_dir)}.")


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from retrieval.cli.render import answer_json, answer_text, refused_json, refused_text
    from retrieval.corpus.scan import require_corpus
    from retrieval.search.intake import QuestionRules, clean_text, refusal
    from retrieval.search.service import make_embedder, open_engine

    k = quote_count(args.k, settings)
    rules = QuestionRules.of(settings)
    explicit_corpus = args.corpus is not None or "corpus_dir" in settings.model_fields_set
    if args.corpus is not None:
        require_corpus(settings.corpus_dir)
    single = clean_text(" ".join(args.question)) if args.question else None
    if single is not None:
        refused = refusal(single, rules)
        if refused is not None:
            raise QuestionError(refused.message)
    engine = open_engine(settings, make_embedder(settings))
    note = staleness_note(settings, explicit_corpus, engine.index.folder)
    if note:
        print(note, file=sys.stderr)

    def show(question: str) -> bool:
        """Answer one question (or say why not); False when it was refused."""
        refused = refusal(question, rules)
        if refused is not None:
            print(refused_json(question, refused.message) if args.json else refused_text(question, refused.message),
                  flush=True)
            return False
        answer = engine.ask(question, k=k)
        print(answer_json(answer) if args.json else answer_text(answer), flush=True)
        return True

    if single is not None:
        show(single)
        return 0
    interactive = sys.stdin.isatty()
    if interactive:
        print(PROMPT, file=sys.stderr, flush=True)
    asked = refused_lines = 0
    for question in stdin_lines():
        if interactive and not question.strip():
            continue  # a person pressing Enter: nothing to answer, and no file to keep aligned with
        if asked and not args.json:
            print()
        asked += 1
        refused_lines += not show(question)
    if refused_lines:
        print(f"verbatim: {refused_lines} of {asked} questions were not asked (see their errors)", file=sys.stderr)
        return 2
    return 0
