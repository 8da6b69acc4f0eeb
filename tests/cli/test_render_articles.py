"""Citations name the article's title and address when its file carries them (HTML, Markdown, PDF, DOCX);
a .txt file's citation stays as it was."""

from __future__ import annotations

import json

from retrieval.cli.render import answer_json, answer_text
from retrieval.records import Answer, Citation, Quote

TITLE = "Rutte warns Moscow"
URL = "https://news.example.com/rutte"


def answer(*citations: Citation) -> Answer:
    first = citations[0]
    quote = Quote("Rutte spoke.", first.source, first.start, first.end, first.line, 1.5, (0,), None, citations)
    return Answer("what did Rutte say?", True, (quote,))


def test_text_output_shows_title_and_url_in_the_citation_line() -> None:
    out = answer_text(answer(Citation("page.html", 3, 15, 2, TITLE, URL), Citation("a.txt", 0, 12, 1)))
    assert f"    — page.html, line 2 · {TITLE} · {URL} · score 1.50" in out.splitlines()
    assert "      also in: a.txt, line 1" in out.splitlines()  # the main place is not listed again


def test_text_output_of_a_txt_file_is_unchanged() -> None:
    out = answer_text(answer(Citation("a.txt", 0, 12, 1)))
    assert "    — a.txt, line 1 · score 1.50" in out.splitlines()


def test_json_quotes_carry_title_and_url_keys_only_when_known() -> None:
    [quote] = json.loads(answer_json(answer(Citation("doc.pdf", 3, 15, 2, TITLE), Citation("a.txt", 0, 12, 1))))[
        "quotes"
    ]
    assert quote["title"] == TITLE and "url" not in quote
    assert quote["sources"] == [
        {"source": "doc.pdf", "start": 3, "end": 15, "line": 2, "title": TITLE},
        {"source": "a.txt", "start": 0, "end": 12, "line": 1},
    ]
