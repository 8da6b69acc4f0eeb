"""Page furniture: the labels and links a web page puts around an article ("Reply", "Related articles",
"Read more →"). They state nobody's words, so they name no people and are never quoted. Pure.

The rule is by shape, not by a list of the labels one corpus happened to have. A line is furniture when it
is not a sentence (it does not end in closing punctuation) and either

- it carries at most ``MAX_LABEL_WORDS`` content words (words that are not stop words) and no number:
  section labels, buttons and bylines ("Comments", "Share this", "Most Read", "Sign up for our newsletter",
  "By Jane Doe"), which are too short to state anything; a number keeps a line ("Inflation 3.2%"): it states
  a fact; or
- it ends in a navigation arrow ("See all results ›", "Next story →"), which marks a link, whatever its
  length.

Headlines of three content words or more ("Putin Warns NATO Over Drills") are not furniture: they are
headings, demoted but quotable (index/tables.py). Known limit: a punctuated call to action ("Never miss an
alert!") is a sentence by shape and stays; telling it from content needs the line to recur across articles.
"""

from __future__ import annotations

import re

from retrieval.lang.en.lexicon import STOPWORDS
from retrieval.lang.en.tokens import WORD_RE

MAX_LABEL_WORDS = 2
# What ends a sentence (closing quotes and brackets after the full stop included).
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\s*$")
# Navigation arrows at the end of a line; » and › only after a space and with no « or ‹ before them (else
# they close a quotation, French style: « Non »).
_NAV_END = re.compile(r"(?:[→⟶➔➜➝➞►▶▸⇒]|^[^«‹]*\s[»›]|\s>>?)\s*$")
_DIGIT = re.compile(r"\d")


def content_words(text: str) -> list[str]:
    """The words of a line that are not stop words (casefolded, apostrophes unified). A lower-case "us" is
    a stop word here too: STOPWORDS leaves it out only because "US" is a country."""
    words = (w.replace("’", "'") for w in WORD_RE.findall(text) if w != "us")
    return [w for w in (x.casefold() for x in words) if w not in STOPWORDS]


def is_page_furniture(text: str) -> bool:
    """Is this line a page label or link rather than a statement? See the module docstring."""
    line = text.strip()
    if not line or _SENTENCE_END.search(line):
        return False
    if _NAV_END.search(line):
        return True
    if _DIGIT.search(line):
        return False
    return len(content_words(line)) <= MAX_LABEL_WORDS
