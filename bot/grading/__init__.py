"""Answer grading: pure, deterministic, fast. See `grade()`."""

from bot.grading.engine import grade
from bot.grading.result import PASS_THRESHOLD, Flag, Grade, KeyPointResult
from bot.grading.rubric import Rubric, RubricKeyPoint, split_claims

__all__ = [
    "PASS_THRESHOLD",
    "Flag",
    "Grade",
    "KeyPointResult",
    "Rubric",
    "RubricKeyPoint",
    "grade",
    "split_claims",
]
