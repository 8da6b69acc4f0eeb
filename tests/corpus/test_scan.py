"""Reading odd corpus folders: encodings, binaries, empties, symlinks, odd names, nesting."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from retrieval.corpus.loaders.text import decode_text, looks_binary
from retrieval.corpus.scan import scan_corpus
from retrieval.errors import CorpusMissingError


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def test_reads_articles_recursively_with_relative_ids(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Alpha.")
    write(tmp_path / "sub" / "deeper" / "b.md", "# Beta\n\nText.")
    write(tmp_path / "notes.pdf", b"%PDF-1.4")
    write(tmp_path / ".hidden" / "c.txt", "hidden")
    write(tmp_path / ".d.txt", "hidden file")
    scan = scan_corpus(tmp_path)
    assert [d.source for d in scan.documents] == ["a.txt", "sub/deeper/b.md"]
    assert scan.documents[1].text == "Beta\n\nText."  # Markdown as plain text
    assert [(s.source, s.reason) for s in scan.skipped] == [("notes.pdf", "unreadable")]


def test_text_is_kept_exactly(tmp_path: Path) -> None:
    raw = "  Title\r\n\r\nCurly ‘quotes’ — and\ttabs.\u00a0\n"
    write(tmp_path / "a.txt", raw.encode("utf-8"))
    (doc,) = scan_corpus(tmp_path).documents
    assert doc.text == raw and doc.encoding == "utf-8"


def test_non_utf8_falls_back_with_a_warning_naming_the_file(tmp_path: Path) -> None:
    write(tmp_path / "latin.txt", "Café crème, naïve résumé.".encode("latin-1"))
    write(tmp_path / "win.txt", "He said \u201cyes\u201d \u2014 twice.".encode("cp1252"))
    scan = scan_corpus(tmp_path)
    docs = {d.source: d for d in scan.documents}
    assert docs["latin.txt"].text == "Café crème, naïve résumé."
    assert docs["win.txt"].text == "He said \u201cyes\u201d \u2014 twice."
    assert {d.encoding for d in docs.values()} == {"cp1252"}
    assert any("latin.txt" in w and "UTF-8" in w for w in scan.warnings)


def test_latin1_fallback_when_cp1252_cannot_decode() -> None:
    assert decode_text(b"\x81abc") == ("\x81abc", "latin-1")


def test_binary_and_empty_files_are_skipped_with_warnings(tmp_path: Path) -> None:
    write(tmp_path / "img.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(tmp_path / "empty.txt", b"")
    write(tmp_path / "blank.md", b"  \n\n ")
    write(tmp_path / "ok.txt", "Fine.")
    scan = scan_corpus(tmp_path)
    assert [d.source for d in scan.documents] == ["ok.txt"]
    assert {s.source: s.why for s in scan.skipped} == {
        "img.txt": "unreadable: binary data, not text", "empty.txt": "empty: no bytes but white space",
        "blank.md": "empty: no bytes but white space"}
    assert scan.warnings == ()  # skipped files are reported in ``skipped``, grouped by the CLI


def test_looks_binary() -> None:
    assert looks_binary(b"abc\x00def")
    assert looks_binary(bytes(range(1, 9)) * 10)
    assert not looks_binary(b"Plain text with\ttabs\nand lines.")


def test_symlinks_outside_the_corpus_are_not_followed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    outside = write(tmp_path / "secret.txt", "Top secret outside text.")
    outside_dir = tmp_path / "elsewhere"
    write(outside_dir / "x.txt", "Outside folder text.")
    write(corpus / "real.txt", "Inside text.")
    os.symlink(outside, corpus / "link.txt")
    os.symlink(outside_dir, corpus / "linkdir")
    os.symlink("/etc/passwd", corpus / "passwd.txt")
    os.symlink(corpus / "real.txt", corpus / "inner.txt")
    os.symlink(corpus / "missing.txt", corpus / "broken.txt")
    scan = scan_corpus(corpus)
    assert [d.source for d in scan.documents] == ["inner.txt", "real.txt"]
    assert all("Outside" not in d.text and "secret" not in d.text for d in scan.documents)
    skipped = {s.source for s in scan.skipped}
    assert {"link.txt", "linkdir", "passwd.txt", "broken.txt"} <= skipped


def test_symlink_loops_inside_the_corpus_terminate(tmp_path: Path) -> None:
    write(tmp_path / "a" / "x.txt", "Text.")
    os.symlink(tmp_path / "a", tmp_path / "a" / "loop")
    assert [d.source for d in scan_corpus(tmp_path).documents] == ["a/x.txt"]


def test_odd_file_names(tmp_path: Path) -> None:
    names = ["with space.txt", "ünïcödé ✓.txt", "new\nline.txt", "-dash.md"]
    for n in names:
        write(tmp_path / n, f"Article {n!r}.")
    assert sorted(d.source for d in scan_corpus(tmp_path).documents) == sorted(names)


def test_oversized_files_are_skipped(tmp_path: Path) -> None:
    write(tmp_path / "big.txt", "x" * 2000)
    scan = scan_corpus(tmp_path, max_bytes=1000)
    assert not scan.documents and scan.skipped[0].why == "too large: 2000 bytes, more than MAX_FILE_MB=0.000953674"


def test_missing_corpus_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusMissingError, match="does not exist"):
        scan_corpus(tmp_path / "nope")


def test_every_format_is_read_and_everything_else_is_named(tmp_path: Path) -> None:
    from tests.support.formats import (
        TITLE,
        URL,
        article_docx,
        article_html,
        article_markdown,
        article_pdf,
        article_text,
    )

    write(tmp_path / "a.txt", article_text())
    write(tmp_path / "b-utf16.txt", article_text("\r\n").encode("utf-16"))
    write(tmp_path / "c.html", article_html())
    write(tmp_path / "d.pdf", article_pdf())
    write(tmp_path / "e.docx", article_docx())
    write(tmp_path / "f.markdown", article_markdown())
    write(tmp_path / "photo.JPG", b"\xff\xd8\xff\xe0 not an article")
    write(tmp_path / "README", "no suffix")
    write(tmp_path / "old.doc", b"\xd0\xcf\x11\xe0 legacy Word")
    scan = scan_corpus(tmp_path)
    docs = {d.source: d for d in scan.documents}
    assert sorted(docs) == ["a.txt", "b-utf16.txt", "c.html", "d.pdf", "e.docx", "f.markdown"]
    assert docs["b-utf16.txt"].encoding == "utf-16-le" and docs["d.pdf"].encoding == ""
    assert (docs["c.html"].title, docs["c.html"].url) == (TITLE, URL)
    assert (docs["f.markdown"].title, docs["f.markdown"].url) == (TITLE, URL)
    assert {(s.source, s.reason) for s in scan.skipped} == {
        ("photo.JPG", "unsupported format"), ("README", "unsupported format"), ("old.doc", "unsupported format")}
    assert scan.warnings == ()


def test_unreadable_folders_and_files_are_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "ok.txt", "Fine.")
    write(tmp_path / "private" / "secret.txt", "Hidden by permissions.")
    real_scandir = os.scandir

    def scandir(path: Path) -> object:  # root reads any folder, so the refusal is simulated
        if Path(path).name == "private":
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    scan = scan_corpus(tmp_path)
    assert [d.source for d in scan.documents] == ["ok.txt"]
    assert [(s.source, s.why) for s in scan.skipped] == [
        ("private/", "unreadable: cannot list the folder (Permission denied)")]


def test_skipped_entries_are_grouped_by_reason_then_kind() -> None:
    from retrieval.corpus.scan import group_skipped
    from retrieval.records import Skipped

    skipped = [Skipped("b.png", "unsupported format"), Skipped("x/", "unreadable", "cannot list"),
               Skipped("a.png", "unsupported format"), Skipped("big.pdf", "too large", "12 MB"),
               Skipped("scan.pdf", "no text layer"), Skipped("c.doc", "unsupported format"),
               Skipped("link", "outside the corpus")]
    groups = [(reason, kind, [s.source for s in entries]) for reason, kind, entries in group_skipped(skipped)]
    assert groups == [
        ("unsupported format", ".doc", ["c.doc"]),
        ("unsupported format", ".png", ["a.png", "b.png"]),
        ("no text layer", ".pdf", ["scan.pdf"]),
        ("too large", ".pdf", ["big.pdf"]),
        ("unreadable", "folder", ["x/"]),
        ("outside the corpus", "no suffix", ["link"]),
    ]


def test_the_size_skip_names_the_setting_in_megabytes(tmp_path: Path) -> None:
    write(tmp_path / "big.txt", "x" * (3 * 1024 * 1024))
    [skipped] = scan_corpus(tmp_path, max_bytes=2 * 1024 * 1024).skipped
    assert skipped.why == "too large: 3.0 MB, more than MAX_FILE_MB=2"


def test_a_symlink_to_itself_is_a_loop_not_a_broken_link(tmp_path: Path) -> None:
    os.symlink("self.txt", tmp_path / "self.txt")
    os.symlink("b.txt", tmp_path / "a.txt")
    os.symlink("a.txt", tmp_path / "b.txt")
    os.symlink("gone.txt", tmp_path / "dangling.txt")
    reasons = {s.source: s.detail for s in scan_corpus(tmp_path).skipped}
    assert reasons["self.txt"].startswith("symlink loop") and reasons["a.txt"].startswith("symlink loop")
    assert reasons["dangling.txt"] == "broken symlink (its target does not exist)"
