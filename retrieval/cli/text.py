"""``verbatim text SOURCE``: print the text a source was indexed with, so that anyone can check a quote.

Every quote is ``text[start:end]`` of exactly this text (``start``/``end`` as ``ask --json`` gives them), and
its ``line`` counts the lines of it (CR, LF and CRLF alike). For a PDF, DOCX, HTML or Markdown file this is
the extracted text, not the file's bytes. The text comes from the live index; a file that is not indexed
(yet) is extracted on the spot, with a note on stderr. The text is written as UTF-8, exactly, with no
newline added.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path
from typing import Any

from retrieval.cli.options import add_location_flags
from retrieval.corpus.loaders import LoadLimits, Unloadable, load
from retrieval.errors import VerbatimError
from retrieval.index.generations import current_generation
from retrieval.index.layout import STORE_NAME
from retrieval.index.store import read_source
from retrieval.settings import Settings


def register(sub: Any) -> None:
    parser = sub.add_parser("text", help="print the text a source was indexed with (what quotes point into)")
    add_location_flags(parser)
    parser.add_argument("source", help="a source as cited (its path in the corpus folder), or a file to extract")
    parser.set_defaults(handler=cmd_text)


def indexed_text(index_dir: Path, source: str) -> str | None:
    """The indexed text of ``source`` in the live generation, or None when it has no such source."""
    generation = current_generation(index_dir)
    if generation is None:
        return None
    try:
        row = read_source(generation / STORE_NAME, source)
    except sqlite3.DatabaseError as exc:
        raise VerbatimError(
            f"the index at {index_dir} cannot be read ({exc}); rebuild it with `verbatim index --rebuild`"
        ) from exc
    return row.text if row is not None else None


def extracted_text(path: Path, settings: Settings) -> str:
    """The text of a file that is not indexed, as its loader gives it; Unloadable becomes a one-line error."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise VerbatimError(f"cannot read {path}: {exc.strerror or exc}") from exc
    try:
        return load(path.name, data, LoadLimits(max_bytes=int(settings.max_file_mb * 1024 * 1024))).text
    except Unloadable as exc:
        raise VerbatimError(f"{path} gives no text: {exc}") from exc


def cmd_text(args: argparse.Namespace, settings: Settings) -> int:
    source: str = args.source
    text = indexed_text(settings.index_dir, source)
    if text is None:
        candidates = [settings.corpus_dir / source, Path(source)]
        path = next((p for p in candidates if p.is_file()), None)
        if path is None:
            raise VerbatimError(
                f"{source!r} is neither a source of the index at {settings.index_dir} nor a file; "
                "name a source as `verbatim ask` cites it"
            )
        print(f"verbatim: {source!r} is not in the index; extracted from {path} now", file=sys.stderr)
        text = extracted_text(path, settings)
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8", "surrogatepass"))
    sys.stdout.buffer.flush()
    return 0
