"""Quotation share, stand-alone attributions, short forms of given names, surname-only labels and close
spellings: general rules, tested on sentences and names written for these tests (not from corpus/)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval.lang.en.names import PeopleIndex, closest_person, name_matches
from retrieval.lang.en.people import Person
from retrieval.lang.en.speakers.quotes import is_attribution_only, quoted_share


def person(name: str) -> Person:
    return Person(name, frozenset({name}), frozenset(), frozenset())


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("The council met on Monday to discuss the budget.", 0.0, 0.0),
        ('"We will rebuild the bridge by spring," the mayor said.', 0.55, 0.75),
        ("“It is a dark day for farmers,” Ortega told the assembly.", 0.5, 0.75),
        ("‘Nobody wins a trade war,’ Lindqvist said, before leaving.", 0.35, 0.6),
        ("The minister’s aides denied the report about the port’s sale.", 0.0, 0.0),  # apostrophes only
        ("She called the plan a “historic mistake” in a statement.", 0.1, 0.3),  # a few words quoted
        ("He began: “The harvest failed, and the", 0.6, 0.9),  # runs on into the next sentence
        ("prices will fall next year,” she added.", 0.5, 0.8),  # ends a quotation begun before
        # straight marks nested in straight marks: the inner pair neither closes nor reopens the quotation
        ('"The statement is wrong. The "United States" holds no detainees," Berg wrote.', 0.75, 0.9),
    ],
)
def test_quoted_share(text: str, low: float, high: float) -> None:
    assert low <= quoted_share(text) <= high


@given(st.text(max_size=200))
def test_quoted_share_is_a_share(text: str) -> None:
    assert 0.0 <= quoted_share(text) <= 1.0


@pytest.mark.parametrize(
    "text",
    ["Okafor said.", "said Dr. Ines Brandt, an epidemiologist.", "she added.", "— Tomasz Wrona",
     "― Lena Park, head of the port authority", "the coach told reporters on Sunday.",
     "Macron told the world on Thursday via Twitter.", "She wrote on Facebook."],
)
def test_attribution_only(text: str) -> None:
    assert is_attribution_only(text)


@pytest.mark.parametrize(
    "text",
    ["The port authority said the cranes would be replaced by a new fleet next year.",
     '"We are ready," Okafor said.', "Okafor’s cousin arrived.", "The vote passed.", "",
     "The world is watching Twitter."],
)
def test_not_attribution_only(text: str) -> None:
    assert not is_attribution_only(text)


def test_short_forms_of_given_names_match() -> None:
    assert name_matches("William Okafor", "Bill Okafor")
    assert name_matches("Robert Lindqvist", "Bob Lindqvist")
    assert name_matches("Katherine Ortega", "Kate Ortega")
    assert not name_matches("William Okafor", "Tom Okafor")
    assert not name_matches("Robert Lindqvist", "Bob Lindgren")


def test_campaign_and_profession_titles_before_a_name_are_not_part_of_it() -> None:
    assert name_matches("Hillary Clinton", "Democratic presidential candidate Hillary Clinton")
    assert name_matches("Michael Cohen", "lawyer Michael Cohen")
    assert not name_matches("Hillary Clinton", "presidential candidate Bernie Sanders")


def test_a_generational_suffix_does_not_change_who_is_meant() -> None:
    assert name_matches("Cal Ripken Jr.", "Cal Ripken")
    assert name_matches("Cal Ripken Jr.", "Ripken")
    assert name_matches("Cal Ripken", "Cal Ripken Jr.")
    assert not name_matches("Cal Ripken Jr.", "Jr")


def test_a_surname_alone_is_not_another_person_with_that_surname() -> None:
    people = {k: person(k) for k in ("Ana Ortega", "Luis Ortega", "Ortega", "Ines Brandt", "Brandt")}
    # "Ortega" (an article that never gave a first name) could be Ana or Luis: not taken for either
    assert not name_matches("Ortega", "Ana Ortega", people)
    assert not name_matches("Ortega", "Luis Ortega", PeopleIndex(people))
    # only one Brandt with a given name, but nothing ties the bare surname to her (another article's "a student
    # named Brandt"): not hers
    assert not name_matches("Brandt", "Ines Brandt", people)
    assert not name_matches("Brandt", "Ines Brandt", PeopleIndex(people))
    # a title or an affiliation the two share does ("President Brandt" of one article, "President Ines Brandt" of
    # another), and a surname nobody has in full is the asked person's
    titled = {
        "Ines Brandt": Person("Ines Brandt", frozenset({"Ines Brandt"}), frozenset({"president"}), frozenset()),
        "Brandt": Person("Brandt", frozenset({"Brandt"}), frozenset({"president"}), frozenset()),
        "Kowal": person("Kowal"),
    }
    assert name_matches("Brandt", "Ines Brandt", titled)
    assert name_matches("Brandt", "Ines Brandt", PeopleIndex(titled))
    assert name_matches("Kowal", "Jan Kowal", PeopleIndex(titled))
    # without a people map the old rule stands
    assert name_matches("Ortega", "Ana Ortega")


def test_one_word_is_a_surname_before_a_given_name() -> None:
    people = {k: person(k) for k in ("Piers Morgan", "Morgan Ortagus", "Bernie Sanders")}
    for index in (people, PeopleIndex(people)):
        assert name_matches("Piers Morgan", "Morgan", index)
        assert not name_matches("Morgan Ortagus", "Morgan", index)  # someone has it as a surname
        assert name_matches("Bernie Sanders", "Bernie", index)  # nobody does: the given name is enough
        assert name_matches("Morgan Ortagus", "Morgan Ortagus", index)


def test_close_spelling_finds_the_one_person() -> None:
    people = {k: person(k) for k in ("Tomasz Wrona", "Ines Brandt", "Lena Park", "Luis Ortega", "Ana Ortega")}
    assert closest_person(people, "Wronna") == "Tomasz Wrona"
    assert closest_person(people, "Ines Brant") == "Ines Brandt"
    assert closest_person(people, "Tomas Wrona") == "Tomasz Wrona"
    assert closest_person(people, "Ortegga") is None  # two Ortegas: no guess
    assert closest_person(people, "Parker") is None  # not close enough
    assert closest_person(people, "Maria Brandt") is None  # the given name differs
    assert closest_person(people, "Xu") is None  # too short to correct
