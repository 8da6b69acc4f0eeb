"""Speaker analysis, step 4: organisations that speak.

Journalists write what an institution said as they write what a person said: ``the Kremlin said …``, ``NATO
said in a statement: “…”``, ``“…,” the ministry said``, ``according to the White House, …``, ``a Kremlin
statement said``, ``a spokesman for the Foreign Ministry said``. This module finds the organisations an article
names and lets the analyzer take one as a sentence's speaker, **only where no person speaks**: every person
cue of ``analyzer.py`` is tried first, and ``X of ORG said`` stays X's (``subjects.py``).

An organisation's name is found from the text, not from a list of organisations:

- a capitalised run that no person's name or title takes ("the White House", "Tesco", "the Ministry of
  Defence", "Russia's Foreign Ministry", "PG&E") and that reads as an institution: it holds an acronym or an
  organisation word (``lexicon._ORG_WORDS``, ``ORGANISATION_HEADS``), or has more than one word, or "the" stands
  before it, or it is a place or institution of the gazetteer ("the Kremlin", "Moscow"). A single other word
  ("Harris said") is a person the inventory missed, never an organisation;
- a capitalised run or a person's name followed by a head noun ("the Russian foreign ministry", "the Trump
  administration");
- "the ministry", "the foreign ministry", "a ministry spokesman", and a sentence-initial "Police": a head noun
  that points back at the last organisation the article named with that word; none named, none taken.

Who voices an organisation makes it the speaker too (``lexicon.VOICE_NOUNS`` and the titles of
``VOICE_TITLES``): "a Kremlin spokesman", "NATO officials", "a White House press secretary", "the ministry's
statement", "a spokesperson for NATO", "a statement from the ministry" (a spokesman the article names is a
person, and speaks as one). An organisation after a preposition is an object, not a speaker ("supporters of
NATO said"). The variants an article uses ("Foreign Ministry", "Russian Foreign Ministry") are one organisation
named by its fullest form, as people are (``inventory.py``); the organisations that speak join the article's
people, marked ``Person.organisation``. They are never pronouns' antecedents and never mentions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TypeVar

from retrieval.lang.en.lexicon import (
    _GAZETTEER,
    _ORG_WORDS,
    _SAY_FORMS,
    _STOP_CAP,
    _TITLE_FIRST,
    ARTICLES,
    CALENDAR_WORDS,
    DETERMINERS,
    INSTITUTION_WORDS,
    OBJECT_PREPOSITIONS,
    ORGANISATION_HEADS,
    POST_NOMINALS,
    STOPWORDS,
    VOICE_NOUNS,
    VOICE_TITLES,
    _is_acronym,
    _is_cap,
    _norm,
)
from retrieval.lang.en.organisations import abbreviates, organisation_tokens
from retrieval.lang.en.people import Person
from retrieval.lang.en.speakers.inventory import _Inventory, _subseq, _title_refers, plural_common
from retrieval.lang.en.speakers.scan import _Sent
from retrieval.lang.en.speakers.shapes import _title_at

_V = TypeVar("_V")
_CONNECTORS = frozenset({"of", "for", "&"})  # inside a name: "Ministry of Defence", "PG&E" (not "on": "… on Tuesday")
_VOICE_LINKS = frozenset({"for", "of", "from", "at"})  # "a spokesman for the Kremlin", "officials at the Pentagon"
_POSSESSIVE = ("’s", "'s")
_COORDINATION = frozenset({"and", "or", "nor"})
_PERSON_AFTER = 4  # words after "said <organisation>" within which a named person is the speaker instead
_KEEP_FIRST = frozenset({"new"})  # a capitalised stop word that starts names ("New York Times")


@dataclass(slots=True)
class _OrgRef:
    """A reference to an organisation in one sentence."""

    i: int  # first token (an article before it is not part of it)
    j: int  # one past the last token (a voice noun included: "a Kremlin spokesman")
    name: str  # the organisation's name as written ("Foreign Ministry"); "" for a head noun ("the ministry")
    head: str = ""  # the head noun of "the ministry", "the foreign ministry"
    modifier: str = ""  # "foreign" in "the foreign ministry"
    org: int = -1  # the organisation it denotes (index into _OrgInventory), -1 when none


@dataclass
class _SentOrgs:
    starts: dict[int, _OrgRef] = field(default_factory=dict)  # first token -> the longest reference
    ends: dict[int, _OrgRef] = field(default_factory=dict)  # last token -> the reference that starts first
    persons: set[int] = field(default_factory=set)  # where the names of people the article knows start


class _OrgInventory:
    """The organisations of one article: variants of a name ("Foreign Ministry", "Russia's Foreign Ministry")
    are one organisation when one's words are the other's with the same last word."""

    def __init__(self) -> None:
        self.variants: list[list[str]] = []
        self.tokens: list[list[tuple[str, ...]]] = []
        self.seen: list[int] = []  # when each was last named (for "the ministry")
        self._clock = 0

    def _latest(self, among: Sequence[Sequence[_V]], fits: Callable[[_V], bool]) -> int:
        """The organisation last named with a variant that ``fits``, or -1; ``among``: each organisation's variants,
        as written (``variants``) or as compared (``tokens``)."""
        found = [x for x, variants in enumerate(among) if any(fits(v) for v in variants)]
        return max(found, key=self.seen.__getitem__, default=-1)

    def add(self, name: str) -> int:
        self._clock += 1
        t = organisation_tokens(name)
        # "Moscow" and "the Kremlin" share a place key, but the article names two speakers; "THE" (Times Higher
        # Education) has no words left once its article is dropped
        if len(t) <= 1:
            t = (_norm(name),)
        best = self._latest(self.tokens, lambda v: t == v or (t[-1] == v[-1] and (_subseq(t, v) or _subseq(v, t))))
        if best < 0:  # "TfL" for "Transport for London", and back
            best = self._latest(self.variants, lambda v: abbreviates(name, v) or abbreviates(v, name))
        if best < 0:
            best = len(self.variants)
            self.variants.append([])
            self.tokens.append([])
            self.seen.append(0)
        if name not in self.variants[best]:
            self.variants[best].append(name)
            self.tokens[best].append(t)
        self.seen[best] = self._clock
        return best

    def back(self, head: str, modifier: str) -> int:
        """The organisation last named with ``head`` (and ``modifier``) among its words, or -1."""
        best = self._latest(self.tokens, lambda v: head in v and (not modifier or modifier in v))
        if best >= 0:
            self._clock += 1
            self.seen[best] = self._clock
        return best

    def key(self, x: int) -> str:
        return max(self.variants[x], key=lambda v: (len(organisation_tokens(v)), len(v)))


def _blocked(s: _Sent, inv: _Inventory) -> tuple[set[int], dict[int, int], set[int]]:
    """Tokens that belong to a person: a name the inventory knows, a title that resolves to a person, and the
    title words of any title ("Secretary of State" is nobody's organisation). Also the names without a title
    (start -> end), which an organisation's name may hold after "of"/"for" when the inventory took them for a
    person ("House of Representatives", "Institute for Space Research"), and where the persons' names start."""
    blocked: set[int] = set()
    bare: dict[int, int] = {}
    persons: set[int] = set()
    lows, n = s.lows, len(s.words)
    for o in s.occs:
        if o.name and inv.lookup(o.name, []) is not None:
            blocked.update(range(o.i, o.j))
            persons.add(o.ni)
            if not o.title and not o.honorific:
                bare[o.i] = o.j
        elif not o.name and o.title and _title_refers(inv, o):
            blocked.update(range(o.i, o.j))
        elif not o.name:
            first = next((t for t in range(o.i, o.j) if _title_at(lows, t, n)), o.i)
            blocked.update(range(first, o.j))
    return blocked, bare, persons


def _voice_end(s: _Sent, j: int) -> int:
    """One past "’s statement", "spokesman", "press secretary" right after an organisation ending before ``j``."""
    n = len(s.words)
    k = j + 1 if j < n and s.words[j] in _POSSESSIVE else j
    if k < n and s.lows[k] in VOICE_NOUNS:
        return k + 1
    t = _title_at(s.lows, k, n) if k < n and s.lows[k] in _TITLE_FIRST else None
    return t[0] if t and t[1] in VOICE_TITLES else j


def _voice_start(s: _Sent, v: int) -> int:
    """The first token of a voice noun or title that ends at token ``v`` ("spokesman", "press secretary"), or -1."""
    if s.lows[v] in VOICE_NOUNS:
        return v
    n = len(s.words)
    for t in range(max(0, v - 2), v + 1):
        title = _title_at(s.lows, t, n) if s.lows[t] in _TITLE_FIRST else None
        if title and title[0] == v + 1 and title[1] in VOICE_TITLES:
            return t
    return -1


def _modifier(s: _Sent, k: int) -> bool:
    """A lower-case word that can modify a noun ("foreign", "seventh", "army"): not a function word or a verb
    of saying."""
    w = s.words[k]
    return w.isalpha() and w.islower() and s.lows[k] not in STOPWORDS and s.lows[k] not in _SAY_FORMS


def _head_end(s: _Sent, j: int) -> int:
    """One past a head noun right after ``j`` ("administration", "foreign ministry"), or ``j``."""
    n = len(s.words)
    if j < n and s.words[j].islower() and s.lows[j] in ORGANISATION_HEADS:
        return j + 1
    if j + 1 < n and _modifier(s, j) and s.words[j + 1].islower() and s.lows[j + 1] in ORGANISATION_HEADS:
        return j + 2
    return j


def _run_end(s: _Sent, k: int, blocked: set[int], bare: dict[int, int]) -> int:
    """One past the capitalised run from ``k``: capitalised words and acronyms, with "of", "for", "&" and "’s"
    between them ("Ministry of the Interior", "PG&E", "Russia's Foreign Ministry"), and "and" after an "of"
    ("Department of Forestry and Fire Protection") or before an institution word ("Food and Drug Administration")."""
    words, lows, n = s.words, s.lows, len(s.words)

    def cap(x: int) -> bool:  # a capitalised word or an acronym ("U.S." too)
        return x < n and x not in blocked and not s.quoted[x] and _is_cap(words[x])

    def institution_after(x: int) -> bool:  # "and Drug Administration", "and Safety Executive": one name
        while cap(x) and not _is_acronym(words[x]):
            x += 1
        return lows[x - 1] in INSTITUTION_WORDS

    e = k
    # "and" joins names after an "of" ("Health and Human Services", not "Russia and China") or before the word
    # that ends an institution's name ("Food and Drug Administration", not "Britain and France")
    of = False
    while cap(e):
        e += 1
        if e < n and lows[e] == "and" and cap(e + 1) and (of or institution_after(e + 1)):
            e += 1
            continue
        if e < n and (lows[e] in _CONNECTORS or words[e] in _POSSESSIVE):
            of = of or lows[e] == "of"
            nxt = e + 2 if lows[e] != "&" and e + 2 < n and lows[e + 1] == "the" else e + 1
            if cap(nxt):
                e = nxt
            elif lows[e] in _CONNECTORS and nxt in bare and not s.quoted[nxt]:
                e = bare[nxt]  # "House of Representatives": a "person" the inventory took from an institution
                if not cap(e):
                    break
    return e


def _roman(w: str) -> bool:
    return bool(w) and all(c in "IVXLCDM" for c in w)


def _person_like(s: _Sent, core: list[int], determiner: bool, surnames: set[str]) -> bool:
    """Does a capitalised run read as a person's name the inventory missed: it ends in a word that is a surname
    in this article ("Kanye West", "Denzel Washington": a place's name after a given name, no determiner)?"""
    last = _norm(s.words[core[-1]])
    if last in surnames:
        return True
    return len(core) > 1 and not determiner and _surname_after(s, core[-2], core[-1])


def _surname_after(s: _Sent, given: int, last: int) -> bool:
    low = s.lows[given]
    return (
        s.words[given][:1].isupper()
        and _norm(s.words[last]) in _GAZETTEER
        and _is_cap(s.words[given])
        and not _is_acronym(s.words[given])
        and not any(low in words for words in (_GAZETTEER, _ORG_WORDS, ORGANISATION_HEADS, _STOP_CAP, _TITLE_FIRST))
    )


def _surnames(sents: Sequence[_Sent]) -> set[str]:
    """Places' names that the article uses as a surname: after a capitalised given name, with no determiner."""
    out: set[str] = set()
    for s in sents:
        words = s.words
        for k in range(1, len(words)):
            if not words[k][:1].isupper() or (k >= 2 and s.lows[k - 2] in ARTICLES):
                continue
            if _surname_after(s, k - 1, k):
                out.add(_norm(s.words[k]))
    return out


def _qualifies(s: _Sent, a: int, e: int, determiner: bool, surnames: set[str]) -> bool:
    """Is the capitalised run [a, e) an organisation's name (module docstring)?"""
    core = [x for x in range(a, e) if s.words[x][:1].isalnum()]
    if not core or _person_like(s, core, determiner, surnames):
        return False
    if len(core) > 1:
        # five capitalised words and no "of": a person with a description ("Police Senior Superintendent …")
        return len(core) < 5 or any(s.lows[x] in _CONNECTORS for x in range(a, e))
    w, low = s.words[core[0]], s.lows[core[0]]
    if low in CALENDAR_WORDS or _roman(w):
        return False
    if _is_acronym(w):
        return _norm(w).replace(".", "") not in _TITLE_FIRST  # "CEO", "MP" are titles
    return determiner or low in _GAZETTEER


def _scan(text: str, s: _Sent, people: tuple[set[int], dict[int, int]], surnames: set[str]) -> list[_OrgRef]:
    blocked, bare = people
    words, lows, n = s.words, s.lows, len(s.words)
    first = next((k for k in range(n) if words[k][:1].isalpha()), 0)
    refs: list[_OrgRef] = []

    def named(a: int, e: int) -> _OrgRef:
        last = e - 1
        name = " ".join(text[s.starts[a] : s.starts[last] + len(words[last])].split())
        return _OrgRef(a, e, name)

    k = 0
    while k < n:
        if s.quoted[k]:
            k += 1
            continue
        if k in blocked:
            e = k
            while e < n and e in blocked:
                e += 1
            h = _head_end(s, e)
            o = s.occs[s.occ_end[e - 1]] if (e - 1) in s.occ_end else None
            if h > e and o is not None and o.name:  # "the Trump administration"
                refs.append(named(o.ni, h))
            elif o is not None and not o.name and e + 1 < n and words[e] in _POSSESSIVE:
                # an office named for a title nobody holds here: "the Alachua Sheriff's Office", "the Prime
                # Minister's Office" (its own capitalised run, ending in an institution's word)
                end = _run_end(s, e + 1, blocked, bare)
                if end > e + 1 and lows[end - 1] in INSTITUTION_WORDS | ORGANISATION_HEADS:
                    refs.append(named(o.i, end))
                    k = end
                    continue
            k = h
            continue
        if words[k][0].isupper() and words[k][0].isalpha():  # _is_cap, inline: this loop sees every token
            e = _run_end(s, k, blocked, bare)
            a = k
            while a < e and (
                (lows[a] in _STOP_CAP and lows[a] not in _KEEP_FIRST and not _is_acronym(words[a]))
                or lows[a] in CALENDAR_WORDS  # "On Friday Ford Motor Company announced"
                or lows[a] in _SAY_FORMS  # "Remarked Center for Biological Diversity scientist …"
                or (a == first and plural_common(lows[a]) and lows[a] not in _GAZETTEER)  # "Supporters of NATO"
                or (a > k and (not words[a][:1].isalnum() or lows[a] in _CONNECTORS))
            ):
                a += 1
            determiner = (a > 0 and lows[a - 1] in ARTICLES) or (a > k and lows[a - 1] == "the")
            h = _head_end(s, e) if a < e else e  # "The foreign ministry": no name before the head noun
            if _norm(words[e - 1]).replace(".", "") in POST_NOMINALS:
                pass  # letters after a name: "Kama Melly QC", "Judge Durham Hall QC"
            elif a < e and e - a == 1 and h == e and lows[a] in ORGANISATION_HEADS:
                # "The Department said", "Police said": the department the article named; else, inside a
                # sentence, the capital letter makes it a name ("the Government said")
                refs.append(_OrgRef(a, e, words[a] if a != first else "", head=lows[a]))
            elif a < e and (h > e or _qualifies(s, a, e, determiner, surnames)):
                refs.append(named(a, h))
            k = max(h, k + 1)
            continue
        if lows[k] in ORGANISATION_HEADS and k > 0 and words[k].islower():
            # "the ministry", "the foreign ministry", "a ministry spokesman"
            a, modifier = k, ""
            if lows[k - 1] not in ARTICLES and k > 1 and lows[k - 2] in ARTICLES and _modifier(s, k - 1):
                a, modifier = k - 1, lows[k - 1]
            if lows[a - 1] in ARTICLES and (lows[a - 1] == "the" or _voice_end(s, k + 1) > k + 1):
                refs.append(_OrgRef(a, k + 1, "", head=lows[k], modifier=modifier))
        k += 1
    out: list[_OrgRef] = []
    for r in refs:
        j = _voice_end(s, r.j)
        out.append(_OrgRef(r.i, j, r.name, r.head, r.modifier) if j > r.j else r)
        # "a spokesman for the Kremlin", "a statement from the ministry": the voice and the organisation
        p = r.i - 1 if r.i > 0 and lows[r.i - 1] in ARTICLES else r.i
        if p >= 2 and lows[p - 1] in _VOICE_LINKS and not s.quoted[p - 1]:
            v = _voice_start(s, p - 2)
            if v >= 0:
                out.append(_OrgRef(v, r.j, r.name, r.head, r.modifier))
    return out


def _inside_phrase(s: _Sent, i: int) -> bool:
    """Is the organisation starting at token ``i`` inside a prepositional phrase or a coordination ("of
    Maryland's seventh Congressional District", "of the army's Western Mindanao Command", "at Fishmongers'
    Hall", "NATO and Russia")?"""
    p = i - 1
    steps = 0
    while p >= 0 and steps < 4 and (s.lows[p] in ARTICLES or _modifier(s, p)):
        p, steps = p - 1, steps + 1
    if p >= 1 and s.words[p] in (*_POSSESSIVE, "'", "’"):  # the possessor and what stands before it
        p -= 1
        while p >= 0 and (_is_cap(s.words[p]) or _modifier(s, p)):
            p -= 1
        while p >= 0 and s.lows[p] in ARTICLES:
            p -= 1
    return p >= 0 and (s.lows[p] in OBJECT_PREPOSITIONS or s.lows[p] in _COORDINATION)


def _place_appendix(s: _Sent, ref: _OrgRef) -> bool:
    """"in Munich, Germany confirmed", "outside Washington, D.C. saying", "in Clairton, Pennsylvania, …": a
    place after a comma that completes the place before it; not after a fronted phrase ("In Brussels, NATO
    said", "On Tuesday, NATO said")."""
    c = ref.i - 1
    if ref.j - ref.i != 1 or c < 1 or s.words[c] != "," or not _is_cap(s.words[c - 1]):
        return False
    if s.lows[c - 1] in _STOP_CAP:
        return False
    first = next((k for k in range(len(s.words)) if s.words[k][:1].isalpha()), 0)
    opener = s.lows[first]
    fronted = opener in _STOP_CAP and opener not in DETERMINERS and "," not in s.words[first:c]
    return not fronted


class _Organisations:
    """The organisation part of the analyzer (mixed into it through ``subjects._References``): the article's
    organisations, and the references the subject rules fall back to while ``org_subjects`` is on."""

    org_subjects: bool = False
    _org_sents: dict[int, _SentOrgs]  # by the sentence's start offset
    _org_inv: _OrgInventory
    _org_keys: list[str]

    def _find_organisations(self, text: str, sents: Sequence[_Sent], inv: _Inventory) -> None:
        self._org_inv = _OrgInventory()
        self._org_sents = {}
        people = {p.key for p in inv.people}
        surnames = _surnames(sents)
        for s in sents:
            found = _SentOrgs()
            if not s.headline and s.words:
                blocked, bare, found.persons = _blocked(s, inv)
                for r in sorted(_scan(text, s, (blocked, bare), surnames), key=lambda r: (r.i, -r.j)):
                    r.org = self._org_inv.back(r.head, r.modifier) if r.head else -1
                    if r.org < 0 and r.name:
                        r.org = self._org_inv.add(r.name)
                    if r.org < 0:
                        continue
                    if r.i not in found.starts or found.starts[r.i].j < r.j:
                        found.starts[r.i] = r
                    old = found.ends.get(r.j - 1)
                    if old is None or old.i > r.i:
                        found.ends[r.j - 1] = r
            self._org_sents[s.start] = found
        keys = [self._org_inv.key(x) for x in range(len(self._org_inv.variants))]
        # a name that is also a person's in this article is the person's ("Jordan"): the organisation is dropped
        self._org_keys = [k if k not in people else "" for k in keys]

    @contextmanager
    def organisations_speak(self) -> Iterator[None]:
        """While inside, the subject rules take an organisation where they find no person."""
        self.org_subjects = True
        try:
            yield
        finally:
            self.org_subjects = False

    def _org_ref(self, s: _Sent, ref: _OrgRef | None) -> tuple[str, int] | None:
        if ref is None or not self._org_keys[ref.org]:
            return None
        return ("org", ref.i)

    def _org_ending(self, s: _Sent, k: int) -> tuple[str, int] | None:
        """The organisation whose reference ends at token ``k``, as the subject of what follows: not the object
        of a preposition ("supporters of NATO said"), one of a coordination ("NATO and Russia said"), an
        apposition between commas, or a place completing another ("in Munich, Germany confirmed")."""
        ref = self._org_sents[s.start].ends.get(k)
        if ref is None or _inside_phrase(s, ref.i) or _place_appendix(s, ref):
            return None
        p = ref.i - 1 if ref.i > 0 and s.lows[ref.i - 1] not in ARTICLES else ref.i - 2
        if p >= 0 and s.words[p] == "," and ref.j < len(s.words) and s.words[ref.j] == ",":
            return None
        return self._org_ref(s, ref)

    def _org_starting(self, s: _Sent, k: int) -> tuple[str, int] | None:
        """The organisation whose reference starts at token ``k`` (an article before it skipped). After "from",
        only through a voice noun: "a statement from NATO" is NATO's, "a threat from the West" is nobody's. Not
        when a person the article names follows in the same clause: "said UCL astronomer Angelos Tsiaras"."""
        if k >= 2 and s.lows[k - 1] == "from" and s.lows[k - 2] not in VOICE_NOUNS:
            return None
        if k < len(s.lows) and s.lows[k] in ARTICLES:
            k += 1
        found = self._org_sents[s.start]
        ref = found.starts.get(k)
        if ref is None:
            return None
        for x in range(ref.j, min(len(s.words), ref.j + _PERSON_AFTER)):
            if x in found.persons:
                return None
            if s.quoted[x] or not (s.words[x][:1].isalnum() or s.words[x] in _POSSESSIVE):
                break
        return self._org_ref(s, ref)

    def _org_end(self, s: _Sent, idx: int) -> int:
        return self._org_sents[s.start].starts[idx].j

    def _org_key(self, s: _Sent, idx: int) -> str:
        return self._org_keys[self._org_sents[s.start].starts[idx].org]

    def organisations_in(self, s: _Sent) -> bool:
        """Does the sentence name an organisation at all (else none can speak in it)?"""
        return bool(self._org_sents[s.start].starts)

    def is_organisation(self, key: str | None) -> bool:
        return bool(key) and key in self._org_keys

    def organisation_people(self, speakers: Sequence[str | None]) -> dict[str, Person]:
        """The organisations that speak in the article, as entries of its people map."""
        spoke = set(speakers)
        out: dict[str, Person] = {}
        for x, key in enumerate(self._org_keys):
            if key and key in spoke:
                out[key] = Person(key, frozenset(self._org_inv.variants[x]), frozenset(), frozenset(), True)
        return out
