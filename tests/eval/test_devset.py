"""The development set (benchmarks/devset): attribution rules, the build's invariants, and the scorer.

The synthetic tests always run. The tests on the real set build it from the Wikinews source files when they are
there (DEVSET_SOURCE, else ../shared/data/wikinews) and are skipped otherwise: the data is not in the repository
(benchmarks/data/devset/SOURCE.md).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from benchmarks.devset import build as devbuild
from benchmarks.devset.build import Article, absent, article_id, read_source, select_articles, split_of, verify
from retrieval.eval.gold_attribution import attributed_quotes, attribution_names, fold
from retrieval.eval.gold_text import normalise_article
from retrieval.eval.questionset import (
    AnswerOut,
    Citation,
    DevQuestion,
    Gold,
    QuoteOut,
    answer_from_json,
    quote_hits,
    recall_within,
    score,
    wrong_speaker_first,
)

# --- attribution ------------------------------------------------------------------------------------------

STORY = normalise_article(
    "Council votes to close the old bridge",
    """Monday, January 7, 2019

The city council voted on Monday to close the old bridge, which engineers say is unsafe. Mayor Jane Holloway
and councillor Peter Okafor both spoke at the meeting.

"We cannot wait for it to fall," Mayor Jane Holloway said. "The repairs start in March."

Okafor, the head of the transport committee, said: "The ferry will run every ten minutes."

"Nobody asked the residents," said local shop owner Maria Lindqvist.

Engineers described the bridge as "beyond repair" in a report published last year.

"It is a sad day," Holloway told reporters. "I crossed it every morning as a child."

"We are with the council in our thoughts." Governor Sam Reyes remarked, "The state will pay for half of it."
""",
)


def _by_speaker(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for q in attributed_quotes(text):
        out.setdefault(q.speaker, []).append(text[q.quote.start : q.quote.end])
    return out


def test_normalised_article_has_title_blank_line_and_one_paragraph_per_line() -> None:
    lines = STORY.split("\n")
    assert lines[0] == "Council votes to close the old bridge"
    assert lines[1] == ""
    assert lines[2].startswith("The city council voted")  # the dateline is gone
    assert "Holloway\nand" not in STORY  # a hard-wrapped paragraph is one line
    assert STORY.endswith("\n") and "\n\n\n" not in STORY


def test_explicit_attributions_on_either_side_resolve_to_full_names() -> None:
    speakers = _by_speaker(STORY)
    assert '"We cannot wait for it to fall,"' in speakers["Jane Holloway"]
    assert '"It is a sad day,"' in speakers["Jane Holloway"]  # surname resolved to the article's full name
    assert speakers["Peter Okafor"] == ['"The ferry will run every ten minutes."']  # appositive before "said"
    assert speakers["Maria Lindqvist"] == ['"Nobody asked the residents,"']  # role words cut off


def test_continuation_in_the_same_paragraph_belongs_to_the_same_speaker() -> None:
    quotes = {STORY[q.quote.start : q.quote.end]: q for q in attributed_quotes(STORY)}
    follow = quotes['"The repairs start in March."']
    assert follow.speaker == "Jane Holloway" and not follow.explicit
    assert quotes['"I crossed it every morning as a child."'].speaker == "Jane Holloway"


def test_narration_and_a_quote_that_ends_its_sentence_are_not_given_the_next_speaker() -> None:
    quotes = {STORY[q.quote.start : q.quote.end]: q.speaker for q in attributed_quotes(STORY)}
    assert '"beyond repair"' not in quotes  # "Engineers described …": no named speaker
    # '"…thoughts." Governor Sam Reyes remarked, "…"' introduces the second quotation, not the first
    assert '"We are with the council in our thoughts."' not in quotes
    assert quotes['"The state will pay for half of it."'] == "Sam Reyes"


def test_organisations_and_places_are_not_speakers() -> None:
    text = normalise_article(
        "Storm",
        'Hong Kong said "the storm is over". "Stay inside," the Weather Service said. "Shelters are open," '
        "said Ana Ruiz, a Red Cross official. " + "Filler sentence here. " * 20,
    )
    assert set(_by_speaker(text)) == {"Ana Ruiz"}


def test_attribution_names_reads_the_name_in_a_quote_text() -> None:
    assert attribution_names('"We will win," Smith said.') == ["Smith"]
    assert attribution_names('Senator Jo Lee said, "No."') == ["Jo Lee"]
    assert attribution_names('"We will win," he said.') == []


# --- build ------------------------------------------------------------------------------------------------


def _row(n: int, title: str, body: str) -> dict[str, str]:
    return {"url": f"https://en.wikinews.org/wiki/Story_{n}", "date": "2020-01-01", "title": title, "text": body}


def _synthetic_rows() -> list[dict[str, str]]:
    rows = []
    people = ["Alma Voss", "Bruno Kettle", "Carla Dunmore", "Dario Fenwick", "Edith Marlow", "Felix Oduya"]
    for n in range(24):
        who = people[n % len(people)] if n < 12 else f"Person{chr(65 + n)} Speaker{chr(65 + n)}"
        topic = ["the harbour project", "the school budget", "the flood defences"][n % 3]
        body = (
            f"Officials met on Tuesday to discuss {topic}. The plan was approved after a long debate about "
            f'{topic}.\n\n"This is a good day for everyone," {who} said. "We worked hard on {topic}."\n\n'
            + "The meeting ended in the evening. "
            * 10
        )
        rows.append(_row(n, f"Town {n} approves {topic}", body))
    return rows


def test_article_ids_and_splits_are_deterministic_and_spread() -> None:
    aid = article_id("https://en.wikinews.org//wiki/Samoan_government_ends_state", "2020-01-01")
    assert aid == "2020-01-01-samoan-government-ends-state"
    assert split_of(aid) == split_of(aid)
    splits = [split_of(f"article-{i}") for i in range(2000)]
    assert 0.45 < splits.count("train") / 2000 < 0.55
    assert 0.2 < splits.count("test") / 2000 < 0.3


def test_synthetic_build_keeps_its_invariants() -> None:
    articles, questions = devbuild.build(_synthetic_rows())
    assert verify(articles, questions) == []
    assert {a.split for a in articles} <= {"train", "dev", "test"}
    for split, qs in questions.items():
        files = {a.file: a.text for a in articles if a.split == split}
        for q in qs:
            for g in q["gold"]:  # type: ignore[attr-defined]
                assert g["text"] in files[g["source"]]


def test_verify_reports_a_gold_text_that_is_not_in_its_file_and_a_present_person() -> None:
    article = Article("a", "test", "2020-01-01", "u", "T", "T\n\nAlma Voss said it.\n")
    bad_gold = {"id": "test-0", "question": "q", "kind": "speaker", "unanswerable": False,
                "gold": [{"source": "a.txt", "text": "not there"}], "speaker": "X"}  # fmt: skip
    present = {"id": "test-1", "question": "q", "kind": "unanswerable_person", "unanswerable": True, "gold": [],
               "speaker": "Alma Voss"}  # fmt: skip
    problems = verify([article], {"test": [bad_gold, present]})
    assert any("test-0" in p for p in problems) and any("test-1" in p for p in problems)


def test_absent_catches_close_spellings() -> None:
    words = {"zelensky", "kyiv", "erdogan"}
    assert not absent("Volodymyr Zelenskyy", words)
    assert not absent("Recep Erdoğan", words)
    assert absent("Jacinda Ardern", words)


def test_select_articles_drops_test_pages_and_interviews() -> None:
    body = "Text of the story. " * 30
    rows = [
        _row(1, "TEST PAGE:Self-publish", body),
        _row(2, "Wikinews interviews a mayor", body),
        _row(3, "News", body),
    ]
    assert [a.title for a in select_articles(rows)] == ["News"]


# --- scorer -----------------------------------------------------------------------------------------------

TEXTS = {
    "a.txt": 'Title\n\n"We will rebuild," Holloway said. The bridge closed.\n\n"It is sad," Reyes said.\n',
    "b.txt": "Other\n\nThe bridge closed.\n",
}
GOLD_SENTENCE = '"We will rebuild," Holloway said.'
START = TEXTS["a.txt"].index(GOLD_SENTENCE)
Q = DevQuestion(
    "t-1", "What did Jane Holloway say?", "speaker", False, (Gold("a.txt", GOLD_SENTENCE),), "Jane Holloway"
)
U = DevQuestion("t-2", "What did Nobody Here say?", "unanswerable_person", True, (), "Nobody Here")


def _quote(source: str, text: str) -> QuoteOut:
    start = TEXTS[source].index(text)
    return QuoteOut(text, (Citation(source, start, start + len(text)),))


def test_a_quote_hits_by_overlapping_span_not_by_another_file() -> None:
    partial = QuoteOut("We will rebuild", (Citation("a.txt", START + 1, START + 16),))
    assert quote_hits(partial, Q.gold[0], TEXTS)
    elsewhere = QuoteOut("The bridge closed.", (Citation("b.txt", 7, 25),))
    assert not quote_hits(elsewhere, Q.gold[0], TEXTS)
    assert not quote_hits(_quote("a.txt", '"It is sad," Reyes said.'), Q.gold[0], TEXTS)


def test_a_quote_without_citation_hits_by_containment_only_when_long_enough() -> None:
    assert quote_hits(QuoteOut(GOLD_SENTENCE + " More.", ()), Q.gold[0], TEXTS)
    assert not quote_hits(QuoteOut("said.", ()), Q.gold[0], TEXTS)


def test_scores_on_hand_made_answers() -> None:
    good = AnswerOut(Q.question, True, (_quote("a.txt", GOLD_SENTENCE),))
    second = AnswerOut(Q.question, True, (_quote("a.txt", '"It is sad," Reyes said.'), _quote("a.txt", GOLD_SENTENCE)))
    declined = AnswerOut(Q.question, False, ())
    answered_u = AnswerOut(U.question, True, (_quote("b.txt", "The bridge closed."),))
    declined_u = AnswerOut(U.question, False, ())

    s = score([Q, U], [good, declined_u], TEXTS)
    assert (s.hit_at_1, s.hit_at_3, s.recall_at_5) == (1.0, 1.0, 1.0)
    assert (s.answerable_declined, s.unanswerable_answered, s.wrong_speaker_first) == (0.0, 0.0, 0.0)

    s = score([Q, U], [second, answered_u], TEXTS)
    assert (s.hit_at_1, s.hit_at_3) == (0.0, 1.0)
    assert s.wrong_speaker_first == 1.0  # Reyes's words came first for a question about Holloway
    assert s.unanswerable_answered == 1.0

    s = score([Q, U], [declined, declined_u], TEXTS)
    assert (s.hit_at_1, s.answerable_declined, s.speaker_answered) == (0.0, 1.0, 0)


def test_wrong_speaker_first_ignores_unattributed_and_same_surname_quotes() -> None:
    narration = AnswerOut(Q.question, True, (_quote("a.txt", "The bridge closed."),))
    assert not wrong_speaker_first(narration, Q, TEXTS)
    same = AnswerOut(Q.question, True, (QuoteOut('"Later," Holloway said.', ()),))
    assert not wrong_speaker_first(same, Q, TEXTS)


def test_recall_counts_distinct_gold_items_up_to_k() -> None:
    two = DevQuestion("t", "q", "speaker", False, (Gold("a.txt", GOLD_SENTENCE), Gold("a.txt", "The bridge closed.")),
                      "Jane Holloway")  # fmt: skip
    half = AnswerOut("q", True, (_quote("a.txt", GOLD_SENTENCE),))
    assert recall_within(half, two, TEXTS, 5) == 0.5


def test_answers_out_of_order_are_refused() -> None:
    with pytest.raises(ValueError):
        score([Q, U], [AnswerOut(U.question, False, ()), AnswerOut(Q.question, False, ())], TEXTS)


def test_ask_json_is_read_with_every_citation() -> None:
    cites = [{"source": "a.txt", "start": 1, "end": 2}, {"source": "b.txt", "start": 5, "end": 6}]
    d = {
        "question": "q",
        "answered": True,
        "quotes": [{"text": "x", "source": "a.txt", "start": 1, "end": 2, "sources": cites}],
    }
    a = answer_from_json(d)
    assert a.quotes[0].citations == (Citation("a.txt", 1, 2), Citation("b.txt", 5, 6))


# --- the real set -----------------------------------------------------------------------------------------

SOURCE = Path(os.environ.get("DEVSET_SOURCE", str(devbuild.DEFAULT_SOURCE)))


@pytest.fixture(scope="module")
def real_set() -> tuple[list[Article], dict[str, list[dict[str, object]]]]:
    if not all((SOURCE / name).is_file() for name in devbuild.SOURCE_FILES):
        pytest.skip(f"Wikinews source files not in {SOURCE} (set DEVSET_SOURCE)")
    return devbuild.build(read_source(SOURCE))


def test_real_set_gold_texts_occur_in_their_files(
    real_set: tuple[list[Article], dict[str, list[dict[str, object]]]],
) -> None:
    articles, questions = real_set
    assert verify(articles, questions) == []
    files = {(a.split, a.file): a.text for a in articles}
    n_gold = 0
    for split, qs in questions.items():
        for q in qs:
            for g in q["gold"]:  # type: ignore[attr-defined]
                assert g["text"] in files[(split, g["source"])]
                n_gold += 1
    assert n_gold > 500


def test_real_set_splits_are_disjoint_by_article(
    real_set: tuple[list[Article], dict[str, list[dict[str, object]]]],
) -> None:
    articles, questions = real_set
    split_of_id = {a.id: a.split for a in articles}
    assert len(split_of_id) == len(articles)
    for split, qs in questions.items():
        assert len(qs) >= 150
        for q in qs:
            for g in q["gold"]:  # type: ignore[attr-defined]
                assert split_of_id[g["source"].removesuffix(".txt")] == split


def test_real_set_absent_people_are_in_no_article_of_their_split(
    real_set: tuple[list[Article], dict[str, list[dict[str, object]]]],
) -> None:
    articles, questions = real_set
    for split, qs in questions.items():
        words = {fold(w) for a in articles if a.split == split for w in re.findall(r"[^\W\d_][\w'’\-]*", a.text)}
        people = [str(q["speaker"]) for q in qs if q["kind"] == "unanswerable_person"]
        assert people
        for person in people:
            assert fold(person.split()[0]) not in words and fold(person.split()[-1]) not in words


# --- other wordings (benchmarks/devset/forms.py) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "x", "y"),
    [
        ("What did Jane Holloway say?", "Jane Holloway", None),
        ("What did Holloway tell the press?", "Holloway", None),
        ("What did Jane Holloway have to say about the old bridge?", "Jane Holloway", "the old bridge"),
        ("What did Holloway say about the old bridge?", "Holloway", "the old bridge"),
        ("How did Peter Okafor react to the vote?", "Peter Okafor", "the vote"),
    ],
)
def test_reword_keeps_person_topic_gold_and_changes_the_form(question: str, x: str, y: str | None) -> None:
    from benchmarks.devset.forms import OTHER_SPEAKER_FORMS, OTHER_TOPIC_FORMS, reword

    q: dict[str, object] = {"id": "dev-0001", "question": question, "kind": "speaker_topic" if y else "speaker",
         "unanswerable": False, "gold": [{"source": "a.txt", "text": "x"}], "speaker": x}  # fmt: skip
    out = reword(q)
    assert out is not None and out["question"] != question
    assert {k: v for k, v in out.items() if k != "question"} == {k: v for k, v in q.items() if k != "question"}
    forms = OTHER_TOPIC_FORMS if y else OTHER_SPEAKER_FORMS
    assert out["question"] in {f.format(x=x, y=y) for f in forms}
    assert reword({**q, "kind": "factual"}) is None
    assert reword({**q, "question": "Who won the cup?"}) is None


# --- paraphrased topics (benchmarks/devset/paraphrase.py) --------------------------------------------------


def test_paraphrased_questions_take_each_persons_gold_and_say_what_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from benchmarks.devset.paraphrase import PARAPHRASED, main

    def row(n: int, speaker: str, kind: str = "speaker") -> dict[str, object]:
        gold = [{"source": f"{n}.txt", "text": f"{speaker} said it."}]
        return {"id": f"train-{n:04d}", "question": f"What did {speaker} say?", "kind": kind,
                "unanswerable": False, "gold": gold, "speaker": speaker}  # fmt: skip

    people = [speaker for speaker, _ in PARAPHRASED]
    rows = [row(0, people[0], "factual")] + [row(n, s) for n, s in enumerate(people, 1)] + [row(99, people[0])]
    (tmp_path / "questions-train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert main(["--data", str(tmp_path)]) == 0
    out = [json.loads(x) for x in (tmp_path / "questions-train-paraphrased.jsonl").read_text().splitlines()]
    assert [q["question"] for q in out] == [question for _, question in PARAPHRASED]
    assert all(q["kind"] == "speaker_topic" and not q["unanswerable"] for q in out)
    # the person's first speaker question gives the gold (not the factual one, not a later one)
    assert out[0]["gold"] == [{"source": "1.txt", "text": f"{people[0]} said it."}]
    (tmp_path / "questions-train.jsonl").write_text(json.dumps(rows[1]) + "\n", encoding="utf-8")
    assert main(["--data", str(tmp_path)]) == 2
    assert "no speaker question for" in capsys.readouterr().err
