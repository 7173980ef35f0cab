"""`Store(db)`: every repository and service the app uses, over one Database."""

from __future__ import annotations

from bot.services.answers import AnswerService
from bot.services.grading_feedback import AppealService, OverrideService
from bot.services.leaderboards import LeaderboardService
from bot.services.questions import QuestionService
from bot.services.reviews import ReviewService
from bot.services.stats import StatsService
from bot.storage.claims import ClaimRepository
from bot.storage.database import Database
from bot.storage.events import EventRepository
from bot.storage.posts import PostRepository
from bot.storage.reveals import RevealRepository
from bot.storage.schedules import ScheduleRepository
from bot.storage.workspaces import UserRepository, WorkspaceRepository


class Store:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.workspaces = WorkspaceRepository(db)
        self.users = UserRepository(db)
        self.posts = PostRepository(db)
        self.reveals = RevealRepository(db)
        self.answers = AnswerService(db)
        self.events = EventRepository(db)
        self.claims = ClaimRepository(db)
        self.schedules = ScheduleRepository(db)
        self.leaderboards = LeaderboardService(db)
        self.stats = StatsService(db, self.leaderboards)
        self.reviews = ReviewService(db)
        self.overrides = OverrideService(db)
        self.appeals = AppealService(db, self.overrides)
        self.questions = QuestionService(db)
