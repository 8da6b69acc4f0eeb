"""Word documents (.docx): the body's paragraphs and tables, read by python-docx.

Before python-docx opens the file, its zip directory is checked (a DOCX is a zip): at most
``max_zip_members`` members, their declared uncompressed sizes together at most ``max_uncompressed_bytes``,
and no member expanding more than ``max_compression_ratio`` times. A zip bomb is refused there, before
anything is decompressed. Python's zipfile never returns more bytes than a member declares, so a member
that lies about its size fails its check instead of expanding. The XML parser of python-docx does not
resolve entities.

Text: every paragraph of the body, in order, is a paragraph of the text (blank line between); a table's
rows are paragraphs too, their cells joined with " | " (nested tables read cell by cell). Line breaks
inside a paragraph are kept. The title is the first paragraph in the Title style, else the core properties'
title; author and date (creation) come from the core properties.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

from retrieval.corpus.loaders.base import (
    Deadline,
    Loaded,
    LoadLimits,
    Reason,
    Unloadable,
    check_text_size,
    join_paragraphs,
    meta,
)

_CELL_SEPARATOR = " | "
_RATIO_FLOOR = 1024 * 1024  # members smaller than this may compress as well as they like


def check_zip(data: bytes, limits: LoadLimits) -> None:
    """Refuse a zip whose directory promises too much (see the module's docstring)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError) as exc:
        raise Unloadable(Reason.UNREADABLE, f"not a DOCX (zip) file ({exc})") from exc
    if len(members) > limits.max_zip_members:
        raise Unloadable(Reason.TOO_LARGE, f"{len(members)} parts in the zip, more than {limits.max_zip_members}")
    total = 0
    for member in members:
        total += member.file_size
        if total > limits.max_uncompressed_bytes:
            cap = limits.max_uncompressed_bytes
            raise Unloadable(Reason.TOO_LARGE, f"expands to more than {cap} bytes (a zip bomb?)")
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_FLOOR and ratio > limits.max_compression_ratio:
            cap = limits.max_compression_ratio
            raise Unloadable(Reason.TOO_LARGE, f"{member.filename!r} expands {ratio:.0f} times, more than {cap}")
        if member.flag_bits & 0x1:
            raise Unloadable(Reason.ENCRYPTED, f"{member.filename!r} is encrypted")


def _paragraph_text(paragraph: Any) -> str:
    # python-docx's Paragraph.text renders <w:br/> and <w:cr/> as "\n" and tabs as "\t".
    return str(paragraph.text)


def _cell_text(cell: Any) -> str:
    return " ".join(" ".join(_paragraph_text(p).split()) for p in cell.paragraphs if p.text.strip())


def _blocks(container: Any, deadline: Deadline) -> Iterator[str]:
    from docx.table import Table

    for item in container.iter_inner_content():
        deadline.check("paragraphs")
        if isinstance(item, Table):
            for row in item.rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = _cell_text(cell)
                    if text and (not cells or cells[-1] != text):  # a merged cell repeats in each column
                        cells.append(text)
                yield _CELL_SEPARATOR.join(cells)
        else:
            yield _paragraph_text(item)


def _first_title(document: Any) -> str | None:
    for paragraph in document.paragraphs:
        style = paragraph.style
        if style is not None and style.name == "Title" and paragraph.text.strip():
            return meta(paragraph.text)
    return None


def load_docx(data: bytes, limits: LoadLimits) -> Loaded:
    import docx

    check_zip(data, limits)
    deadline = Deadline(limits)
    try:
        document = docx.Document(io.BytesIO(data))
    except (KeyError, ValueError, zipfile.BadZipFile) as exc:  # no word/document.xml, or not a Word file
        raise Unloadable(Reason.UNREADABLE, f"not a Word document ({exc.__class__.__name__}: {exc})") from exc
    blocks = list(_blocks(document, deadline))
    check_text_size(sum(map(len, blocks)), limits)
    text = join_paragraphs(blocks)
    if not text:
        raise Unloadable(Reason.EMPTY, "no text in the document body")
    core = document.core_properties
    created = core.created
    return Loaded(
        text=text,
        title=_first_title(document) or meta(core.title),
        date=created.date().isoformat() if created is not None else None,
        author=meta(core.author),
    )
