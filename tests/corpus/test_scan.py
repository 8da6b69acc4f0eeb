"""Reading odd corpus folders: encodings, binaries, empties, symlinks, odd names, nesting."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from retrieval.corpus.scan import decode_text, looks_binary, scan_corpus
from retrieval.errors import CorpusMissingError


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def test_reads_txt_and_md_recursively_with_relative_ids(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Alpha.")
    write(tmp_path / "sub" / "deeper" / "b.md", "# Beta\n\nText.")
    write(tmp_path / "notes.pdf", b"%PDF-1.4")
    write(tmp_path / ".hidden" / "c.txt", "hidden")
    write(tmp_path / ".d.txt", "hidden file")
    scan = scan_corpus(tmp_path)
    assert [d.source for d in scan.documents] == ["a.txt", "sub/deeper/b.md"]
    assert scan.documents[1].text == "# Beta\n\nText."


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
    assert {s.source: s.reason for s in scan.skipped} == {
        "img.txt": "binary file", "empty.txt": "empty", "blank.md": "empty"}
    assert len(scan.warnings) == 3 and all("skipped" in w for w in scan.warnings)


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
    assert not scan.documents and "larger than" in scan.skipped[0].reason


def test_missing_corpus_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CorpusMissingError, match="does not exist"):
        scan_corpus(tmp_path / "nope")


def test_the_size_skip_names_the_setting_in_megabytes(tmp_path: Path) -> None:
    write(tmp_path / "big.txt", "x" * (3 * 1024 * 1024))
    [skipped] = scan_corpus(tmp_path, max_bytes=2 * 1024 * 1024).skipped
    assert skipped.reason == "larger than MAX_FILE_MB=2 (3.0 MB)"


def test_a_symlink_to_itself_is_a_loop_not_a_broken_link(tmp_path: Path) -> None:
    os.symlink("self.txt", tmp_path / "self.txt")
    os.symlink("b.txt", tmp_path / "a.txt")
    os.symlink("a.txt", tmp_path / "b.txt")
    os.symlink("gone.txt", tmp_path / "dangling.txt")
    reasons = {s.source: s.reason for s in scan_corpus(tmp_path).skipped}
    assert reasons["self.txt"].startswith("symlink loop") and reasons["a.txt"].startswith("symlink loop")
    assert reasons["dangling.txt"] == "broken symlink (its target does not exist)"
