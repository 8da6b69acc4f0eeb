"""``verbatim index``: build or update the index of the corpus folder, with progress on stderr (a bar on a
terminal, plain lines elsewhere), then name everything that was not indexed, grouped by reason and kind of
file."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from typing import Any

from retrieval.cli.options import add_location_flags, interrupted
from retrieval.cli.progress import BuildBars, count
from retrieval.corpus.scan import group_skipped
from retrieval.records import BuildReport, Skipped
from retrieval.settings import Settings

SHOWN_PER_GROUP = 10  # entries named per (reason, kind) group; the rest are counted


def register(sub: Any) -> None:
    parser = sub.add_parser("index", help="build or update the index of the corpus folder")
    add_location_flags(parser)
    parser.add_argument("--rebuild", action="store_true",
                        help="rebuild every file of the index (sentence vectors still come from the embedding cache)")
    parser.set_defaults(handler=cmd_index)


def summary(report: BuildReport) -> str:
    """The line `verbatim index` ends with (benchmarks/index_summary.py reads it)."""
    if report.noop:
        return (f"Index is up to date: {count(report.sources, 'file')}, {count(report.sentences, 'sentence')}; "
                f"nothing changed, no embedding work done ({report.seconds:.2f} s).")
    return (
        f"Indexed {count(report.sources, 'file')}, {count(report.sentences, 'sentence')} in {report.seconds:.1f} s: "
        f"{len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed, "
        f"{len(report.skipped)} skipped; embedded {count(report.embedded, 'sentence')}, reused {report.reused}."
    )


def skipped_lines(skipped: Iterable[Skipped], shown: int = SHOWN_PER_GROUP) -> list[str]:
    """The "Not indexed" block: one heading per reason and kind, the entries under it, "and N more"."""
    groups = group_skipped(skipped)
    if not groups:
        return []
    total = sum(len(entries) for _, _, entries in groups)
    lines = [f"Not indexed ({total}):"]
    for reason, kind, entries in groups:
        lines.append(f"  {reason}, {kind} ({len(entries)}):")
        for item in entries[:shown]:
            lines.append(f"    {item.source}" + (f"  ({item.detail})" if item.detail else ""))
        if len(entries) > shown:
            lines.append(f"    and {len(entries) - shown} more")
    return lines


def cmd_index(args: argparse.Namespace, settings: Settings) -> int:
    from retrieval.search.service import make_embedder, reindex

    bars = BuildBars()
    try:
        report = reindex(settings, make_embedder(settings), rebuild=args.rebuild, progress=bars)
    except KeyboardInterrupt as exc:
        bars.close()
        return interrupted(exc, "the sentences embedded so far are kept, and the next `verbatim index` "
                                "goes on from there")
    finally:
        bars.close()
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if report.full_rebuild_reason and not report.noop:
        print(f"Full rebuild: {report.full_rebuild_reason}")
    print(summary(report))
    for line in skipped_lines(report.skipped):
        print(line)
    return 0
