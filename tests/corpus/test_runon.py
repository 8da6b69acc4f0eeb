"""A sentence that the file breaks across a line or paragraph break is one sentence (corpus/runon.py)."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.corpus.loaders import load
from retrieval.corpus.runon import Break, break_between
from retrieval.corpus.segment import segment
from tests.support.formats import PARAGRAPHS, pdf_lines

BROKEN = (
    "He urged Rutte to consult the newly released U.S.",
    "National Security Strategy, which he argued provides a more nuanced understanding of the landscape.",
)
WHOLE = f"{BROKEN[0]} {BROKEN[1]}"


def sentences(text: str) -> list[str]:
    return [text[s.start : s.end] for s in segment(text)]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("before", "after", "kind"),
    [
        ("The minister told parliament that the plan was", "unworkable, and the vote was put off.", Break.JOIN),
        ("Officials in the capital said the talks on the new budget,", "Despite the row, would go on.", Break.JOIN),
        ("He urged the delegates to read again the", "Charter of the United Nations before voting.", Break.JOIN),
        ("He urged Rutte to consult the newly released U.S.", "National Security Strategy first.", Break.ASK),
        ("The meeting was chaired by the former defence minister, Gen.", "Smith, who spoke first.", Break.ASK),
        ("The talks ended without a deal in the U.S.", "The delegates flew home.", Break.ASK),
        # A sentence that ends: closing punctuation, or no punctuation but a capital (a dropped full stop).
        ("The talks ended without a deal on Tuesday.", "the delegates flew home.", Break.KEEP),
        ("Putin expressed bewilderment at the assertions about the possibility of war", "He urged Rutte.", Break.KEEP),
        # Headings, bylines, list items, table rows and attribution lines are never joined.
        ("Putin Responds to Rutte's Warnings Over War", "the Kremlin said on Friday that it was calm.", Break.KEEP),
        ("Reactions", "and then the minister said the talks would go on.", Break.KEEP),
        ("By Jane Reporter and John Smith in Brussels", "updated on Friday at noon with new figures.", Break.KEEP),
        ("- the first point of the list is this one and", "the second point continues it.", Break.KEEP),
        ("― Vladimir Putin, speaking in Moscow on Friday,", "about the talks with the alliance.", Break.KEEP),
        ("Country | Troops | Share of the budget and", "more figures follow in the next table.", Break.KEEP),
        ("The minister told parliament that the plan was", "- a list item after it", Break.KEEP),
        ("The minister told parliament that the plan was,", "Key Takeaways", Break.KEEP),
    ],
)
def test_break_classes(before: str, after: str, kind: Break) -> None:
    assert break_between(before, after) is kind


def test_a_break_after_an_abbreviation_is_read_as_a_space_by_the_segmenter() -> None:
    ending = "The talks ended in the U.S.\n\nThe delegates flew home.\n"
    text = f"Title of the story\n\n{BROKEN[0]}\n\n{BROKEN[1]}\n\n{ending}"
    got = sentences(text)
    assert got[0] == "Title of the story"
    assert flat(got[1]) == WHOLE and got[1] == f"{BROKEN[0]}\n\n{BROKEN[1]}"
    assert got[2:] == ["The talks ended in the U.S.", "The delegates flew home."]
    joined = segment(text)[1]
    assert joined.line == 3  # cited on the line it starts on
    assert segment(text)[2].paragraph == joined.paragraph + 1


def test_hard_wrapped_paragraph_with_blank_lines_is_one_sentence() -> None:
    text = "The minister told parliament that the plan was\n\nunworkable, and the vote was put off.\n\nNext one."
    assert [flat(s) for s in sentences(text)] == [
        "The minister told parliament that the plan was unworkable, and the vote was put off.",
        "Next one.",
    ]


# Property: a break put into a sentence where a space stood before a lower-case word does not change the
# sentences (only the white space inside them); the sentences stay exact slices of the text.
_VOCABULARY = "the plan was put off by ministers who said that talks would go on and on"
_WORDS = st.sampled_from(_VOCABULARY.split(" "))
_SENTENCE = st.lists(_WORDS, min_size=3, max_size=12).map(lambda ws: " ".join([ws[0].capitalize(), *ws[1:]]) + ".")
_PARAGRAPH = st.lists(_SENTENCE, min_size=1, max_size=4).map(" ".join)


@settings(max_examples=120, deadline=None)
@given(st.lists(_PARAGRAPH, min_size=1, max_size=4), st.data())
def test_a_break_inside_a_sentence_changes_no_sentence(paragraphs: list[str], data: st.DataObject) -> None:
    text = "\n\n".join(paragraphs)
    # spaces before a lower-case word, after the sixth word of its paragraph (shorter: a heading by shape)
    places = []
    for p_start in [0, *(i + 2 for i in range(len(text)) if text.startswith("\n\n", i))]:
        end = text.find("\n\n", p_start)
        end = len(text) if end == -1 else end
        spaces = [i for i in range(p_start, end) if text[i] == " " and text[i + 1].islower()]
        places += spaces[5:]
    if not places:
        return
    chosen = sorted(set(data.draw(st.lists(st.sampled_from(places), min_size=1, max_size=3))))
    breaks = data.draw(st.lists(st.sampled_from(["\n", "\n\n", "\r\n\r\n", "\n \n"]), min_size=len(chosen),
                                max_size=len(chosen)))  # fmt: skip
    broken, last = [], 0
    for place, brk in zip(chosen, breaks, strict=True):
        broken += [text[last:place], brk]
        last = place + 1
    broken_text = "".join([*broken, text[last:]])
    spans = segment(broken_text)
    assert [flat(broken_text[s.start : s.end]) for s in spans] == [flat(s) for s in sentences(text)]
    for s in spans:
        piece = broken_text[s.start : s.end]
        assert piece == piece.strip()
        assert s.line == broken_text[: s.start].count("\n") + 1


# The same sentence broken by a paragraph break in a file of every format.
def _paragraphs() -> list[str]:
    return [*PARAGRAPHS[:3], *BROKEN, *PARAGRAPHS[3:]]


def _markdown() -> bytes:
    return ("# Rutte warns Moscow\n\n" + "\n\n".join(_paragraphs()) + "\n").encode()


def _html() -> bytes:
    body = "\n".join(f"<p>{escape(p)}</p>" for p in _paragraphs())
    return (f"<!DOCTYPE html><html><head><title>Rutte warns Moscow</title></head><body><nav>Home | World</nav>"
            f"<article><h1>Rutte warns Moscow</h1>{body}</article><footer>© Example News</footer></body></html>"
            ).encode()  # fmt: skip


def _docx() -> bytes:
    import docx

    document = docx.Document()
    for paragraph in _paragraphs():
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf() -> bytes:
    lines: list[str] = []
    for paragraph in _paragraphs():
        words, line = paragraph.split(), ""
        for word in words:
            if len(line) + len(word) > 60:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines += [line, ""]
    return pdf_lines([lines])


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("a.txt", lambda: "\n\n".join(_paragraphs()).encode()),
        ("a.md", _markdown),
        ("a.html", _html),
        ("a.docx", _docx),
        ("a.pdf", _pdf),
    ],
)
def test_every_format_gives_the_broken_sentence_whole(name: str, make: object) -> None:
    assert callable(make)
    text = load(name, make()).text
    spans = segment(text)
    whole = [s for s in spans if flat(text[s.start : s.end]) == WHOLE]
    assert len(whole) == 1, [text[s.start : s.end] for s in spans]
    assert text.count("\n", 0, whole[0].start) + 1 == whole[0].line
    # the paragraphs around it are not joined to it or to each other
    assert any(flat(text[s.start : s.end]) == flat(PARAGRAPHS[3].split(". ")[0]) + "." for s in spans)
