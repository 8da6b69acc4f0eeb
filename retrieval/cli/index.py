"""``verbatim index``: build or update the index of the corpus folder, with a progress bar, then name
everything that was not indexed, grouped by reason and kind of file."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from typing import Any

from retrieval.cli.options import add_location_flags
from retrieval.corpus.scan import group_skipped
from retrieval.records import Skipped
from retrieval.settings import Settings

SHOWN_PER_GROUP = 10  # entries named per (reason, kind) group; the rest are counted


def register(sub: Any) -> None:
    parser = sub.add_parser("index", help="build or update the index of the corpus folder")
    add_location_flags(parser)
    parser.add_argument("--rebuild", action="store_true",
                        help="rebuild every file of the index (sentence vectors still come from the embedding cache)")
    parser.set_defaults(handler=cmd_index)


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
    from tqdm import tqdm

    from retrieval.records import BuildProgress
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
    else:
        if report.full_rebuild_reason:
            print(f"Full rebuild: {report.full_rebuild_reason}")
        print(
            f"Indexed {report.sources} files, {report.sentences} sentences in {report.seconds:.1f} s: "
            f"{len(report.added)} added, {len(report.changed)} changed, {len(report.removed)} removed, "
            f"{len(report.skipped)} skipped; embedded {report.embedded} sentences, reused {report.reused}."
        )
    for line in skipped_lines(report.skipped):
        print(line)
    return 0
