"""Does a question's name denote a person? Name and title matching, and the index that finds the people a
name or title denotes without scanning everyone (``PeopleIndex``). Pure."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from typing import TypeVar, overload

from retrieval.lang.en.affiliations import _affil_key
from retrieval.lang.en.given_names import SHORT_FORMS
from retrieval.lang.en.lexicon import (
    _ABBREV_DOT,
    _HONORIFICS,
    _TITLE_FIRST,
    _TITLE_MODIFIERS,
    _TITLE_START,
    NAME_SUFFIXES,
    VOICE_TITLES,
    name_norm,
)
from retrieval.lang.en.organisations import (
    looks_like_organisation,
    organisation_matches,
    organisation_tokens,
    speaks_for,
)
from retrieval.lang.en.people import Person
from retrieval.lang.en.speakers.inventory import _subseq, _title_compatible, title_fits
from retrieval.lang.en.speakers.shapes import _title_at

_T = TypeVar("_T")


class PeopleIndex(Mapping[str, Person]):
    """A read-only ``people`` map (canonical name -> Person) with indexes for :meth:`matching`.

    Behaves like the mapping it is built from (a snapshot: same keys, values and iteration order), so it
    can be passed wherever a ``people`` map is expected (:func:`name_matches`, :func:`speaker_relevance`).
    ``matching(query)`` returns the keys that :func:`name_matches` accepts for ``query`` without scanning
    every person: a name query looks up the people whose name holds its (last) token, a title query
    ("the NATO chief") the people holding a compatible title; each candidate is then confirmed with
    :func:`name_matches`, so the result is exactly that of the scan. Built in one pass; results are
    cached per query (bounded LRU, thread-safe).

    Organisations that speak (``Person.organisation``) are matched by ``organisation_matches``: every one of
    them is a candidate of a name query, since "Russia" names "the Kremlin" without sharing a word with it.
    ``speaking_for(query)`` gives the people who speak for the organisation ``query`` names (organisations.py).

    Equality and hashing are by identity (unlike ``dict``), so an index can key a cache.
    """

    _CACHE_SIZE = 16384

    def __init__(self, people: Mapping[str, Person]) -> None:
        self._people: dict[str, Person] = dict(people)
        self._order: dict[str, int] = {}
        by_token: dict[str, list[str]] = {}
        by_last: dict[str, list[str]] = {}
        by_title: dict[str, list[str]] = {}
        organisations: list[str] = []
        voices: list[str] = []  # people holding a title that speaks for a body (lexicon.VOICE_TITLES)
        for pos, (key, p) in enumerate(self._people.items()):
            self._order[key] = pos
            if p.organisation:
                organisations.append(key)
                continue
            if p.affiliations and p.titles & VOICE_TITLES:
                voices.append(key)
            full = _name_tokens(key) if key else ()
            if not full:
                continue  # name_matches never accepts such a key
            for tok in dict.fromkeys(full):
                by_token.setdefault(tok, []).append(key)
            by_last.setdefault(full[-1], []).append(key)
            for title in p.titles:
                by_title.setdefault(title, []).append(key)
        # lists were filled in key order, so every candidate tuple is in the mapping's iteration order
        self._by_token = {t: tuple(ks) for t, ks in by_token.items()}
        self._by_last = {t: tuple(ks) for t, ks in by_last.items()}
        self._by_title = {t: tuple(ks) for t, ks in by_title.items()}
        self._organisations = tuple(organisations)
        self._voices = tuple(voices)
        self._matching = lru_cache(maxsize=self._CACHE_SIZE)(self._match)
        self._speaking_for = lru_cache(maxsize=self._CACHE_SIZE)(self._voices_of)

    # Mapping protocol (delegated to the snapshot dict for speed)
    def __getitem__(self, key: str) -> Person:
        return self._people[key]

    @overload
    def get(self, key: str, /) -> Person | None: ...

    @overload
    def get(self, key: str, default: Person | _T, /) -> Person | _T: ...

    def get(self, key: str, default: object = None, /) -> object:
        return self._people.get(key, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._people)

    def __len__(self) -> int:
        return len(self._people)

    def __contains__(self, key: object) -> bool:
        return key in self._people

    def __eq__(self, other: object) -> bool:
        return self is other

    def __hash__(self) -> int:
        return object.__hash__(self)

    def __repr__(self) -> str:
        return f"PeopleIndex({len(self._people)} people)"

    def __reduce__(self) -> tuple[type[PeopleIndex], tuple[dict[str, Person]]]:
        return (PeopleIndex, (self._people,))

    def with_surname(self, surname: str) -> tuple[str, ...]:
        """The keys of the people whose name ends with ``surname`` (normalised)."""
        return self._by_last.get(surname, ())

    def matching(self, query: str) -> tuple[str, ...]:
        """The keys ``k`` (in iteration order) with ``name_matches(k, query, self)``; cached per query."""
        return self._matching(query)

    def speaking_for(self, query: str) -> tuple[str, ...]:
        """The people (in iteration order) the articles give a title of the organisation ``query`` names
        (``speaks_for``), when ``query`` names one: it reads as an organisation's name or denotes an organisation
        the corpus lets speak. Empty for a person's name or a title ("Putin", "the Russian president")."""
        return self._speaking_for(query)

    def _voices_of(self, query: str) -> tuple[str, ...]:
        return _voices(self._people, self._voices, self._organisations, query)

    def _match(self, query: str) -> tuple[str, ...]:
        if not query or not self._people:
            return ()
        found = tuple(k for k in self._organisations if _organisation_named(k, query, self))
        if found:
            return tuple(sorted({*found, *self._match_people(query)}, key=self._order.__getitem__))
        return self._match_people(query)

    def _match_people(self, query: str) -> tuple[str, ...]:
        parsed = _parse_title_phrase(query)
        cands: Iterable[str]
        if parsed is not None and not parsed[2]:
            # a title alone: only people holding a compatible title can match (affiliations: name_matches)
            title = parsed[0]
            found: set[str] = set()
            for held, keys in self._by_title.items():
                if _title_compatible(title, (held,)):
                    found.update(keys)
            cands = sorted(found, key=self._order.__getitem__)
        else:
            q = parsed[2] if parsed is not None else _name_tokens(query)
            q = tuple(t for t in q if t not in _DROP_NAME_WORDS)
            if not q:
                return ()
            # one token: it must be one of the name's tokens; several: the last tokens must be equal
            cands = self._by_token.get(q[0], ()) if len(q) == 1 else self._by_last.get(q[-1], ())
        return tuple(k for k in cands if name_matches(k, query, self))


def people_named(people: Mapping[str, Person] | None, query: str) -> tuple[str, ...]:
    """The keys of ``people`` (in order) that ``query`` denotes (:func:`name_matches`).

    Uses the indexes of a :class:`PeopleIndex`; scans any other mapping.
    """
    if not people:
        return ()
    if isinstance(people, PeopleIndex):
        return people.matching(query)
    return tuple(k for k in people if name_matches(k, query, people))


def _anyone_named(people: Mapping[str, Person] | None, query: str) -> bool:
    """Whether ``query`` denotes a person of ``people`` (organisations left out: as a topic, "NATO" is looked for
    by its words, not as someone mentioned), stopping at the first match when it has to scan."""
    if not people:
        return False
    keys = people.matching(query) if isinstance(people, PeopleIndex) else people
    return any(not people[k].organisation and name_matches(k, query, people) for k in keys)


def speaking_for(people: Mapping[str, Person] | None, query: str) -> tuple[str, ...]:
    """The people who speak for the organisation ``query`` names (``PeopleIndex.speaking_for``; scans any other
    mapping)."""
    if not people:
        return ()
    if isinstance(people, PeopleIndex):
        return people.speaking_for(query)
    return _voices(people, tuple(people), tuple(k for k, p in people.items() if p.organisation), query)


def _voices(
    people: Mapping[str, Person], candidates: tuple[str, ...], organisations: tuple[str, ...], query: str
) -> tuple[str, ...]:
    if not query or not candidates or is_title_phrase(query):
        return ()
    if not looks_like_organisation(query) and not any(organisation_matches(k, query) for k in organisations):
        return ()
    return tuple(k for k in candidates if speaks_for(people[k], query))


# --------------------------------------------------------------------------------------------------------
# Matching and scoring
# --------------------------------------------------------------------------------------------------------

_NAME_SPLIT_RE = re.compile(r"[^\w.'’-]+|(?<=\w)[.](?=\s|$)")
_DROP_NAME_WORDS = frozenset(_HONORIFICS) | {"the", "a", "an"}


@lru_cache(maxsize=65536)
def _name_tokens(s: str) -> tuple[str, ...]:
    toks: list[str] = []
    for raw in _NAME_SPLIT_RE.split(s):
        t = name_norm(raw.strip(".'’-"))
        if t.endswith("'s"):
            t = t[:-2]
        if t:
            toks.append(t)
    while len(toks) > 2 and toks[-1] in NAME_SUFFIXES:  # "Martin Luther King Jr." is "Martin Luther King"
        toks.pop()
    return tuple(toks)


@lru_cache(maxsize=65536)
def _parse_title_phrase(s: str) -> tuple[str, tuple[str, ...], tuple[str, ...]] | None:
    """'the NATO chief' -> ('chief', ('nato',), name tokens after the title); None if no title word.

    Memoised: pure, and the result is immutable (tuples of str).
    """
    toks = [t for t in _name_tokens(s) if t not in ("the", "a", "an")]
    n = len(toks)
    for i in range(n):
        if toks[i] in _TITLE_FIRST:
            t = _title_at(toks, i, n)
            if t and t[1] not in _HONORIFICS:
                # the last title in the phrase
                end, phrase = t
                while end < n:
                    t2 = _title_at(toks, end, n)
                    if not t2:
                        break
                    end, phrase = t2
                affils = tuple(x for x in toks[:i] if x not in _TITLE_MODIFIERS)
                rest = tuple(toks[end:])
                if rest and rest[0] == "of":  # "the head of NATO"
                    return phrase, affils + rest[1:], ()
                return phrase, affils, rest
    return None


_SPLIT_STRIP = ",;:!?\"“”‘’'()[]{}"


@lru_cache(maxsize=65536)
def split_title(phrase: str) -> tuple[str | None, str | None]:
    """Split a person phrase into (title, name), keeping the original spelling (memoised: pure).

    "Russian President Vladimir Putin" -> ("Russian President", "Vladimir Putin"); "the NATO chief" ->
    ("NATO chief", None); "Mr. Putin" -> (None, "Putin"); "Putin's" -> (None, "Putin").
    """
    toks: list[str] = []
    for raw in phrase.split():
        t = raw.strip(_SPLIT_STRIP)
        if t.endswith(("'s", "’s")):
            t = t[:-2]
        elif t.endswith(("s'", "s’")):
            t = t[:-1]
        if t:
            toks.append(t)
    while toks and toks[0].lower() in ("the", "a", "an"):
        toks = toks[1:]
    if not toks:
        return None, None
    lows = [t.lower().rstrip(".") if t.lower().rstrip(".") in _ABBREV_DOT else t.lower() for t in toks]
    n = len(lows)
    last_end = -1
    real_title = False
    i = 0
    while i < n:
        hit = _title_at(lows, i, n) if lows[i] in _TITLE_START else None
        if hit:
            last_end = hit[0]
            real_title = real_title or hit[1] not in _HONORIFICS
            i = hit[0]
            continue
        i += 1
    if last_end < 0:
        return None, " ".join(toks)
    title_toks = [t for t in toks[:last_end] if t.lower().rstrip(".") not in _HONORIFICS]
    name = " ".join(toks[last_end:]) or None
    title = " ".join(title_toks) if real_title and title_toks else None
    if title and name and lows[last_end] == "of":  # "head of NATO"
        return f"{title} {name}", None
    return title, name


def is_title_phrase(s: str) -> bool:
    """True for 'the NATO chief', 'Russian president'; False for names ('Putin', 'President Putin')."""
    parsed = _parse_title_phrase(s)
    return parsed is not None and not parsed[2]


def name_matches(full_name: str | None, query_name: str, people: Mapping[str, Person] | None = None) -> bool:
    """Does ``query_name`` (from a question) denote the person ``full_name``?

    Case- and accent-insensitive, whole words only: "Putin" matches "Vladimir Putin" and "Vladimir
    Vladimirovich Putin"; "Vladimir Putin" matches "Vladimir Vladimirovich Putin" (ordered subsequence
    with the same last word); "Put" and "Putina" do not. Titles and honorifics in the query are ignored
    when a name follows ("President Putin", "Mr. Putin"). A title alone ("the NATO chief", "Russian
    president") matches only through ``people`` (from :func:`analyze_article` or :func:`merge_people`):
    the person must hold a compatible title and, if the query names an affiliation, share it.
    """
    if not full_name or not query_name:
        return False
    if people is not None:
        p = people.get(full_name)
        if p is not None and p.organisation:
            return _organisation_named(full_name, query_name, people)
    full = _name_tokens(full_name)
    if not full:
        return False
    parsed = _parse_title_phrase(query_name)
    if parsed is not None and not parsed[2]:
        if not people:
            return False
        p = people.get(full_name)
        if p is None:
            return False
        title, affils, _ = parsed
        return title_fits(title, frozenset(_affil_key(a) for a in affils), p.titles, p.affiliations)
    q = parsed[2] if parsed is not None else _name_tokens(query_name)
    q = tuple(t for t in q if t not in _DROP_NAME_WORDS)
    if not q:
        return False
    if len(q) == 1:
        # a single word is a surname before it is a given name: "Morgan" is Piers Morgan, not Morgan Ortagus,
        # when the corpus has both; a given name alone ("Bernie") where nobody has it as a surname
        return q[0] in full and (q[0] == full[-1] or not (people and _surnamed(people, q[0])))
    if q[-1] != full[-1]:
        return False
    if len(full) == 1:  # "Smith" (the article never gave a first name) for "John Smith": only if no other Smith
        return not _other_given_name(q, people) and not _named_in_full_unlike(full_name, q, people)
    if _subseq(q, full) or _subseq(full, q):
        return True
    # "Bill Clinton" for "William Clinton": the same surname and given names that are forms of one name
    return len(q) == len(full) and all(a == b or _same_given_name(a, b) for a, b in zip(q, full, strict=True))


CLOSE_SPELLING = 0.85  # difflib ratio: "Puttin"/"Putin" 0.91, "rute"/"rutte" 0.89, "Kagan"/"Kagame" 0.73


def closest_person(people: Mapping[str, Person], query: str) -> str | None:
    """The one person whose name is spelled close to ``query`` ("Puttin", "Vladimir Puttin", "rute"), for a
    name that denotes no one: the surname within CLOSE_SPELLING, and a given name, when the query has one,
    the same, a form of it or within CLOSE_SPELLING. None when nobody is that close, or two people are, and for
    a name that reads as an organisation's ("the Pentagon", "NATO"): no person is proposed for it."""
    from difflib import SequenceMatcher

    if looks_like_organisation(query):
        return None

    parsed = _parse_title_phrase(query)
    q = tuple(t for t in (parsed[2] if parsed is not None else _name_tokens(query)) if t not in _DROP_NAME_WORDS)
    if not q or len(q[-1]) < 3:
        return None

    def close(a: str, b: str) -> float:
        return 1.0 if a == b else SequenceMatcher(None, a, b).ratio()

    best: dict[str, float] = {}
    for key, person in people.items():
        if person.organisation:
            continue
        full = _name_tokens(key)
        if not full:
            continue
        surname = close(q[-1], full[-1])
        if surname < CLOSE_SPELLING:
            continue
        if len(q) > 1 and len(full) > 1:
            given = 1.0 if _same_given_name(q[0], full[0]) else close(q[0], full[0])
            if given < CLOSE_SPELLING:
                continue
            surname = min(surname, given)
        best[key] = surname
    if not best:
        return None
    top = max(best.values())
    winners = sorted((k for k, v in best.items() if v == top), key=lambda k: (len(_name_tokens(k)), k))
    # several forms of one person ("Putin", "Vladimir Vladimirovich Putin") are one answer: the fullest
    shortest = _name_tokens(winners[0])
    if all(_subseq(shortest, _name_tokens(k)) for k in winners[1:]):
        return winners[-1]
    return None


def _same_given_name(a: str, b: str) -> bool:
    return bool(SHORT_FORMS.get(a, frozenset()) & SHORT_FORMS.get(b, frozenset()))


def _other_given_name(q: tuple[str, ...], people: Mapping[str, Person] | None) -> bool:
    """Does the corpus name someone with the surname of ``q`` whose given name is not that of ``q``? Then a
    surname alone in an article is ambiguous, and it is not taken to be ``q``."""
    if not people:
        return False
    for key in _surnamed(people, q[-1]):
        other = _name_tokens(key)
        if len(other) > 1 and other[0] != q[0] and not _same_given_name(other[0], q[0]):
            return True
    return False


def _surnamed(people: Mapping[str, Person], surname: str) -> tuple[str, ...]:
    """The keys of the people (not organisations: "William of Apulia" read as one has no given name) whose name ends
    with ``surname`` (normalised): the index's surname table, or a scan of any other mapping."""
    if isinstance(people, PeopleIndex):
        return people.with_surname(surname)
    return tuple(k for k, p in people.items() if not p.organisation and (t := _name_tokens(k)) and t[-1] == surname)


def _named_in_full_unlike(surname_key: str, q: tuple[str, ...], people: Mapping[str, Person] | None) -> bool:
    """Does the corpus name ``q`` in full ("Tak-Sing Wong") as someone the bare surname ``surname_key`` ("Wong", from
    an article that never gave a first name) shares no title or affiliation with ("a university student named
    Wong")? Then the surname is likely someone else's, and it is not taken to be ``q``. "President Putin" from one
    article stays "Vladimir Putin" of another: they share the title."""
    if not people:
        return False
    bare = people.get(surname_key)
    fuller = [k for k in _surnamed(people, q[-1]) if len(t := _name_tokens(k)) > 1 and _subseq(q, t)]
    if not fuller or bare is None:
        return False
    titles = {t for t in bare.titles if t not in _HONORIFICS}
    return not any(
        titles & people[k].titles or bare.affiliations & people[k].affiliations for k in fuller
    )


def _organisation_named(key: str, query: str, people: Mapping[str, Person]) -> bool:
    """Does ``query`` name the organisation ``key``: as ``organisation_matches`` says, or by the last words of its
    name when the corpus names no person so ("Telegraph" for the "Daily Telegraph", where a question's "the" is
    gone; "Trump" never for the "Trump administration" while Trump is a person of the corpus)?"""
    if organisation_matches(key, query):
        return True
    org, q = organisation_tokens(key), organisation_tokens(query)
    if not q or not org or q[-1] != org[-1] or not _subseq(q, org) or is_title_phrase(query):
        return False
    # the index's own person match: its ``matching`` is what is being computed
    return not (people._match_people(query) if isinstance(people, PeopleIndex) else _anyone_named(people, query))
