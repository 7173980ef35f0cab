"""Conversions between aware datetimes and the fixed-width UTC text stored in SQLite
(the database never reads the clock: every `now` comes from the caller)."""

from __future__ import annotations

from datetime import UTC, date, datetime


def to_db(instant: datetime) -> str:
    """Fixed-width ISO-8601 UTC text, so comparing the text compares the instants."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"naive datetime {instant!r}: pass a timezone-aware UTC datetime")
    return instant.astimezone(UTC).isoformat(timespec="microseconds")


def from_db(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


def from_db_required(text: str) -> datetime:
    return datetime.fromisoformat(text)


def day_to_db(day: date) -> str:
    return day.isoformat()


def day_from_db(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def day_from_db_required(text: str) -> date:
    return date.fromisoformat(text)
