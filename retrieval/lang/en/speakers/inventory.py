"""Speaker analysis, step 3: the inventory of the people an article names, by name, title and affiliation
(``_build_inventory``: from an article's scanned sentences)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from retrieval.lang.en.affiliations import PARTY_KEYS, _affil_key
from retrieval.lang.en.given_names import given_name_gender
from retrieval.lang.en.lexicon import (
    _FEMALE_TITLES,
    _GAZETTEER,
    _HONORIFICS,
    _MALE_TITLES,
    _ROLES,
    ARTICLES,
    OBJECT_PREPOSITIONS,
    OTHER_OFFICE_WORDS,
    POST_NOMINALS,
    _is_cap,
    _norm,
    name_norm,
)
from retrieval.lang.en.speakers.scan import _Occ, _Sent, index_occs

# --------------------------------------------------------------------------------------------------------
# People inventory
# --------------------------------------------------------------------------------------------------------


@dataclass
class _P:
    key: str
    variants: list[tuple[str, ...]]
    norms: set[tuple[str, ...]]
    titles: set[str]
    affils: set[str]
    gender: str | None
    order: int


def _subseq(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Is a an ordered subsequence of b?"""
    it = iter(b)
    return all(x in it for x in a)


class _Inventory:
    def __init__(self) -> None:
        self.people: list[_P] = []
        self.by_surname: dict[str, list[_P]] = {}
        self.by_first: dict[str, list[_P]] = {}
        self.by_norm: dict[tuple[str, ...], _P] = {}

    def add(self, display: tuple[str, ...], title: str | None, affils: Iterable[str], hon: str | None) -> _P | None:
        """The person ``display`` names, added or learnt about; None for a surname that two people of the
        article share (each mention is then resolved on its own: :meth:`lookup`, by salience and honorific)."""
        norm = tuple(name_norm(t) for t in display)
        p = self.by_norm.get(norm)
        if p is None:
            cands = self.by_surname.get(norm[-1], [])
            if len(norm) == 1 and cands:
                # "Mrs Clinton" after Bill and Hillary Clinton: the honorific's gender picks; two that fit are
                # two people, and the surname is pinned to neither
                fit = _gender_fits(cands, hon)
                if len(fit) > 1:
                    return None
                p = fit[0] if fit else None
            for c in cands if len(norm) > 1 else ():
                if all(_subseq(norm, v) or _subseq(v, norm) for v in c.norms):
                    p = c
                    break
        if p is None:
            p = _P(" ".join(display), [], set(), set(), set(), None, len(self.people))
            self.people.append(p)
            self.by_surname.setdefault(norm[-1], []).append(p)
        if norm not in p.norms:
            p.norms.add(norm)
            p.variants.append(display)
            self.by_norm[norm] = p
            if len(norm) > 1 and p not in self.by_first.get(norm[0], []):
                self.by_first.setdefault(norm[0], []).append(p)
            best = max(p.variants, key=lambda v: (len(v), len(" ".join(v))))
            p.key = " ".join(best)
        self.learn(p, title, affils, hon)
        if p.gender is None and len(norm) > 1:
            p.gender = given_name_gender(norm[0])
        return p

    def learn(self, p: _P, title: str | None, affils: Iterable[str], hon: str | None) -> None:
        if title:
            p.titles.add(title)
            p.gender = title_gender(title) or p.gender
        for a in affils:
            p.affils.add(_affil_key(a))
        if hon and _HONORIFICS.get(hon):
            p.gender = _HONORIFICS[hon]

    def lookup(self, name: tuple[str, ...], sal: list[str], hon: str | None = None) -> _P | None:
        norm = tuple(name_norm(t) for t in name)
        p = self.by_norm.get(norm)
        if p is not None:
            return p
        cands = self.by_surname.get(norm[-1]) or (self.by_first.get(norm[0]) if len(norm) == 1 else None)
        if not cands:
            return None
        if len(norm) == 1:
            cands = _gender_fits(cands, hon)
            if not cands:
                return None
        if len(norm) > 1:
            cands = [c for c in cands if any(_subseq(norm, v) or _subseq(v, norm) for v in c.norms)]
            if not cands:
                return None
        return _most_salient(cands, sal)


def title_gender(title: str) -> str | None:
    """"m" or "f" when a word of the title says it ("spokeswoman", "chairman", "queen"), else None."""
    gender = None
    for w in title.split():
        if w in _MALE_TITLES:
            gender = "m"
        elif w in _FEMALE_TITLES:
            gender = "f"
    return gender


def plural_common(nm: str) -> bool:
    """'officials', 'critics', 'analysts', 'supporters': sentence-initial capitalised plurals are not names."""
    return nm.endswith(("ists", "ers", "ors", "ians", "ents", "ials", "ics", "ies", "nts", "ees"))


def _gender_fits(cands: Sequence[_P], hon: str | None) -> list[_P]:
    """The candidates an honorific's gender allows ("Mrs" not a man); all of them for none or "Dr"."""
    gender = _HONORIFICS.get(hon or "")
    return [c for c in cands if not gender or c.gender in (None, gender)]


def _most_salient(cands: Sequence[_P], sal: list[str]) -> _P:
    if len(cands) == 1:
        return cands[0]
    rank = {k: r for r, k in enumerate(sal)}
    return min(cands, key=lambda c: (rank.get(c.key, 10_000), c.order))


def _title_compatible(query: str, person_titles: Iterable[str]) -> bool:
    for pt in person_titles:
        if pt in _HONORIFICS:
            continue
        office = pt.split(" ", 1)[0]
        if office in OTHER_OFFICE_WORDS and query.split(" ", 1)[0] != office:
            continue  # the shadow chancellor is not "the chancellor", nor the vice president "the president"
        if query in _ROLES or query == pt:
            return True
        if pt.endswith(" " + query) and query != "general":
            return True
        if query == "secretary" and pt.startswith("secretary"):
            return True
        if query in ("chief", "head", "leader") and pt.endswith(query):
            return True
    return False


def _title_refers(inv: _Inventory, o: _Occ) -> list[_P]:
    """The named people a title-only reference may stand for: none after "a"/"another" (someone new)."""
    if o.indefinite:
        return []
    return _title_candidates(inv, o.title or "", o.affils)


def _title_candidates(inv: _Inventory, title: str, affils: Iterable[str]) -> list[_P]:
    keys = frozenset(_affil_key(a) for a in affils) - {"the"}
    return [p for p in inv.people if title_fits(title, keys, p.titles, p.affils)]


def title_fits(title: str, keys: frozenset[str], titles: Iterable[str], affils: Iterable[str]) -> bool:
    """Whether a title-only reference ("the minister", "the Tory leader"; ``keys``: its affiliations'
    keys) can stand for a person holding ``titles`` with ``affils``: a compatible title, and a shared
    affiliation when both name one. A bare role ("leader", "chief") with an affiliation needs the person's
    affiliation: "the Tory leader" is not the Home Secretary, whose party the article never gives."""
    if not _title_compatible(title, titles):
        return False
    held = frozenset(affils)
    if keys and held:
        if keys & held:
            return True
        # two kinds of affiliation: a place the person is not from, or a party not theirs, excludes them ("the
        # Vermont senator" is not Ted Cruz of Texas); a kind the article never gives for them does not
        parties, their_parties = keys & PARTY_KEYS, held & PARTY_KEYS
        if (parties and their_parties) or (keys - PARTY_KEYS and held - PARTY_KEYS):
            return False
    return not (keys and title in _ROLES)


def _apposition_start(s: _Sent, j: int) -> int:
    """Where an apposition to the reference ending at ``j`` starts: after a comma (and "the", "a" or "an"), past
    an "of" and a capitalised place right after the name ("Nancy Pelosi of California, the ..."); -1 if none."""
    words, lows, n = s.words, s.lows, len(s.words)
    if j < n and lows[j] == "of":
        j += 1
        while j < n and words[j][:1].isupper():
            j += 1
    if j >= n or words[j] != ",":
        return -1
    return j + 2 if j + 1 < n and lows[j + 1] in ("the", "a", "an") else j + 1


_PARTY_LETTERS = {"r": "republican", "d": "democrat", "i": "independent"}


def _affiliations_after(s: _Sent, j: int) -> list[str]:
    """Where a name ending at ``j`` is from, as its words: "Senator Ted Cruz *of Texas*", "Sen. Ted Cruz, *R-Texas*,",
    "Rep. Nancy Pelosi (*D-Calif.*)" (the party; a state only when written out). "the Vermont senator" is then
    not Cruz (``title_fits``)."""
    words, n = s.words, len(s.words)
    if j + 1 < n and s.lows[j] == "of" and _is_cap(words[j + 1]):
        e = j + 1
        while e < n and _is_cap(words[e]):
            e += 1
        return list(words[j + 1 : e])
    if j + 1 < n and words[j] in (",", "(") and len(words[j + 1]) > 2 and words[j + 1][1] == "-":
        party = _PARTY_LETTERS.get(words[j + 1][0].lower())
        state = words[j + 1][2:]
        if party and _is_cap(state):
            dotted = j + 2 < n and words[j + 2] == "."
            return [party] if dotted else [party, state]
    return []


def _build_inventory(sents: list[_Sent]) -> _Inventory:
    inv = _Inventory()
    # 1. Titled names and multi-word names (not from title-case headlines).
    for s in sents:
        if s.headline:
            continue
        for o in s.occs:
            if o.name and (o.title or o.honorific or len(o.name) > 1):
                inv.add(o.name, o.title, (*o.affils, *_affiliations_after(s, o.j)), o.honorific)
    # Headlines: a titled name counts only if the body knows the surname ("NATO's New Leader Stirs Tensions"
    # is a title followed by words, not a person called Stirs Tensions).
    for s in sents:
        if not s.headline:
            continue
        for o in s.occs:
            if o.name and (o.title or o.honorific):
                if name_norm(o.name[-1]) in inv.by_surname:
                    inv.add(o.name, o.title, o.affils, o.honorific)
                elif o.title:
                    o.name = ()
                    o.ni = o.j
    # 2. Appositions: "Mark Rutte, NATO's secretary general," / "the Russian president, Vladimir Putin," /
    # "Mitch McConnell, the majority leader," / "Nancy Pelosi of California, the Democratic leader,".
    for s in sents:
        for x in range(len(s.occs) - 1):
            a, b = s.occs[x], s.occs[x + 1]
            if b.i == _apposition_start(s, a.j) and bool(a.name) != bool(b.name):
                named, titled = (a, b) if a.name else (b, a)
                p = inv.lookup(named.name, [])
                if p is not None and titled.title:
                    inv.learn(p, titled.title, titled.affils, None)
    # 3. Single capitalised words: aliases of known people, or new people when a speech cue vouches for them.
    mid_caps: set[str] = set()
    for s in sents:
        for o in s.occs:
            if len(o.name) == 1 and not o.initial and not s.headline:
                mid_caps.add(_norm(o.name[0]))
    for s in sents:
        for o in s.occs:
            if len(o.name) != 1 or o.title or o.honorific:
                continue
            nm, key = _norm(o.name[0]), name_norm(o.name[0])  # the inventory's names are keyed by name_norm
            if key in inv.by_surname or key in inv.by_first or nm in _GAZETTEER or nm[:-1] in POST_NOMINALS:
                continue  # "told MPs": letters after names, in the plural, are a group
            if (
                o.evidence
                and not s.headline
                and (not o.initial or nm in mid_caps or not nm.endswith("s"))
                and not plural_common(nm)
            ):
                inv.add(o.name, None, (), None)
    # 4. A place's or firm's word that is the surname of someone named in full ("Bloomberg endorsed ...").
    surname_references(sents, inv)
    return inv


def surname_references(sents: Sequence[_Sent], inv: _Inventory) -> None:
    """A place's, firm's or month's word that is the surname of someone the article names in full stands for them
    as the subject of a clause: "Bloomberg endorsed Joe Biden" after "Michael Bloomberg", "Washington paid for
    his school" after "Denzel Washington". The scan leaves such a word alone to the gazetteer, which cannot know
    the article's people; not after a preposition or an article ("in Washington", "the Bloomberg terminal"),
    nor inside a capitalised run, nor before anything but a lower-case word (its verb)."""
    surnames = {
        norm[-1] for p in inv.people for norm in p.norms if len(norm) > 1 and norm[-1] in _GAZETTEER
    }
    if not surnames:
        return
    for s in sents:
        if s.headline:
            continue
        taken = {t for o in s.occs for t in range(o.i, o.j)}
        added = False
        n = len(s.words)
        for k, w in enumerate(s.words):
            if k in taken or s.quoted[k] or not _is_cap(w) or name_norm(w) not in surnames or k + 1 >= n:
                continue
            before = s.lows[k - 1] if k else ""
            if before in OBJECT_PREPOSITIONS or before in ARTICLES or (k and s.words[k - 1][:1].isupper()):
                continue
            if not (s.words[k + 1].isalpha() and s.words[k + 1][0].islower()):
                continue
            s.occs.append(_Occ(i=k, j=k + 1, ni=k, name=(w,), title=None, affils=(), honorific=None, initial=k == 0))
            added = True
        if added:
            index_occs(s)
