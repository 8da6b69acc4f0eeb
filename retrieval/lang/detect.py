"""Telling a question that is not in English, offline and in microseconds: no model, two cheap signals.

- **Script.** When most letters belong to one non-Latin script (Cyrillic, Greek, Arabic, Hebrew, CJK,
  Hangul, Devanagari, Thai, ...), the question is in a language of that script.
- **Function words.** A Latin-script question is taken for German, French, Spanish, Italian, Portuguese,
  Dutch, Polish or Swedish when at least two of its words are that language's function words
  (function_words.py) and they outnumber its English function words two to one (a word of both
  languages, "was" or "over", counts for neither). One such word is not enough ("Warum?", "war"), and names
  and foreign phrases inside an English question ("What did Putin say about the Zeitenwende?") leave it
  English.

Anything else is taken for English: a question that cannot be told is answered, not refused.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from retrieval.lang.en.lexicon import QUESTION_WORDS, STOPWORDS
from retrieval.lang.function_words import FUNCTION_WORDS
from retrieval.settings import ANY_LANGUAGE

ENGLISH_WORDS: Final = STOPWORDS | QUESTION_WORDS
# A foreign function word that is also an English one ("die", "was", "an") counts for neither.
_FOREIGN: Final = {code: (name, words - ENGLISH_WORDS) for code, (name, words) in FUNCTION_WORDS.items()}
_WORD = re.compile(r"[^\W\d_]+")

# Scripts (the first word of a letter's Unicode name) and the languages written in them.
SCRIPT_LANGUAGES: Final[dict[str, frozenset[str]]] = {
    "CYRILLIC": frozenset({"ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "mn", "tg"}),
    "GREEK": frozenset({"el"}),
    "ARABIC": frozenset({"ar", "fa", "ur", "ps"}),
    "HEBREW": frozenset({"he", "yi"}),
    "CJK": frozenset({"zh", "ja"}),
    "HIRAGANA": frozenset({"ja"}),
    "KATAKANA": frozenset({"ja"}),
    "HANGUL": frozenset({"ko"}),
    "DEVANAGARI": frozenset({"hi", "mr", "ne"}),
    "BENGALI": frozenset({"bn"}),
    "THAI": frozenset({"th"}),
    "ARMENIAN": frozenset({"hy"}),
    "GEORGIAN": frozenset({"ka"}),
}


@dataclass(frozen=True)
class Language:
    """What a question is written in, when that is not English: a name for people, and the ISO 639-1
    codes it may be (a script is shared by several languages)."""

    name: str  # "German", "Cyrillic script"
    codes: frozenset[str]


def _script(ch: str) -> str:
    name = unicodedata.name(ch, "")
    return name.split(" ", 1)[0] if name else "UNKNOWN"


def _script_language(letters: list[str]) -> Language | None:
    counts = Counter(_script(ch) for ch in letters)
    foreign = {script: n for script, n in counts.items() if script != "LATIN"}
    if sum(foreign.values()) * 2 <= len(letters):
        return None
    script = max(foreign, key=lambda s: foreign[s])
    shown = script if script == "CJK" else script.title()
    return Language(f"{shown} script", SCRIPT_LANGUAGES.get(script, frozenset()))


def _word_language(words: set[str], spanish_marks: bool) -> Language | None:
    hits = {code: len(words & own) + (spanish_marks if code == "es" else 0) for code, (_, own) in _FOREIGN.items()}
    best = max(hits.values())
    if best < 2:  # one word tells nothing ("Warum?" is answered as English)
        return None
    likely = [code for code, n in hits.items() if n == best]  # a tie: any of them (it is not English)
    # A word of both languages ("was", "over") is evidence for neither.
    english = len((words & ENGLISH_WORDS) - frozenset().union(*(FUNCTION_WORDS[c][1] for c in likely)))
    if best <= 2 * english:
        return None
    return Language(" or ".join(_FOREIGN[c][0] for c in likely), frozenset(likely))


def foreign_language(text: str) -> Language | None:
    """The language ``text`` is written in when it is surely not English; None for English or can't tell."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return None
    by_script = _script_language(letters)
    if by_script is not None:
        return by_script
    return _word_language(set(_WORD.findall(text.lower())), "¿" in text or "¡" in text)


def accepted(language: Language | None, allowed: Iterable[str]) -> bool:
    """Whether a question in ``language`` (None: English) may be asked, given QUESTION_LANGUAGES."""
    allowed = frozenset(allowed)
    return language is None or ANY_LANGUAGE in allowed or bool(language.codes & allowed)
