"""Speaker analysis, step 1 (its word shapes): titles, name tokens, descriptions, portfolios and the other
small tests ``scan.py`` reads a capitalised group with. Pure functions over a sentence's tokens."""

from __future__ import annotations

import itertools

from retrieval.lang.en.given_names import is_given_name
from retrieval.lang.en.lexicon import (
    _ABBREV_DOT,
    _GAZETTEER,
    _INVERTED_ONLY,
    _ORG_WORDS,
    _SAY_FORMS,
    _STOP_CAP,
    _TITLE_FIRST,
    _TITLE_TUPLES,
    ARTICLES,
    CALENDAR_WORDS,
    INSTITUTION_WORDS,
    MONTHS,
    STOPWORDS,
    TITLE_ABBREVIATIONS,
    TITLE_PREFIXES,
    TOPIC_FUNCTION_WORDS,
    _is_acronym,
    _is_cap,
    _norm,
)

# Small words that end a portfolio before a title: function words and speech verbs ("Labour and spokesman").
_NOT_PORTFOLIO = TOPIC_FUNCTION_WORDS | frozenset(_SAY_FORMS) | _STOP_CAP


def _title_at(lows: list[str], i: int, n: int) -> tuple[int, str] | None:
    """Longest title phrase starting at token i: (end token, normalised phrase)."""
    found = _title_from(lows, i, n, prefixed=False)
    if found is None:
        parts = lows[i].split("-")
        if len(parts) > 1 and parts[0] in TITLE_PREFIXES:  # "co-chairman" (but "vice-president" is its own title)
            found = _title_from(lows, i, n, prefixed=True)
    return found


def _title_from(lows: list[str], i: int, n: int, prefixed: bool) -> tuple[int, str] | None:
    first = lows[i].split("-")[1 if prefixed else 0].rstrip(".")
    if first not in _TITLE_FIRST:
        return None
    best: tuple[int, str] | None = None
    words: list[str] = []
    for k in range(i, min(n, i + 4)):
        part = lows[k].split("-", 1)[1] if prefixed and k == i else lows[k]
        if part == ".":
            if k == i + 1 and lows[i] in _ABBREV_DOT:
                continue
            break
        if not part[0].isalpha():
            break
        words.extend(part.split("-"))
        tup = tuple(words)
        if tup in _TITLE_TUPLES:
            best = (k + 1, " ".join(tup))
        if len(words) >= 4:
            break
    if best and best[0] < n and lows[best[0]] == "." and best[1] in _ABBREV_DOT:
        best = (best[0] + 1, best[1])
    if best:
        best = (best[0], " ".join(TITLE_ABBREVIATIONS.get(w, w) for w in best[1].split()))
    return best


def _given_first(name: list[str]) -> bool:
    """A given name and a surname: "Theresa May", "Liam Fox" (not "Joe Biden Tuesday": two words only)."""
    first = _norm(name[0])
    return len(name) == 2 and first not in _GAZETTEER and first not in _STOP_CAP and is_given_name(first)


_DAYS = CALENDAR_WORDS - MONTHS


def _valid_name_token(w: str, low: str) -> bool:
    if not _is_cap(w) or _is_acronym(w):
        return len(w) == 1 and w.isupper()  # an initial, as in "George W. Bush"
    parts = low.split("-")
    if len(parts) > 1 and (parts[0] in TITLE_PREFIXES or parts[-1] == "old"):
        return False  # a role or an age, not a name: "Co-developer", "Fifteen-year-old" (but "Man-kei", "Jae-in")
    if low in _DAYS:
        return False  # "Later on Tuesday Mitsotakis met ...": a day is never part of a name (months may be: "May")
    return not (low in _STOP_CAP or low in _ORG_WORDS or low in _SAY_FORMS or low in _INVERTED_ONLY)


def _affiliation_only(words: list[str], items: list[tuple[str, int, int, str]]) -> bool:
    """Are the group's items so far all capitalised places, parties or acronyms ("Lib Dem", "Labour", "NATO"),
    after a leading "The"?"""
    rest = list(itertools.dropwhile(lambda it: it[0] == "cap" and words[it[1]].lower() in _STOP_CAP, items))
    return bool(rest) and all(
        k == "cap" and (_norm(words[s]) in _GAZETTEER or _is_acronym(words[s])) for k, s, _, _ in rest
    )


def _portfolio_end(words: list[str], lows: list[str], items: list[tuple[str, int, int, str]], j: int, n: int) -> int:
    """Where a brief in small letters between an affiliation and a title ends ("Lib Dem *home affairs*
    spokesman Mark Oaten", "Tory *health* spokesman"), or 0. Only after capitals that are all places, parties
    or acronyms (never after a name: "Smith praised health secretary Alan Milburn"), at most three words, and
    only when a title follows them."""
    if not items or not _affiliation_only(words, items[:-1] if items[-1][0] == "poss" else items):
        return 0
    for e in range(j, min(n, j + 4)):
        if _title_at(lows, e, n):
            return e if e > j else 0
        if not (lows[e].isalpha() and lows[e] == words[e] and lows[e] not in _NOT_PORTFOLIO):
            return 0
    return 0


# Words that may open a description of the person named after it: "said *his father*, Abdullah Kurdi", "said *the
# family's spokeswoman* Kate Lim", "according to *her lawyer* Mark Stone".
DESCRIBING = ARTICLES | {"his", "her", "their"}
MAX_DESCRIPTION = 5  # words of such a description
POSSESSIVES = ("’s", "'s")


def describing_word(words: list[str], lows: list[str], y: int) -> bool:
    """Can token ``y`` stand in a description before a name: a determiner, a possessive "’s", or a lower-case
    word that is neither a function word nor a verb of saying ("daughter", "family", "lawyer")."""
    low = lows[y]
    return low in DESCRIBING or words[y] in POSSESSIVES or (
        words[y][:1].islower() and low not in STOPWORDS and low not in _SAY_FORMS
    )


def _described_after(words: list[str], lows: list[str], p: int) -> int:
    """Where the words before a name at ``p + 1`` that describe it begin ("said *his daughter* Nettie"), or -1: at
    most MAX_DESCRIPTION words, opened by a determiner."""
    y = p
    while y >= 0 and p - y < MAX_DESCRIPTION and describing_word(words, lows, y) and lows[y] not in DESCRIBING:
        y -= 1
    return y if y < p and y >= 0 and lows[y] in DESCRIBING else -1


def _continues_institution(words: list[str], lows: list[str], i: int) -> int:
    """One past a capitalised run at ``i`` that continues an institution's name after "and", or 0: "the Department
    of Forestry and Fire Protection", "the Department of Health and Social Care" (an institution word and an "of"
    or "for" before the "and"), "the Health and Safety Executive" (an institution word ending the run). At most two
    words, none a given name: "Bill and Melinda Gates", "Smith and Jones" stay people."""
    n = len(words)
    if i < 2 or lows[i - 1] != "and" or not _is_cap(words[i - 2]):
        return 0
    e = i
    while e < n and _is_cap(words[e]) and not _is_acronym(words[e]):
        e += 1
    if not i < e <= i + 2 or any(is_given_name(_norm(words[x])) for x in range(i, e)):
        return 0
    if lows[e - 1] in INSTITUTION_WORDS:
        return e
    x, connector, institution = i - 2, False, False
    while x >= 0 and (_is_cap(words[x]) or lows[x] in ("of", "for", "the")):
        connector = connector or lows[x] in ("of", "for")
        institution = institution or lows[x] in INSTITUTION_WORDS
        x -= 1
    return e if connector and institution else 0


# Offices that take a brief after "for" with no name after it ("the Minister for Europe said", "the Secretary of
# State for Health said"): the brief is the office's, not a person "Europe" or "Health". A spokesman, lawyer or
# adviser "for Tesco" speaks for Tesco instead, so they are not here.
OFFICE_BRIEF_TITLES = frozenset({"minister", "secretary", "secretary of state", "commissioner", "envoy",
                                 "ambassador", "shadow minister", "shadow secretary", "shadow secretary of state"})


def _brief_run(words: list[str], lows: list[str], i: int) -> tuple[int, int]:
    """A capitalised run after a title's "for" (a constituency or brief, perhaps with a name after it): (where the
    name starts, where the run ends). The name is the first given name that leaves two or three words ("Tory MP
    for Witney David Cameron", "Labour MP for Leeds Central Hilary Benn", "Secretary of State for Health Alan
    Milburn"), 0 when there is none; (0, 0) when the run holds a title ("a spokeswoman for Prime Minister Rafael
    Ortiz" is not Ortiz)."""
    e = i
    while e < len(words) and _is_cap(words[e]) and not _is_acronym(words[e]):
        if _title_at(lows, e, len(words)):
            return 0, 0
        e += 1
        if e + 1 < len(words) and lows[e] == "and" and _is_cap(words[e + 1]):  # "MP for Haltemprice and Howden"
            e += 1
    return next((x for x in range(i + 1, e) if 2 <= e - x <= 3 and is_given_name(_norm(words[x]))), 0), e


def _ampersand_name_end(words: list[str], i: int) -> int:
    """One past a name joined by "&" that holds token ``i`` ("Marks & Spencer", "PG&E"), or 0."""
    if not _is_cap(words[i]) and not _is_acronym(words[i]):
        return 0
    e = i
    while e < len(words) and (_is_cap(words[e]) or _is_acronym(words[e]) or (
            words[e] == "&" and e + 1 < len(words) and (_is_cap(words[e + 1]) or _is_acronym(words[e + 1])))):
        e += 1
    joined = "&" in words[i:e] or (i > 0 and words[i - 1] == "&")
    return e if joined else 0




# The last word of a title ("minister", "mayor"): "Prime Minister of India Narendra Modi" names the minister after
# the place.
_TITLE_LAST = frozenset(t[-1] for t in _TITLE_TUPLES)


# Endings of words for what someone does ("hydrologist", "singer", "actor", "comedian", "actress"): capitalised
# at the start of a sentence before a given name and a surname, such a word is an occupation, not a first name
# ("Businessman", "Assemblywoman" too; a given name itself never is: "Norman Smith").
_OCCUPATION_ENDINGS = ("ist", "er", "or", "ian", "ess", "ant", "ent", "man", "woman")


def _occupation_before_name(
    words: list[str], lows: list[str], items: list[tuple[str, int, int, str]], k: int
) -> bool:
    """Whether capitalised item ``k`` is an occupation before a name: "Novelist Marta Keller", not "Marta Keller"
    or "Taylor Swift" (a given name first) nor "Texas Marta Keller" (a place)."""
    if len(items) < k + 3 or any(items[x][0] != "cap" for x in range(k, k + 3)):
        return False
    first = _norm(words[items[k][1]])
    # a given name the lists lack before a relative "who": "Actor Denzel Washington, who paid for ..."
    named = is_given_name(_norm(words[items[k + 1][1]])) or (
        len(items) == k + 3 and _who_after(words, lows, items[k + 2][2])
    )
    return (first.endswith(_OCCUPATION_ENDINGS) and first.isalpha() and not is_given_name(first)
            and first not in _GAZETTEER and named)


def _name_token_at(words: list[str], lows: list[str], items: list[tuple[str, int, int, str]], x: int) -> bool:
    """Is item ``x`` of a capitalised group a word that can stand in a person's name?"""
    return x < len(items) and items[x][0] == "cap" and _valid_name_token(words[items[x][1]], lows[items[x][1]])


def _who_after(words: list[str], lows: list[str], end: int) -> bool:
    """Does ", who" follow token ``end - 1``: a person's relative clause (a place takes "which" or "where")?"""
    return end + 1 < len(words) and words[end] == "," and lows[end + 1] == "who"


