"""A pure validator of Telegram's HTML parse mode, for tests.

``parse_telegram_html(text)`` turns a Telegram-HTML string into the plain text a user would see plus the
message entities Telegram would attach (offsets and lengths in UTF-16 code units, as in the Bot API), or
raises :class:`TelegramHtmlError` whose ``description`` reads like the Bot API's own answer, e.g.
``Bad Request: can't parse entities: Unsupported start tag "div" at byte offset 0``.

The tokenizer follows the parser Telegram's servers run (tdlib's ``parse_html``): the same tag names,
attribute syntax, entity decoding and error wording, with byte offsets counted in UTF-8 from the start of
the text. On top of that, ``strict=True`` (the default) turns into errors the things Telegram silently
accepts, repairs or drops, so that a test fails instead of a user seeing a mangled message:

* a bare ``<``, ``>`` or ``&`` that is not part of a tag or entity (the Bot API docs say they *must* be
  escaped; Telegram itself lets ``>`` and a lone ``&`` through),
* a named entity other than ``&lt; &gt; &amp; &quot;``, an entity without its ``;``, an invalid numeric
  reference,
* unknown or repeated attributes, a value-less attribute other than ``<blockquote expandable>``,
* ``<a>`` without a valid ``href`` (http, https, tg, ton), an empty ``<tg-emoji>``,
* forbidden nesting that Telegram would silently undo: anything inside ``<code>``; anything but one
  ``<code class="language-x">`` wrapping the whole of a ``<pre>``; ``<code>``/``<pre>`` inside or around
  ``b/i/u/s/spoiler``; ``a``, ``tg-emoji``, ``code`` and ``pre`` inside one another; a blockquote
  inside a blockquote (or inside ``a``/``tg-emoji``); a language on a standalone ``<code>``.

``check_message_text(text, parse_mode)`` adds the message-level rules of ``sendMessage``: non-empty after
parsing and trimming, at most 4096 UTF-16 code units, at most 100 entities.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Final

__all__ = [
    "MAX_ENTITIES",
    "MAX_MESSAGE_LENGTH",
    "PARSE_ENTITIES_PREFIX",
    "Entity",
    "ParsedHtml",
    "TelegramHtmlError",
    "check_message_text",
    "parse_telegram_html",
    "utf16_len",
]

MAX_MESSAGE_LENGTH: Final = 4096
MAX_ENTITIES: Final = 100
PARSE_ENTITIES_PREFIX: Final = "Bad Request: can't parse entities: "

EMPTY_TEXT: Final = "Bad Request: message text is empty"
TOO_LONG: Final = "Bad Request: message is too long"
TOO_MANY_ENTITIES: Final = "Bad Request: too many entities"
UNSUPPORTED_PARSE_MODE: Final = "Bad Request: unsupported parse_mode"

# Tag name -> entity type. "span" and "blockquote" are refined by their attributes.
_TAG_TYPES: Final[dict[str, str]] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "tg-emoji": "custom_emoji",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
}
_ALLOWED_ATTRIBUTES: Final[dict[str, frozenset[str]]] = {
    "a": frozenset({"href"}),
    "code": frozenset({"class"}),
    "span": frozenset({"class"}),
    "tg-emoji": frozenset({"emoji-id"}),
    "blockquote": frozenset({"expandable"}),
}
_FORMATTING: Final = frozenset({"bold", "italic", "underline", "strikethrough", "spoiler"})
# "All other entities can't contain each other" (Bot API, Formatting options).
_EXCLUSIVE: Final = frozenset({"text_link", "custom_emoji", "code", "pre"})
_URL_SCHEMES: Final = ("http://", "https://", "tg://", "ton://")
_NAME_TOKEN: Final = re.compile(r"[A-Za-z0-9.\-]*")
_HTML_SPACE: Final = " \t\n\r\f\v"


class TelegramHtmlError(ValueError):
    """What Telegram would answer with HTTP 400; ``description`` is the Bot API's full description."""

    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


@dataclass(frozen=True)
class Entity:
    """One Bot API MessageEntity; ``offset``/``length`` are in UTF-16 code units."""

    type: str
    offset: int
    length: int
    url: str | None = None
    language: str | None = None
    custom_emoji_id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The entity as the Bot API serialises it."""
        out: dict[str, Any] = {"type": self.type, "offset": self.offset, "length": self.length}
        if self.url is not None:
            out["url"] = self.url
        if self.language is not None:
            out["language"] = self.language
        if self.custom_emoji_id is not None:
            out["custom_emoji_id"] = self.custom_emoji_id
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        return cls(
            type=str(data["type"]),
            offset=int(data["offset"]),
            length=int(data["length"]),
            url=data.get("url"),
            language=data.get("language"),
            custom_emoji_id=data.get("custom_emoji_id"),
        )


@dataclass(frozen=True)
class ParsedHtml:
    """The text a user sees and its entities."""

    plain: str
    entities: tuple[Entity, ...] = ()

    @property
    def utf16_length(self) -> int:
        return utf16_len(self.plain)

    def text_of(self, entity: Entity) -> str:
        """The part of ``plain`` that ``entity`` covers."""
        return utf16_slice(self.plain, entity.offset, entity.offset + entity.length)

    def of_type(self, entity_type: str) -> tuple[Entity, ...]:
        return tuple(e for e in self.entities if e.type == entity_type)

    def entity_dicts(self) -> list[dict[str, Any]]:
        return [e.to_dict() for e in self.entities]


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, as Telegram counts offsets and lengths."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def utf16_slice(text: str, start: int, end: int) -> str:
    """``text`` between two UTF-16 offsets (which must fall on code point boundaries)."""
    out: list[str] = []
    pos = 0
    for ch in text:
        if pos >= end:
            break
        if pos >= start:
            out.append(ch)
        pos += 2 if ord(ch) > 0xFFFF else 1
    return "".join(out)


@dataclass
class _Open:
    tag: str
    type: str
    argument: str | None
    utf16_offset: int
    byte_offset: int
    order: int
    children: list[str] = field(default_factory=list)


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8", "surrogatepass"))


def _fail(detail: str) -> TelegramHtmlError:
    return TelegramHtmlError(PARSE_ENTITIES_PREFIX + detail)


def _decode_entity(text: str, pos: int, strict: bool) -> tuple[str, int] | None:
    """Decode the character reference at ``text[pos] == '&'``: (character, next index), or None if it is
    not one Telegram decodes (then Telegram keeps the ``&`` literally; strict mode raises)."""
    n = len(text)
    end = pos + 1
    value = 0
    shown: str
    if end < n and text[end] == "#":
        end += 1
        is_hex = end < n and text[end] == "x"
        if is_hex:
            end += 1
        digits_start = end
        digits = "0123456789abcdefABCDEF" if is_hex else "0123456789"
        while end < n and text[end] in digits:
            end += 1
        digit_text = text[digits_start:end]
        if digit_text:
            value = int(digit_text, 16 if is_hex else 10)
        shown = text[pos : end + (1 if end < n and text[end] == ";" else 0)]
        if not digit_text or value == 0 or value >= 0x10FFFF or end - pos >= 10:
            if strict:
                raise _fail(
                    f'Invalid numeric character reference "{shown}" at byte offset {_byte_offset(text, pos)}'
                )
            return None
        char = chr(value)
    else:
        while end < n and text[end].isascii() and text[end].isalpha():
            end += 1
        name = text[pos + 1 : end]
        named = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
        if name not in named:
            if strict:
                where = _byte_offset(text, pos)
                if not name or end >= n or text[end] != ";":
                    raise _fail(f'Character "&" must be escaped as "&amp;" at byte offset {where}')
                raise _fail(
                    f'Unsupported HTML entity "&{name};" at byte offset {where}: only &lt; &gt; &amp; '
                    "&quot; and numeric entities are supported"
                )
            return None
        char = named[name]
        shown = text[pos:end]
    if end < n and text[end] == ";":
        return char, end + 1
    if strict:
        raise _fail(f'HTML entity "{shown}" must end with ";" at byte offset {_byte_offset(text, pos)}')
    return char, end


def _is_space(ch: str) -> bool:
    return ch in _HTML_SPACE


def _valid_url(url: str) -> bool:
    return (
        url.lower().startswith(_URL_SCHEMES)
        and len(url) > url.index("//") + 2
        and not any(_is_space(ch) for ch in url)
    )


def parse_telegram_html(text: str, *, strict: bool = True) -> ParsedHtml:
    """Parse Telegram HTML into plain text and entities, or raise :class:`TelegramHtmlError`.

    With ``strict=False`` the parser accepts what Telegram accepts (bare ``>``/``&``, unknown entities
    kept literally, any nesting); with ``strict=True`` it also rejects what Telegram would silently drop
    or repair (see the module docstring). The plain text is not trimmed; see :func:`check_message_text`.
    """
    out: list[str] = []
    utf16 = 0
    stack: list[_Open] = []
    found: list[tuple[int, Entity]] = []  # (order of the start tag, entity)
    order = 0
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        if ch == "&":
            decoded = _decode_entity(text, i, strict)
            if decoded is not None:
                char, i = decoded
                out.append(char)
                utf16 += 2 if ord(char) > 0xFFFF else 1
                continue
        elif ch == ">" and strict:
            raise _fail(f'Character ">" must be escaped as "&gt;" at byte offset {_byte_offset(text, i)}')
        if ch != "<":
            out.append(ch)
            utf16 += 2 if ord(ch) > 0xFFFF else 1
            i += 1
            continue

        begin = i
        begin_byte = _byte_offset(text, begin)
        i += 1
        if i >= n or text[i] != "/":
            # ---- start tag ----------------------------------------------------------------------------
            while i < n and not _is_space(text[i]) and text[i] != ">":
                i += 1
            if i >= n:
                raise _fail(f"Unclosed start tag at byte offset {begin_byte}")
            tag = text[begin + 1 : i].lower()
            if tag not in _TAG_TYPES:
                raise _fail(f'Unsupported start tag "{tag}" at byte offset {begin_byte}')
            attributes: dict[str, str | None] = {}
            while True:
                while i < n and _is_space(text[i]):
                    i += 1
                if i >= n:
                    raise _fail(f'Unclosed start tag "{tag}" at byte offset {begin_byte}')
                if text[i] == ">":
                    i += 1
                    break
                name_start = i
                while i < n and not _is_space(text[i]) and text[i] not in "=>":
                    i += 1
                attr_name = text[name_start:i]
                if not attr_name:
                    raise _fail(f'Empty attribute name in the tag "{tag}" at byte offset {begin_byte}')
                while i < n and _is_space(text[i]):
                    i += 1
                if i >= n:
                    raise _fail(f'Unclosed start tag "{tag}" at byte offset {begin_byte}')
                value: str | None = None
                if text[i] == "=":
                    i += 1
                    while i < n and _is_space(text[i]):
                        i += 1
                    if i >= n:
                        raise _fail(f'Unclosed start tag "{tag}" at byte offset {begin_byte}')
                    if text[i] not in "\"'":
                        token = _NAME_TOKEN.match(text, i)
                        token_end = token.end() if token else i
                        value = text[i:token_end].lower()
                        if token_end >= n or (not _is_space(text[token_end]) and text[token_end] != ">"):
                            raise _fail(
                                f"Unexpected end of name token at byte offset {_byte_offset(text, i)}"
                            )
                        i = token_end
                    else:
                        quote = text[i]
                        i += 1
                        chars: list[str] = []
                        while i < n and text[i] != quote:
                            if text[i] == "&":
                                decoded = _decode_entity(text, i, strict)
                                if decoded is not None:
                                    chars.append(decoded[0])
                                    i = decoded[1]
                                    continue
                            chars.append(text[i])
                            i += 1
                        if i >= n:
                            raise _fail(f"Unclosed start tag at byte offset {begin_byte}")
                        i += 1
                        value = "".join(chars)
                    if i >= n:
                        raise _fail(f"Unclosed start tag at byte offset {begin_byte}")
                elif not (tag == "blockquote" and attr_name == "expandable") and strict:
                    raise _fail(
                        "Expected equal sign in declaration of an attribute of the tag "
                        f'"{tag}" at byte offset {begin_byte}'
                    )
                if strict:
                    if attr_name not in _ALLOWED_ATTRIBUTES.get(tag, frozenset()):
                        raise _fail(
                            f'Unsupported attribute "{attr_name}" in the tag "{tag}" at byte offset '
                            f"{begin_byte}"
                        )
                    if attr_name in attributes:
                        raise _fail(
                            f'Repeated attribute "{attr_name}" in the tag "{tag}" at byte offset {begin_byte}'
                        )
                attributes[attr_name] = value

            entity_type = _TAG_TYPES[tag]
            argument: str | None = None
            if tag == "span":
                if attributes.get("class") != "tg-spoiler":
                    raise _fail(f'Tag "span" must have class "tg-spoiler" at byte offset {begin_byte}')
            elif tag == "a":
                argument = attributes.get("href")
                if strict and (argument is None or not _valid_url(argument)):
                    got = "none" if argument is None else repr(argument)
                    raise _fail(
                        f'Tag "a" must have a valid http(s):// or tg:// URL in href (got {got}) '
                        f"at byte offset {begin_byte}"
                    )
            elif tag == "tg-emoji":
                argument = attributes.get("emoji-id")
                if argument is None or not argument.isdigit() or not 0 < int(argument) < 2**63:
                    raise _fail("Invalid custom emoji identifier specified")
            elif tag == "code":
                css = attributes.get("class")
                if css is not None and css.startswith("language-") and len(css) > len("language-"):
                    argument = css[len("language-") :]
                elif css is not None and strict:
                    raise _fail(
                        f'Tag "code" takes only class="language-..." (got {css!r}) at byte offset '
                        f"{begin_byte}"
                    )
            elif tag == "blockquote" and "expandable" in attributes:
                entity_type = "expandable_blockquote"

            if strict:
                _check_nesting(stack, tag, entity_type, argument, utf16, begin_byte)
            if stack:
                stack[-1].children.append(entity_type)
            stack.append(_Open(tag, entity_type, argument, utf16, begin_byte, order))
            order += 1
        else:
            # ---- end tag ------------------------------------------------------------------------------
            if not stack:
                raise _fail(f"Unexpected end tag at byte offset {begin_byte}")
            i += 1
            while i < n and not _is_space(text[i]) and text[i] != ">":
                i += 1
            end_name = text[begin + 2 : i]
            while i < n and _is_space(text[i]):
                i += 1
            if i >= n or text[i] != ">":
                raise _fail(f"Unclosed end tag at byte offset {begin_byte}")
            i += 1
            top = stack[-1]
            if end_name and end_name != top.tag:
                raise _fail(
                    f'Unmatched end tag at byte offset {begin_byte}, expected "</{top.tag}>", '
                    f'found "</{end_name}>"'
                )
            stack.pop()
            _close(top, stack, found, utf16, strict)

    if stack:
        raise _fail(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    plain = "".join(out)
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in plain):
        raise _fail(
            "Text contains invalid Unicode characters after decoding HTML entities, check for unmatched "
            "surrogate code units"
        )
    found.sort(key=lambda item: (item[1].offset, -item[1].length, item[0]))
    # A language survives only on pre; Telegram clears it from a code entity left on its own.
    entities = tuple(replace(e, language=None) if e.type == "code" else e for _, e in found)
    return ParsedHtml(plain, entities)


def _check_nesting(
    stack: list[_Open], tag: str, entity_type: str, argument: str | None, utf16: int, begin_byte: int
) -> None:
    """Strict mode: refuse nesting that Telegram would silently undo."""
    where = f"at byte offset {begin_byte}"
    for outer in stack:
        if outer.type == "code":
            raise _fail(f'Tag "{tag}" can\'t be used inside "code" {where}')
        if outer.type == "pre":
            if tag != "code" or outer is not stack[-1]:
                raise _fail(f'Tag "{tag}" can\'t be used inside "pre" {where}; only one <code class=...> may')
            if outer.children or utf16 != outer.utf16_offset:
                raise _fail(f'Tag "code" inside "pre" must wrap the whole block {where}')
            continue
        if outer.type in ("blockquote", "expandable_blockquote") and entity_type in (
            "blockquote",
            "expandable_blockquote",
        ):
            raise _fail(f"Blockquotes can't be nested {where}")
        if outer.type in _EXCLUSIVE and (entity_type in _EXCLUSIVE or "blockquote" in entity_type):
            raise _fail(f'Tag "{tag}" can\'t be used inside "{outer.tag}" {where}')
        if outer.type in _FORMATTING and entity_type in ("code", "pre"):
            raise _fail(
                f'Tag "{tag}" can\'t be used inside "{outer.tag}" {where}: Telegram drops formatting that '
                "contains code or pre"
            )
    if tag == "code" and argument is not None and not (stack and stack[-1].type == "pre"):
        raise _fail(f"Programming language can't be specified for standalone code tags {where}")


def _close(top: _Open, stack: list[_Open], found: list[tuple[int, Entity]], utf16: int, strict: bool) -> None:
    length = utf16 - top.utf16_offset
    if top.type == "custom_emoji" and length == 0 and strict:
        raise _fail(f'Tag "tg-emoji" must contain an emoji at byte offset {top.byte_offset}')
    if top.type == "pre" and found and found[-1][1].type == "code":
        inner = found[-1][1]
        if inner.offset == top.utf16_offset and inner.length == length:
            # <pre><code class="language-x">...</code></pre> is one pre entity with a language.
            found[-1] = (top.order, Entity("pre", top.utf16_offset, length, language=inner.language))
            return
        if strict and "code" in top.children:
            raise _fail(f'Tag "code" inside "pre" must wrap the whole block at byte offset {top.byte_offset}')
    if length <= 0:
        return
    if top.type == "text_link":
        if top.argument is None or not _valid_url(top.argument):
            return  # Telegram drops a link it can't parse
        found.append((top.order, Entity("text_link", top.utf16_offset, length, url=top.argument)))
    elif top.type == "custom_emoji":
        found.append(
            (top.order, Entity("custom_emoji", top.utf16_offset, length, custom_emoji_id=top.argument))
        )
    elif top.type == "code":
        in_pre = bool(stack) and stack[-1].type == "pre"
        language = top.argument if in_pre else None
        found.append((top.order, Entity("code", top.utf16_offset, length, language=language)))
    else:
        found.append((top.order, Entity(top.type, top.utf16_offset, length)))


def _trim(parsed: ParsedHtml) -> ParsedHtml:
    """Telegram trims leading and trailing whitespace from a message; entities shift and clip with it."""
    plain = parsed.plain
    stripped = plain.strip()
    if stripped == plain:
        return parsed
    if not stripped:
        return ParsedHtml("", ())
    lead = utf16_len(plain[: len(plain) - len(plain.lstrip())])
    new_len = utf16_len(stripped)
    entities: list[Entity] = []
    for entity in parsed.entities:
        start = max(entity.offset - lead, 0)
        end = min(entity.offset + entity.length - lead, new_len)
        if end > start:
            entities.append(replace(entity, offset=start, length=end - start))
    return ParsedHtml(stripped, tuple(entities))


def check_message_text(
    text: str | None,
    parse_mode: str | None,
    *,
    strict: bool = True,
    max_length: int = MAX_MESSAGE_LENGTH,
    max_entities: int = MAX_ENTITIES,
) -> ParsedHtml:
    """Validate a message text as ``sendMessage``/``editMessageText`` would; return what the user sees.

    ``parse_mode`` is ``"HTML"`` (any case) or ``None``/``""`` for plain text. The result is trimmed of
    leading/trailing whitespace as Telegram does. Rules: non-empty after parsing and trimming ("message
    text is empty"), at most ``max_length`` UTF-16 code units ("message is too long"), at most
    ``max_entities`` entities ("too many entities": Telegram silently drops entities past 100; here it is
    an error so tests fail). Markdown parse modes are not implemented by this validator and raise.
    """
    if not text:
        raise TelegramHtmlError(EMPTY_TEXT)
    mode = (parse_mode or "").lower()
    if mode == "":
        parsed = ParsedHtml(text, ())
    elif mode == "html":
        parsed = parse_telegram_html(text, strict=strict)
    elif mode in ("markdown", "markdownv2"):
        raise TelegramHtmlError(
            f"Bad Request: parse_mode {parse_mode!r} is not supported by the fake Bot API; use HTML"
        )
    else:
        raise TelegramHtmlError(UNSUPPORTED_PARSE_MODE)
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in parsed.plain):
        raise TelegramHtmlError("Bad Request: strings must be encoded in UTF-8")
    parsed = _trim(parsed)
    if not parsed.plain:
        raise TelegramHtmlError(EMPTY_TEXT)
    if parsed.utf16_length > max_length:
        raise TelegramHtmlError(TOO_LONG)
    if len(parsed.entities) > max_entities:
        raise TelegramHtmlError(TOO_MANY_ENTITIES)
    return parsed
