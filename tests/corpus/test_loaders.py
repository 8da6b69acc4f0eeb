"""Article loaders: real files of every format give the article's text and metadata; hostile files are
refused with a reason, in bounded time and memory, never with a crash."""

from __future__ import annotations

import codecs
import io
import random
import struct
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrieval.corpus.loaders import LOADERS, Loaded, LoadLimits, Reason, Unloadable, load, supported_suffixes
from retrieval.corpus.loaders.lines import line_of, line_spans, line_starts
from retrieval.corpus.loaders.pdf import join_lines
from retrieval.corpus.segment import segment
from tests.support.formats import (
    AUTHOR,
    DATE,
    PARAGRAPHS,
    TITLE,
    URL,
    article_docx,
    article_html,
    article_markdown,
    article_pdf,
    article_text,
    nested_page_tree_pdf,
    one_page_pdf,
    pdf_lines,
    raw_pdf,
)


def sentences(text: str) -> list[str]:
    """The sentences the segmenter finds, white space normalised: converted formats lay text out anew
    (line wraps become spaces, paragraphs are separated by a blank line), so sentences are compared with
    every run of white space as one space."""
    return [" ".join(text[s.start : s.end].split()) for s in segment(text)]


def refused(name: str, data: bytes, limits: LoadLimits | None = None) -> Unloadable:
    with pytest.raises(Unloadable) as caught:
        load(name, data, limits)
    return caught.value


# --- one article, every format ------------------------------------------------------------------------

def test_the_same_article_in_every_format_gives_the_same_sentences() -> None:
    expected = sentences(article_text())
    assert len(expected) > 10 and expected[0] == TITLE
    files = {
        "a.txt": article_text().encode("utf-8"),
        "a-utf16.txt": article_text("\r\n").encode("utf-16"),  # Windows "Unicode": LE with a mark, CRLF
        "a.md": article_markdown(),
        "a.html": article_html(),
        "a.docx": article_docx(),
    }
    for name, data in files.items():
        assert sentences(load(name, data).text) == expected, name
    from pypdf import PdfReader

    pdf = article_pdf()
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 2  # paragraphs run across pages, past headers and footers
    assert sentences(load("a.pdf", pdf).text) == expected


def test_metadata_of_each_format() -> None:
    html = load("a.html", article_html())
    assert (html.title, html.url, html.date, html.author) == (TITLE, URL, DATE, AUTHOR)
    md = load("a.md", article_markdown())
    assert (md.title, md.url, md.date, md.author) == (TITLE, URL, DATE, AUTHOR)
    pdf = load("a.pdf", article_pdf())
    assert (pdf.title, pdf.author) == (TITLE, AUTHOR) and pdf.date is not None and pdf.encoding is None
    word = load("a.docx", article_docx())
    assert (word.title, word.author) == (TITLE, AUTHOR)  # the Title paragraph wins over core properties
    text = load("a.txt", article_text().encode())
    assert (text.title, text.url, text.encoding) == (None, None, "utf-8")


def test_registry_is_by_suffix_case_insensitive() -> None:
    assert supported_suffixes() == {".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx"}
    assert set(LOADERS) == supported_suffixes()
    assert load("NEWS.TXT", b"Hello.").text == "Hello."
    assert load("dir.v2/Story.Markdown", b"# Hi\n\nThere.").text == "Hi\n\nThere."
    assert load("page.HTM", article_html()).title == TITLE
    for name in ("a.doc", "a.rtf", "README", "a.txt.gz", "archive.zip"):
        assert refused(name, b"some bytes").reason is Reason.UNSUPPORTED


# --- .txt: exact text, any encoding ---------------------------------------------------------------------

def test_valid_utf8_text_is_exactly_the_bytes_decoded() -> None:
    raw = "  Title\r\n\r\nCurly ‘quotes’ — and\ttabs.\u00a0\n\n\n   Trailing space   ".encode()
    assert load("a.txt", raw) == Loaded(text=raw.decode("utf-8"), encoding="utf-8")


def test_utf8_byte_order_mark_stays_in_the_text_as_before() -> None:
    # Offsets of indexes built before the loaders counted the mark as a character; they must stay valid.
    loaded = load("a.txt", codecs.BOM_UTF8 + b"Hello there.")
    assert loaded.text == "\ufeffHello there." and loaded.encoding == "utf-8"


@pytest.mark.parametrize(
    ("encoding", "mark", "expected"),
    [
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16-le"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16-be"),
        ("utf-32-le", codecs.BOM_UTF32_LE, "utf-32-le"),
        ("utf-32-be", codecs.BOM_UTF32_BE, "utf-32-be"),
        ("utf-16-le", b"", "utf-16-le"),
        ("utf-16-be", b"", "utf-16-be"),
        ("utf-32-le", b"", "utf-32-le"),
        ("utf-32-be", b"", "utf-32-be"),
    ],
)
def test_utf16_and_utf32_with_and_without_a_mark(encoding: str, mark: bytes, expected: str) -> None:
    text = article_text("\r\n") + "Москва — 東京 — 😀\r\n"
    loaded = load("a.txt", mark + text.encode(encoding))
    assert loaded.text == text and loaded.encoding == expected


def test_legacy_single_byte_encodings() -> None:
    cp1252 = "He said \u201cyes\u201d \u2014 twice, at the café."
    assert load("a.txt", cp1252.encode("cp1252")) == Loaded(text=cp1252, encoding="cp1252")
    latin = "Café crème, naïve résumé."
    assert load("a.txt", latin.encode("latin-1")).text == latin
    assert load("a.txt", b"\x81abc \x8d def").encoding == "latin-1"  # bytes that cp1252 leaves undefined
    russian = "Президент России Владимир Путин заявил, что НАТО угрожает безопасности страны."
    loaded = load("a.txt", russian.encode("cp1251"))
    assert loaded.text == russian and loaded.encoding == "cp1251"  # not the cp1252 mojibake


def test_binary_and_empty_text_files_are_refused() -> None:
    assert refused("img.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))).reason is Reason.UNREADABLE
    assert refused("empty.txt", b"").reason is Reason.EMPTY
    assert refused("blank.md", b"  \n\n ").reason is Reason.EMPTY
    assert refused("bom.txt", codecs.BOM_UTF16_LE + "  \r\n".encode("utf-16-le")).reason is Reason.EMPTY


TEXT_CHARS = st.characters(exclude_categories=("Cs", "Cc"), include_characters="\n\r\t")
LATIN_CHARS = st.characters(min_codepoint=32, max_codepoint=255, exclude_categories=("Cs", "Cc"),
                            include_characters="\n\r\t")


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(TEXT_CHARS, min_size=1, max_size=300), st.sampled_from(["utf-8", "utf-16", "utf-16-be-bom",
                                                                        "utf-32", "utf-32-be-bom"]))
def test_any_text_round_trips_through_unicode_encodings(text: str, encoding: str) -> None:
    if not text.strip(" \t\r\n\f\v\u00a0\ufeff\u200b"):
        return
    if encoding.endswith("-be-bom"):
        base = encoding.removesuffix("-bom")
        raw = "\ufeff".encode(base) + text.encode(base)
    else:
        raw = text.encode(encoding)  # "utf-16" and "utf-32" write a mark (this machine's order: LE)
    assert load("a.txt", raw).text == text


@settings(max_examples=150)
@given(st.text(LATIN_CHARS, min_size=1, max_size=300),
       st.sampled_from(["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]))
def test_latin_text_round_trips_without_a_byte_order_mark(text: str, encoding: str) -> None:
    if not text.strip(" \t\r\n\u00a0"):
        return
    loaded = load("a.txt", text.encode(encoding))
    assert (loaded.text, loaded.encoding) == (text, encoding)


# --- line numbers: CR, LF and CRLF ----------------------------------------------------------------------

def test_line_starts_count_cr_lf_and_crlf_alike() -> None:
    text = "one\rtwo\r\nthree\nfour\r\rsix"
    assert line_starts(text) == [0, 4, 9, 15, 20, 21]
    assert [text[s:e] for s, e in line_spans(text)] == ["one", "two", "three", "four", "", "six"]
    assert [line_of(line_starts(text), text.index(w)) for w in ("one", "two", "three", "four", "six")] == [
        1, 2, 3, 4, 6]
    assert line_starts("") == [0] and line_starts("end\n") == [0, 4]


def test_old_mac_file_reports_real_line_numbers() -> None:
    raw = article_text("\r").encode("utf-8")
    loaded = load("mac.txt", raw)
    assert loaded.text == raw.decode("utf-8")  # the CRs stay: quotes are exact
    starts = line_starts(loaded.text)
    for number, paragraph in enumerate(PARAGRAPHS, start=3):
        assert line_of(starts, loaded.text.index(paragraph)) == number


@settings(max_examples=200)
@given(st.lists(st.tuples(st.text("ab ", max_size=5), st.sampled_from(["\n", "\r", "\r\n"])), max_size=30),
       st.text("ab ", max_size=5))
def test_line_numbers_match_the_lines_written(lines: list[tuple[str, str]], last: str) -> None:
    # A line ending in CR followed by an empty line ending in LF would be one CRLF break: give it a body.
    lines = [("a" if not body and brk.startswith("\n") and i and lines[i - 1][1] == "\r" else body, brk)
             for i, (body, brk) in enumerate(lines)]
    text = "".join(body + brk for body, brk in lines) + last
    starts = line_starts(text)
    assert len(starts) == len(lines) + 1
    assert [text[s:e] for s, e in line_spans(text)] == [body for body, _ in lines] + [last]
    pos = 0
    for number, (body, brk) in enumerate(lines, start=1):
        assert starts[number - 1] == pos and line_of(starts, pos + len(body)) == number
        pos += len(body) + len(brk)


# --- Markdown -------------------------------------------------------------------------------------------

def test_markdown_front_matter_is_metadata_and_markup_is_dropped() -> None:
    loaded = load("a.md", article_markdown())
    assert "---" not in loaded.text and "title:" not in loaded.text and "tags" not in loaded.text
    for markup in ("#", "](", "*", "<!--", "editor's note", "rutte.jpg", "Rutte at the podium"):
        assert markup not in loaded.text, markup
    assert loaded.text.startswith(TITLE + "\n\n" + PARAGRAPHS[0])
    assert "Speaking at a summit in Brussels, Rutte said Europe was facing its most perilous moment" in loaded.text


def test_markdown_blocks_and_line_structure() -> None:
    source = (
        "Intro line one\ncontinues here.  \nHard break.\n\n"
        "## Sub heading\n\n- first item\n- second *item*\n\n> A quoted paragraph.\n\n"
        "```python\nprint('code')\n```\n\n| Name | Role |\n|---|---|\n| Rutte | NATO |\n\n"
        "Tom &amp; Jerry<br>said `hi`.\n\n<div>raw html block</div>\n"
    )
    assert load("a.md", source.encode()).text == (
        "Intro line one\ncontinues here.\nHard break.\n\nSub heading\n\nfirst item\n\nsecond item\n\n"
        "A quoted paragraph.\n\nprint('code')\n\nName | Role\n\nRutte | NATO\n\nTom & Jerry\nsaid hi."
    )


def test_markdown_without_a_yaml_mapping_on_top_keeps_its_text() -> None:
    loaded = load("a.md", b"---\nJust a line under a rule.\n---\n\nBody.\n")
    assert loaded.text == "Just a line under a rule.\n\nBody." and loaded.title is None
    titled = load("b.md", b"# The headline\n\nBody.\n")
    assert titled.title == "The headline"
    bomb = b"---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" \
           b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n" \
           b"title: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nauthor: *d\n---\nBody text.\n"
    aliased = load("bomb.md", bomb)  # a YAML alias bomb in the header: ignored, not printed
    assert aliased.text == "Body text." and aliased.title is None and aliased.author is None


# --- HTML -----------------------------------------------------------------------------------------------

def test_html_keeps_the_article_and_drops_boilerplate_and_scripts() -> None:
    text = load("a.html", article_html()).text
    for junk in ("Subscribe", "Sign in", "cookies", "Tracking", "advertisement", "Celebrity", "rights reserved",
                 "Privacy", "dataLayer", "color: red", "Example News"):
        assert junk not in text, junk
    assert PARAGRAPHS[-1] in text


def test_html_inline_markup_breaks_and_tables() -> None:
    page = (
        "<html><body><article><h2>Sub</h2><p>Para with<br>a break, <b>bold</b> and\n   <a href='x'>a link</a>."
        "</p><p>Second paragraph with <i>enough</i> words to be kept as text.</p><table><tr><td>Rutte</td>"
        "<td>NATO</td></tr></table><img src='x.jpg' alt='photo caption'></article></body></html>"
    )
    assert load("a.html", page.encode()).text == (
        "Sub\n\nPara with\na break, bold and a link.\n\nSecond paragraph with enough words to be kept as text."
        "\n\nRutte | NATO"
    )


def test_html_encodings_declared_or_marked() -> None:
    page = "<html><head><meta charset='windows-1252'><title>Café</title></head><body><article>" \
           "<p>He said \u201cyes\u201d \u2014 at the café, twice, before the vote.</p></article></body></html>"
    loaded = load("a.html", page.encode("cp1252"))
    assert "\u201cyes\u201d \u2014 at the café" in loaded.text and loaded.encoding == "cp1252"
    utf16 = load("b.html", page.replace("windows-1252", "utf-16").encode("utf-16"))
    assert "\u201cyes\u201d \u2014 at the café" in utf16.text and utf16.encoding == "utf-16-le"


def test_html_metadata_canonical_or_og_url() -> None:
    page = ("<html><head><link rel='canonical' href='https://example.com/canonical'></head><body><article>"
            "<p>Body text of a page that is long enough for the extractor to keep it.</p></article></body></html>")
    assert load("a.html", page.encode()).url == "https://example.com/canonical"
    og = page.replace("<link rel='canonical' href='https://example.com/canonical'>",
                      "<meta property='og:url' content='https://example.com/og'>")
    assert load("b.html", og.encode()).url == "https://example.com/og"


def test_html_with_only_scripts_is_empty() -> None:
    page = b"<html><head><script>var a = 'Breaking news: all of it';</script></head><body>" \
           b"<script>document.write('More news here')</script><style>p{}</style></body></html>"
    assert refused("a.html", page).reason is Reason.EMPTY


# --- PDF ------------------------------------------------------------------------------------------------

def test_pdf_paragraphs_hyphenation_and_page_furniture() -> None:
    header, footer = "The Daily Example — Friday edition", "Page {} of 3"
    pages = [
        [header, "Talks resume", "", "The negoti-", "ations over the package will resume in", "January,"
         " ministers said.", "", "", "", "", "", "", "", "", "", "", "", "", "", footer.format(1)],
        [header, "A second story begins here and runs on", "to the next line without a break.", "", "", "", "", "",
         "", "", "", "", "", "", "", "", "", "", "", footer.format(2)],
        [header, "Officials in Kyiv said the aid was", "welcome.", "", "", "", "", "", "", "", "", "", "", "", "",
         "", "", "", "", footer.format(3)],
    ]
    text = load("a.pdf", pdf_lines(pages)).text
    assert text == (
        "Talks resume\n\nThe negotiations over the package will resume in January, ministers said.\n\n"
        "A second story begins here and runs on to the next line without a break.\n\n"
        "Officials in Kyiv said the aid was welcome."
    )


def test_pdf_headings_over_text_set_with_blank_lines_only() -> None:
    pdf = pdf_lines([["Port news", "", "Cranes and quays", "", "The harbour crane was paid for by the cooperative",
                      "", "of fishermen, the mayor said."]])
    assert load("a.pdf", pdf).text == (
        "Port news\n\nCranes and quays\n\n"
        "The harbour crane was paid for by the cooperative of fishermen, the mayor said."
    )


def test_pdf_line_joining() -> None:
    assert join_lines("the negoti-", "ations") == "the negotiations"
    assert join_lines("the U.S.-", "Russia talks") == "the U.S.- Russia talks"  # a capital: not a broken word
    assert join_lines("in 2024-", "25 budget") == "in 2024- 25 budget"
    assert join_lines("soft\u00ad", "hyphen") == "softhyphen"
    assert join_lines("end of", "line") == "end of line"


def test_pdf_without_a_text_layer_is_refused_as_such() -> None:
    scan = one_page_pdf(b"0.5 g 50 50 500 700 re f 0 0 m 612 792 l S")  # drawings only, like a scanned page
    error = refused("scan.pdf", scan)
    assert error.reason is Reason.NO_TEXT_LAYER and "1 page" in str(error)


def test_encrypted_pdf() -> None:
    from pypdf import PdfReader, PdfWriter

    def encrypted(user_password: str) -> bytes:
        writer = PdfWriter()
        for page in PdfReader(io.BytesIO(pdf_lines([["Secret text of the article."]]))).pages:
            writer.add_page(page)
        writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    assert refused("locked.pdf", encrypted("secret")).reason is Reason.ENCRYPTED
    assert load("permissions-only.pdf", encrypted("")).text == "Secret text of the article."


def test_pdf_bombs_are_refused() -> None:
    draw = b"BT /F1 12 Tf 72 700 Td (Hello world.) Tj ET\n"
    # A content stream of 20 MiB of spaces, compressed to a few KiB: refused while decompressing.
    bomb = one_page_pdf(draw + b" " * (20 * 1024 * 1024), compress=True)
    assert len(bomb) < 100_000
    error = refused("bomb.pdf", bomb, LoadLimits(max_uncompressed_bytes=1024 * 1024))
    assert error.reason is Reason.TOO_LARGE and "limit" in str(error)
    # A page tree 3,000 levels deep.
    assert refused("deep.pdf", nested_page_tree_pdf(3000)).reason is Reason.TOO_LARGE
    assert load("shallow.pdf", nested_page_tree_pdf(3)).text == "Deep"
    # 100,000 nested arrays in a content stream.
    nested = one_page_pdf(b"BT /F1 12 Tf 72 700 Td " + b"[" * 100_000 + b"(x)" + b"]" * 100_000 + b" TJ ET")
    assert refused("nested.pdf", nested).reason is Reason.UNREADABLE
    # Pages: one small page referenced 50,000 times; a tree that claims a billion pages is not believed.
    many = raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                    b"<< /Type /Pages /Kids [" + b"3 0 R " * 50_000 + b"] /Count 1 >>",
                    b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R /MediaBox [0 0 612 792] >>",
                    b"<< /Length 0 >>\nstream\n\nendstream"])
    assert refused("many.pdf", many).reason is Reason.TOO_LARGE
    assert load("claims.pdf", one_page_pdf(draw, count=10**9)).text == "Hello world."
    error = refused("three.pdf", pdf_lines([["One."], ["Two."], ["Three."]]), LoadLimits(max_pages=2))
    assert error.reason is Reason.TOO_LARGE and "pages" in str(error)


# --- DOCX -----------------------------------------------------------------------------------------------

def test_docx_paragraphs_tables_and_breaks() -> None:
    import docx

    document = docx.Document()
    document.add_heading("Heading one", level=1)
    paragraph = document.add_paragraph("First line")
    paragraph.add_run().add_break()
    paragraph.add_run("second line of the same paragraph.")
    document.add_paragraph("")
    table = document.add_table(rows=2, cols=2)
    for (row, col), value in {(0, 0): "Name", (0, 1): "Role", (1, 0): "Rutte", (1, 1): "NATO chief"}.items():
        table.cell(row, col).text = value
    document.add_paragraph("After the table.")
    document.core_properties.title = "Core title"
    out = io.BytesIO()
    document.save(out)
    loaded = load("a.docx", out.getvalue())
    assert loaded.text == (
        "Heading one\n\nFirst line\nsecond line of the same paragraph.\n\nName | Role\n\nRutte | NATO chief"
        "\n\nAfter the table."
    )
    assert loaded.title == "Core title"  # no Title-styled paragraph


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_docx_zip_bombs_are_refused_before_decompressing() -> None:
    real = zipfile.ZipFile(io.BytesIO(article_docx()))
    members = {info.filename: real.read(info) for info in real.infolist()}
    # One member expanding 1,000 times (2 MiB of zeros).
    ratio = zip_bytes({**members, "word/media/zeros.bin": bytes(2 * 1024 * 1024)})
    assert len(ratio) < len(article_docx()) + 10_000  # a bomb: small on disk
    error = refused("ratio.docx", ratio)
    assert error.reason is Reason.TOO_LARGE and "times" in str(error)
    # The members together expand beyond the limit (here a small one, so the test stays small).
    total = zip_bytes({**members, "word/media/big.xml": b"<a/>" * (3 * 1024 * 1024 // 4)})
    error = refused("total.docx", total, LoadLimits(max_uncompressed_bytes=2 * 1024 * 1024))
    assert error.reason is Reason.TOO_LARGE and "zip bomb" in str(error)
    crowded = zip_bytes({**members, **{f"customXml/item{i}.xml": b"<a/>" for i in range(3000)}})
    assert refused("crowded.docx", crowded).reason is Reason.TOO_LARGE


def test_docx_member_that_lies_about_its_size_is_not_expanded() -> None:
    """A member whose directory entry says 1,000 bytes but whose data inflates to 50 MiB: zipfile stops
    at the declared size and the CRC check fails, so the file is refused as unreadable."""
    real = zipfile.ZipFile(io.BytesIO(article_docx()))
    members = {info.filename: real.read(info) for info in real.infolist()}
    document = members["word/document.xml"]
    data = bytearray(zip_bytes({**members, "word/document.xml": document + b" " * (50 * 1024 * 1024)}))
    actual = len(document) + 50 * 1024 * 1024
    lie = struct.pack("<I", 1000)
    size = struct.pack("<I", actual)
    # The uncompressed size stands in the local header (offset 22) and the central directory (offset 24).
    patched = data.replace(size, lie)
    assert patched != data
    error = refused("liar.docx", bytes(patched))
    assert error.reason is Reason.UNREADABLE


def test_not_a_word_document() -> None:
    assert refused("a.docx", zip_bytes({"hello.txt": b"hi"})).reason is Reason.UNREADABLE
    assert refused("b.docx", b"PK\x03\x04 truncated").reason is Reason.UNREADABLE


# --- every format: limits, garbage, fuzz ----------------------------------------------------------------

@pytest.mark.parametrize("suffix", sorted(supported_suffixes()))
def test_too_large_and_garbage_files_are_refused_with_a_reason(suffix: str) -> None:
    error = refused("big" + suffix, b"x" * 2001, LoadLimits(max_bytes=2000))
    assert error.reason is Reason.TOO_LARGE and "2001 bytes" in str(error)
    garbage = random.Random(suffix).randbytes(20_000)
    assert refused("garbage" + suffix, garbage).reason in {Reason.UNREADABLE, Reason.EMPTY}
    assert refused("empty" + suffix, b"").reason is Reason.EMPTY


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=3000), st.sampled_from(sorted(supported_suffixes())))
def test_arbitrary_bytes_load_or_are_refused_never_crash(data: bytes, suffix: str) -> None:
    try:
        loaded = load("x" + suffix, data)
    except Unloadable as error:
        assert isinstance(error.reason, Reason)
    else:
        assert loaded.text.strip()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), st.integers(1, 255), st.sampled_from([".pdf", ".docx"]))
def test_damaged_real_files_load_or_are_refused(position: int, value: int, suffix: str) -> None:
    """A real PDF or DOCX with one byte changed (a damaged download)."""
    original = DAMAGE_SOURCES[suffix]
    data = bytearray(original)
    data[position % len(data)] ^= value
    try:
        load("x" + suffix, bytes(data))
    except Unloadable as error:
        assert isinstance(error.reason, Reason)


DAMAGE_SOURCES = {".pdf": pdf_lines([["A damaged article.", "Second line."]]), ".docx": article_docx()}

