"""Behaviour of retrieval.lang.en.question.parse_question: speaker, topic, kind and content terms."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.lang_speed import ODD_QUESTIONS
from retrieval.corpus.segment import segment
from retrieval.lang.en.names import name_matches
from retrieval.lang.en.people import Person, merge_people
from retrieval.lang.en.question import KINDS, QuestionIntent, parse_question
from retrieval.lang.en.speakers.analyzer import analyze_article

ROOT = Path(__file__).resolve().parents[2]
GOLD = ROOT / "tests" / "data" / "corpus_questions.jsonl"

SPEECH = [
    # (question, speaker, topic)
    ("What did Putin say about Rutte?", "Putin", "Rutte"),
    ("what did putin say about rutte", "Putin", "rutte"),
    ("WHAT DID PUTIN SAY ABOUT RUTTE?!", "PUTIN", "RUTTE"),
    ("  What did Putin say about Rutte ?? ", "Putin", "Rutte"),
    ("What did Vladimir Putin say about Mark Rutte?", "Vladimir Putin", "Mark Rutte"),
    (
        "What did Russian President Vladimir Putin say about NATO Secretary General Mark Rutte?",
        "Vladimir Putin",
        "Mark Rutte",
    ),
    ("What did the Russian president say about the NATO chief?", "Russian president", "NATO chief"),
    ("What did the Kremlin leader say about the secretary general?", "Kremlin leader", "secretary general"),
    ("What did Mr. Putin say about Mr. Rutte's remarks?", "Putin", "Rutte"),
    ("What has Putin said on Rutte?", "Putin", "Rutte"),
    ("What has Putin been saying about Rutte?", "Putin", "Rutte"),
    ("What exactly did Putin say about Rutte?", "Putin", "Rutte"),
    ("What did Putin have to say about Rutte?", "Putin", "Rutte"),
    ("What did Putin tell reporters about Rutte?", "Putin", "Rutte"),
    ("What did Putin tell Rutte?", "Putin", "Rutte"),
    ("What did Putin urge Rutte to do?", "Putin", "Rutte"),
    ("What did Putin call Rutte?", "Putin", "Rutte"),
    ("What does Putin think of Rutte?", "Putin", "Rutte"),
    ("What does Putin think about Rutte's warnings?", "Putin", "Rutte"),
    ("Putin's view on Rutte", "Putin", "Rutte"),
    ("Putin’s view on Rutte", "Putin", "Rutte"),
    ("What is Putin's opinion of Rutte?", "Putin", "Rutte"),
    ("What's Putin's take on Rutte?", "Putin", "Rutte"),
    ("What was Putin's reaction to Rutte's warning?", "Putin", "Rutte"),
    ("Putin's comments on Rutte", "Putin", "Rutte"),
    ("What are Rutte's views on Russia?", "Rutte", "Russia"),
    ("How did Putin respond to Rutte?", "Putin", "Rutte"),
    ("How did Putin describe Rutte?", "Putin", "Rutte"),
    ("How does Putin feel about Rutte?", "Putin", "Rutte"),
    ("Did Putin say anything about Rutte?", "Putin", "Rutte"),
    ("Has Putin commented on Rutte?", "Putin", "Rutte"),
    ("Tell me what Putin said about Rutte.", "Putin", "Rutte"),
    ("Can you tell me what Putin said about Rutte?", "Putin", "Rutte"),
    ("What was said by Putin about Rutte?", "Putin", "Rutte"),
    ("Putin on Rutte", "Putin", "Rutte"),
    ("Quote Rutte on Putin", "Rutte", "Putin"),
    ("Quotes from Rutte about Russia", "Rutte", "Russia"),
    (
        "What did Putin say about the US National Security Strategy?",
        "Putin",
        "the US National Security Strategy",
    ),
    ("What did Rutte warn Russia about?", "Rutte", "Russia"),
    ("What did Macron say about nuclear deterrence?", "Macron", "nuclear deterrence"),
    # no topic
    ("What did Putin say?", "Putin", None),
    # a named place or event is a condition like a topic; a time or an unnamed occasion is not
    ("What did Rutte say in Munich?", "Rutte", "Munich"),
    ("What did Rutte warn during his visit to Warsaw?", "Rutte", "his visit to Warsaw"),
    ("What did Putin say at the Munich Security Conference?", "Putin", "the Munich Security Conference"),
    ("What did Rutte say on Tuesday?", "Rutte", None),
    ("What did Rutte say in December?", "Rutte", None),
    ("What did Rutte say in an interview?", "Rutte", None),
    ("What did Rutte warn about?", "Rutte", None),
    ("According to Rutte, what is Russia's next target?", "Rutte", None),
    ("What is Russia's next target, according to Rutte?", "Rutte", None),
    # a generic audience is whom they spoke to, not what about (lexicon AUDIENCE_NOUNS)
    ("What did Pence tell the press?", "Pence", None),
    ("What did Pence tell reporters?", "Pence", None),
    ("What did Rutte tell the assembled journalists?", "Rutte", None),
    ("What did Pence tell the public?", "Pence", None),
    ("What did Blair tell MPs?", "Blair", None),
    ("What did Howard tell the Commons?", "Howard", None),
    ("What did Blair tell the BBC?", "Blair", None),
    ("What did Blair say on BBC Radio 4's Today programme?", "Blair", None),
    ("What did Blair say on television?", "Blair", None),
    # ... but a topic after the audience, or "on" a subject, stays
    ("What did Blair tell the BBC about Iraq?", "Blair", "Iraq"),
    ("What did Blair say on Iraq?", "Blair", "Iraq"),
    ("What were Cloutier's comments on UK Parliament?", "Cloutier", "UK Parliament"),
    ("What did Prescott say when asked about the referendum?", "Prescott", "the referendum"),
    ("What did Pence say in response to the shutdown?", "Pence", "the shutdown"),
    ("What did Secretary of State John Kerry say about Iran?", "John Kerry", "Iran"),
    ("What did Democratic presidential candidate Hillary Clinton say about guns?", "Hillary Clinton", "guns"),
    ("What did Clinton running mate Tim Kaine say?", "Tim Kaine", None),
    ("How did Secretary of State Pompeo respond to the attack?", "Pompeo", "the attack"),
    ("What did Sen. Bernie Sanders (I-Vt.) say about trade?", "Bernie Sanders", "trade"),
    ("What did Robert F. Kennedy Jr. say about vaccines?", "Robert F. Kennedy", "vaccines"),
    ("Where does Pence stand on the shutdown?", "Pence", "the shutdown"),
    ("What criticism did Howard make of the budget?", "Howard", "the budget"),
    ("I need Pence's quotes on the shutdown", "Pence", "the shutdown"),
    ("What statements did Mike Pence make?", "Mike Pence", None),
    ("What remarks did Pence make?", "Pence", None),
    ("What quotes do you have from Pence?", "Pence", None),
    ("Any quotes from Pence?", "Pence", None),
    # a month or a given name inside a capitalised name is a word of it, not a modal or an auxiliary
    ("What did Theresa May say about council tax?", "Theresa May", "council tax"),
    ("What did Will Smith say?", "Will Smith", None),
    # "say to X" names whom they spoke to, as "tell X" does; the topic is what follows "about"
    ("What did Putin say to Rutte about the war?", "Putin", "the war"),
    ("What did Putin say to journalists about Rutte?", "Putin", "Rutte"),
    ("What did Jack Straw say to the Iranian foreign minister?", "Jack Straw", None),
    ("What did Rutte say to reporters?", "Rutte", None),
]


@pytest.mark.parametrize(("question", "speaker", "topic"), SPEECH)
def test_speech_questions(question: str, speaker: str, topic: str | None) -> None:
    intent = parse_question(question)
    assert intent.kind == "speech"
    assert intent.speaker == speaker
    assert intent.topic == topic


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Who is the NATO Secretary General?", "who"),
        ("Who said that Russia is the most significant threat?", "who"),
        ("Who accused Moscow of commissioning the railway sabotage?", "who"),
        ("Which leader warned of an invisible war?", "who"),
        ("When was Putin's annual live broadcast?", "when"),
        ("On what date did Putin speak?", "when"),
        ("In what year must NATO members reach 5%?", "when"),
        ("Where did Rutte deliver his warning?", "where"),
        ("In which city did Rutte meet Tusk?", "where"),
        ("How many percent of GDP should NATO members spend on defense?", "how_many"),
        ("How much has Germany approved to boost military spending?", "how_many"),
        ("What percentage of GDP did NATO commit to?", "how_many"),
        ("Why did Rutte say Russia could target NATO?", "why"),
        ("For what reason did Tusk blame Moscow?", "why"),
        ("What happened on the Warsaw-Lublin railway line?", "other"),
        ("what's the weather like", "other"),
        ("What would May say?", "other"),
        ("What did Tony Blair may say?", "other"),
        ("", "other"),
    ],
)
def test_other_kinds(question: str, kind: str) -> None:
    assert parse_question(question).kind == kind


def test_non_speech_questions_keep_the_speaker() -> None:
    intent = parse_question("When did Putin characterize Rutte as intelligent?")
    assert (intent.kind, intent.speaker, intent.topic) == ("when", "Putin", "Rutte")
    intent = parse_question("Who did Putin urge to read the US National Security Strategy?")
    assert (intent.kind, intent.speaker) == ("who", "Putin")
    intent = parse_question("Why did Rutte say Russia could target NATO?")
    assert (intent.kind, intent.speaker) == ("why", "Rutte")


def test_not_a_single_person() -> None:
    assert parse_question("What did Putin and Rutte say?").speaker is None
    assert parse_question("What did the report say about cyber operations?").speaker is None
    assert parse_question("Where did Rutte deliver his warning?").speaker is None


def test_addressee() -> None:
    intent = parse_question("What did Putin tell reporters about Rutte?")
    assert intent.addressee == "Reporters" and intent.topic == "Rutte"
    # an audience keeps a topic that follows it, and a person told stays the topic ("what did Putin tell Rutte?")
    assert parse_question("What did Pence tell the press about the wall?").topic == "the wall"
    assert parse_question("What did Putin tell Zelensky?").topic == "Zelensky"


def test_content_terms() -> None:
    assert parse_question("What did Putin say about Rutte?").content_terms == ("putin", "rutte")
    terms = parse_question("What did Putin say about the US National Security Strategy?").content_terms
    assert terms == ("putin", "national", "security", "strategy")
    assert parse_question("Rutte's warnings about Russia's wartime economy").content_terms == (
        "rutte",
        "warnings",
        "russia",
        "wartime",
        "economy",
    )
    assert parse_question("?!").content_terms == ()


@cache
def corpus_people() -> dict[str, Person]:
    """The people of corpus/ as the speaker analysis finds them (titles such as "Russian president" resolve
    only through them)."""
    groups = []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        groups.append(analyze_article(text, segment(text)).people)
    return merge_people(*groups)


def denotes(parsed: str, gold: str, people: Mapping[str, Person]) -> bool:
    """Does the parsed speaker (a name, a name with a title, or a title alone) denote the gold speaker?"""
    if name_matches(gold, parsed):
        return True
    return any(name_matches(key, gold) and name_matches(key, parsed, people) for key in people)


def test_gold_questions_parse_as_annotated() -> None:
    """The gold set records the intended kind/topic; the parsed speaker must denote the gold speaker, for
    every row that names one: single names, full names ("Vladimir Putin") and titles ("the Russian
    president", resolved through the people of corpus/)."""
    people = corpus_people()
    checked = 0
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        intent = parse_question(row["question"])
        assert intent.kind == row["kind"], row["question"]
        if row["kind"] == "speech":
            assert intent.topic == row["topic"], row["question"]
            if row["speaker"]:
                assert intent.speaker, row["question"]
                assert denotes(intent.speaker, row["speaker"], people), (row["question"], intent.speaker)
                checked += 1
    assert checked >= 25  # every speech row of the gold set names its speaker (28 today)


@pytest.mark.parametrize("question", [*ODD_QUESTIONS, " ", "What did ?", "Putin's"])
def test_never_raises_on_odd_strings(question: str) -> None:
    # How long a parse takes is measured by `make bench` (benchmarks/lang_speed.py), not asserted here.
    intent = parse_question(question)
    assert intent.kind in KINDS
    assert isinstance(intent.content_terms, tuple)


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=400))
def test_never_raises_property(question: str) -> None:
    intent = parse_question(question)
    assert isinstance(intent, QuestionIntent)
    assert intent.kind in KINDS
    assert intent.speaker is None or (isinstance(intent.speaker, str) and intent.speaker.strip())
    assert intent.topic is None or isinstance(intent.topic, str)
    assert all(isinstance(t, str) and t for t in intent.content_terms)


_PIECES = [
    "what",
    "did",
    "does",
    "say",
    "said",
    "about",
    "on",
    "of",
    "Putin",
    "Rutte's",
    "’s",
    "the",
    "NATO",
    "chief",
    "how",
    "respond",
    "to",
    "who",
    "when",
    "?",
    "!",
    "Mr.",
    "and",
    "tell",
    "me",
    "view",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_never_raises_on_question_like_word_salad(words: list[str]) -> None:
    intent = parse_question(" ".join(words))
    assert intent.kind in KINDS


def test_say_to_someone_names_the_addressee() -> None:
    assert parse_question("What did Putin say to Rutte about the war?").addressee == "Rutte"
    assert parse_question("What did Jack Straw say to the Iranian foreign minister?").addressee == (
        "Iranian foreign minister"
    )
    assert parse_question("What did Rutte say to reporters?").addressee is None
