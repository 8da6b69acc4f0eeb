"""The Telegram bot's settings: the core settings (retrieval.settings) plus the bot's own.

Built once, in ``verbatim serve`` (bot/cli.py), and passed down. Every field is documented in ``.env.example``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import NoDecode

from retrieval.settings import Settings


class BotSettings(Settings):
    # --- telegram -----------------------------------------------------------------------------------
    telegram_bot_token: SecretStr | None = None
    admin_user_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    telegram_base_url: str = "https://api.telegram.org/bot"
    # webhook mode when a public URL is set, else long polling
    telegram_webhook_url: str | None = None
    telegram_webhook_listen: str = "0.0.0.0"
    telegram_webhook_port: int = Field(default=8443, ge=1, le=65535)
    telegram_webhook_secret: SecretStr | None = None
    telegram_state_file: Path | None = None  # None: <index_dir>/bot-state.sqlite
    # redis://host:6379/0: the state in Redis, shared by several `verbatim serve` processes (bot/state_redis.py),
    # which then also answer each update once; unset: the SQLite file above, for one process
    telegram_state_url: str | None = None
    telegram_example_question: str = "What did Putin say about Rutte?"
    # PTB's base_file_url form: where getFile's file paths are downloaded from
    telegram_base_file_url: str = "https://api.telegram.org/file/bot"
    # --- articles added from the chat (bot/uploads.py) --------------------------------------------------
    max_upload_mb: float = Field(default=20.0, gt=0)  # a document or /add page larger than this is refused
    allow_private_urls: bool = False  # /add to private, loopback or link-local addresses (tests, intranets)
    add_url_timeout: float = Field(default=20.0, gt=0)  # seconds for one /add download, all of it
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @property
    def state_file(self) -> Path:
        """Where the bot keeps its state (answers behind buttons)."""
        return self.telegram_state_file or self.index_dir / "bot-state.sqlite"

    @field_validator(
        "telegram_bot_token", "telegram_webhook_url", "telegram_webhook_secret", "telegram_state_file",
        "telegram_state_url", mode="before",
    )
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        """An empty line in .env (``TELEGRAM_WEBHOOK_URL=``) means "not set"."""
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("admin_user_ids", mode="before")
    @classmethod
    def _parse_ids(cls, value: object) -> object:
        """Accept "1, 2 3" from the environment; refuse usernames: only numeric ids are trusted."""
        if isinstance(value, str):
            parts = [p for p in value.replace(",", " ").split() if p]
            bad = [p for p in parts if not p.lstrip("-").isdigit()]
            if bad:
                raise ValueError(f"ADMIN_USER_IDS takes numeric Telegram user ids only, not {bad}")
            return frozenset(int(p) for p in parts)
        return value
