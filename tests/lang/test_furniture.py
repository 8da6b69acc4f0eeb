"""Page furniture is recognised by its shape (retrieval/lang/en/furniture.py), names nobody and is never quoted.

The labels below are not those of the seed corpus: they come from other sites' page layouts, written for
these tests after the rule.
"""

from __future__ import annotations

import pytest

from retrieval.corpus.segment import segment
from retrieval.lang.en.furniture import is_page_furniture
from retrieval.lang.en.speakers.analyzer import analyze_article

LABELS = [
    "Related Stories",
    "Comments",
    "Share this article",
    "Most Read",
    "ADVERTISEMENT",
    "Sign up for our newsletter",
    "Follow us on Instagram",
    "By Jane Doe",
    "Next story →",
    "See all results ›",
    "Read the whole investigation into the council's budget →",
]
CONTENT = [
    "Putin Warns NATO Over Baltic Drills",  # a headline: a heading, not furniture
    "Europe Braces for a Long Winter",
    "Inflation 3.2%",  # a number states a fact
    "Top 10 cities",
    "He declined to comment.",
    "Stop.",
    "“No,” she said.",
    "• Rutte warns Russia.",
    "« C'est la vie »",  # a closing guillemet is not an arrow
    "",
]


@pytest.mark.parametrize("line", LABELS)
def test_labels_and_links_are_furniture(line: str) -> None:
    assert is_page_furniture(line)
    assert is_page_furniture(f"  {line}\n")


@pytest.mark.parametrize("line", CONTENT)
def test_sentences_headlines_and_facts_are_not(line: str) -> None:
    assert not is_page_furniture(line)


ARTICLE = (
    "Council Approves Harbour Budget\n"
    "By Anna Kowalski\n"
    "Share\n"
    "The mayor, Tom Baker, said the harbour would reopen in June.\n"
    "Related Stories\n"
    "Comments\n"
    "Leave a comment\n"
)


def test_furniture_names_nobody() -> None:
    res = analyze_article(ARTICLE, segment(ARTICLE))
    assert set(res.people) == {"Tom Baker"}
