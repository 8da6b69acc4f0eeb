"""Near-duplicate sentences: the same sentence, or nearly, in several files is one quote. Pure.

Two sentences are near duplicates when, after folding case, quotes, dashes and punctuation, their word
sequences are at least ``threshold`` alike (difflib ratio) AND they agree in substance:
- the same numbers (digits and number words: "24" vs "25", "two" vs "three" never merge);
- the same names (capitalised words; the first word too unless it is a common word: "Putin" vs "Rutte"
  never merge);
- the same negations ("not", "no", "never", "n't", "without", "nor", ...).
Rewrites of one story that only change a function word, a tense or the punctuation merge; anything that
changes who, how many or whether does not.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from retrieval.lang.en.lexicon import STOPWORDS
from retrieval.lang.en.tokens import WORD_RE

_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "})
NEGATIONS = frozenset(
    [
        "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without", "cannot", "n't",
        "isn't", "wasn't", "aren't", "weren't", "don't", "doesn't", "didn't", "won't", "wouldn't", "can't",
        "couldn't", "shouldn't", "hasn't", "haven't", "hadn't"
    ]
)
NUMBER_WORDS = frozenset(
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
        "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "million",
        "billion", "trillion", "first", "second", "third", "fourth", "fifth", "half", "dozen"
    ]
)


@dataclass(frozen=True)
class Signature:
    words: tuple[str, ...]  # folded, lower-cased words in order
    numbers: tuple[str, ...]  # sorted
    names: frozenset[str]
    negations: int


_DATELINE = re.compile(r"^\s*[A-Z][A-Z.'\-]+(?:[ ,]+[A-Z][A-Za-z.'\-]+)*\s*[—–-]+\s+")


def signature(text: str) -> Signature:
    """The words, numbers, names and negations of a sentence, without a leading dateline ("GENEVA — ")."""
    folded = _DATELINE.sub("", unicodedata.normalize("NFKC", text).translate(_FOLD), count=1)
    raw = WORD_RE.findall(folded)  # folded: ’ is ' already
    words = tuple(w.lower() for w in raw)
    numbers = tuple(sorted(w for w in words if w[0].isdigit() or w in NUMBER_WORDS))
    names = frozenset(w.lower() for w in raw[1:] if w[0].isupper())
    if raw and raw[0][0].isupper() and words[0] not in STOPWORDS:  # "Rutte said" vs "Tusk said"
        names |= {words[0]}
    negations = sum(1 for w in words if w in NEGATIONS or w.endswith("n't"))
    return Signature(words, numbers, names, negations)


def duplicate_key(sig: Signature) -> int:
    """A 64-bit key of what near duplicates must share (numbers, names, negations): sentences whose keys
    differ are never near duplicates, so only sentences with equal keys need comparing."""
    raw = repr((sig.numbers, sorted(sig.names), sig.negations)).encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest())


def duplicate_keys(texts: Iterable[str]) -> list[int]:
    return [duplicate_key(signature(t)) for t in texts]


def near_duplicates(a: Signature, b: Signature, threshold: float = 0.85) -> bool:
    """True when a and b say the same thing in (nearly) the same words. See the module docstring."""
    if a.numbers != b.numbers or a.names != b.names or a.negations != b.negations:
        return False
    if a.words == b.words:
        return True
    if not a.words or not b.words:
        return False
    sa, sb = set(a.words), set(b.words)
    if len(sa & sb) / len(sa | sb) < threshold - 0.25:  # cheap filter before difflib
        return False
    return SequenceMatcher(None, a.words, b.words, autojunk=False).ratio() >= threshold


def group_near_duplicates(texts: Sequence[str], threshold: float = 0.85) -> list[int]:
    """For each text, the index of the first text it is a near duplicate of (itself when none).

    Texts are taken in order (best first), and each joins the first earlier group whose first text it
    nearly duplicates, so a group is represented by its best-ranked member.
    """
    sigs = [signature(t) for t in texts]
    heads: list[int] = []
    out: list[int] = []
    for i, sig in enumerate(sigs):
        for h in heads:
            if near_duplicates(sigs[h], sig, threshold):
                out.append(h)
                break
        else:
            heads.append(i)
            out.append(i)
    return out
