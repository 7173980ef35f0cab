"""Use cases over the storage repositories; `Store(db)` bundles them for the app."""

from bot.services.answers import AnswerService, AnswerToRecord
from bot.services.store import Store

__all__ = ["AnswerService", "AnswerToRecord", "Store"]
