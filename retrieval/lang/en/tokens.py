"""English tokens: the word patterns (one copy each, named by what they keep) and a light stemmer. Pure.

``terms`` is what BM25 (index/terms.py) indexes and what a question is looked up with.
"""

from __future__ import annotations

import re
from functools import lru_cache

from retrieval.lang.en.lexicon import STOPWORDS

# Words with inner apostrophes ("Russia's", "don’t"): index terms and near-duplicate keys.
WORD_RE = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
# Words with inner hyphens too ("secretary-general"): a question's content terms.
HYPHENATED_WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
# Runs of letters and digits only: topic words matched against a sentence's words.
LETTERS_RE = re.compile(r"[^\W_]+", re.UNICODE)
# The speaker analysis's tokens: initialisms, possessive 's, words (hyphens, O'Brien), numbers, any other
# character alone, so that quotation marks and punctuation are tokens too.
SCAN_TOKEN_RE = re.compile(
    r"(?:[^\W\d_]\.){2,}(?![^\W\d_])"  # U.S., U.K.
    r"|['’][sS](?![^\W\d_])"  # possessive 's
    r"|[^\W\d_]+(?:-[^\W\d_]+|['’](?![sS](?![^\W\d_]))[^\W\d_]+)*"  # words, hyphenated words, O'Brien
    r"|\d+(?:[.,:]\d+)*%?"
    r"|\S"
)

@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light English stemmer: plural and verb endings only, so that it rarely merges unrelated words."""
    w = word
    if len(w) <= 3:
        return w
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            if suffix == "s" and w.endswith(("ss", "us", "is")):
                return w
            if suffix == "es" and not w.endswith(("ches", "shes", "xes", "sses", "zes")):
                return w[:-1]
            w = w[: len(w) - len(suffix)] + repl
            if suffix in ("ing", "ed") and len(w) >= 4 and w[-1] == w[-2] and w[-1] not in "lsz":
                w = w[:-1]  # stopped -> stopp -> stop
            return w
    return w


def terms(text: str) -> list[str]:
    """Index terms: lower-cased words (apostrophes normalised, ’ -> ') less stop words and possessive 's,
    stemmed. One loop, no helper calls: it runs over every sentence at index time."""
    out: list[str] = []
    for w in WORD_RE.findall(text):
        w = w.lower()
        if "’" in w:
            w = w.replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        if not w or w in STOPWORDS:
            continue
        out.append(stem(w))
    return out
