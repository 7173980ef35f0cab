"""Pydantic models for question-bank YAML files.

Every field carries a description because the same models generate
`questionbank/schema.json`, which editors use for completion and hover help.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

Slug = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", min_length=3, max_length=80),
]
NonEmptyText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
TopicName = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", min_length=2, max_length=60),
]


class Difficulty(StrEnum):
    """How hard the question is for the level it targets."""

    easy = "easy"
    medium = "medium"
    hard = "hard"


DIFFICULTY_NAMES: tuple[str, ...] = tuple(level.value for level in Difficulty)


class Kind(StrEnum):
    """technical: graded on content; behavioral: about the candidate's experience."""

    technical = "technical"
    behavioral = "behavioral"


class Use(StrEnum):
    """Where a question may appear. Interview-only questions never reach public pools
    (daily question, practice, review, stats), so candidates cannot have rehearsed them."""

    practice = "practice"
    interview = "interview"
    both = "both"


DEFAULT_INTERVIEW_MINUTES: dict[Difficulty, int] = {
    Difficulty.easy: 8,
    Difficulty.medium: 12,
    Difficulty.hard: 15,
}


class KeyPoint(BaseModel):
    """One claim a good answer makes; the grader looks for it in an answer."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: NonEmptyText = Field(
        description="The claim in plain words, as shown to the user in feedback."
    )
    aliases: list[NonEmptyText] = Field(
        default_factory=list,
        description=(
            "Other ways a person would actually type this claim: synonyms, "
            "abbreviations, common phrasings. Each is matched like the text."
        ),
    )
    weight: float = Field(
        default=1.0,
        gt=0,
        le=10,
        description="Relative importance of this key point within the question (default 1).",
    )
    required: bool = Field(
        default=False,
        description=(
            "When true, an answer that misses this point is capped below a pass, "
            "however many other points it covers."
        ),
    )


class Question(BaseModel):
    """One interview question with its rubric."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug = Field(
        description="Stable slug (lowercase words joined by hyphens); never reused or renamed."
    )
    title: NonEmptyText = Field(description="Short headline shown above the prompt.")
    prompt: NonEmptyText = Field(description="The question as asked to the user or candidate.")
    topics: list[TopicName] = Field(
        min_length=1,
        description="Topic slugs this question covers, the main one first.",
    )
    difficulty: Difficulty = Field(description="easy, medium or hard.")
    kind: Kind = Field(
        default=Kind.technical,
        description="technical (graded on content) or behavioral (experience and judgement).",
    )
    use: Use = Field(
        default=Use.both,
        description=(
            "practice (daily question and /mlquiz only), interview (interview panels only) "
            "or both (default)."
        ),
    )
    interview_minutes: int | None = Field(
        default=None,
        ge=2,
        le=90,
        description=(
            "Minutes an interviewer should allow for this question, follow-ups included; "
            "absent: estimated from the difficulty."
        ),
    )
    why_asked: NonEmptyText = Field(
        description="What the question reveals about a candidate, for interviewers."
    )
    expected_answer: NonEmptyText = Field(
        description="A complete, correct model answer, revealed after answering."
    )
    key_points: list[KeyPoint] = Field(
        min_length=1,
        description="The rubric: claims a good answer makes, each matched separately.",
    )
    strong_answer_signals: list[NonEmptyText] = Field(
        default_factory=list,
        description="What a strong candidate shows beyond the key points (interview kits).",
    )
    follow_ups: list[NonEmptyText] = Field(
        default_factory=list,
        description="Probing follow-up questions an interviewer can ask.",
    )
    references: list[NonEmptyText] = Field(
        default_factory=list,
        description="Where to read more: books, papers or documentation, by name.",
    )

    @field_validator("topics")
    @classmethod
    def _topics_unique(cls, topics: list[str]) -> list[str]:
        if len(set(topics)) != len(topics):
            raise ValueError("topics must not repeat")
        return topics

    @field_validator("key_points")
    @classmethod
    def _key_points_distinct(cls, key_points: list[KeyPoint]) -> list[KeyPoint]:
        # Two identical claims would double-count one idea in the score.
        first_index: dict[str, int] = {}
        for index, point in enumerate(key_points):
            normalized = " ".join(point.text.casefold().split())
            if normalized in first_index:
                raise PydanticCustomError(
                    "duplicate_key_point",
                    "key_points.{index}.text repeats key_points.{first}.text: '{text}'",
                    {"index": index, "first": first_index[normalized], "text": point.text},
                )
            first_index[normalized] = index
        return key_points

    @property
    def primary_topic(self) -> str:
        return self.topics[0]

    @property
    def for_practice(self) -> bool:
        """May appear in the daily question, /mlquiz ask, review and stats."""
        return self.use is not Use.interview

    @property
    def for_interview(self) -> bool:
        """May be planned into an interview panel."""
        return self.use is not Use.practice

    @property
    def minutes(self) -> int:
        """Interview time to allow: the question's own figure, else by difficulty."""
        if self.interview_minutes is not None:
            return self.interview_minutes
        return DEFAULT_INTERVIEW_MINUTES[self.difficulty]


class BankFile(BaseModel):
    """The top level of a bank YAML file."""

    model_config = ConfigDict(extra="forbid")

    questions: list[Question] = Field(
        min_length=1, description="The questions defined in this file."
    )
