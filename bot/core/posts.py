"""When a posted question takes answers (pure)."""

from __future__ import annotations

from datetime import datetime

from bot.core.records import Post


def accepts_answers(post: Post, at: datetime) -> bool:
    """Open, not closed by a reveal under way, and `at` is before the deadline (an
    answer at the deadline is late).

    Every path that stores, withdraws or acknowledges an answer asks this one rule."""
    return (
        post.status == "open"
        and post.closed_at is None
        and (post.deadline_at is None or at < post.deadline_at)
    )
