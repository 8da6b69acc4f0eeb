"""Pure formatting of answers for the command line: text for people, JSON for programs."""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from retrieval.records import Answer, Citation, Quote


def citation_dict(c: Citation) -> dict[str, Any]:
    return {"source": c.source, "start": c.start, "end": c.end, "line": c.line, **article_dict(c)}


def article_dict(c: Citation) -> dict[str, str]:
    """"title" and "url" where the article's file carries them (a .txt file has neither: no keys)."""
    return {k: v for k, v in (("title", c.title), ("url", c.url)) if v}


def article_text(c: Citation) -> str:
    """" · title · url" for a citation line, or "" when the file carries neither."""
    return "".join(f" · {printable(v)}" for v in article_dict(c).values())


ALSO_IN_SHOWN = 10  # other places listed under a quote in text output; the rest are counted
QUESTION_SHOWN = 200  # characters of a refused question repeated in text output


def quote_dict(q: Quote) -> dict[str, Any]:
    out: dict[str, Any] = {
        "text": q.text,
        "source": q.source,
        "start": q.start,
        "end": q.end,
        "line": q.line,
        "score": q.score,
        "speaker": q.speaker,
        **article_dict(q.citation),
        "sources": [citation_dict(c) for c in q.citations],
    }
    if q.more_sources:
        out["more_sources"] = q.more_sources
    return out


def answer_dict(a: Answer) -> dict[str, Any]:
    out: dict[str, Any] = {"question": a.question, "answered": a.answered, "quotes": [quote_dict(q) for q in a.quotes]}
    if a.reason:
        out["reason"] = a.reason
    if a.note:
        out["note"] = a.note
    return out


def answer_json(a: Answer) -> str:
    """One line of JSON for one answer."""
    return json.dumps(answer_dict(a), ensure_ascii=False)


def refused_json(question: str, message: str) -> str:
    """One line of JSON for a question that was not asked (empty, too long, not in English)."""
    return json.dumps({"question": question, "answered": False, "quotes": [], "error": message}, ensure_ascii=False)


def refused_text(question: str, message: str) -> str:
    """A question that was not asked, for people: the question (shortened), then why."""
    shown = question.strip()
    if len(shown) > QUESTION_SHOWN:
        shown = shown[:QUESTION_SHOWN] + f"… ({len(shown):,} characters)"
    return f"Q: {printable(shown)}\n   Not asked: {message}"


def printable(text: str) -> str:
    """Text safe to print on a terminal: control and format characters (ANSI escapes, NUL, bidi overrides)
    shown as ``\\x1b``-style escapes; tabs and line breaks kept. JSON output keeps the exact text."""
    out: list[str] = []
    for ch in text:
        if ch in "\n\t\u200c\u200d" or unicodedata.category(ch) not in ("Cc", "Cf", "Cs"):
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def _where(c: Citation) -> str:
    return f"{printable(c.source)}, line {c.line}"


def answer_text(a: Answer) -> str:
    """The answer for people: each quote verbatim, then where it stands and its score."""
    lines = [f"Q: {printable(a.question.strip())}"]
    if a.note:
        lines.append(f"   ({printable(a.note)})")
    if not a.answered:
        lines.append(f"   Not found. {a.reason or ''}".rstrip())
        return "\n".join(lines)
    for n, q in enumerate(a.quotes, 1):
        lines.append("")
        lines.append(f"[{n}] “{printable(q.text)}”")
        meta = f"    — {_where(q.citation)}{article_text(q.citation)} · score {q.score:.2f}"
        if q.speaker:
            meta += f" · speaker: {printable(q.speaker)}"
        lines.append(meta)
        others = [c for c in q.citations if c != q.citation]
        more = len(others[ALSO_IN_SHOWN:]) + q.more_sources
        if others:
            listed = "; ".join(_where(c) for c in others[:ALSO_IN_SHOWN])
            lines.append(f"      also in: {listed}" + (f"; and {more} more" if more else ""))
    return "\n".join(lines)
