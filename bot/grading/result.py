"""What a grade is: plain frozen dataclasses that round-trip through JSON for storage."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

# A score at or above this passes. Chosen with `mlquiz calibrate` against human grades.
PASS_THRESHOLD = 0.6

# Bumped whenever a change to the grader can move scores, so stored grades say which
# grader produced them.
GRADER_VERSION = "5"

Status = Literal["covered", "partial", "missed"]
FlagCode = Literal["too_short", "keyword_list", "copied_reference", "off_topic", "negated"]
STATUSES: tuple[str, ...] = ("covered", "partial", "missed")
FLAG_CODES: tuple[str, ...] = (
    "too_short",
    "keyword_list",
    "copied_reference",
    "off_topic",
    "negated",
)


@dataclass(frozen=True, slots=True)
class KeyPointResult:
    """How one key point fared: its status, best similarity and the words that matched."""

    text: str
    status: Status
    similarity: float
    snippet: str | None
    weight: float = 1.0
    required: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "status": self.status,
            "similarity": round(self.similarity, 4),
            "snippet": self.snippet,
            "weight": self.weight,
            "required": self.required,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KeyPointResult:
        status = data["status"]
        if status not in STATUSES:
            raise ValueError(f"unknown key point status {status!r}")
        return cls(
            text=str(data["text"]),
            status=status,
            similarity=float(data["similarity"]),
            snippet=data.get("snippet"),
            weight=float(data.get("weight", 1.0)),
            required=bool(data.get("required", False)),
        )


@dataclass(frozen=True, slots=True)
class Flag:
    """Something about the answer as a whole, with a short explanation for the user."""

    code: FlagCode
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Flag:
        code = data["code"]
        if code not in FLAG_CODES:
            raise ValueError(f"unknown flag code {code!r}")
        return cls(code=code, message=str(data["message"]))


@dataclass(frozen=True, slots=True)
class Grade:
    """The outcome of grading one answer."""

    score: float
    key_points: list[KeyPointResult] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    version: str = GRADER_VERSION
    # The weighted share of the key points' credit the answer earned, before caps (None in
    # grades stored by graders before version 5).
    coverage: float | None = None
    # What held the score down, when something did: a missed required point ("required"),
    # or the flag whose cap applied ("copied_reference", "off_topic", "keyword_list",
    # "too_short").
    limited_by: str | None = None

    @property
    def passed(self) -> bool:
        return self.score >= PASS_THRESHOLD

    @property
    def flag_codes(self) -> list[str]:
        return [f.code for f in self.flags]

    def has_flag(self, code: str) -> bool:
        return any(f.code == code for f in self.flags)

    def to_dict(self) -> dict[str, Any]:
        data = {
            "score": round(self.score, 4),
            "passed": self.passed,
            "key_points": [kp.to_dict() for kp in self.key_points],
            "flags": [f.to_dict() for f in self.flags],
            "version": self.version,
        }
        if self.coverage is not None:
            data["coverage"] = round(self.coverage, 4)
        if self.limited_by is not None:
            data["limited_by"] = self.limited_by
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Grade:
        score = float(data["score"])
        if not 0.0 <= score <= 1.0:
            raise ValueError(f"score {score} outside [0, 1]")
        return cls(
            score=score,
            key_points=[KeyPointResult.from_dict(kp) for kp in data.get("key_points", [])],
            flags=[Flag.from_dict(f) for f in data.get("flags", [])],
            version=str(data.get("version", GRADER_VERSION)),
            coverage=float(data["coverage"]) if data.get("coverage") is not None else None,
            limited_by=_limit(data.get("limited_by")),
        )


LIMITS: tuple[str, ...] = ("required", "copied_reference", "off_topic", "keyword_list", "too_short")


def _limit(value: Any) -> str | None:
    if value is None:
        return None
    if value not in LIMITS:
        raise ValueError(f"unknown limit {value!r}")
    return str(value)
