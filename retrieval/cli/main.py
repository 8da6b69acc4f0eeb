"""The ``verbatim`` command: a thin layer over the library.

    verbatim index [--rebuild]          build or update the index of the corpus folder
    verbatim ask "question" [--json]    answer one question (or one per line from stdin)
    verbatim eval reqa [path]           ReQA SQuAD: P@1, MRR@10, R@5 of dense, BM25 and the pipeline

Other packages add subcommands through the ``verbatim.commands`` entry point group (the bot adds
``serve``), so this module never imports them. Settings are built once here and passed down.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from retrieval.errors import VerbatimError
from retrieval.settings import Settings

Handler = Callable[[argparse.Namespace, Settings], int]


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


def _quiet_libraries() -> None:
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    logging.getLogger("sentence_transformers").setLevel(logging.WARNING)


# --- index ------------------------------------------------------------------------------------------


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from retrieval.index.builder import BuildProgress
    from retrieval.search.service import make_embedder, reindex

    bars: dict[str, Any] = {}  # one bar at a time: the phase under way

    def progress(p: BuildProgress) -> None:
        if p.phase not in ("segmenting", "embedding") or p.total == 0:
            return
        bar = bars.get(p.phase)
        if bar is None:
            for old in bars.values():
                old.close()
            bars.clear()
            unit = "sentence" if p.phase == "embedding" else "file"
            bar = bars[p.phase] = tqdm(total=p.total, desc=p.phase, unit=unit, file=sys.stderr, dynamic_ncols=True)
        bar.update(p.done - bar.n)

    try:
        report = reindex(settings, make_embedder(settings), rebuild=args.rebuild, progress=progress)
    finally:
        for bar in bars.values():
            bar.close()
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if report.noop:
        print(f"Index is up to date: {report.sources} files, {report.sentences} sentences; "
              f"nothing changed, no embedding work done ({report.seconds:.2f} s).")
        return 0
    if report.full_rebuild_reason:
        print(f"Full rebuild: {report.full_rebuild_reason}")
    print(
        f"Indexed {report.sources} files, {report.sentences} sentences in {report.seconds:.1f} s: "
        f"{len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed, "
        f"{len(report.skipped)} skipped; embedded {report.embedded} sentences, reused {report.reused}."
    )
    return 0


# --- ask --------------------------------------------------------------------------------------------


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


# --- eval -------------------------------------------------------------------------------------------

DEFAULT_SQUAD = Path("..") / "shared" / "data" / "squad" / "dev-v1.1.json"  # from the project root, as CI lays it out


def cmd_eval_reqa(args: argparse.Namespace, settings: Settings) -> int:
    import tempfile

    from tqdm import tqdm

    from retrieval.eval.reqa import format_report, run_reqa

    path = Path(args.path) if args.path else DEFAULT_SQUAD.resolve()
    if not path.is_file():
        raise VerbatimError(f"no SQuAD file at {path}; pass its path: `verbatim eval reqa PATH`")
    command = "verbatim eval reqa" + (f" {args.path}" if args.path else "")
    if args.max_questions:
        command += f" --max-questions {args.max_questions}"
    with tempfile.TemporaryDirectory(prefix="verbatim-reqa-") as tmp:
        print(f"Indexing every paragraph of {path} (a minute or more) ...", file=sys.stderr)
        total = args.max_questions or None
        with tqdm(total=total, desc="questions", unit="q", file=sys.stderr, dynamic_ncols=True) as bar:
            report = run_reqa(path, settings, Path(tmp), progress=bar.update, max_questions=args.max_questions)
    print(format_report(report, command))
    return 0


# --- wiring -----------------------------------------------------------------------------------------


def build_parser() -> tuple[argparse.ArgumentParser, Any]:
    parser = argparse.ArgumentParser(prog="verbatim", description="Exact, cited quotes from a folder of articles.")
    sub = parser.add_subparsers(dest="command", required=True)

    p_index = sub.add_parser("index", help="build or update the index of the corpus folder")
    add_location_flags(p_index)
    p_index.add_argument("--rebuild", action="store_true",
                         help="rebuild every file of the index (sentence vectors still come from the embedding cache)")
    p_index.set_defaults(handler=cmd_index)

    p_ask = sub.add_parser("ask", help="answer questions with quotes (one per stdin line if none is given)")
    add_location_flags(p_ask)
    p_ask.add_argument("question", nargs="*", help="the question; omit it to read one question per line from stdin")
    p_ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    p_ask.add_argument("-k", type=int, default=None, help="how many quotes (default: TOP_K)")
    p_ask.set_defaults(handler=cmd_ask)

    p_eval = sub.add_parser("eval", help="measure answer quality on a public benchmark")
    eval_sub = p_eval.add_subparsers(dest="benchmark", required=True)
    p_reqa = eval_sub.add_parser(
        "reqa", help="ReQA SQuAD: index every dev paragraph, ask every question, print P@1, MRR@10, R@5"
    )
    p_reqa.add_argument("path", nargs="?", default=None,
                        help="SQuAD v1.1 dev JSON (default: ../shared/data/squad/dev-v1.1.json from the project root)")
    p_reqa.add_argument("--max-questions", type=int, default=None,
                        help="ask only this many questions, spread evenly over the file (default: all)")
    p_reqa.set_defaults(handler=cmd_eval_reqa)

    for ep in entry_points(group="verbatim.commands"):
        ep.load()(sub)
    return parser, sub


def main(argv: Sequence[str] | None = None) -> int:
    _quiet_libraries()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    parser, _ = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = settings_from(args)
        handler: Handler = args.handler
        return handler(args, settings)
    except VerbatimError as exc:
        print(f"verbatim: {exc}", file=sys.stderr)
        return 2
    except ValidationError as exc:  # a bad setting: name it and say what is wrong, in one line each
        for err in exc.errors():
            name = ".".join(str(part) for part in err["loc"]).upper() or "settings"
            print(f"verbatim: invalid setting {name}: {err['msg']}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("verbatim: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `verbatim ask ... | head`: the reader left early; as the Python docs advise,
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no traceback at exit either
        return 0


if __name__ == "__main__":
    sys.exit(main())
