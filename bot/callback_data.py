"""What a button carries: a short opaque key and a number, never a file name or a question.

``m:<key>:<offset>`` asks for more quotes from ``offset``; ``c:<key>:<n>`` asks for the context of quote
``[n]``; ``r:<key>:1`` (``:0``) confirms (cancels) the /remove whose source the key stands for. The key
names a row of the bot's state file (state.py), which survives restarts; anything that does not parse
exactly is refused, and an unknown key means the answer expired. At most 64 bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

MAX_BYTES: Final = 64  # Telegram's limit on callback_data
MAX_NUMBER: Final = 9999
KEY_PATTERN: Final = r"[A-Za-z0-9_-]{12}"
_DATA = re.compile(rf"(?P<kind>[mcr]):(?P<key>{KEY_PATTERN}):(?P<number>0|[1-9][0-9]{{0,3}})")


@dataclass(frozen=True)
class MoreQuotes:
    key: str
    offset: int  # how many quotes were already shown


@dataclass(frozen=True)
class ShowContext:
    key: str
    number: int  # the quote's [n], 1-based


@dataclass(frozen=True)
class RemoveSource:
    key: str  # names the source in the state file's meta (bot/admin.py), never the name itself
    confirmed: bool  # Remove (True) or Cancel (False)


Button = MoreQuotes | ShowContext | RemoveSource


def encode(button: Button) -> str:
    if isinstance(button, MoreQuotes):
        kind, number = "m", button.offset
    elif isinstance(button, ShowContext):
        kind, number = "c", button.number
    else:
        kind, number = "r", int(button.confirmed)
    data = f"{kind}:{button.key}:{number}"
    if not _DATA.fullmatch(data):
        raise ValueError(f"cannot encode {button!r}")
    assert len(data.encode("utf-8")) <= MAX_BYTES
    return data


def decode(data: object) -> Button | None:
    """The button that ``data`` encodes, or None when it is not exactly one of ours."""
    if not isinstance(data, str):
        return None
    match = _DATA.fullmatch(data)
    if match is None:
        return None
    key, number = match["key"], int(match["number"])
    if match["kind"] == "m":
        return MoreQuotes(key, number)
    if match["kind"] == "r":
        return RemoveSource(key, number == 1) if number <= 1 else None
    return ShowContext(key, number) if number >= 1 else None
