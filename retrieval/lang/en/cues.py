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
# Dates as news writes them, without a day number or a year ("in March", "on Monday", "last week", "two
# years ago"): they count for the ranker's date cue (ranker.json was fitted without them; ReQA held out 0.754
# -> 0.753 P@1 with them, and "When will he take up the post?" finds "... take up the post in March") and for
# ``holds_new``. Novelty features built on ``holds_new`` did not rank ReQA better (first-stage P@1 on articles
# 16-23, fitted on 0-15: 0.802 without, 0.796 with; session 10), so they are not ranker features.
_NEWS_DATE = re.compile(
    r"\b(?:in|on|since|until|till|by|from|before|after|during|early|late|mid|last|next|this)[\s-]+"
    r"(?:january|february|march|april|june|july|august|september|october|november|december)\b|"
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|today|tomorrow|tonight)\b|"
    r"\b(?:last|next|this|earlier this|later this)\s+(?:week|weekend|month|year|spring|summer|autumn|fall|"
    r"winter|morning|afternoon|evening)\b|"
    r"\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few)\s+(?:days?|weeks?|months?|"
    r"years?|decades?)\s+(?:ago|earlier|later)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z0-9]+")
# the things of a kind one by one (holds_new): whole numbers ("12,000", not its digits); names after a place word
_NUMBER_ITEM = re.compile(r"\d+(?:[.,]\d+)*|" + _NUMBER.pattern.removeprefix(r"\d|"), re.IGNORECASE)
_CAP_WORD = re.compile(r"(?<![\w'’])[A-Z][a-zA-Z'’\-]+")
_PLACE_WORDS = "in|at|from|near|to|across|throughout"
_PLACE = re.compile(rf"\b({_PLACE_WORDS})\s+(the\s+)?[A-Z][a-z]")
_PLACE_NAME = re.compile(rf"\b(?:{_PLACE_WORDS})\s+((?:the\s+)?[A-Z][a-zA-Z'’\-]+)")

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


NO_KIND = QuestionKind((0.0, 0.0, 0.0, 0.0))

# The answer kind a question opens with ("how many ...", "when ...", "which leader ..."), first match wins.
# Above, the answer-type flags look anywhere in the question: they are features the ranker was trained on
# (ranker.json), so they keep their own patterns until the ranker is refitted; both live here, in the one
# classifier of questions.
_KIND_RES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "how_many",
        re.compile(
            r"^(?:how\s+(?:many|much|large|big|high|long|far|often|old)\b|"
            r"(?:what|which)\s+(?:is\s+the\s+|was\s+the\s+)?(?:percentage|percent|proportion|number|amount|share|"
            r"sum|figure|total|size|count)\b|by\s+how\s+much\b|to\s+what\s+(?:extent|level)\b)",
            re.IGNORECASE,
        ),
    ),
    (
        "when",
        re.compile(
            r"^(?:when\b|since\s+when\b|(?:on|in|at|by)\s+what\s+(?:date|day|year|month|time|week)\b|"
            r"(?:what|which)\s+(?:date|day|year|month|time|week|decade|century)\b|how\s+long\s+ago\b)",
            re.IGNORECASE,
        ),
    ),
    (
        "where",
        re.compile(
            r"^(?:where\b|(?:in|at|from|to)\s+(?:what|which)\s+(?:city|country|place|location|venue|event|"
            r"conference|summit|town|region|capital)\b|(?:what|which)\s+(?:city|country|place|location|venue|town|"
            r"region|capital)\b)",
            re.IGNORECASE,
        ),
    ),
    (
        "why",
        re.compile(
            r"^(?:why\b|how\s+come\b|for\s+what\s+reason\b|(?:what|which)\s+(?:is|was|were|are)\s+the\s+"
            r"(?:reasons?|motives?|motivation|cause|causes|rationale|purpose)\b|what\s+(?:caused|made|led|prompted|"
            r"motivated)\b)",
            re.IGNORECASE,
        ),
    ),
    (
        "who",
        re.compile(
            r"^(?:who|whom|whose)\b|^(?:which|what)\s+(?:person|people|official|officials|leader|leaders|"
            r"politician|minister|president|country|countries|organi[sz]ation|group|man|woman)\b|^name\s+the\b",
            re.IGNORECASE,
        ),
    ),
)


def answer_kind(question: str) -> str:
    """"how_many", "when", "where", "why", "who" or "other", from how the (cleaned) question opens."""
    for kind, rx in _KIND_RES:
        if rx.match(question):
            return kind
    return "other"


def question_kind(question: str) -> QuestionKind:
    date = bool(_Q_DATE.search(question))
    number = bool(_Q_NUMBER.search(question)) and not date
    person = bool(_Q_PERSON.search(question))
    place = bool(_Q_PLACE.search(question)) and not date
    return QuestionKind((float(date), float(number), float(person), float(place)))


def _capitalised_names(text: str) -> list[str]:
    """Capitalised words that are not the sentence's first word (a rough list of names)."""
    found = _CAP_WORD.findall(text)
    stripped = text.lstrip(" \"“‘'([")
    return found[1:] if found and stripped.startswith(found[0]) else found


def _items(text: str, kind: str) -> list[str]:
    """The things of one answer kind that ``text`` holds: dates, numbers, names (capitalised words after the
    first) or the names after a place preposition."""
    if kind == "date":
        return [m.group(0) for rx in (_DATE, _NEWS_DATE) for m in rx.finditer(text)]
    if kind == "number":
        return [m.group(0) for m in _NUMBER_ITEM.finditer(text)]
    if kind == "person":
        return _capitalised_names(text)
    return [m.group(1) for m in _PLACE_NAME.finditer(text)]


def holds_new(text: str, question: str, wants: QuestionKind) -> bool:
    """Whether ``text`` holds a thing of a kind the question asks for (KINDS) that the question does not
    already say: "Who was appointed commissioner for England?" is not answered by "The commissioner for
    England has been appointed." (its only name is the question's), but by "Professor Al Aynsley-Green will
    take up the post." A question that asks for no kind is answered by any text."""
    if not wants.any:
        return True
    said = set(_WORD.findall(question.lower()))
    for kind, flag in zip(KINDS, wants.flags, strict=True):
        if flag and any(not set(_WORD.findall(item.lower())) <= said for item in _items(text, kind)):
            return True
    return False


def sentence_cues(texts: Sequence[str]) -> np.ndarray:
    """(n, 4) array: has a date, has a number, has a name, has a place phrase, per sentence (0/1)."""
    out = np.zeros((len(texts), len(KINDS)), dtype=np.float32)
    for i, t in enumerate(texts):
        out[i, 0] = 1.0 if _DATE.search(t) or _NEWS_DATE.search(t) else 0.0
        out[i, 1] = 1.0 if _NUMBER.search(t) else 0.0
        out[i, 2] = 1.0 if _capitalised_names(t) else 0.0
        out[i, 3] = 1.0 if _PLACE.search(t) else 0.0
    return out
