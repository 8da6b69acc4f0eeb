"""What a question must be before it is answered, in one place for the CLI, the bot and the Engine.

- Its text is decoded safely: bytes that were not UTF-8 (argv and stdin decoded with ``surrogateescape``
  leave lone surrogates, which the tokenizer cannot take) become U+FFFD, so that one bad byte never stops
  an answer, let alone a batch.
- It is not empty, not longer than MAX_QUESTION_CHARS, and in a language the model reads
  (QUESTION_LANGUAGES; lang/detect.py).

A refused question gets a ``Refusal``: what was wrong (``kind``) and a sentence for people that names the
fix; the edges show it as an input error (CLI: one line on stderr, exit status 2) or as the bot's reply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from retrieval.lang.detect import accepted, foreign_language
from retrieval.settings import Settings


def clean_text(raw: str) -> str:
    """``raw`` with every lone surrogate (an undecodable byte kept by ``surrogateescape``) as U+FFFD."""
    try:
        raw.encode("utf-8")
        return raw
    except UnicodeEncodeError:
        pass
    try:
        data = raw.encode("utf-8", "surrogateescape")  # the bytes argv or stdin really held
    except UnicodeEncodeError:
        data = raw.encode("utf-8", "surrogatepass")  # other lone surrogates (e.g. from JSON)
    return data.decode("utf-8", "replace")


def decode_line(raw: bytes) -> str:
    """One line of input bytes as text: UTF-8 (bad bytes as U+FFFD), without its line break (LF or CRLF)."""
    return raw.decode("utf-8", "replace").rstrip("\r\n")


@dataclass(frozen=True)
class QuestionRules:
    max_chars: int = 1000
    languages: frozenset[str] = field(default_factory=lambda: frozenset({"en"}))

    @classmethod
    def of(cls, settings: Settings) -> QuestionRules:
        return cls(settings.max_question_chars, settings.question_languages)


@dataclass(frozen=True)
class Refusal:
    kind: Literal["empty", "too_long", "language"]
    message: str


def refusal(question: str, rules: QuestionRules) -> Refusal | None:
    """Why ``question`` is not answered as asked, or None when it may be."""
    q = question.strip()
    if not q:
        return Refusal("empty", "The question is empty: ask something about the articles.")
    if len(q) > rules.max_chars:
        return Refusal(
            "too_long",
            f"The question is too long ({len(q):,} characters; at most {rules.max_chars:,}, "
            "MAX_QUESTION_CHARS).",
        )
    language = foreign_language(q)
    if not accepted(language, rules.languages):
        assert language is not None
        return Refusal(
            "language",
            f"Questions must be in English; this one seems to be in {language.name}. The embedding model reads "
            "English only: to ask in other languages, set EMBEDDING_MODEL to a multilingual model, rebuild "
            "the index, and add the language to QUESTION_LANGUAGES (or set it to any).",
        )
    return None
