"""``verbatim eval``: answer quality on a benchmark (``reqa``: ReQA SQuAD)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from retrieval.errors import VerbatimError
from retrieval.settings import Settings


def register(sub: Any) -> None:
    parser = sub.add_parser("eval", help="measure answer quality on a public benchmark")
    eval_sub = parser.add_subparsers(dest="benchmark", required=True)
    reqa = eval_sub.add_parser(
        "reqa", help="ReQA SQuAD: index every dev paragraph, ask every question, print P@1, MRR@10, R@5"
    )
    reqa.add_argument("path", nargs="?", default=None,
                      help="SQuAD v1.1 dev JSON (default: ../shared/data/squad/dev-v1.1.json from the project root)")
    reqa.add_argument("--max-questions", type=int, default=None,
                      help="ask only this many questions, spread evenly over the file (default: all)")
    reqa.set_defaults(handler=cmd_eval_reqa)
    questions = eval_sub.add_parser(
        "questions", help="a question set with gold sentences (JSON Lines, see retrieval/eval/questionset.py): "
        "index the corpus, ask every question, print hit@1, hit@3, recall@5, wrong speaker first, not-found errors"
    )
    questions.add_argument("path", type=Path, help="the questions file (.jsonl)")
    questions.add_argument("--corpus", type=Path, default=None, help="the articles the gold sources are in "
                           "(default: CORPUS_DIR)")
    questions.add_argument("-k", type=int, default=5, help="quotes per question (default 5)")
    questions.add_argument("--json", action="store_true", help="print the scores as one JSON object")
    questions.set_defaults(handler=cmd_eval_questions)


DEFAULT_SQUAD = Path("..") / "shared" / "data" / "squad" / "dev-v1.1.json"  # from the project root, as CI lays it out


def cmd_eval_reqa(args: argparse.Namespace, settings: Settings) -> int:
    import tempfile

    from retrieval.cli.progress import progress_bar
    from retrieval.eval.reqa import format_report, run_reqa

    path = Path(args.path) if args.path else DEFAULT_SQUAD.resolve()
    if not path.is_file():
        raise VerbatimError(f"no SQuAD file at {path}; pass its path: `verbatim eval reqa PATH`")
    command = "verbatim eval reqa" + (f" {args.path}" if args.path else "")
    if args.max_questions:
        command += f" --max-questions {args.max_questions}"
    # Removed on the way out: normally, on Ctrl-C, and on SIGTERM (main turns it into an exception).
    with tempfile.TemporaryDirectory(prefix="verbatim-reqa-") as tmp:
        print(f"Indexing every paragraph of {path} (a minute or more) ...", file=sys.stderr)
        bar = progress_bar("questions", "question", args.max_questions or None)
        try:
            report = run_reqa(path, settings, Path(tmp), progress=bar.update, max_questions=args.max_questions)
        finally:
            bar.close()
    print(format_report(report, command))
    return 0


def cmd_eval_questions(args: argparse.Namespace, settings: Settings) -> int:
    import dataclasses
    import json
    import tempfile

    from tqdm import tqdm

    from retrieval.eval.questionset import format_scores, read_jsonl, run_questions

    if not args.path.is_file():
        raise VerbatimError(f"no questions file at {args.path}")
    if args.corpus is not None:
        settings = settings.model_copy(update={"corpus_dir": args.corpus})
    if not settings.corpus_dir.is_dir():
        raise VerbatimError(f"no corpus folder at {settings.corpus_dir}; pass the articles with --corpus DIR")
    try:
        total = len(read_jsonl(args.path))
    except ValueError as exc:
        raise VerbatimError(f"{args.path} is not JSON Lines: {exc}") from exc
    with tempfile.TemporaryDirectory(prefix="verbatim-questions-") as tmp, \
            tqdm(total=total, desc="questions", unit="q", file=sys.stderr, dynamic_ncols=True) as bar:
        try:
            scores = run_questions(args.path, settings, Path(tmp), k=args.k, progress=bar.update)
        except (KeyError, ValueError) as exc:
            raise VerbatimError(f"{args.path}: {exc}") from exc
    if args.json:
        print(json.dumps(dataclasses.asdict(scores)))
    else:
        print(format_scores(scores, args.path.name))
    return 0
