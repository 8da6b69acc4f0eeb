"""Sentence segmentation: exact offsets, abbreviations, quotes, headlines and paragraphs."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.corpus.loaders.lines import line_of, line_starts
from retrieval.corpus.segment import passage_windows, segment


def texts(text: str) -> list[str]:
    return [text[s.start : s.end] for s in segment(text)]


def test_abbreviations_do_not_end_sentences() -> None:
    text = "The U.S. Army met Mr. Smith on Dec. 5 in Washington. He left early."
    assert texts(text) == ["The U.S. Army met Mr. Smith on Dec. 5 in Washington.", "He left early."]


def test_no_sentence_opens_with_a_comma_after_an_abbreviation() -> None:
    # AP style's party and state after a lawmaker's name: the abbreviation's full stop does not end the sentence
    text = (
        'Sen. Tim Kaine, D-Va., said Trump "doesn\'t understand the economy". '
        "House Speaker Paul Ryan, R-Wis., declined to comment. Rep. Ann Lee, D-Calif. Lee spoke later."
    )
    assert texts(text) == [
        'Sen. Tim Kaine, D-Va., said Trump "doesn\'t understand the economy".',
        "House Speaker Paul Ryan, R-Wis., declined to comment.",
        "Rep. Ann Lee, D-Calif.",
        "Lee spoke later.",
    ]


def test_closing_double_quotes_stay_with_their_sentence() -> None:
    text = "“We will win.” She left. He said \"ok.\" Then he went home."
    assert texts(text) == ["“We will win.”", "She left.", 'He said "ok."', "Then he went home."]


def test_closing_single_curly_quote_after_full_stop_ends_sentence() -> None:
    text = "Putin said it was ‘fatal.’ Rutte disagreed. It was Rutte’s plan."
    assert texts(text) == ["Putin said it was ‘fatal.’", "Rutte disagreed.", "It was Rutte’s plan."]


def test_apostrophes_and_inner_quotes_do_not_split() -> None:
    text = "His remarks, as reported by ‘Ukraine.ru,’ underscore a growing anxiety among Western allies."
    assert texts(text) == [text]


def test_headlines_and_paragraph_breaks_end_sentences() -> None:
    text = "NATO Warns of Imminent Offensive\n\nRutte spoke in Brussels\nKey Takeaways\n  • Rutte warns Russia.\n"
    assert texts(text) == ["NATO Warns of Imminent Offensive", "Rutte spoke in Brussels", "Key Takeaways",
                           "• Rutte warns Russia."]


def test_hard_wrapped_lines_are_joined_into_one_sentence() -> None:
    text = "The minister said that the plan\nwould be ready by the end\nof the week. Nobody believed it."
    first = "The minister said that the plan\nwould be ready by the end\nof the week."
    assert texts(text) == [first, "Nobody believed it."]


def test_offsets_lines_and_paragraphs_are_exact() -> None:
    text = "Title line\n\nFirst sentence here. Second one!\nThird on line four?"
    spans = segment(text)
    assert [(s.line, s.paragraph) for s in spans] == [(1, 0), (3, 1), (3, 1), (4, 2)]
    assert text[spans[2].start : spans[2].end] == "Second one!"
    assert spans[2].start == text.index("Second")


def test_long_line_without_punctuation_is_cut_into_bounded_pieces() -> None:
    text = " ".join(["word"] * 5000)
    spans = segment(text, max_chars=1000)
    assert len(spans) > 1
    assert all(s.end - s.start <= 1000 for s in spans)
    assert " ".join(text[s.start : s.end] for s in spans) == text


def test_line_numbers() -> None:
    starts = line_starts("a\nbb\n\nc")
    assert [line_of(starts, i) for i in (0, 2, 3, 5, 6)] == [1, 2, 2, 3, 4]


def test_passage_windows_cover_every_sentence() -> None:
    assert passage_windows(0, 3, 1) == []
    assert passage_windows(2, 3, 1) == [(0, 1)]
    assert passage_windows(5, 3, 2) == [(0, 2), (2, 4)]
    assert passage_windows(6, 3, 2) == [(0, 2), (2, 4), (3, 5)]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([*"ab .!?\n’”“‘\"'AB\t,é\u00a0", "U.S.", "Mr. "]), max_size=120).map("".join))
def test_spans_are_exact_ordered_and_trimmed(text: str) -> None:
    spans = segment(text)
    last_end = 0
    for s in spans:
        piece = text[s.start : s.end]
        assert piece and piece == piece.strip()
        assert s.start >= last_end
        last_end = s.end
        assert s.line == text.count("\n", 0, s.start) + 1


def test_old_mac_line_endings_give_real_lines_and_paragraphs() -> None:
    from tests.support.formats import article_text

    unix, mac, windows = (segment(article_text(newline)) for newline in ("\n", "\r", "\r\n"))
    assert [(s.start, s.end, s.line, s.paragraph) for s in mac] == [
        (s.start, s.end, s.line, s.paragraph) for s in unix]
    assert [s.line for s in windows] == [s.line for s in unix]
    assert len({s.line for s in mac}) > 5  # not every sentence on line 1
