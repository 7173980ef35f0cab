"""SQLite storage: `Database` (connection, transactions, migrations) and repositories."""

from bot.storage.database import Database
from bot.storage.records import (
    AnswerIn,
    AnswerRow,
    Appeal,
    Claim,
    HumanLabel,
    LeaderboardRow,
    Override,
    Post,
    RecordResult,
    ReviewCard,
    Schedule,
    TopicMastery,
    User,
    UserStats,
    Workspace,
)

__all__ = [
    "AnswerIn",
    "AnswerRow",
    "Appeal",
    "Claim",
    "Database",
    "HumanLabel",
    "LeaderboardRow",
    "Override",
    "Post",
    "RecordResult",
    "ReviewCard",
    "Schedule",
    "TopicMastery",
    "User",
    "UserStats",
    "Workspace",
]


def __getattr__(name: str) -> object:
    # `Store` bundles services that import this package; loaded on first use to avoid
    # an import cycle while keeping `from bot.storage import Store` working.
    if name == "Store":
        from bot.services.store import Store

        return Store
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
