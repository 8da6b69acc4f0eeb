"""Every article format end to end through `verbatim` with the real model: the same article as .txt, UTF-16
.txt, .html, .pdf and .docx is indexed five times and quoted once with five sources; a question that only a
PDF, a DOCX or a web page answers cites that file; every quote is exactly `verbatim text SOURCE`[start:end];
`verbatim index` names everything it did not index."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from retrieval.corpus.loaders.lines import line_of, line_starts
from tests.support.formats import (
    TITLE,
    URL,
    article_docx,
    article_html,
    article_pdf,
    article_text,
    one_page_pdf,
    pdf_lines,
)

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.model

FORMATS = ("article.txt", "article-utf16.txt", "article.html", "article.pdf", "article.docx")
ONLY_IN = {
    "harbour.pdf": ("Who paid for the new harbour crane?",
                    "The harbour crane was paid for by the Fishermen's Cooperative of Vlissingen."),
    "library.docx": ("When will the library reopen?",
                     "The municipal library will reopen on the first Monday of March after its roof repair."),
    "tram.html": ("How long is the new tram line?",
                  "The new tram line is eleven kilometres long and links the station with the university."),
}


def verbatim(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "retrieval.cli.main", *args], input=stdin, capture_output=True,
                          text=True, cwd=ROOT, env=env, timeout=600, check=False)


def docx_of(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, subprocess.CompletedProcess[str]]:
    corpus = tmp_path_factory.mktemp("formats") / "corpus"
    (corpus / "other").mkdir(parents=True)
    files = {
        "article.txt": article_text().encode(),
        "article-utf16.txt": article_text("\r\n").encode("utf-16"),
        "article.html": article_html(),
        "article.pdf": article_pdf(),
        "article.docx": article_docx(),
        "harbour.pdf": pdf_lines([["Port news", "", "Cranes and quays", "", ONLY_IN["harbour.pdf"][1]]]),
        "library.docx": docx_of(["Library news", ONLY_IN["library.docx"][1]]),
        "tram.html": (f"<html><head><title>Tram</title></head><body><article><h1>Tram news</h1>"
                      f"<p>{ONLY_IN['tram.html'][1]}</p></article></body></html>").encode(),
        "scan.pdf": one_page_pdf(b"0 0 m 100 100 l S"),
        "old-mac.txt": b"Mac news\r\rThe ferry timetable changes in April.\rBoats leave every hour.\r",
    }
    files.update({f"other/photo-{i:02d}.jpg": b"\xff\xd8\xff\xe0 image" for i in range(12)})
    for name, data in files.items():
        (corpus / name).write_bytes(data)
    index = tmp_path_factory.mktemp("formats-index")
    done = verbatim("index", "--corpus", str(corpus), "--index", str(index))
    assert done.returncode == 0, done.stderr
    return corpus, index, done


def indexed_text(index: Path, source: str) -> str:
    done = subprocess.run([sys.executable, "-m", "retrieval.cli.main", "text", "--index", str(index), source],
                          capture_output=True, cwd=ROOT, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout.decode("utf-8")


def check_citation(index: Path, citation: dict[str, object], quote: str) -> None:
    text = indexed_text(index, str(citation["source"]))
    start, end = int(str(citation["start"])), int(str(citation["end"]))
    assert text[start:end].split() == quote.split()
    assert line_of(line_starts(text), start) == citation["line"]


def test_index_names_everything_it_did_not_index(built: tuple[Path, Path, subprocess.CompletedProcess[str]]) -> None:
    _, _, done = built
    assert "Indexed 9 files" in done.stdout and "13 skipped" in done.stdout
    lines = done.stdout.splitlines()
    start = lines.index("Not indexed (13):")
    assert lines[start + 1 :] == [
        "  unsupported format, .jpg (12):",
        *[f"    other/photo-{i:02d}.jpg" for i in range(10)],
        "    and 2 more",
        "  no text layer, .pdf (1):",
        "    scan.pdf  (1 page(s) without text (a scan?))",
    ]


def test_same_article_in_five_formats_is_one_quote_with_five_sources(
    built: tuple[Path, Path, subprocess.CompletedProcess[str]],
) -> None:
    _, index, _ = built
    done = verbatim("ask", "--json", "--index", str(index), "What did Putin call Rutte?")
    assert done.returncode == 0, done.stderr
    quote = json.loads(done.stdout)["quotes"][0]
    assert "intelligent and systematic" in quote["text"]
    assert sorted(c["source"] for c in quote["sources"]) == sorted(FORMATS)
    for citation in quote["sources"]:
        check_citation(index, citation, quote["text"])
    # Each place carries the article's title and address where its file has them; a .txt file has neither.
    by_source = {c["source"]: c for c in quote["sources"]}
    assert (by_source["article.html"]["title"], by_source["article.html"]["url"]) == (TITLE, URL)
    assert by_source["article.pdf"]["title"] == TITLE
    assert "title" not in by_source["article.txt"] and "url" not in by_source["article.txt"]


def test_a_question_only_one_file_answers_cites_it_exactly(
    built: tuple[Path, Path, subprocess.CompletedProcess[str]],
) -> None:
    _, index, _ = built
    questions = [question for question, _ in ONLY_IN.values()] + ["When does the ferry timetable change?"]
    done = verbatim("ask", "--json", "--index", str(index), stdin="\n".join(questions) + "\n")
    assert done.returncode == 0, done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    expected = [*((name, sentence) for name, (_, sentence) in ONLY_IN.items()),
                ("old-mac.txt", "The ferry timetable changes in April.")]
    for answer, (source, sentence) in zip(answers, expected, strict=True):
        top = answer["quotes"][0]
        assert (top["source"], top["text"]) == (source, sentence), answer["question"]
        check_citation(index, top, top["text"])
    assert answers[-1]["quotes"][0]["line"] == 3  # CR-only lines are counted


def test_text_of_a_file_not_indexed_and_of_nothing(
    built: tuple[Path, Path, subprocess.CompletedProcess[str]], tmp_path: Path,
) -> None:
    _, index, _ = built
    page = tmp_path / "new.html"
    page.write_bytes(article_html())
    done = verbatim("text", "--index", str(index), str(page))
    assert done.returncode == 0 and "not in the index" in done.stderr
    assert done.stdout.startswith("Rutte warns Moscow of a fatal offensive\n\nNATO Secretary General")
    missing = verbatim("text", "--index", str(index), "no-such-article.txt")
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert len(missing.stderr.strip().splitlines()) == 1
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 garbage")
    refused = verbatim("text", "--index", str(index), str(broken))
    assert refused.returncode == 2 and "gives no text: unreadable" in refused.stderr
