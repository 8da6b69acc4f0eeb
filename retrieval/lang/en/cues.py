"""Answer-type cues: what kind of thing a question asks for, and whether a sentence holds one.

"When ..." wants a date, "how many ..." a number, "who ..." a person (a capitalised name), "where ..." a
place (a capitalised name after a place preposition). Pure functions over text; the sentence side is
computed once per index (``sentence_cues``) and the question side per question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

KINDS = ("date", "number", "person", "place")

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DATE = re.compile(
    rf"\b(1[0-9]{{3}}|20[0-9]{{2}})s?\b|\b({_MONTHS})\.?\s+\d|\b\d{{1,2}}\s+({_MONTHS})\b|"
    r"\b\d{1,2}(st|nd|rd|th)\s+(century|centuries)\b|\b(century|decade|BC|BCE|AD|CE)\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"\d|\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|twenty|thirty|forty|fifty|"
    r"hundred|hundreds|thousand|thousands|million|millions|billion|trillion|half|percent)\b",
    re.IGNORECASE,
)
_CAP_WORD = re.compile(r"(?<![\w'’])[A-Z][a-zA-Z'’\-]+")
_PLACE = re.compile(r"\b(in|at|from|near|to|across|throughout)\s+(the\s+)?[A-Z][a-z]")

_Q_DATE = re.compile(
    r"^\s*(when|in what year|what year|which year|what century|which century|what date|what day|what month|"
    r"what decade|what time|what period|in which year|during what|how long ago)\b|"
    r"\b(what|which) (year|century|decade|month|date)\b",
    re.IGNORECASE,
)
_Q_NUMBER = re.compile(
    r"\bhow (many|much|long|old|far|large|big|tall|high|fast|heavy|often|deep|wide)\b|"
    r"\bwhat (percentage|percent|number|amount|proportion|fraction|portion|size|population)\b",
    re.IGNORECASE,
)
_Q_PERSON = re.compile(r"^\s*(who|whom|whose)\b|\b(who|whom) (is|was|were|did|does)\b|\bwhat (person|man|woman)\b",
                       re.IGNORECASE)
_Q_PLACE = re.compile(
    r"^\s*where\b|\bwhere (is|was|were|did|does|do)\b|\b(what|which) (country|city|state|town|region|place|"
    r"continent|county|province|river|island|location|area)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class QuestionKind:
    """One flag per answer kind in ``KINDS`` (a question may want none of them)."""

    flags: tuple[float, float, float, float]

    @property
    def any(self) -> bool:
        return any(self.flags)


def question_kind(question: str) -> QuestionKind:
    date = bool(_Q_DATE.search(question))
    number = bool(_Q_NUMBER.search(question)) and not date
    person = bool(_Q_PERSON.search(question))
    place = bool(_Q_PLACE.search(question)) and not date
    return QuestionKind((float(date), float(number), float(person), float(place)))


def _capitalised_names(text: str) -> int:
    """Capitalised words that are not the sentence's first word (a rough count of names)."""
    found = _CAP_WORD.findall(text)
    stripped = text.lstrip(" \"“‘'([")
    if found and stripped.startswith(found[0]):
        found = found[1:]
    return len(found)


def sentence_cues(texts: Sequence[str]) -> np.ndarray:
    """(n, 4) array: has a date, has a number, has a name, has a place phrase, per sentence (0/1)."""
    out = np.zeros((len(texts), len(KINDS)), dtype=np.float32)
    for i, t in enumerate(texts):
        out[i, 0] = 1.0 if _DATE.search(t) else 0.0
        out[i, 1] = 1.0 if _NUMBER.search(t) else 0.0
        out[i, 2] = 1.0 if _capitalised_names(t) > 0 else 0.0
        out[i, 3] = 1.0 if _PLACE.search(t) else 0.0
    return out
