"""Speaker analysis, step 4: does a verb of saying carry its subject's words? Narration is not speech.

A sentence is X's speech only when it carries X's words. A reporting verb with X as its subject does when
what it governs is content:

- a clause: "said (that) ...", "warned that ...", "argued the plan would ..." (no "that"), "underlined they
  keep ...", "explained how ...", "told reporters (that) ..." (after the addressee), "said in a statement on
  Monday that ...", "noted on Monday, the fatalities were ..." (a comma for "that"), "which he said was ...";
- a to-infinitive: "urged Rutte to ...", "called on members to ..." (after the addressee), "vowed to ...",
  "claimed to have ...", "stated its intention to ..."; a gerund: "recalled receiving ...", "admitted to
  ordering ...";
- a description: "characterized Rutte as ...", "criticised the plan as reckless", "called the strike a
  provocation", "called it unlikely", "likened it to ..."; a charge: "accused Moscow of sabotaging ...";
- a colon, a quotation, or a participle of saying that has content: "said: ...", 'called the move a "smash
  and grab"', "issued a statement saying ...";
- content standing around the reporting clause: "This approach, he argued, would ...", "The talks failed,
  Putin said.", "As Rutte emphasized, this is not ...", '"...", professor David Wilson told the press.'.

It does not when its only complement is a noun phrase or a prepositional object: "responded to Rutte's
statements", "expressed bewilderment at ...", "issued a stark warning", "criticised the plan", "warned of a
long war", "declared a state of emergency". Such a sentence reports that X spoke without X's words; X stays
one of its mentions.

Pure functions over one scanned sentence (``_Sent``); the word lists are in ``retrieval.lang.en.lexicon``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from retrieval.lang.en.lexicon import (
    _AUX_ADV,
    _SAY_FORMS,
    _SPEECH_NOUNS,
    ADDRESSEE_VERBS,
    ATTITUDE_NOUNS,
    ATTRIBUTION_EXTRAS,
    CHARGE_VERBS,
    CIRCUMSTANCE_CONJUNCTIONS,
    CLAUSE_SUBJECT_PRONOUNS,
    CLAUSE_VERBS,
    CONTENT_OPENERS,
    DETERMINERS,
    DIRECTIVE_VERBS,
    FINITE_MARKERS,
    INTENT_NOUNS,
    IRREGULAR_PAST,
    LIKENING_VERBS,
    NAMING_VERBS,
    NOMINATIVE_PRONOUNS,
    NOT_GERUNDS,
    NOT_INFINITIVE,
    NOT_SAID,
    OBJECT_PRONOUNS,
    PHRASE_PREPOSITIONS,
    PREDICATIVE_VERBS,
    RELATIVE_WORDS,
    REPLY_VERB_FORMS,
    SAY_OBJECT_VERBS,
    TO_VERBS,
)
from retrieval.lang.en.speakers.scan import _Sent

# Nouns after which "that" opens the noun's content ("a warning that", "in a statement that", "concern that").
CONTENT_NOUNS = _SPEECH_NOUNS | ATTITUDE_NOUNS | ATTRIBUTION_EXTRAS
COMPLEMENT_WINDOW = 18  # tokens after the verb in which its content must begin
_STOPS = frozenset({";", ".", "!", "?", "(", ")", "…"})
_DASHES = frozenset({"—", "–"})
_QUOTE_MARKS = frozenset("“”‘’\"'«»„")
_INSERTION = 16  # tokens of an insertion between dashes: 'said — as reported by X — "..."'
_DESCRIPTION = 6  # words between a comma and the subject: '"...", criminology professor David Wilson said'
_NAMED_OBJECT = OBJECT_PRONOUNS | {""}  # an object that a description may follow ("it", "him", a name)
_MIN_CONTENT_WORDS = 3  # words before a closing reporting clause that make content: "The talks failed, X said."


def _apos(low: str) -> str:
    return low.replace("’", "'")


def _is_adverb(low: str) -> bool:
    return (low in _AUX_ADV and low not in FINITE_MARKERS) or (low.endswith("ly") and len(low) > 3 and low.isalpha())


def replied(s: _Sent, k: int) -> bool:
    """Whether the possessive at token ``k`` ("Macron's", "his") is the object of a verb by which the subject
    answers it: "Bolsonaro *opposed* Macron's statement: '...'" (lexicon.REPLY_VERB_FORMS)."""
    start = s.occs[s.occ_end[k - 1]].i if s.words[k] in ("’s", "'s") and (k - 1) in s.occ_end else k
    return start > 0 and s.lows[start - 1] in REPLY_VERB_FORMS


def _is_gerund(s: _Sent, k: int) -> bool:
    if k >= len(s.words):
        return False
    w, low = s.words[k], s.lows[k]
    return w.isalpha() and w[0].islower() and low.endswith("ing") and len(low) >= 5 and low not in NOT_GERUNDS


def _infinitive_at(s: _Sent, k: int) -> bool:
    """Is the word at ``k`` (after "to") a verb? "to read" is; "to the press", "to reporters" are not."""
    if k >= len(s.words):
        return False
    w, low = s.words[k], s.lows[k]
    if not w.isalpha() or not w[0].islower() or low in NOT_INFINITIVE or low.endswith("ing"):
        return False
    return not (low.endswith("s") and not low.endswith(("ss", "us")))  # a plural noun: "to members"


def _finite_after_subject(s: _Sent, k: int) -> bool:
    """A finite verb at ``k`` right after the subject of a clause of content, without an auxiliary: "said
    Russia wanted", "said 18 people died", "said he himself took"."""
    p = k - 1
    while p > 0 and _is_adverb(s.lows[p]):
        p -= 1
    w, low = s.words[k], s.lows[k]
    if p < 0 or not w.isalpha() or not w[0].islower():
        return False
    prev, pw = s.lows[p], s.words[p]
    if prev in CLAUSE_SUBJECT_PRONOUNS:
        return low.endswith(("ed", "s")) or low in IRREGULAR_PAST
    if not (pw.isalpha() or pw[:1].isdigit()) or prev in DETERMINERS or prev in NOT_INFINITIVE:
        return False  # "the increased spending": an adjective after a determiner
    return low.endswith("ed") or low in IRREGULAR_PAST


def _segment_has_clause(s: _Sent, lo: int) -> bool:
    """After a comma that stands for "that" ("noted on Monday, the fatalities were ...", "told CNN, neighbours
    attempted ..."): the next comma-separated segment, or the one after a short insertion ("alleged, by way
    of example, Mahan had ..."), is a clause. Not a relative clause or a participle ("..., offering a
    critique", "..., which was")."""
    n = len(s.words)
    for _ in range(2):
        if lo >= n:
            return False
        first = s.lows[lo]
        if s.quoted[lo] or s.words[lo] == ":" or first in CONTENT_OPENERS:
            return True
        if (s.words[lo] in _QUOTE_MARKS and lo + 1 < n and s.quoted[lo + 1]) or first in NOMINATIVE_PRONOUNS:
            return True
        if first in RELATIVE_WORDS or first in CIRCUMSTANCE_CONJUNCTIONS or first.endswith("ing"):
            return False
        if not s.words[lo][:1].isalnum():
            return False
        hi = next((k for k in range(lo, n) if s.words[k] == "," or s.words[k] in _STOPS), n)
        if first not in PHRASE_PREPOSITIONS:
            return _has_finite(s, lo, hi)
        lo = hi + 1  # an insertion: look at the segment after it
    return False


@dataclass(slots=True)
class _Scan:
    """Where a scan through a reporting verb's complement stands."""

    base: str | None  # the verb's base form; None for a light verb ("issued a warning")
    after: str  # what stands before the current token: "verb", "object" or "phrase"
    head: str | None  # the last word of the current noun phrase ("" for a name, a place or a number)
    obj: list[str] = field(default_factory=list)  # the object's words
    np_tokens: int = 0  # words of the noun phrase since the last boundary (the verb or a preposition)
    seen_np: bool = False  # an addressee or another noun phrase stands before a to-infinitive
    others: bool = False  # someone else's words are the object: "recalling Reagan's warnings about the “...”"

    @property
    def clause(self) -> bool:
        return self.base in CLAUSE_VERBS

    @property
    def addressed(self) -> bool:  # "told reporters ...": the object is the addressee
        return self.after == "object" and self.base in ADDRESSEE_VERBS


def complement_content(
    s: _Sent, start: int, base: str | None, *, after: str = "verb", head: str | None = None
) -> bool:
    """Does what follows a verb of saying (base form ``base``; None for "issued a warning") from token ``start``
    on carry content? ``after`` says what stands just before ``start``: the verb, its object ("object", with
    its last word ``head``), or a phrase ("phrase")."""
    n = len(s.words)
    st = _Scan(base, after, head, [head or ""] if after == "object" else [], seen_np=after != "verb")
    k = start
    end = min(n, start + COMPLEMENT_WINDOW)
    while k < end:
        if s.words[k] in _DASHES:  # an insertion between dashes, else the end
            close = next((x for x in range(k + 1, min(n, k + _INSERTION)) if s.words[x] in _DASHES), None)
            if close is None:
                return False
            k, end = close + 1, min(n, end + close + 1 - k)
            continue
        decided = _marker(s, k, st)
        if decided is not None:
            return decided
        _advance(s, k, st)
        k += 1
    return False


def _marker(s: _Sent, k: int, st: _Scan) -> bool | None:
    """What the token at ``k`` says about the complement: content (True), none (False), or not yet (None)."""
    n = len(s.words)
    w, low = s.words[k], _apos(s.lows[k])
    if s.quoted[k] or (w in _QUOTE_MARKS and k + 1 < n and s.quoted[k + 1]):
        return not st.others  # a quotation: "called the move a “smash and grab”"
    if w in _STOPS:
        return False
    if w == ":":
        return k + 1 < n
    if w == ",":
        addressed = st.addressed and len(st.obj) <= 3
        return st.clause and (st.after != "object" or addressed) and _segment_has_clause(s, k + 1)
    if low in FINITE_MARKERS:
        # "said the plan would fail", "which he said was": the verb of a clause of content
        if st.clause and (st.np_tokens or st.after == "verb"):
            return True
        return False if st.np_tokens else None  # "has said" read from the middle of the verb group
    if low == "'s":
        if st.clause and s.lows[k - 1] in CLAUSE_SUBJECT_PRONOUNS and st.np_tokens:
            return True  # "argued it's over"
        return None  # a possessive: part of the noun phrase (_advance)
    if _describes_named_object(w, low, st):
        return True  # a description after a pronoun or a name: "called it unlikely", "called Rutte naive"
    if _is_adverb(low):
        return None
    if low in CONTENT_OPENERS:
        if st.after == "verb":
            return low != "that" or st.clause  # "criticised that decision": a determiner
        return st.addressed or st.head in CONTENT_NOUNS or (st.after == "phrase" and st.head == "")
    if low in RELATIVE_WORDS:
        return False
    if low in NOMINATIVE_PRONOUNS and st.clause and (not st.np_tokens or st.addressed):
        return True  # "underlined they keep ...", "told him he ..."
    if low == "to":
        return _to_marker(s, k, st)
    if low == "as":
        return st.base in PREDICATIVE_VERBS
    if st.after == "verb" and _is_gerund(s, k):
        return True  # "recalled receiving a toy", "described witnessing 35 bodies"
    if low.endswith("ing") and low in _SAY_FORMS:
        return complement_content(s, k + 1, _SAY_FORMS[low])  # "issued a statement saying Trump has"
    if low in ("of", "for") and st.obj and st.base in CHARGE_VERBS and _is_gerund(s, k + 1):
        return True  # a charge: "accused Moscow of orchestrating the attacks"
    if low in PHRASE_PREPOSITIONS:
        return None
    if st.clause and st.np_tokens and _finite_after_subject(s, k):
        return True  # "said Russia wanted peace", "said 18 people died"
    if st.after == "verb" and st.base in SAY_OBJECT_VERBS and low not in NOT_SAID:
        return True  # "said yesterday morning the road itself, which ..., will be examined"
    if st.after == "object" and st.obj and st.base in NAMING_VERBS and low in ("a", "an"):
        return True  # a second noun phrase: "called the strike a provocation"
    return None


def _describes_named_object(w: str, low: str, st: _Scan) -> bool:
    if not (st.after == "object" and st.base in NAMING_VERBS and len(st.obj) == 1 and st.obj[0] in _NAMED_OBJECT):
        return False
    return w.isalpha() and w[0].islower() and low not in PHRASE_PREPOSITIONS and low not in CONTENT_OPENERS


def _to_marker(s: _Sent, k: int, st: _Scan) -> bool | None:
    """"to" in a complement: a gerund, an infinitive of content, the likened thing, or a preposition."""
    if st.after == "verb" and _is_gerund(s, k + 1):
        return True  # "admitted to ordering the payments"
    if _infinitive_at(s, k + 1):
        if (st.after == "verb" and st.base in TO_VERBS) or (st.seen_np and st.base in DIRECTIVE_VERBS):
            return True  # "vowed to retaliate", "urged Rutte to read"
        if st.after == "object" and st.head in INTENT_NOUNS:
            return True  # "stated its intention to leave"
    if st.base in LIKENING_VERBS and st.obj:
        return True  # "likened his first time hearing the solo to first hearing Mozart"
    return None


def _advance(s: _Sent, k: int, st: _Scan) -> None:
    """Move the scan past the token at ``k`` (one that decided nothing): an adverb, a preposition, a word of
    a noun phrase."""
    w, low = s.words[k], _apos(s.lows[k])
    if low in FINITE_MARKERS or _is_adverb(low):
        return
    if low == "'s":
        if st.after == "object":
            st.obj.append(low)
        st.others = st.others or any(x in _SPEECH_NOUNS for x in s.lows[k + 1 : k + 3])
        return
    if low in PHRASE_PREPOSITIONS:
        st.after, st.head, st.np_tokens = "phrase", None, 0
        return
    if st.after == "verb":
        st.after = "object"
    if st.after == "object":
        st.obj.append("" if w[:1].isupper() else low)
    st.seen_np = True
    st.np_tokens += 1
    # The last word of a phrase: a name, place or date ("said in Brussels that") is "" (any such word).
    st.head = "" if (w[:1].isupper() or w[:1].isdigit()) else low


def _clause_end(s: _Sent, v: int, base: str | None) -> int | None:
    """Where a reporting clause without content of its own ends: the comma or the end of the sentence after
    the verb, its adverbs, prepositional phrases and (for "told") a short addressee ("Putin said on Monday.",
    "told the press."); None when an object or content follows the verb."""
    n = len(s.words)
    k = v + 1
    in_phrase = False
    addressee = 3 if base in ADDRESSEE_VERBS else 0
    while k < n:
        w, low = s.words[k], s.lows[k]
        if w == "," or w in _STOPS:
            return k
        if s.quoted[k] or w == ":" or low in CONTENT_OPENERS:
            return None
        if _is_adverb(low):
            pass
        elif low in PHRASE_PREPOSITIONS:
            in_phrase = True
        elif not in_phrase:
            if addressee <= 0:
                return None
            addressee -= 1
        k += 1
    return n


def _has_finite(s: _Sent, lo: int, hi: int) -> bool:
    for k in range(max(lo, 0), min(hi, len(s.words))):
        low = _apos(s.lows[k])
        if low in FINITE_MARKERS or low in IRREGULAR_PAST:
            return True
        if low.endswith("ed") and s.words[k].isalpha() and low not in _SAY_FORMS and s.words[k][:1].islower():
            return True
    return False


def content_around(s: _Sent, v: int, subject_first: int) -> bool:
    """A reporting clause set inside or after its content: "This approach, he argued, would ...", "The talks
    failed, Putin said on Monday.", "As Rutte emphasized, this is not ...", '"...", criminology professor
    David Wilson told the press.'. ``subject_first``: the first token of the verb's subject."""
    end = _clause_end(s, v, _SAY_FORMS.get(s.lows[v]))
    if end is None or subject_first <= 0:
        return False
    n = len(s.words)
    if s.lows[subject_first - 1] == "as":  # "As Rutte emphasized, <content>"
        return end < n and s.words[end] == ","
    p = subject_first - 1  # the comma before the subject, past a few words describing them
    while p >= 0 and s.words[p] != "," and subject_first - p <= _DESCRIPTION and s.words[p][:1].isalnum():
        p -= 1
    if p < 0 or s.words[p] not in (",", *_QUOTE_MARKS):
        return False
    before = max((k for k in range(p) if s.words[k] in (";", ":")), default=-1) + 1
    if any(s.quoted[before:p]):
        return True  # the reporting clause of a quotation: '"...," Amnesty director Man-kei Tam said.'
    if s.words[p] != ",":
        return False
    words_before = sum(1 for k in range(before, p) if s.words[k].isalpha())
    if end < n and s.words[end] == ",":  # a parenthetical: "This approach, he argued, would ..."
        after = sum(1 for k in range(end + 1, n) if s.words[k].isalpha())
        return words_before >= 2 and after >= 2
    return words_before >= _MIN_CONTENT_WORDS or _has_finite(s, before, p)


def quotation_after_colon(s: _Sent, v: int) -> bool:
    """A quotation that a colon introduces later in the clause of the verb at ``v``, with no other verb of
    saying or relative clause between: "Trump responded to the ruling via Twitter, attacking the subpoena as a
    political strategy: “...”"."""
    n = len(s.words)
    for k in range(v + 1, n):
        w, low = s.words[k], s.lows[k]
        if s.quoted[k] or w in _STOPS or low in RELATIVE_WORDS or low in _SAY_FORMS:
            return False
        if w == ":":
            return k + 1 < n and (s.quoted[k + 1] or (k + 2 < n and s.words[k + 1] in _QUOTE_MARKS and s.quoted[k + 2]))
    return False


def relative_content(s: _Sent, v: int, subject_first: int) -> bool:
    """Content that a relative word before the subject stands for, its verb right after the verb of saying:
    "National Security Strategy, which he argued provides ...", "which his wife said was due to ..."."""
    p = subject_first - 1
    relatives = ("which", "that")
    while p >= 0 and subject_first - p <= _DESCRIPTION and s.words[p][:1].isalnum() and s.lows[p] not in relatives:
        p -= 1
    if p < 0 or s.lows[p] not in relatives:
        return False
    k = v + 1
    while k < len(s.words) and _is_adverb(s.lows[k]):
        k += 1
    if k >= len(s.words) or not s.words[k].isalpha():
        return False
    low = _apos(s.lows[k])
    return low in FINITE_MARKERS or low in IRREGULAR_PAST or (s.words[k][0].islower() and low.endswith(("s", "ed")))


def verb_carries_words(s: _Sent, v: int, base: str | None, subject_first: int) -> bool:
    """Does the verb of saying at token ``v`` (base form ``base``; None for a light verb with a speech noun,
    "issued a warning") carry the words of its subject, whose reference starts at ``subject_first``?"""
    if base in CLAUSE_VERBS and (content_around(s, v, subject_first) or relative_content(s, v, subject_first)):
        return True
    return complement_content(s, v + 1, base) or quotation_after_colon(s, v)
