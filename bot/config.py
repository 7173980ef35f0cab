"""Settings from the environment and `.env`, validated once at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


def _split_list(value: object) -> object:
    # Env vars hold lists as comma- or whitespace-separated text.
    if isinstance(value, str):
        return [item for item in value.replace(",", " ").split() if item]
    return value


class Settings(BaseSettings):
    """Every setting has an env var of the same name in upper case."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    slack_bot_token: SecretStr | None = Field(
        default=None, description="Bot token (xoxb-...). Absent: run offline against the stand-in."
    )
    slack_app_token: SecretStr | None = Field(
        default=None, description="App-level token (xapp-...) with connections:write: Socket Mode."
    )
    slack_signing_secret: SecretStr | None = Field(
        default=None, description="Signing secret that verifies requests over HTTP."
    )
    slack_api_url: str = Field(
        default="https://slack.com/api/", description="Web API base URL (the stand-in offline)."
    )
    database_path: Path = Field(default=Path("mlquiz.db"), description="SQLite database file.")
    bank_dirs: Annotated[list[Path], NoDecode] = Field(
        default_factory=list, description="Extra question-bank folders, comma separated."
    )
    admin_user_ids: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Slack user ids allowed to run admin subcommands."
    )
    host: str = Field(default="127.0.0.1", description="HTTP bind address for `mlquiz serve`.")
    port: int = Field(default=3000, ge=0, le=65535, description="HTTP port for `mlquiz serve`.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO", description="Minimum log level."
    )
    log_format: Literal["text", "json"] = Field(default="text", description="Log line format.")
    scheduler_tick_seconds: float = Field(
        default=20.0, gt=0, description="How often the scheduler looks for due work."
    )
    slack_retry_backoff_seconds: float = Field(
        default=0.5, ge=0, description="Base of the exponential backoff on Slack 5xx/timeouts."
    )
    slack_max_retries: int = Field(
        default=6, ge=0, le=20, description="Retries of one Slack call on 429, 5xx or timeout."
    )
    catch_up_grace_minutes: int = Field(
        default=120, ge=0, description="A missed daily slot younger than this is caught up."
    )
    clock_offset_seconds: float = Field(
        default=0.0,
        description=(
            "Run as if the wall clock were shifted by this many seconds (rehearsing a "
            "schedule, the crash tests); 0 in production."
        ),
    )

    @field_validator("bank_dirs", "admin_user_ids", mode="before")
    @classmethod
    def _lists(cls, value: object) -> object:
        return _split_list(value)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @property
    def online(self) -> bool:
        return self.slack_bot_token is not None


class SettingsError(Exception):
    """A setting has a bad value; the message is one line naming the variable."""


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment, with `overrides` given as field values or as
    pydantic-settings options (`_env_file=None`); pydantic validates them all."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        # Never echo the value of a secret, even a malformed one.
        shown = "" if "TOKEN" in name or "SECRET" in name else f" (got {first.get('input')!r})"
        raise SettingsError(f"{name}: {first['msg']}{shown}") from None


def setting_docs() -> list[tuple[str, str, str]]:
    """(ENV_VAR, default, description) for every setting, for the README and `--help`."""
    rows: list[tuple[str, str, str]] = []
    for name, field in Settings.model_fields.items():
        default = field.get_default(call_default_factory=True)
        rows.append((name.upper(), repr(default), field.description or ""))
    return rows
