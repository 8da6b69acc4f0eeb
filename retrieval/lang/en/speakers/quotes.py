"""Speaker analysis, step 2: quotations (their spans and attributions) across an article's sentences."""

from __future__ import annotations

from dataclasses import dataclass

from retrieval.lang.en.lexicon import (
    _QUOTE_CHAR_RE,
    _QUOTE_CLOSE_DOUBLE,
    _QUOTE_OPEN_DOUBLE,
    _TITLES,
    ATTRIBUTION_EXTRAS,
    ATTRIBUTION_VERBS,
    STOPWORDS,
    verb_forms,
)
from retrieval.lang.en.tokens import WORD_RE

# --------------------------------------------------------------------------------------------------------
# Quotations
# --------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Quote:
    start: int  # offset of the opening mark (or paragraph start if none)
    end: int  # one past the closing mark (or paragraph end if unclosed)
    open_pos: int | None
    close_pos: int | None
    group: int  # continued quotations across paragraphs share a group
    para: int


def nested_opening(prev: str, nxt: str) -> bool:
    """Does a straight double mark between ``prev`` and ``nxt``, inside an open quotation, open a quotation within
    it ('... The "United States" is not holding ...') rather than close it: a space or a bracket before it and a
    letter or a digit after it."""
    return (prev.isspace() or prev in "([—–") and (nxt.isalnum() or nxt in "‘'[")


def _find_quotes(text: str, paras: list[tuple[int, int, int]]) -> list[_Quote]:
    quotes: list[_Quote] = []
    group = 0
    carry: _Quote | None = None
    for lo, hi, pid in paras:
        od: int | None = None  # open double
        nested = 0  # straight double quotations open inside it
        osg: int | None = None  # open single
        para_start_open = False
        first_char = lo
        while first_char < hi and text[first_char].isspace():
            first_char += 1
        if carry is not None:
            if first_char < hi and text[first_char] in '“"«„':
                para_start_open = True
            else:
                carry = None
        for m in _QUOTE_CHAR_RE.finditer(text, lo, hi):
            c = m.group()
            p = m.start()
            prev = text[p - 1] if p > lo else " "
            nxt = text[p + 1] if p + 1 < hi else " "
            if c in _QUOTE_OPEN_DOUBLE or (c == '"' and od is None and not prev.isalnum()):
                if od is None:
                    od = p
                    osg = None
                continue
            if c == '"' and od is not None and nested_opening(prev, nxt):
                nested += 1
                continue
            if c == '"' and nested:
                nested -= 1
                continue
            if c in _QUOTE_CLOSE_DOUBLE or c == '"':
                g = group
                if od is None:
                    # A closing mark without an opening one: the quotation began at the paragraph start.
                    start = lo
                    if carry is not None and not para_start_open:
                        g = carry.group
                else:
                    start = od
                    if para_start_open and carry is not None and od == first_char:
                        g = carry.group
                        para_start_open = False
                quotes.append(_Quote(start, p + 1, od, p, g, pid))
                if g == group:
                    group += 1
                od = None
                carry = None
                continue
            if od is not None:
                continue  # nested single quotes are part of the double quotation
            if c == "‘" or (c == "'" and not prev.isalnum() and nxt.isalpha()):
                if osg is None:
                    osg = p
                continue
            if prev.isalpha() and nxt.isalpha():
                continue  # apostrophe
            if osg is not None and not nxt.isalpha():
                quotes.append(_Quote(osg, p + 1, osg, p, group, pid))
                group += 1
                osg = None
        if od is not None:
            g = group
            if para_start_open and carry is not None and od == first_char:
                g = carry.group
            q = _Quote(od, hi, od, None, g, pid)
            quotes.append(q)
            if g == group:
                group += 1
            carry = q
        else:
            carry = None
    return quotes


def quoted_share(text: str) -> float:
    """The share of a sentence's characters that stand inside quotation marks: how much of it is someone's
    own words rather than narration. Double marks (“…”, "…", «…») and single curly ones (‘…’; a ’ between
    two letters is an apostrophe, not a closing mark). An unclosed opening mark (a quotation that runs on into
    the next sentence) quotes the rest of the sentence; a closing double mark with no opening one (a quotation
    begun in the sentence before) quotes what comes before it."""
    if not text:
        return 0.0
    n = len(text)
    inside = 0
    opened: int | None = None  # a double quotation open since this offset
    single: int | None = None  # a single (‘) quotation open since this offset
    seen_open = False
    nested = 0  # straight double quotations open inside the open one ('The "United States" is')
    for i, ch in enumerate(text):
        if ch == '"' and opened is not None and nested_opening(text[i - 1] if i else " ", text[i + 1 : i + 2] or " "):
            nested += 1
        elif ch == '"' and nested:
            nested -= 1
        elif ch in _QUOTE_OPEN_DOUBLE or (ch == '"' and opened is None):
            if opened is None and single is None:
                opened, seen_open = i, True
        elif ch in _QUOTE_CLOSE_DOUBLE or ch == '"':
            if opened is not None:
                inside += i - opened - 1
                opened = None
            elif not seen_open and single is None:
                inside += i  # closes a quotation opened in an earlier sentence
                seen_open = True
        elif ch == "‘" and opened is None and single is None:
            single, seen_open = i, True
        elif ch == "’" and single is not None and not (i + 1 < n and text[i + 1].isalpha() and text[i - 1].isalpha()):
            inside += i - single - 1
            single = None
    for start in (opened, single):
        if start is not None:
            inside += n - start - 1
    return max(0.0, min(1.0, inside / n))


_DASHES = "—―–-"
_ATTRIBUTION_WORDS = 8  # "Smith, the city's mayor, said on Tuesday." is short; a sentence with content is not
_ATTRIBUTION_VERB_FORMS = frozenset(f for b in ATTRIBUTION_VERBS for f in verb_forms(b))


def is_attribution_only(text: str) -> bool:
    """Is this sentence only who said the words next to it? "Smith said.", "said Dr. Jane Smith, a
    virologist.", "he added.", "she told reporters on Monday.", "— Vladimir Putin": a short sentence of names,
    titles, a verb of saying and function words (an apposition after a comma is the speaker's description), or
    a dash and a name; never one with a quotation of its own. A quote made of it alone tells nothing, so it
    goes with its quotation."""
    stripped = text.strip()
    if not stripped or _QUOTE_CHAR_RE.search(stripped.replace("’", "").replace("'", "")):
        return False
    words = WORD_RE.findall(stripped)
    if not words or len(words) > _ATTRIBUTION_WORDS:
        return False
    if stripped[0] in _DASHES:
        return stripped.lstrip(_DASHES + " ")[:1].isupper()
    if stripped[-1] not in ".!":
        return False
    head = stripped.split(",")[0] if stripped.count(",") else stripped  # drop ", the mayor," / ", a virologist"
    if stripped.count(",") >= 2:
        parts = stripped.split(",")
        head = parts[0] + " " + parts[-1]  # "Smith, the city's mayor, said." -> "Smith  said."
    head_words = WORD_RE.findall(head)
    if not any(w.lower() in _ATTRIBUTION_VERB_FORMS for w in head_words):
        return False
    return all(
        w[:1].isupper()
        or w.lower() in _ATTRIBUTION_VERB_FORMS
        or w.lower() in STOPWORDS
        or w.lower() in ATTRIBUTION_EXTRAS
        or w.lower() in _TITLES
        for w in head_words
    )
