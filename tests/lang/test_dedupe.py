"""Near-duplicate grouping: the same sentence, or nearly, merges; another number, name or negation never does."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from retrieval.lang.en.dedupe import group_near_duplicates, near_duplicates, signature

BASE = "Rutte said the alliance would spend 5 percent of its output on defence by 2035."


def dup(a: str, b: str) -> bool:
    return near_duplicates(signature(a), signature(b))


def test_identical_and_cosmetic_variants_merge() -> None:
    assert dup(BASE, BASE)
    assert dup(BASE, "Rutte said the alliance would spend 5 percent of its output on defence by 2035")
    assert dup("He called Rutte ‘intelligent and systematic.’", "He called Rutte 'intelligent and systematic.'")
    assert dup(BASE, "Rutte said  the alliance will spend 5 percent of its output on defence by 2035.")


def test_a_dateline_does_not_keep_a_reprint_apart() -> None:
    assert dup("GENEVA — Talks on a new steel agreement broke up on Tuesday.",
               "Talks on a new steel agreement broke up on Tuesday.")
    assert dup("MUNICH, Germany — Rutte delivered a warning.", "Rutte delivered a warning.")
    assert not dup("Rutte — Talks broke up on Tuesday.", "Talks broke up on Tuesday.")


def test_another_number_never_merges() -> None:
    assert not dup(BASE, BASE.replace("5 percent", "3.5 percent"))
    assert not dup(BASE, BASE.replace("2035", "2030"))
    assert not dup("Two soldiers were wounded in the attack.", "Three soldiers were wounded in the attack.")


def test_another_name_never_merges() -> None:
    assert not dup(BASE, BASE.replace("Rutte", "Tusk"))
    assert not dup("Putin characterized Rutte as intelligent and systematic.",
                   "Putin characterized Tusk as intelligent and systematic.")


def test_a_negation_never_merges() -> None:
    assert not dup("Putin said Russia is preparing for a war.", "Putin said Russia is not preparing for a war.")
    assert not dup("The minister would comment on the deal.", "The minister wouldn't comment on the deal.")


def test_different_sentences_do_not_merge() -> None:
    assert not dup(BASE, "Rutte warned that the next Russian offensive could be fatal for Moscow.")
    assert not dup("", BASE)


def test_grouping_keeps_the_best_ranked_as_head() -> None:
    texts = [BASE, "Something else entirely happened in Warsaw.", BASE.replace("said", "says"), BASE.replace("5", "4")]
    assert group_near_duplicates(texts) == [0, 1, 0, 3]


words = st.sampled_from(["the", "minister", "warned", "that", "troops", "would", "arrive", "soon", "in", "force"])


@given(st.lists(words, min_size=3, max_size=20), st.integers(0, 999), st.integers(0, 999))
def test_a_changed_number_is_never_a_duplicate(body: list[str], n: int, m: int) -> None:
    text = " ".join(body)
    a, b = f"{text} {n} times.", f"{text} {m} times."
    assert dup(a, b) == (n == m)
    assert dup(a, a)


@given(st.lists(words, min_size=3, max_size=20))
def test_adding_not_is_never_a_duplicate(body: list[str]) -> None:
    text = " ".join(body)
    assert not dup(f"They said {text}.", f"They said not {text}.")
