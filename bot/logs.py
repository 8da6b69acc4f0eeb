"""Logging for ``verbatim serve``, with the bot token (and webhook secret) redacted from every record.

httpx logs each request URL at INFO, and the Bot API URL contains the token; python-telegram-bot puts the
token in its InvalidToken message. :class:`Redactor` is a filter on the handlers, so it sees every record
from every logger, including the formatted traceback, and replaces each secret with ``[REDACTED]``.
"""

from __future__ import annotations

import logging
import sys
import urllib.parse
from collections.abc import Iterable

REDACTED = "[REDACTED]"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
NOISY = ("httpx", "httpcore", "apscheduler", "aiohttp.access", "tornado.access")


class Redactor(logging.Filter):
    """Replaces secrets in a record's message, arguments and traceback text."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        forms = set()
        for secret in secrets:
            if secret:
                forms.add(secret)
                forms.add(urllib.parse.quote(secret, safe=""))
                forms.add(urllib.parse.quote(secret))
        self.secrets = sorted((s for s in forms if len(s) >= 4), key=len, reverse=True)

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        record.msg = self.redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


def configure_logging(level: str, secrets: Iterable[str]) -> Redactor:
    """Log to stderr at ``level`` with the secrets redacted; library chatter only at DEBUG."""
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler(sys.stderr))
    redactor = Redactor(secrets)
    for handler in root.handlers:
        handler.setFormatter(logging.Formatter(FORMAT))
        for old in [f for f in handler.filters if isinstance(f, Redactor)]:
            handler.removeFilter(old)
        handler.addFilter(redactor)
    root.setLevel(level)
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)
    return redactor
