"""Organisations that speak: the analysis (retrieval/lang/en/speakers/organisations.py) and the question side
(retrieval/lang/en/organisations.py, names.PeopleIndex.speaking_for, search/speakers.speaker_relevance).

The sentences are news sentences in the forms the rules were written for, with other organisations and people
than the rules' docstrings name, plus corpus/'s own. Each case fails without the rule it names."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.index.attribution import people_from_json, people_to_json
from retrieval.lang.en.names import PeopleIndex, closest_person, name_matches, speaking_for
from retrieval.lang.en.organisations import looks_like_organisation, organisation_matches, speaks_for
from retrieval.lang.en.people import Person, merge_people
from retrieval.lang.en.question import parse_question
from retrieval.search.speakers import speaker_relevance
from tests.lang.test_groups import analyse, speaker_of


def organisations(text: str) -> set[str]:
    res, _ = analyse(text)
    return {k for k, p in res.people.items() if p.organisation}


# --- the analysis: an organisation is the speaker where no person speaks ---------------------------------


@pytest.mark.parametrize(
    ("text", "fragment", "speaker"),
    [
        # a reporting verb with the organisation as its subject
        ("The Kremlin said the talks in Istanbul had been useful.", "talks in Istanbul", "Kremlin"),
        ("UNICEF reported it had delivered 105 thousand doses.", "doses", "UNICEF"),
        ("The Ministry of Defence said two soldiers were injured.", "two soldiers", "Ministry of Defence"),
        ("The Norwegian Refugee Council, in a statement, said aid had stopped.", "aid had stopped",
         "Norwegian Refugee Council"),
        ("Meanwhile, the Russian government has said such proposals are provocative.", "provocative",
         "Russian government"),
        ("The Trump administration said it would appeal the ruling.", "appeal the ruling", "Trump administration"),
        # a quotation attributed to it, before or after
        ('NATO said in a statement: "We will defend every inch of allied territory."', "every inch", "NATO"),
        ('"We are ready," said the Pentagon.', "We are ready", "Pentagon"),
        # "according to", a voice noun, a voice after "for"/"from"/"at"
        ("According to the White House, the meeting will take place on Friday.", "the meeting", "White House"),
        ("A Kremlin statement said the president had spoken to Erdogan.", "had spoken", "Kremlin"),
        ("A spokesman for the Foreign Ministry said the report was false.", "the report was false",
         "Foreign Ministry"),
        ("Officials at the Pentagon said the drone was shot down.", "the drone", "Pentagon"),
        ("A White House spokeswoman said the president was briefed.", "was briefed", "White House"),
        # the place of a fronted phrase is not part of the subject
        ("In Brussels, NATO said the exercise would go ahead.", "exercise", "NATO"),
    ],
)
def test_an_organisation_speaks(text: str, fragment: str, speaker: str) -> None:
    res, _ = analyse(text)
    assert speaker_of(text, fragment) == speaker
    assert res.people[speaker].organisation
    assert all(speaker not in m for m in res.mentions)  # an organisation is never a mention


def test_the_ministry_points_back_at_the_ministry_the_article_named() -> None:
    text = (
        "The Russian Foreign Ministry summoned the Finnish ambassador on Monday. "
        "“We reject these claims,” the ministry said. "
        "The foreign ministry later added that talks would continue."
    )
    assert speaker_of(text, "We reject") == "Russian Foreign Ministry"
    assert speaker_of(text, "talks would continue") == "Russian Foreign Ministry"
    assert organisations(text) == {"Russian Foreign Ministry"}


def test_an_acronym_is_the_organisation_it_abbreviates() -> None:
    # "TfL" abbreviates "Transport for London" (small words counted), "WHO" "World Health Organization"
    text = (
        "Transport for London said the line would reopen on Monday. Later TfL said the work had been delayed. "
        "The World Health Organization said cases were rising. The WHO added that masks helped."
    )
    assert speaker_of(text, "work had been delayed") == "Transport for London"
    assert speaker_of(text, "masks helped") == "World Health Organization"
    assert organisations(text) == {"Transport for London", "World Health Organization"}


def test_an_office_named_for_a_title_is_an_organisation() -> None:
    text = "The Alachua Sheriff's Office tweeted that the road was closed. The sheriff's deputies said it was icy."
    assert speaker_of(text, "road was closed") == "Alachua Sheriff's Office"
    assert speaker_of(text, "icy") is None


def test_a_head_noun_with_nothing_named_before_it_is_nobody() -> None:
    assert speaker_of("The ministry said the rules would change. The Interior Ministry is new.", "rules") is None
    assert speaker_of("Police said the man was arrested on Sunday.", "arrested") is None


@pytest.mark.parametrize(
    ("text", "fragment", "speaker"),
    [
        # X of ORG is X, as before
        ("Mark Rutte of NATO said the alliance was ready.", "alliance was ready", "Mark Rutte"),
        ("Sheldon Yett of UNICEF observed that children were at risk.", "children", "Sheldon Yett"),
        # a named spokesman is a person, and speaks as one
        ("Kremlin spokesman Dmitry Peskov said the talks were useful.", "talks were useful", "Dmitry Peskov"),
        # X of an organisation whose name holds an "and", with a relative clause between: still X
        ("Mark Suzman of the Bill and Melinda Gates Foundation, which funds vaccines, noted that money was short.",
         "money was short", "Mark Suzman"),
        # X from a described group, X of an organisation and a second description
        ("Regina Ip from the pro-Beijing camp said the bill would protect the city.", "protect", "Regina Ip"),
        ("Jennifer Daskal of American University and contributor to Slate wrote that the law was unclear.",
         "unclear", "Jennifer Daskal"),
        # letters after a name are the name's, never an organisation "QC"
        ("Prosecutor Kama Melly QC said the victims were vulnerable.", "victims", "Kama Melly"),
        # a person first: the organisation only where no person speaks
        ("Russian President Vladimir Putin said he was ready. The Kremlin said he would travel. He added that "
         "he was tired.", "he was tired", "Vladimir Putin"),
    ],
)
def test_people_stay_people(text: str, fragment: str, speaker: str) -> None:
    assert speaker_of(text, fragment) == speaker


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("Supporters of NATO said the alliance was ready.", "alliance"),  # the object of a preposition
        ("NATO and Russia said they would talk again.", "talk again"),  # one of several subjects
        ("Harris said the plan would work.", "plan would work"),  # a surname the inventory missed
        ("The perception of an existential threat from the West grew.", "threat"),  # a threat is no statement
        ("The Bavarian health ministry in Munich, Germany confirmed a case.", "confirmed a case"),  # a place's place
        ("Rapper Kanye West made an announcement on Twitter. West did not deny the report.", "did not deny"),
        ("On Tuesday announced the plan to the press.", "plan"),  # a day
        # the objects of prepositions are not a described person's head
        ("Supporters of Donald Trump at the rally said they were angry.", "angry"),
        ("The letter to Ann Lee from the committee said no.", "said no"),
    ],
)
def test_nobody_speaks(text: str, fragment: str) -> None:
    assert speaker_of(text, fragment) is None


def test_an_organisation_is_no_pronouns_antecedent() -> None:
    text = "Russian President Vladimir Putin arrived in Minsk. The Kremlin said he would stay two days."
    res, sentences = analyse(text)
    i = next(n for n, s in enumerate(sentences) if "two days" in s)
    assert res.speakers[i] == "Kremlin"
    assert res.mentions[i] == frozenset({"Vladimir Putin"})


def test_corpus_organisations() -> None:
    # corpus/004: "NATO has urged member states ..." is NATO's, by the name the article also writes out
    # ("North Atlantic Treaty Organization"); "NATO Secretary General Mark Rutte" is Rutte's
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "corpus/004_02bacf3571272e5e.txt").read_text(encoding="utf-8")
    assert speaker_of(text, "NATO has urged member states") == "North Atlantic Treaty Organization"
    res, _ = analyse(text)
    assert not res.people["Mark Rutte"].organisation and "nato" in res.people["Mark Rutte"].affiliations


# --- the question side ------------------------------------------------------------------------------------


def _p(name: str, titles: tuple[str, ...] = (), affils: tuple[str, ...] = (), org: bool = False) -> Person:
    return Person(name, frozenset({name}), frozenset(titles), frozenset(affils), org)


PEOPLE = {
    p.name: p
    for p in (
        _p("Vladimir Putin", ("president",), ("russia",)),
        _p("Dmitry Peskov", ("spokesman",), ("russia",)),
        _p("Mark Rutte", ("secretary general",), ("nato",)),
        _p("Karine Jean-Pierre", ("press secretary",), ("white", "house")),
        _p("Ted Cruz", ("senator",), ("us",)),  # a senator does not speak for the White House
        _p("Kremlin", org=True),
        _p("NATO", org=True),
        _p("Russian Foreign Ministry", org=True),
        _p("Trump administration", org=True),
        _p("Washington", org=True),
    )
}


@pytest.mark.parametrize(
    ("query", "orgs", "voices"),
    [
        ("the Kremlin", {"Kremlin", "Russian Foreign Ministry"}, {"Vladimir Putin", "Dmitry Peskov"}),
        ("Moscow", {"Kremlin", "Russian Foreign Ministry"}, {"Vladimir Putin", "Dmitry Peskov"}),
        ("NATO", {"NATO"}, {"Mark Rutte"}),
        ("the Foreign Ministry", {"Russian Foreign Ministry"}, set()),
        ("Russia's Foreign Ministry", {"Russian Foreign Ministry"}, set()),
        ("the White House", {"Washington"}, {"Karine Jean-Pierre"}),  # "Washington said": the same government
        # a person asked by name: never an organisation, nobody speaking for one
        ("Putin", set(), set()),
        ("Trump", set(), set()),
        ("Denzel Washington", set(), set()),
        ("the Russian president", set(), set()),
    ],
)
def test_who_an_organisation_question_asks_for(query: str, orgs: set[str], voices: set[str]) -> None:
    index = PeopleIndex(PEOPLE)
    found = set(index.matching(query))
    assert {k for k in found if PEOPLE[k].organisation} == orgs
    assert set(index.speaking_for(query)) == voices
    assert set(speaking_for(dict(PEOPLE), query)) == voices  # the same without the index
    for key in PEOPLE:
        assert (key in found) == name_matches(key, query, PEOPLE)


def test_organisation_matching_rules() -> None:
    assert organisation_matches("Kremlin", "the Kremlin") and organisation_matches("White House", "the US")
    assert organisation_matches("Russian Foreign Ministry", "Russia")  # a body of what it names
    assert not organisation_matches("Trump administration", "Trump")  # a person's name is no organisation
    assert not organisation_matches("Kremlin", "Putin")
    assert looks_like_organisation("the Pentagon") and looks_like_organisation("Human Rights Council")
    assert looks_like_organisation("NATO") and not looks_like_organisation("General Smith")
    assert not looks_like_organisation("Vladimir Putin")
    assert speaks_for(PEOPLE["Vladimir Putin"], "the Kremlin") and not speaks_for(PEOPLE["Ted Cruz"], "the US")


def test_and_joins_an_organisations_name_after_of_only() -> None:
    text = (
        "Rules\n\n"
        "The Department of Health and Human Services said it would review the rule.\n\n"
        "Russia and China said they would veto it.\n"
    )
    assert speaker_of(text, "The Department of Health") == "Department of Health and Human Services"
    assert speaker_of(text, "Russia and China") != "Russia and China"


def test_an_acronym_names_the_organisation_whose_initials_it_spells() -> None:
    assert organisation_matches("National Union of Students", "the NUS")
    assert organisation_matches("NUS", "the National Union of Students")  # either side may be the short one
    assert organisation_matches("Confederation of British Industry", "CBI")
    assert organisation_matches("World Health Organization", "WHO")
    assert not organisation_matches("National Union of Students", "NUT")
    assert not organisation_matches("National Union of Students", "Nus")  # a word, not an acronym
    assert not organisation_matches("Nathan Ulrich Smith", "Smith")


def test_no_person_is_proposed_for_an_organisation() -> None:
    people = {**PEOPLE, "Ana Pentagona": _p("Ana Pentagona")}
    assert closest_person(people, "the Pentagon") is None
    assert closest_person(people, "NATTO") is None  # organisations are never proposed either
    assert closest_person(people, "Puttin") == "Vladimir Putin"


def test_relevance_for_an_organisation_question() -> None:
    intent = parse_question("What did the Kremlin say about Rutte?")
    assert intent.speaker == "Kremlin" and intent.topic == "Rutte"
    people = PeopleIndex(PEOPLE)
    text = "Rutte is wrong, the Kremlin said."
    assert speaker_relevance(intent, "Kremlin", frozenset({"Mark Rutte"}), text, people) == 1.0
    # the words of someone who speaks for it
    assert speaker_relevance(intent, "Dmitry Peskov", frozenset({"Mark Rutte"}), text, people) == 1.0
    # a person asked by name is not answered by the organisation
    putin = parse_question("What did Putin say about Rutte?")
    assert speaker_relevance(putin, "Kremlin", frozenset({"Mark Rutte"}), text, people) < 0
    # an organisation as the topic is looked for by its words, as before
    on_nato = parse_question("What did Putin say about NATO?")
    assert speaker_relevance(on_nato, "Vladimir Putin", frozenset(), "NATO is a threat, Putin said.", people) == 1.0


@pytest.mark.parametrize(
    ("question", "speaker"),
    [
        ("What did the United States say?", "United States"),
        ("What has the United States Department of Transportation said?", "United States Department of Transportation"),
        ("What did the US say about Iran?", "US"),
        ("What did the Center for Biological Diversity say?", "Center for Biological Diversity"),
        ("what did Putin say about the states?", "Putin"),
    ],
)
def test_organisation_names_parse_as_speakers(question: str, speaker: str) -> None:
    intent = parse_question(question)
    assert intent.kind == "speech" and intent.speaker == speaker


def test_organisations_in_the_stored_people() -> None:
    people = {"NATO": _p("NATO", org=True), "Mark Rutte": _p("Mark Rutte", ("secretary general",), ("nato",))}
    back = people_from_json(people_to_json(people))
    assert back == people and back["NATO"].organisation and not back["Mark Rutte"].organisation
    # old rows (four fields) are people
    assert not people_from_json('{"X": ["X", ["X"], [], []]}')["X"].organisation
    # a name that is a person somewhere is a person
    assert not merge_people({"Jordan": _p("Jordan", org=True)}, {"Jordan": _p("Jordan")})["Jordan"].organisation


def test_a_name_that_is_only_an_article_is_no_crash() -> None:
    # "THE" (Times Higher Education) has no words left once "the" is dropped; a SQuAD dev paragraph has it
    text = (
        "Harvard has consistently topped the Academic Ranking of World Universities (ARWU) since 2003, and the "
        "THE World Reputation Rankings since 2011. The THE said on Monday that its tables would change."
    )
    res, sentences = analyse(text)
    assert len(res.speakers) == len(sentences)


WORDS = ["THE", "The", "the", "NATO", "Ministry", "Foreign", "said", "told", "Kremlin", "White", "House", "“",
         "”", ",", ".", "Putin", "spokesman", "for", "according", "to", "A", "It", "US", "U.S.", "'s", "of"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=40))
def test_the_analysis_never_raises_on_organisation_like_text(words: list[str]) -> None:
    text = " ".join(words)
    res, sentences = analyse(text)
    assert len(res.speakers) == len(sentences)


def test_the_last_words_of_an_organisations_name_name_it_when_no_person_is_so_named() -> None:
    # a question's "the" is gone by the time its name is matched: "Telegraph" is the corpus's "Daily Telegraph";
    # "Trump" stays the person, never the "Trump administration"
    people = {
        "Daily Telegraph": _p("Daily Telegraph", org=True),
        "Trump administration": _p("Trump administration", org=True),
        "Donald Trump": _p("Donald Trump"),
    }
    for index in (people, PeopleIndex(people)):
        assert name_matches("Daily Telegraph", "Telegraph", index)
        assert not name_matches("Trump administration", "Trump", index)
        assert not name_matches("Daily Telegraph", "Daily Mail", index)
    assert PeopleIndex(people).matching("Telegraph") == ("Daily Telegraph",)
    assert PeopleIndex(people).matching("Trump") == ("Donald Trump",)
