"""Organisations that speak, on the question side: whether a name denotes an organisation, which of the
organisations an article lets speak it denotes, and who speaks for one. Pure.

The speaker analysis (``speakers/organisations.py``) labels a sentence with an organisation when no person
speaks in it and an organisation does ("the Kremlin said", "“…,” the ministry said", "according to NATO").
The corpus's people map holds those organisations beside the people, marked ``Person.organisation``.

- ``organisation_matches(key, query)``: the organisation ``key`` (as the analysis names it: "Russian Foreign
  Ministry") is what ``query`` asks about: the same words ("Foreign Ministry" for "Russian Foreign Ministry" and
  back, with the same last word), the same place ("the Kremlin", "Moscow" and "Russia" name one government, by
  ``lexicon._AFFIL_MAP``), or a body it belongs to ("Russia" for "Russia's Foreign Ministry").
- ``speaks_for(person, query)``: a person the articles give a title of that organisation ("Kremlin spokesman
  Dmitry Peskov", "NATO Secretary General Mark Rutte", "Russian President Vladimir Putin" for "the Kremlin");
  only titles that speak for a body count (``lexicon.VOICE_TITLES``: not senators, judges or officers).

A person asked by name never matches an organisation's statements: "what did Putin say?" does not return
"the Kremlin said" (``organisation_matches`` needs the organisation's words or place, and a person's name is
neither), while "what did the Kremlin say?" returns Putin's words as well as the Kremlin's.
"""

from __future__ import annotations

import re
from functools import lru_cache

from retrieval.lang.en.affiliations import _affil_key
from retrieval.lang.en.lexicon import (
    _GAZETTEER,
    _ORG_WORDS,
    _TITLE_FIRST,
    ARTICLES,
    ORGANISATION_HEADS,
    VOICE_TITLES,
    _is_acronym,
    _norm,
)
from retrieval.lang.en.people import Person

_SPLIT_RE = re.compile(r"[^\w.'’&-]+")


def _raw_words(name: str) -> list[str]:
    out: list[str] = []
    for raw in _SPLIT_RE.split(name):
        t = raw.strip("'’-")
        if t.endswith(("'s", "’s")):
            t = t[:-2]
        t = t.rstrip(".") if not _is_acronym(t) else t  # "U.S." keeps its dots, "Ministry." does not
        if t and _norm(t) not in ARTICLES:
            out.append(t)
    return out


@lru_cache(maxsize=16384)
def organisation_tokens(name: str) -> tuple[str, ...]:
    """The words of an organisation's name as they are compared: casefolded, articles and possessive 's
    dropped, places by the key they share ("Russian"/"Russia's" -> "russia", "U.S." -> "us")."""
    return tuple(_affil_key(t) for t in _raw_words(name))


@lru_cache(maxsize=16384)
def place_key(name: str) -> str:
    """The whole name's key: "the White House" -> "us", "the Kremlin" -> "russia", "NATO" -> "nato"."""
    return _affil_key(" ".join(_norm(t) for t in _raw_words(name)))


@lru_cache(maxsize=16384)
def looks_like_organisation(name: str) -> bool:
    """Does a question's name read as an organisation's: an acronym ("NATO", "U.S."), a word that names an
    institution ("Foreign Ministry", "White House", "Human Rights Council"), or only places and institutions of
    the gazetteer ("the Kremlin", "the Pentagon", "Russia")? Title words are not institutions ("General Smith")."""
    words = _raw_words(name)
    if not words:
        return False
    if any(_is_acronym(w) and _norm(w).replace(".", "") not in _TITLE_FIRST for w in words):
        return True
    lows = [_norm(w) for w in words]
    if any((low in ORGANISATION_HEADS or low in _ORG_WORDS) and low not in _TITLE_FIRST for low in lows):
        return True
    return all(low in _GAZETTEER for low in lows)


def _subseq(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    it = iter(b)
    return all(x in it for x in a)


_NOT_IN_INITIALS = frozenset({"of", "for", "and", "&", "on", "in", "de"})


def abbreviates(short: str, name: str) -> bool:
    """Is ``short`` an acronym of ``name``'s words: "NUS" of "the National Union of Students", "CBI" of
    "Confederation of British Industry", "WHO" of "World Health Organization"? Small words are skipped, or
    all count ("TfL" of "Transport for London")."""
    words = _raw_words(short)
    if len(words) != 1 or not _is_acronym(words[0]):
        return False
    letters = words[0].replace(".", "").casefold()
    lows = [_norm(t) for t in _raw_words(name)]
    # the small words count in the mixed-case acronyms UK bodies use: "TfL" of "Transport for London"
    initials = ("".join(w[0] for w in lows if w not in _NOT_IN_INITIALS), "".join(w[0] for w in lows))
    return len(letters) >= 2 and len(lows) >= 2 and letters in initials


@lru_cache(maxsize=65536)
def organisation_matches(key: str, query: str) -> bool:
    """Is the organisation ``key`` what ``query`` asks about? (See the module docstring.)"""
    org, q = organisation_tokens(key), organisation_tokens(query)
    if not org or not q:
        return False
    if q == org or place_key(key) == place_key(query) or abbreviates(query, key) or abbreviates(key, query):
        return True
    # a person's name shares words with organisations without naming them: "Trump" is not "Trump
    # administration", "Denzel Washington" not the "Washington" of "Washington said"
    if not looks_like_organisation(query):
        return False
    # "Foreign Ministry" and "Russia" ask about "Russia's Foreign Ministry"; "Russian Foreign Ministry" about
    # an article's "Foreign Ministry"
    return _subseq(q, org) or (q[-1] == org[-1] and _subseq(org, q))


def speaks_for(person: Person, query: str) -> bool:
    """Does the article give ``person`` a title that speaks for the organisation ``query`` names? The title's
    affiliation must be the organisation's place ("Russian President" for "the Kremlin") or hold all the words
    of its name ("White House press secretary" for "the White House")."""
    if person.organisation or not person.affiliations or not (person.titles & VOICE_TITLES):
        return False
    words = organisation_tokens(query)
    return bool(words) and (place_key(query) in person.affiliations or set(words) <= person.affiliations)
