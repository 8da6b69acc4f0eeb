"""The organisation question set's gold rules (benchmarks/devset/organisations.py), on a synthetic article."""

from __future__ import annotations

from benchmarks.devset.build import SPLITS, Article
from benchmarks.devset.organisations import organisation_name, organisations_of, questions_for, statements
from retrieval.eval.gold_text import normalise_article

STORY = normalise_article(
    "Coast guard ends search off Manila",
    """The Coast Guard said on Monday that the search for the missing ferry had ended.

In a statement, the Foreign Ministry of Norway later said it was sending a team. "We will help the families,"
said the Norwegian Red Cross.

Prosecutor Kama Melly QC said the captain would be charged. According to Reuters, the ferry was overloaded.

Supporters of the Coast Guard said the crew had done its best.""",
)
COMMON = frozenset({"prosecutors", "house"})


def _sentences(name: str) -> list[str]:
    return [STORY[s.start : s.end] for n, _, s in statements(STORY, COMMON) if n == name]


def test_an_organisation_statement_is_found_by_the_gold_rules() -> None:
    coast = "The Coast Guard said on Monday that the search for the missing ferry had ended."
    assert _sentences("Coast Guard") == [coast]
    assert _sentences("Foreign Ministry of Norway")  # after "In a statement," and with "later"
    assert _sentences("Norwegian Red Cross") == ['"We will help the families," said the Norwegian Red Cross.']
    assert _sentences("Reuters") == ["According to Reuters, the ferry was overloaded."]


def test_people_and_objects_of_prepositions_are_not_organisations() -> None:
    names = {n for n, _, _ in statements(STORY, COMMON)}
    assert not any("Melly" in n or n == "QC" for n in names)  # a person and her letters
    assert all("Supporters" not in STORY[s.start : s.end] for _, _, s in statements(STORY, COMMON))
    assert organisation_name("House of Commons Speaker John Bercow", COMMON) is None  # a title and a name
    assert organisation_name("Prosecutors", COMMON) is None  # a common word, capitalised
    assert organisation_name("the AP and NBC News", COMMON) is None  # two names
    assert organisation_name("NBC News", COMMON) == "NBC News"


def test_questions_and_an_absent_organisation() -> None:
    article = Article("a", "train", "", "", "t", STORY)
    other = Article("b", "dev", "", "", "t", normalise_article("t", "The Kremlin said the talks were useful."))
    orgs = {s: organisations_of([a for a in (article, other) if a.split == s], COMMON) for s in SPLITS}
    train = questions_for("train", [article], orgs, COMMON)
    coast = next(q for q in train if "the Coast Guard" in str(q["question"]) and q["kind"] == "organisation")
    assert len(coast["gold"]) == 1  # type: ignore[arg-type]
    absent = [q for q in train if q["kind"] == "organisation_absent"]
    assert all("Kremlin" in str(q["question"]) and q["unanswerable"] and not q["gold"] for q in absent)
