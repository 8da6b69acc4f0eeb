"""Speaker analysis, step 2: quotations (their spans and attributions) across an article's sentences."""

from __future__ import annotations

from dataclasses import dataclass

from retrieval.lang.en.lexicon import _QUOTE_CHAR_RE, _QUOTE_CLOSE_DOUBLE, _QUOTE_OPEN_DOUBLE

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


def _find_quotes(text: str, paras: list[tuple[int, int, int]]) -> list[_Quote]:
    quotes: list[_Quote] = []
    group = 0
    carry: _Quote | None = None
    for lo, hi, pid in paras:
        od: int | None = None  # open double
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
