"""Plain text (.txt): the bytes decoded, and nothing else changed.

How the encoding is found, first match wins:
1. A byte-order mark: UTF-32 LE/BE, UTF-8, UTF-16 LE/BE (UTF-32 LE first: its mark begins with UTF-16 LE's).
   The UTF-8 mark stays in the text as U+FEFF, as it always has, so that the offsets of indexes built before
   this loader existed stay valid; the UTF-16/32 marks are dropped by their codecs.
2. No mark, but NUL bytes in the pattern of UTF-32 or UTF-16 text (every 2nd or 4th byte zero, as ASCII
   and Latin text has it): decoded as that.
3. Binary data (a NUL byte, or over 10% control characters, in the first 8 KiB): refused as unreadable.
4. Valid UTF-8: decoded as UTF-8. This is by far the common case and gives exactly the text that the
   ingest before loaders gave.
5. Otherwise charset-normalizer guesses. Its guess is taken only when it reads as a non-Latin script
   (Cyrillic, Greek, CJK, ...), where Windows-1252 would give nonsense; for Latin-script text it often
   picks a sibling code page (cp1250 for French) that garbles it, so such text is decoded as Windows-1252,
   or as Latin-1 (which decodes any bytes) where Windows-1252 cannot.
Every decoding is strict: a mark or pattern that the bytes then contradict is not trusted, and the next
rule is tried.
"""

from __future__ import annotations

import codecs
import unicodedata

from retrieval.corpus.loaders.base import Loaded, LoadLimits, Reason, Unloadable, is_blank

_SNIFF = 8192
_TEXT_CONTROLS = frozenset({9, 10, 12, 13, 27})  # tab, LF, FF, CR, ESC: seen in real text files
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Encodings that the bytes declare or prove (a mark, a NUL pattern that decodes strictly, valid UTF-8);
# any other encoding in Loaded.encoding is a guess, worth a warning that names the file.
CERTAIN_ENCODINGS = frozenset({"utf-8", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"})
_GUESS_MIN_LETTERS = 8  # fewer non-ASCII letters than this is too little to trust a non-Latin guess


def looks_binary(head: bytes) -> bool:
    """True when the first bytes of a file are not text: a NUL byte, or over 10% control characters."""
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in _TEXT_CONTROLS)
    return controls / len(head) > 0.10


def _strict(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


def _plausible(text: str) -> bool:
    """Decoded text that is text: no NUL characters and few control characters (else it was binary)."""
    return not looks_binary(text[:_SNIFF].encode("utf-8", "replace"))


def _from_bom(raw: bytes) -> tuple[str, str] | None:
    for bom, encoding in _BOMS:
        if raw.startswith(bom):
            # The UTF-8 mark is decoded with the text (U+FEFF), see the module's docstring.
            body = raw if encoding == "utf-8" else raw[len(bom) :]
            text = _strict(body, encoding)
            if text is not None and _plausible(text):
                return text, encoding
            return None
    return None


def nul_pattern_encoding(raw: bytes) -> str | None:
    """UTF-32/16 LE/BE when the NUL bytes of the first 8 KiB fall where that encoding puts them."""
    sample = raw[:_SNIFF]
    if b"\x00" not in sample or len(sample) < 2:
        return None
    if len(sample) >= 4 and len(raw) % 4 == 0:
        quads = len(sample) // 4
        zeros = [sample[k : quads * 4 : 4].count(0) / quads for k in range(4)]
        # Byte 3 (LE) or 0 (BE) of a UTF-32 code unit is always zero, byte 2 (LE) or 1 (BE) for every
        # character below U+10000; the low byte is rarely zero (only for U+0000, U+0100, ...).
        if zeros[3] > 0.95 and zeros[2] > 0.5 and zeros[0] < 0.2:
            return "utf-32-le"
        if zeros[0] > 0.95 and zeros[1] > 0.5 and zeros[3] < 0.2:
            return "utf-32-be"
    if len(raw) % 2:
        return None
    pairs = len(sample) // 2
    even = sample[0 : pairs * 2 : 2].count(0) / pairs
    odd = sample[1 : pairs * 2 : 2].count(0) / pairs
    # ASCII and Latin-1 characters in UTF-16 have a zero high byte; a zero low byte is rare (U+0100, ...).
    if odd >= 0.3 and even <= 0.05:
        return "utf-16-le"
    if even >= 0.3 and odd <= 0.05:
        return "utf-16-be"
    return None


def _non_latin_script(text: str) -> bool:
    """True when most non-ASCII letters of ``text`` are of a non-Latin script (and there are enough)."""
    latin = other = 0
    for ch in text:
        if ord(ch) < 128 or not ch.isalpha():
            continue
        if unicodedata.name(ch, "").startswith("LATIN"):
            latin += 1
        else:
            other += 1
    return other >= _GUESS_MIN_LETTERS and other > latin


def _guess(raw: bytes) -> tuple[str, str] | None:
    """charset-normalizer's reading of ``raw`` when it is a non-Latin script (see the docstring)."""
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None or best.encoding.startswith(("utf_16", "utf_32", "utf_8", "ascii")):
        return None
    text = _strict(raw, best.encoding)
    if text is None or not _non_latin_script(text):
        return None
    return text, codecs.lookup(best.encoding).name


def decode_text(raw: bytes) -> tuple[str, str]:
    """Decode a text file's bytes by the rules of this module. Returns (text, encoding).

    Raises Unloadable(UNREADABLE) for binary data.
    """
    for attempt in (_from_bom, _from_nul_pattern):
        found = attempt(raw)
        if found is not None:
            return found
    if looks_binary(raw[:_SNIFF]):
        raise Unloadable(Reason.UNREADABLE, "binary data, not text")
    text = _strict(raw, "utf-8")
    if text is not None:
        return text, "utf-8"
    guessed = _guess(raw)
    if guessed is not None:
        return guessed
    text = _strict(raw, "cp1252")
    if text is not None:
        return text, "cp1252"
    return raw.decode("latin-1"), "latin-1"


def _from_nul_pattern(raw: bytes) -> tuple[str, str] | None:
    encoding = nul_pattern_encoding(raw)
    if encoding is None:
        return None
    text = _strict(raw, encoding)
    return (text, encoding) if text is not None and _plausible(text) else None


def load_text(data: bytes, limits: LoadLimits) -> Loaded:
    """A .txt file: its decoded text, character for character."""
    text, encoding = decode_text(data)
    if is_blank(text):
        raise Unloadable(Reason.EMPTY, "no text")
    return Loaded(text=text, encoding=encoding)
