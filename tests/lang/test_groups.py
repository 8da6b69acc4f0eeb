"""Teams, bands and companies named like people are not people (retrieval/lang/en/speakers/groups.py).

The articles below were written for these tests, after the rules: other leagues, bands and companies than
any the rules' docstring or the benchmarks mention. Each article also names real people, who must stay.
"""

from __future__ import annotations

import pytest

from retrieval.corpus.segment import segment
from retrieval.lang.en.people import ArticleSpeakers
from retrieval.lang.en.speakers.analyzer import analyze_article
from retrieval.lang.en.speakers.groups import looks_like_group, plural_shaped


def analyse(text: str) -> tuple[ArticleSpeakers, list[str]]:
    spans = segment(text)
    return analyze_article(text, spans), [text[s.start : s.end] for s in spans]


def speaker_of(text: str, fragment: str) -> str | None:
    res, sentences = analyse(text)
    return next(who for who, s in zip(res.speakers, sentences, strict=True) if fragment in s)


BASKETBALL = (
    "The Milwaukee Bucks beat the Atlanta Hawks 112-104 on Friday night. "
    "“We defended for 48 minutes,” the Bucks coach, Doc Rivers, said after the game. "
    "The Bucks said on Saturday that their captain would miss two weeks with a sprained ankle."
)
HOCKEY = (
    "New Jersey Devils were eliminated on Sunday after a 3-1 loss in Raleigh. "
    "Their goaltender, Jake Allen, said the season had ended too early."
)
BAND = (
    "The Arctic Monkeys announced a European tour on Tuesday. "
    "Alex Turner said the band had written twelve new songs. "
    "The Arctic Monkeys said tickets would go on sale in May."
)
BASEBALL = "Houston Astros signed a left-handed pitcher on Monday, manager Joe Espada said."
COMPANY = (
    "Halvorsen Industries have cut 300 jobs at their Bergen plant. "
    "Chief executive Ingrid Dahl said the cuts were painful but necessary."
)


@pytest.mark.parametrize(
    ("text", "people"),
    [
        (BASKETBALL, {"Doc Rivers"}),
        (HOCKEY, {"Jake Allen"}),
        (BAND, {"Alex Turner"}),
        (BASEBALL, {"Joe Espada"}),
        (COMPANY, {"Ingrid Dahl"}),
    ],
)
def test_teams_bands_and_companies_are_not_people(text: str, people: set[str]) -> None:
    res, _ = analyse(text)
    assert {k for k, p in res.people.items() if not p.organisation} == people


def test_a_team_statement_has_the_team_as_speaker_not_a_person() -> None:
    # the team speaks as an organisation (speakers/organisations.py), never as a person
    res, _ = analyse(BASKETBALL)
    assert speaker_of(BASKETBALL, "their captain would miss") == "Milwaukee Bucks"
    assert res.people["Milwaukee Bucks"].organisation
    res, _ = analyse(BAND)
    assert speaker_of(BAND, "tickets would go on sale") == "Arctic Monkeys"
    assert res.people["Arctic Monkeys"].organisation
    assert speaker_of(BASKETBALL, "We defended") == "Doc Rivers"
    assert speaker_of(BAND, "twelve new songs") == "Alex Turner"


@pytest.mark.parametrize(
    ("text", "person"),
    [
        # surnames ending in -s stay people, also when the family name modifies a noun
        ("Serena Williams said she was ready. The Williams sisters trained together in Florida.", "Serena Williams"),
        ("The Adams administration collapsed in March. John Adams said he was sorry.", "John Adams"),
        ("Coach Mike Harris said the Eagles deserved to lose.", "Mike Harris"),
        # a place that is also a given name, before a surname in -s
        ("Jordan Peters said the referee had been wrong all evening.", "Jordan Peters"),
        # several subjects: agreement says nothing about one of them
        ("Ana Soto and Lena Roberts were elected on Sunday. Lena Roberts said she would serve.", "Lena Roberts"),
    ],
)
def test_people_with_plural_looking_names_stay_people(text: str, person: str) -> None:
    res, _ = analyse(text)
    assert person in res.people


def test_an_organisation_named_after_a_person_is_not_that_person_speaking() -> None:
    text = "The Olsen Foundation said it would fund the library. Maren Olsen said she was proud."
    res, _ = analyse(text)
    assert {k for k, p in res.people.items() if not p.organisation} == {"Maren Olsen"}
    assert speaker_of(text, "fund the library") == "Olsen Foundation"
    assert res.people["Olsen Foundation"].organisation


@pytest.mark.parametrize(
    ("phrase", "group"),
    [
        ("the Vancouver Canucks", True),
        ("Houston Astros", True),
        ("the Foo Fighters", True),
        ("their Supporters", True),
        ("Serena Williams", False),
        ("Jordan Peters", False),
        ("the Russian president", False),
        ("Vladimir Putin", False),
        ("the", False),
        ("", False),
    ],
)
def test_question_phrases(phrase: str, group: bool) -> None:
    assert looks_like_group(phrase) is group


@pytest.mark.parametrize(
    ("word", "plural"),
    [("Canucks", True), ("Astros", True), ("Fighters", True), ("Harris", False), ("Marcus", False),
     ("Davis", False), ("Vegas", False), ("Bliss", False), ("Ms", False), ("canucks", False)],
)
def test_plural_shape(word: str, plural: bool) -> None:
    assert plural_shaped(word) is plural
