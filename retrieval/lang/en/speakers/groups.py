"""Speaker analysis, step 1b: teams, bands and companies named like people are organisations, not people.

"the Golden State Warriors", "the Seattle Seahawks", "the Rolling Stones" and "Chicago Bulls" are capitalised
sequences that the name scan (scan.py) would take for people. English marks them in three ways, and the rule
uses those marks rather than a list of team names:

1. **A determiner before a plural.** A person's name takes no determiner ("the Putin", "his Putin" are not
   English), and a name that is a plural noun is a group or a thing: a determiner ("the", "his", "their")
   + a capitalised sequence whose last word is plural-shaped ("the Warriors", "the Seahawks", "the Rolling
   Stones", "his Collected Works"), followed by what can end a noun phrase: a function word, a verb in the
   past (-ed or lexicon.py's ``IRREGULAR_PAST``), a reporting verb, an adverb in -ly or punctuation.
   Another word there may be a noun that the sequence modifies ("the Adams administration", "the Williams
   sisters", "the Hughes collection"), so the rule does not fire then.
2. **Plural agreement.** A multi-word capitalised sequence ending in a plural-shaped word and followed by a
   plural verb ("Golden State Warriors are", "Kansas City Chiefs have"), unless a coordination or a
   preposition comes before it ("Smith and Jones were", "fans of Serena Williams were").
3. **A place and a plural.** A place of the gazetteer that is not also a given name (lexicon.py:
   ``PLACE_GIVEN_NAMES`` and the given-name lists), followed by one plural-shaped word ("Boston Celtics",
   "Toronto Raptors"): a city's team, not a person.

A group found by 1 or 2 is a group in the whole article: its last word ("Seahawks") then marks every
sequence ending in it ("the Seahawks" makes "Seattle Seahawks" a team too). Rule 3 marks only its own
sequence. A name with a title or an honorific ("Coach Harris", "Mr Adams") is always a person. (A sequence
that an organisation word continues, "the Olsen Foundation", is an organisation already in scan.py.)

Plural-shaped: a capitalised word of four letters or more ending in "s" but not in "ss", "us", "is" or "as"
(those are mostly singular names: "Harris", "Marcus", "Davis", "Thomas", "Dallas"). Known limits: a
surname ending in -s that is used with "the" and a verb ("the Adams were ...", a family) makes the family a
group, which is also not a person; an uncapitalised or singular team name ("Manchester United") is not
found by these rules.
"""

from __future__ import annotations

from collections.abc import Sequence

from retrieval.lang.en.given_names import _FEMALE_NAMES, _MALE_NAMES
from retrieval.lang.en.lexicon import (
    _GAZETTEER,
    _SAY_FORMS,
    DETERMINERS,
    IRREGULAR_PAST,
    PLACE_GIVEN_NAMES,
    PLURAL_AGREEMENT,
    STOPWORDS,
    _norm,
)
from retrieval.lang.en.speakers.scan import _Occ

# Words before a sequence that make it one of several subjects or an object: no plural agreement then.
_NOT_SUBJECT_BEFORE = frozenset({"and", "or", "nor", "&", ",", "of", "for", "to", "with", "by", "from", "about"})


def plural_shaped(word: str) -> bool:
    """A capitalised plural: "Celtics", "Warriors", "Stones"; not "Harris", "Marcus", "Davis", "Dallas"."""
    low = _norm(word)
    return (
        len(low) >= 4
        and word[:1].isupper()
        and low.endswith("s")
        and not low.endswith(("ss", "us", "is", "as", "'s"))
        and low.isalpha()
    )


def _noun_phrase_ends(low: str) -> bool:
    """Can this word follow a noun phrase that ends there (not a noun it modifies)?"""
    if not low or not low[0].isalpha():
        return True  # punctuation, a number, the end of the sentence
    return low in STOPWORDS or low in _SAY_FORMS or low in IRREGULAR_PAST or low.endswith(("ed", "ly"))


def place_and_plural(name: Sequence[str]) -> bool:
    """Rule 3: a gazetteer place that is not a given name, then one plural-shaped word ("Boston Celtics")."""
    if len(name) != 2 or not plural_shaped(name[1]):
        return False
    place = _norm(name[0])
    return place in _GAZETTEER and place not in PLACE_GIVEN_NAMES | _MALE_NAMES | _FEMALE_NAMES


def looks_like_group(phrase: str) -> bool:
    """A phrase from a question ("the Chicago Bulls", "Boston Celtics") that names a group, by rules 1 and 3."""
    tokens = phrase.split()
    if not tokens:
        return False
    if tokens[0].lower() in DETERMINERS:
        return len(tokens) > 1 and all(t[:1].isupper() for t in tokens[1:]) and plural_shaped(tokens[-1])
    return place_and_plural(tokens)


def group_heads(sentences: Sequence[tuple[list[str], list[str], list[_Occ]]]) -> frozenset[str]:
    """The last words (casefolded) of the sequences that rules 1 and 2 find in one article's sentences,
    each given as (tokens, lower-cased tokens, name references)."""
    heads: set[str] = set()
    for words, lows, occs in sentences:
        n = len(lows)
        for o in occs:
            if not o.name or o.title or o.honorific or not plural_shaped(o.name[-1]):
                continue
            if o.j < n and words[o.j][:1].isupper():
                continue  # the sequence runs on into another name ("the Weeks Bridge"): not a noun phrase end
            before = lows[o.ni - 1] if o.ni > 0 else ""
            after = lows[o.j] if o.j < n else ""
            determined = before in DETERMINERS and _noun_phrase_ends(after)  # rule 1
            agreeing = len(o.name) > 1 and after in PLURAL_AGREEMENT and before not in _NOT_SUBJECT_BEFORE  # rule 2
            if determined or agreeing:
                heads.add(_norm(o.name[-1]))
    return frozenset(heads)


def is_group(o: _Occ, heads: frozenset[str]) -> bool:
    """Is this name reference a group (a team, band or company) rather than a person?"""
    if not o.name or o.title or o.honorific:
        return False
    return _norm(o.name[-1]) in heads or place_and_plural(o.name)
