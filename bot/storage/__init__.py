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
