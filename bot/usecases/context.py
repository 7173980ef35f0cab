"""Everything a use case needs, wired once in `bot.app.build_app` (no globals)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import Clock
from bot.config import Settings
from bot.tasks import BackgroundTasks
from questionbank.loader import Bank


@dataclass
class AppContext:
    settings: Settings
    store: Any  # bot.storage.Store
    bank: Bank
    client: AsyncWebClient
    clock: Clock
    tasks: BackgroundTasks
    rng: random.Random = field(default_factory=random.Random)
    team_id: str = ""
    bot_user_id: str = ""
    http: Any = None  # the shared aiohttp session for response_url posts
    last_reveal: Any = None  # timings of the latest reveal (RevealTimings), for benchmarks

    def now(self):
        return self.clock()
