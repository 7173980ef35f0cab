"""Pure scheduling rules for a channel's daily question.

Nothing here reads the clock or does I/O: every function that depends on "now" takes
it as a timezone-aware datetime, and every instant it returns is an aware UTC
datetime. Wall-clock times are interpreted in the schedule's IANA zone via zoneinfo.

Decisions the scheduler loop relies on
--------------------------------------
* **Spring-forward gap.** A slot whose local time does not exist on a given day
  (02:30 in Europe/Berlin on 2026-03-29) runs once, shifted forward by the length of
  the gap (03:30 local there). This is the PEP 495 ``fold=0`` reading of a
  nonexistent time, so the slot keeps its distance from the surrounding hours.
* **Fall-back overlap.** A slot whose local time happens twice (02:30 in
  Europe/Berlin on 2026-10-25) runs once, at the first occurrence (``fold=0``).
* **One slot per local date.** A slot is identified by its local date; callers keep
  ``last_done_date`` and :func:`due_slots` never proposes a date at or before it, so
  the second pass through an ambiguous hour cannot post again.
* **Catch-up vs skip.** Only the most recent undone slot may run, and only while
  ``now`` is within ``grace`` of its instant (inclusive). Every other undone slot is
  returned as skipped so the caller can log it: nothing is dropped silently.
* **Reveal after N hours** is an absolute duration: a DST change between posting and
  reveal does not move the deadline by an hour.
* **Default reveal** is 17:00 local on the posting day; when the post time is at or
  after 17:00 that would land on the next day, so the default becomes 8 hours after
  posting instead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.records import Schedule
from questionbank.models import DIFFICULTY_NAMES

EVERY_DAY: frozenset[int] = frozenset(range(7))
WEEKDAYS: frozenset[int] = frozenset(range(5))
WEEKENDS: frozenset[int] = frozenset({5, 6})

DEFAULT_REVEAL_TIME = time(17, 0)
DEFAULT_LATE_REVEAL_HOURS = 8.0
# A reveal later than a week would overlap the next week's questions of the same
# channel in every schedule; treat it as a typo rather than a plan.
MAX_REVEAL_HOURS = 7 * 24.0


class ScheduleError(ValueError):
    """A schedule value that cannot be used (bad zone, empty day set, ...)."""


@lru_cache(maxsize=256)
def zone_for(tz: str) -> ZoneInfo:
    """The ZoneInfo for an IANA name, raising ScheduleError for unknown names."""
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ScheduleError(f"unknown time zone {tz!r}") from exc


@dataclass(frozen=True)
class RevealAt:
    """Reveal at this local wall-clock time (the posting day, else the next day)."""

    time: time

    def __post_init__(self) -> None:
        if self.time.tzinfo is not None:
            raise ScheduleError("RevealAt.time must be a naive local time")


@dataclass(frozen=True)
class RevealAfter:
    """Reveal this many hours (absolute duration) after posting."""

    hours: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.hours) and 0 < self.hours <= MAX_REVEAL_HOURS):
            raise ScheduleError(
                f"reveal delay must be more than 0 and at most {MAX_REVEAL_HOURS:g} hours"
            )


RevealRule = RevealAt | RevealAfter


def default_reveal(post_time: time) -> RevealRule:
    """17:00 the same day, or 8 hours after posting for posts at or after 17:00."""
    if post_time >= DEFAULT_REVEAL_TIME:
        return RevealAfter(DEFAULT_LATE_REVEAL_HOURS)
    return RevealAt(DEFAULT_REVEAL_TIME)


@dataclass(frozen=True)
class ScheduleSpec:
    """When a channel gets its question, when answers are revealed, and the recap day.

    ``reveal=None`` is replaced by :func:`default_reveal` at construction, so
    ``spec.reveal`` is always a RevealRule. Empty ``topics`` means every topic;
    ``difficulty=None`` means any difficulty.
    """

    time: time
    tz: str
    days: frozenset[int] = EVERY_DAY
    reveal: RevealRule | None = None
    recap_day: int | None = None
    topics: tuple[str, ...] = ()
    difficulty: str | None = None

    def __post_init__(self) -> None:
        if self.time.tzinfo is not None:
            raise ScheduleError("ScheduleSpec.time must be a naive local time")
        zone_for(self.tz)
        days = frozenset(self.days)
        if not days:
            raise ScheduleError("a schedule needs at least one day")
        if not days <= EVERY_DAY:
            raise ScheduleError("days must be weekday numbers 0 (Monday) to 6 (Sunday)")
        if self.recap_day is not None and self.recap_day not in EVERY_DAY:
            raise ScheduleError("recap_day must be 0 (Monday) to 6 (Sunday) or None")
        if self.difficulty is not None and self.difficulty not in DIFFICULTY_NAMES:
            raise ScheduleError(f"difficulty must be one of {sorted(DIFFICULTY_NAMES)} or None")
        # Frozen dataclass: normalising fields needs object.__setattr__.
        object.__setattr__(self, "days", days)
        object.__setattr__(self, "topics", tuple(self.topics))
        if self.reveal is None:
            object.__setattr__(self, "reveal", default_reveal(self.time))

    @property
    def reveal_rule(self) -> RevealRule:
        """``reveal`` with the None case excluded, for type checkers."""
        assert self.reveal is not None  # set in __post_init__
        return self.reveal


@dataclass(frozen=True, order=True)
class Slot:
    """One scheduled run: the local date it belongs to and its UTC instant."""

    local_date: date
    at: datetime


@dataclass(frozen=True)
class SlotDecision:
    """What the scheduler should do now.

    ``run`` is the slot to post now (or None); ``skipped`` are older undone slots,
    oldest first, that are past their grace window (log each, then treat the newest
    date among run/skipped as done); ``upcoming`` is the next slot after ``now``.
    """

    run: Slot | None
    skipped: tuple[Slot, ...]
    upcoming: Slot
    handled_through: date | None = None


def _require_aware(value: datetime, name: str) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime")
    return value.astimezone(UTC)


def local_instant(local_date: date, local_time: time, tz: str) -> datetime:
    """The UTC instant of a local wall-clock time, with the module's DST rules.

    ``fold=0`` gives both documented behaviours: the first occurrence of an
    ambiguous time, and a nonexistent time shifted forward by the gap (it is read
    with the offset in force before the transition).
    """
    naive = datetime.combine(local_date, local_time.replace(tzinfo=None))
    return naive.replace(tzinfo=zone_for(tz), fold=0).astimezone(UTC)


def slot_datetime(spec: ScheduleSpec, local_date: date) -> datetime:
    """The UTC instant at which the slot on ``local_date`` runs.

    The weekday is not checked here; use :func:`is_scheduled_day` for that.
    """
    return local_instant(local_date, spec.time, spec.tz)


def is_scheduled_day(spec: ScheduleSpec, local_date: date) -> bool:
    return local_date.weekday() in spec.days


def local_date_of(instant: datetime, tz: str) -> date:
    """The calendar date in ``tz`` at an aware instant."""
    return _require_aware(instant, "instant").astimezone(zone_for(tz)).date()


def _slots_between(spec: ScheduleSpec, first: date, last: date) -> list[Slot]:
    """Slots on scheduled days from ``first`` to ``last`` inclusive, in date order."""
    slots: list[Slot] = []
    day = first
    while day <= last:
        if is_scheduled_day(spec, day):
            slots.append(Slot(day, slot_datetime(spec, day)))
        day += timedelta(days=1)
    return slots


def next_slot(spec: ScheduleSpec, after: datetime) -> tuple[date, datetime]:
    """The first (local_date, utc_instant) slot strictly after ``after``."""
    after_utc = _require_aware(after, "after")
    # Start a day early: a gap-shifted slot can in principle sit later than its
    # date's midnight, and a week plus two days always contains a scheduled day.
    start = local_date_of(after_utc, spec.tz) - timedelta(days=1)
    for slot in _slots_between(spec, start, start + timedelta(days=9)):
        if slot.at > after_utc:
            return slot.local_date, slot.at
    raise AssertionError("unreachable: every non-empty day set recurs within a week")


def latest_slot_at_or_before(spec: ScheduleSpec, moment: datetime) -> Slot:
    """The most recent slot whose instant is at or before ``moment``."""
    moment_utc = _require_aware(moment, "moment")
    end = local_date_of(moment_utc, spec.tz) + timedelta(days=1)
    for slot in reversed(_slots_between(spec, end - timedelta(days=9), end)):
        if slot.at <= moment_utc:
            return slot
    raise AssertionError("unreachable: every non-empty day set recurs within a week")


def due_slots(
    spec: ScheduleSpec,
    *,
    now: datetime,
    last_done_date: date | None,
    grace: timedelta,
    not_before: datetime | None = None,
) -> SlotDecision:
    """Which slot to run now and which missed slots to record as skipped.

    Candidates are slots at or before ``now`` whose local date is after
    ``last_done_date`` and whose instant is at or after ``not_before`` (pass the
    schedule's creation or resume time so a new schedule does not fire for a slot
    that passed before it existed, and a paused stretch is not reported as missed).
    The newest candidate runs if ``now - slot.at <= grace``; all other candidates
    are skipped. With neither ``last_done_date`` nor ``not_before`` there is no
    history, so only the newest slot is considered.

    ``handled_through`` is the newest local date among run and skipped (None if
    there is nothing to do): once the caller has acted on the decision it can store
    that as its new ``last_done_date``.
    """
    now_utc = _require_aware(now, "now")
    if grace < timedelta(0):
        raise ValueError("grace must not be negative")
    floor = None if not_before is None else _require_aware(not_before, "not_before")
    upcoming = Slot(*next_slot(spec, now_utc))
    newest = latest_slot_at_or_before(spec, now_utc)

    if last_done_date is None and floor is None:
        candidates = [newest]
    else:
        starts = []
        if last_done_date is not None:
            starts.append(last_done_date + timedelta(days=1))
        if floor is not None:
            # A day early for the same reason as in next_slot; the instant filter
            # below is what actually enforces the floor.
            starts.append(local_date_of(floor, spec.tz) - timedelta(days=1))
        candidates = _slots_between(spec, max(starts), newest.local_date)
    candidates = [
        slot
        for slot in candidates
        if slot.at <= now_utc
        and (last_done_date is None or slot.local_date > last_done_date)
        and (floor is None or slot.at >= floor)
    ]
    if not candidates:
        return SlotDecision(run=None, skipped=(), upcoming=upcoming)

    latest = candidates[-1]
    older = tuple(candidates[:-1])
    if now_utc - latest.at <= grace:
        return SlotDecision(
            run=latest, skipped=older, upcoming=upcoming, handled_through=latest.local_date
        )
    return SlotDecision(
        run=None,
        skipped=(*older, latest),
        upcoming=upcoming,
        handled_through=latest.local_date,
    )


def reveal_deadline(
    rule: ScheduleSpec | RevealRule, posted_at_utc: datetime, tz: str | None = None
) -> datetime:
    """When answers to a question posted at ``posted_at_utc`` are revealed (UTC).

    RevealAt: that local time on the posting's local date, or on the next local day
    when it is not after the posting instant. RevealAfter: posting instant plus an
    absolute number of hours. ``tz`` defaults to the spec's zone when a spec is given.
    """
    posted = _require_aware(posted_at_utc, "posted_at_utc")
    if isinstance(rule, ScheduleSpec):
        tz = tz or rule.tz
        rule = rule.reveal_rule
    if isinstance(rule, RevealAfter):
        # Arithmetic on UTC instants is absolute; doing it on local wall time would
        # stretch or shrink the wait by the DST shift.
        return posted + timedelta(hours=rule.hours)
    if tz is None:
        raise ValueError("tz is required for a RevealAt rule")
    posted_day = local_date_of(posted, tz)
    deadline = local_instant(posted_day, rule.time, tz)
    if deadline <= posted:
        deadline = local_instant(posted_day + timedelta(days=1), rule.time, tz)
    return deadline


def week_bounds(local_date: date, tz: str) -> tuple[datetime, datetime]:
    """UTC [start, end) of the Monday-start local week containing ``local_date``.

    Both ends are local midnights, so a DST week is 167 or 169 hours long.
    """
    monday = local_date - timedelta(days=local_date.weekday())
    return (
        local_instant(monday, time(0, 0), tz),
        local_instant(monday + timedelta(days=7), time(0, 0), tz),
    )


def recap_datetime(spec: ScheduleSpec, local_date: date) -> datetime:
    """When the recap on ``local_date`` is sent (UTC).

    At that day's reveal when the recap day is a question day whose reveal falls on
    the same local date (so the day's question is in the recap), otherwise at the
    slot time. The scheduler should process reveals before recaps in one pass.
    """
    slot_at = slot_datetime(spec, local_date)
    if is_scheduled_day(spec, local_date):
        reveal_at = reveal_deadline(spec.reveal_rule, slot_at, spec.tz)
        if local_date_of(reveal_at, spec.tz) == local_date:
            return reveal_at
    return slot_at


def recap_window(spec: ScheduleSpec, recap_date: date) -> tuple[datetime, datetime]:
    """UTC (start, end] covered by the recap on ``recap_date``: since the last recap.

    Consecutive recaps' windows tile time with no gap or overlap, so every question
    is in exactly one recap whichever weekday the recap is on (a Monday-start week
    would leave a Friday recap without that weekend's questions).
    """
    return (
        recap_datetime(spec, recap_date - timedelta(days=7)),
        recap_datetime(spec, recap_date),
    )


def recap_due(
    spec: ScheduleSpec,
    *,
    now: datetime,
    last_recap_date: date | None,
    not_before: datetime | None = None,
    grace: timedelta | None = None,
) -> date | None:
    """The local date of the weekly recap to send now, or None.

    Only the most recent recap at or before ``now`` is ever proposed (a recap
    replaced by a newer one is stale, and returning one date makes "once a week"
    structural). It is not proposed when its date is at or before
    ``last_recap_date``, when it is before ``not_before`` (schedule creation), or
    when it is more than ``grace`` late (None: no limit).
    """
    if spec.recap_day is None:
        return None
    now_utc = _require_aware(now, "now")
    today = local_date_of(now_utc, spec.tz)
    candidate = today - timedelta(days=(today.weekday() - spec.recap_day) % 7)
    if recap_datetime(spec, candidate) > now_utc:
        candidate -= timedelta(days=7)
    recap_at = recap_datetime(spec, candidate)
    if last_recap_date is not None and candidate <= last_recap_date:
        return None
    if not_before is not None and recap_at < _require_aware(not_before, "not_before"):
        return None
    if grace is not None and now_utc - recap_at > grace:
        return None
    return candidate


def spec_of(schedule: Schedule) -> ScheduleSpec:
    """The rules of a stored schedule."""
    reveal: RevealRule = (
        RevealAt(time.fromisoformat(schedule.reveal_time))
        if schedule.reveal_time
        else RevealAfter(schedule.reveal_after_hours or DEFAULT_LATE_REVEAL_HOURS)
    )
    return ScheduleSpec(
        time=time.fromisoformat(schedule.post_time),
        tz=schedule.tz,
        days=schedule.days,
        reveal=reveal,
        recap_day=schedule.recap_day,
        topics=tuple(schedule.topics),
        difficulty=schedule.difficulty,
    )
