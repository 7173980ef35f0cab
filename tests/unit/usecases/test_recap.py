"""The weekly recap: top scorers, streaks, the hardest question, once per week."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.core.schedule import spec_of
from bot.usecases import recap
from questionbank.topics import topic_label
from tests.unit.builders import CHANNEL, channel_post, fake, stored_answer
from tests.unit.fakes import TEAM

FRIDAY = date(2024, 3, 8)
RECAP_AT = datetime(2024, 3, 8, 17, tzinfo=UTC)  # Friday's reveal: 09:00 + 8 hours


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2024, 3, day, hour, tzinfo=UTC)


async def weekday_schedule(deps):
    async with deps.storage.transaction() as uow:
        return await uow.schedules.upsert(
            TEAM,
            CHANNEL,
            post_time="09:00",
            tz="UTC",
            days=range(5),
            created_by="U9",
            now=at(1, 8),
            reveal_after_hours=8,
            recap_day=4,
        )


def medium_questions(deps, n):
    return [
        q
        for q in deps.bank
        if q.kind.value == "technical" and q.for_practice and q.difficulty.value == "medium"
    ][:n]


async def revealed_post(deps, question, opened):
    return await channel_post(deps, question=question, opened_at=opened)


async def reveal_all(deps):
    async with deps.storage.transaction() as uow:
        for post in list(fake(deps).state.posts.values()):
            await uow.posts.mark_revealed(post.id, deps.now())


def sections(message):
    return [block["text"]["text"] for block in message.blocks if block["type"] == "section"]


async def test_the_recap_lists_top_scorers_streaks_and_the_hardest_question(deps):
    schedule = await weekday_schedule(deps)
    monday_q, wednesday_q = medium_questions(deps, 2)
    monday = await revealed_post(deps, monday_q, at(4))
    wednesday = await revealed_post(deps, wednesday_q, at(6))
    await stored_answer(deps, monday, user="U1", score=1.0)
    await stored_answer(deps, monday, user="U2", score=0.5)
    await stored_answer(deps, wednesday, user="U2", score=0.2)
    await reveal_all(deps)

    await recap.send_recap(deps, schedule, spec_of(schedule), FRIDAY, RECAP_AT)

    (message,) = fake(deps).messages()
    assert (message.key, message.action, message.channel_id) == (
        f"recap:{schedule.id}:2024-03-08",
        "post",
        CHANNEL,
    )
    assert message.text == "Weekly recap: 02 Mar to 08 Mar 2024"
    assert sections(message) == [
        "*Top scorers*\n1. <@U1> · 20 pts · 1 answered\n2. <@U2> · 14 pts · 2 answered",
        "*Longest streaks*\n🔥 <@U2>: 2",
        f"*Hardest question*\n{wednesday_q.title} ({topic_label(wednesday_q.primary_topic)}): "
        "average 20%",
    ]
    assert message.blocks[-1]["elements"][0]["text"] == "2 question(s) this week. Keep it up!"


async def test_a_week_without_questions_says_so(deps):
    schedule = await weekday_schedule(deps)
    await recap.send_recap(deps, schedule, spec_of(schedule), FRIDAY, RECAP_AT)
    (message,) = fake(deps).messages()
    assert sections(message) == [
        "*Top scorers*\n_Nobody answered this week._",
        "*Longest streaks*\n_None yet._",
    ]
    assert message.blocks[-1]["elements"][0]["text"] == "0 question(s) this week. Keep it up!"


async def test_questions_before_the_window_or_without_grades_are_not_the_hardest(deps):
    schedule = await weekday_schedule(deps)
    last_week_q, ungraded_q, this_week_q = medium_questions(deps, 3)
    last_week = await revealed_post(deps, last_week_q, at(1))  # before Friday 1 March, 17:00
    await revealed_post(deps, ungraded_q, at(5))
    this_week = await revealed_post(deps, this_week_q, at(7))
    await stored_answer(deps, last_week, user="U1", score=0.0)
    await stored_answer(deps, this_week, user="U1", score=0.9)
    await reveal_all(deps)
    await recap.send_recap(deps, schedule, spec_of(schedule), FRIDAY, RECAP_AT)
    (message,) = fake(deps).messages()
    assert sections(message)[-1] == (
        f"*Hardest question*\n{this_week_q.title} ({topic_label(this_week_q.primary_topic)}): "
        "average 90%"
    )
    assert message.blocks[-1]["elements"][0]["text"] == "2 question(s) this week. Keep it up!"


async def test_sending_the_same_recap_again_is_the_same_message(deps):
    schedule = await weekday_schedule(deps)
    await recap.send_recap(deps, schedule, spec_of(schedule), FRIDAY, RECAP_AT)
    await recap.send_recap(deps, schedule, spec_of(schedule), FRIDAY, RECAP_AT)
    assert len(fake(deps).messages()) == 1


async def test_points_of_the_previous_recaps_question_are_not_counted_again(deps):
    schedule = await weekday_schedule(deps)
    (previous_friday_q,) = medium_questions(deps, 1)
    previous_friday = await revealed_post(deps, previous_friday_q, at(1))  # Friday 1 March
    await stored_answer(deps, previous_friday, user="U1", score=1.0)
    await reveal_all(deps)
    spec = spec_of(schedule)
    await recap.send_recap(deps, schedule, spec, date(2024, 3, 1), at(1, 17))
    await recap.send_recap(deps, schedule, spec, FRIDAY, RECAP_AT)
    last_week, this_week = fake(deps).messages()
    assert "<@U1> · 20 pts" in sections(last_week)[0]  # its own week's recap
    assert sections(this_week)[0] == "*Top scorers*\n_Nobody answered this week._"
