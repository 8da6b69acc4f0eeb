"""Does a sentence run on across a line or paragraph break? Pure rules on the two blocks' text.

Files break sentences where they should not: a converter puts a blank line after "the newly released U.S."
(the full stop of an abbreviation read as the end of a paragraph), a hard-wrapped text puts one inside a
clause. A break is taken to fall inside a sentence in two classes of cases:

1. ``JOIN``: the block before it cannot end a sentence: it ends in no closing punctuation and the next block
   goes on in lower case ("... said the plan was" / "unworkable, officials said."), or it ends in a comma or
   a word that never ends an English sentence (an article or a conjunction, ``NEVER_LAST_WORDS``: "... to
   consult the" / "National Security Strategy").
2. ``ASK``: the block before it ends in an abbreviation (a title from the lexicon's list, "Mr.", "Gen.", a
   dotted one, "U.S.", "a.m.", or an initial, "J."). Such a full stop may or may not end the sentence,
   exactly as it may inside a line, so the sentence segmenter decides as it does there: the break is read
   as a space, and the two blocks join when the segmenter does not cut at it ("U.S." / "National Security
   Strategy" joins; "U.S." / "The talks" does not).

Never joined (``KEEP``): a block that is a heading (short, or in title case, without closing punctuation:
"Putin Responds to Rutte"), a byline ("By Jane Doe"), a list item, a table row or a quotation's attribution
line ("― Vladimir Putin"), on either side of the break; and a block that the next one does not continue.
"""

from __future__ import annotations

import enum
import re

from retrieval.lang.en.lexicon import _ABBREV_DOT, CLOSING_PUNCTUATION, NEVER_LAST_WORDS


class Break(enum.Enum):
    KEEP = "keep"  # a sentence ends at the break (or the blocks are not prose)
    JOIN = "join"  # the sentence runs on
    ASK = "ask"  # after an abbreviation: the segmenter decides, as for a space


_WORD = re.compile(r"[^\W\d_][\w'’.\-]*|\d[\w.,]*")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•·▪◦‣]\s|\d{1,3}[.)]\s|[a-z][.)]\s|\(\w{1,3}\)\s)")
_NOT_PROSE = re.compile(r"^\s*[―—–\-|>#]|\s\|\s")  # attribution dash, table row, quote or heading marker
_BYLINE = re.compile(r"^\s*(?:By|BY)\s+[A-Z]|^\s*(?:Photo|Image|Credit|Source)s?\s*:")  # "By Jane Doe"
_DOTTED = re.compile(r"(?:^|[\s(\"“‘])((?:[A-Za-z]\.){2,}|[A-Z]\.|[A-Za-z]{1,5}\.)$")
_INNER_END = re.compile(r"[a-z][.!?…][\"'”’]?\s+[A-Z\"“‘]")
MIN_PROSE_WORDS = 6  # fewer words and no closing punctuation: a heading, a label or a byline
_TITLE_CASE_SHARE = 0.6  # of the words of four letters or more capitalised: a headline ...
_TITLE_CASE_MIN = 3  # ... when it has at least this many such words


def _words(block: str) -> list[str]:
    return _WORD.findall(block)


def _is_prose(block: str) -> bool:
    """A block that can hold part of a sentence: not a list item, table row, attribution line, byline, or
    a heading (short, or mostly capitalised words)."""
    if _LIST_ITEM.match(block) or _NOT_PROSE.search(block) or _BYLINE.match(block):
        return False
    words = _words(block)
    if len(words) < MIN_PROSE_WORDS:
        return False
    if _INNER_END.search(block):  # a full stop inside: sentences, not a heading
        return True
    long = [w for w in words if len(w) >= 4 and w[0].isalpha()]
    capitalised = sum(1 for w in long if w[0].isupper())
    return len(long) < _TITLE_CASE_MIN or capitalised / len(long) < _TITLE_CASE_SHARE


def _starts_lower(block: str) -> bool:
    """Starts with a word in lower case ("unworkable", not "iPhone" or "eBay")."""
    words = _words(block.lstrip())
    return bool(words) and words[0][0].isalpha() and words[0] == words[0].lower()


def _abbreviation_end(block: str) -> bool:
    match = _DOTTED.search(block)
    if match is None:
        return False
    token = match.group(1)
    if len(token) <= 2 or token.count(".") >= 2:  # "J.", "U.S.", "a.m."
        return True
    return token[:-1].lower() in _ABBREV_DOT  # "Mr.", "Gen.", "St."


def break_between(before: str, after: str) -> Break:
    """How the break between two consecutive blocks (each stripped of its edge white space) is read."""
    if not before or not after or not _is_prose(before):
        return Break.KEEP
    if _LIST_ITEM.match(after) or _NOT_PROSE.search(after) or _BYLINE.match(after):
        return Break.KEEP
    if after[-1] not in CLOSING_PUNCTUATION and not _is_prose(after) and not _starts_lower(after):  # a heading, a label
        return Break.KEEP
    last = before[-1]
    if last == ",":
        return Break.JOIN
    if last not in CLOSING_PUNCTUATION:
        words = _words(before)
        if words and words[-1].lower() in NEVER_LAST_WORDS:
            return Break.JOIN
        return Break.JOIN if _starts_lower(after) else Break.KEEP
    if last == "." and _abbreviation_end(before):
        return Break.ASK
    return Break.KEEP
