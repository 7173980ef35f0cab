"""Appeals of a grade by its author, and human overrides that then count."""

from __future__ import annotations

import pytest

from bot.ports.slack import SlackUnavailable
from bot.slack.blocks import ids
from bot.usecases import appeals
from bot.usecases.appeals import NOT_YOURS
from bot.usecases.standings import top
from tests.unit.builders import OTHER, USER, channel_post, fake, reply_to, stored_answer
from tests.unit.fakes import TEAM


def said(deps):
    return [m.text for m in fake(deps).messages(action="respond")]


async def graded_answer(deps, *, user=USER, score=0.25):
    post = await channel_post(deps)  # medium: 20 points for a perfect answer
    return post, await stored_answer(deps, post, user=user, score=score)


async def open_modal(deps, value, *, user=USER, team=TEAM):
    await appeals.open_appeal_modal(
        deps, team_id=team, user_id=user, value=value, trigger_id="trig", reply_to=reply_to(user)
    )


async def test_the_author_gets_the_appeal_form(deps, gateway):
    post, answer = await graded_answer(deps)
    await open_modal(deps, str(answer.id))
    (opened,) = gateway.calls_to("open_view")
    view = opened["view"]
    assert (opened["trigger_id"], view["callback_id"], view["private_metadata"]) == (
        "trig",
        ids.APPEAL_MODAL,
        str(answer.id),
    )
    question = deps.bank.get(post.question_id)
    assert question is not None and question.title in str(view["blocks"])
    assert fake(deps).messages() == []


@pytest.mark.parametrize(
    ("value", "user", "team"),
    [
        ("1", OTHER, TEAM),
        ("1", USER, "T2"),
        ("x", USER, TEAM),
        ("42", USER, TEAM),
    ],
)
async def test_only_the_author_may_open_the_appeal_form(deps, gateway, value, user, team):
    await graded_answer(deps)
    await open_modal(deps, value, user=user, team=team)
    assert said(deps) == [NOT_YOURS]
    assert gateway.calls_to("open_view") == []


async def test_a_form_that_does_not_open_is_explained(deps, gateway):
    _, answer = await graded_answer(deps)
    gateway.fail("open_view", SlackUnavailable("fatal_error"))
    await open_modal(deps, str(answer.id))
    assert said(deps) == ["I couldn't open the appeal form. Press it again."]


async def submit(deps, value, note="the grader missed my second point", *, user=USER, team=TEAM):
    await appeals.submit_appeal(
        deps, team_id=team, user_id=user, answer_value=value, note=note, reply_to=reply_to(user)
    )


async def test_an_appeal_is_stored_for_review(deps):
    _, answer = await graded_answer(deps)
    await submit(deps, str(answer.id), "x" * 2500)
    (appeal,) = fake(deps).state.appeals.values()
    assert (appeal.answer_id, appeal.user_id, appeal.status) == (answer.id, USER, "open")
    assert appeal.note == "x" * 2000
    assert said(deps) == ["Thanks: your appeal is recorded and will be reviewed."]


async def test_appealing_again_while_open_updates_the_note(deps):
    _, answer = await graded_answer(deps)
    await submit(deps, str(answer.id), "first")
    await submit(deps, str(answer.id), "second")
    assert [a.note for a in fake(deps).state.appeals.values()] == ["second"]


@pytest.mark.parametrize(
    ("value", "user", "team"),
    [
        ("1", OTHER, TEAM),
        ("1", USER, "T2"),
        ("", USER, TEAM),
        ("42", USER, TEAM),
    ],
)
async def test_only_the_author_may_appeal(deps, value, user, team):
    await graded_answer(deps)
    await submit(deps, value, user=user, team=team)
    assert fake(deps).state.appeals == {}
    assert said(deps) == [NOT_YOURS]


async def test_an_override_replaces_the_score_and_the_board_follows(deps):
    _, answer = await graded_answer(deps, score=0.25)
    async with deps.storage.transaction() as uow:
        override = await appeals.override_grade(
            uow,
            team_id=TEAM,
            answer_id=answer.id,
            by_user_id=OTHER,
            score=0.75,
            note="fair",
            now=deps.now(),
        )
        board = await top(uow, TEAM, now=deps.now())
    assert (override.old_score, override.score, override.by_user_id) == (0.25, 0.75, OTHER)
    stored = fake(deps).state.answers[answer.id]
    assert (stored.score, stored.points) == (0.75, 15)
    assert stored.grade == answer.grade  # the machine's grade is kept for calibration
    assert [(row.user_id, row.points) for row in board] == [(USER, 15)]


async def test_an_override_of_a_practice_answer_earns_no_points(deps):
    async with deps.storage.transaction() as uow:
        post = await uow.posts.create(
            TEAM,
            "DU1",
            "any",
            kind="dm",
            opened_at=deps.now(),
            deadline_at=None,
            difficulty="hard",
            user_id=USER,
        )
    answer = await stored_answer(deps, post, score=0.1)
    async with deps.storage.transaction() as uow:
        await appeals.override_grade(
            uow,
            team_id=TEAM,
            answer_id=answer.id,
            by_user_id=OTHER,
            score=1.0,
            note="",
            now=deps.now(),
        )
    assert fake(deps).state.answers[answer.id].points == 0


@pytest.mark.parametrize(
    ("answer_id", "team", "score", "error"),
    [
        (1, TEAM, 1.5, ValueError),
        (1, TEAM, -0.1, ValueError),
        (9, TEAM, 0.5, LookupError),
        (1, "T2", 0.5, LookupError),
    ],
)
async def test_an_override_needs_a_score_in_range_and_an_answer_of_the_workspace(
    deps, answer_id, team, score, error
):
    await graded_answer(deps)
    with pytest.raises(error):
        async with deps.storage.transaction() as uow:
            await appeals.override_grade(
                uow,
                team_id=team,
                answer_id=answer_id,
                by_user_id=OTHER,
                score=score,
                note="",
                now=deps.now(),
            )
    assert fake(deps).state.overrides == {}
    assert fake(deps).state.answers[1].score == 0.25


async def open_appeal(deps, score=0.25):
    _, answer = await graded_answer(deps, score=score)
    await submit(deps, str(answer.id))
    return answer, next(iter(fake(deps).state.appeals.values()))


async def test_accepting_an_appeal_with_a_score_overrides_the_grade(deps):
    answer, appeal = await open_appeal(deps)
    closed = await appeals.resolve_appeal(
        deps, appeal.id, accepted=True, by_user_id=OTHER, note="right", score=1.0
    )
    assert (closed.status, closed.resolved_by, closed.resolution_note) == (
        "accepted",
        OTHER,
        "right",
    )
    assert closed.resolved_at == deps.now()
    stored = fake(deps).state.answers[answer.id]
    assert (stored.score, stored.points) == (1.0, 20)
    (override,) = fake(deps).state.overrides.values()
    assert (override.old_score, override.score, override.note) == (0.25, 1.0, "right")


@pytest.mark.parametrize(("accepted", "status"), [(True, "accepted"), (False, "rejected")])
async def test_resolving_without_a_score_keeps_the_grade(deps, accepted, status):
    answer, appeal = await open_appeal(deps)
    closed = await appeals.resolve_appeal(
        deps, appeal.id, accepted=accepted, by_user_id=OTHER, score=None
    )
    assert closed.status == status
    assert fake(deps).state.answers[answer.id].score == 0.25
    assert fake(deps).state.overrides == {}


async def test_a_rejected_appeal_ignores_a_score(deps):
    answer, appeal = await open_appeal(deps)
    await appeals.resolve_appeal(deps, appeal.id, accepted=False, by_user_id=OTHER, score=1.0)
    assert fake(deps).state.answers[answer.id].score == 0.25


async def test_an_appeal_is_resolved_once(deps):
    _, appeal = await open_appeal(deps)
    await appeals.resolve_appeal(deps, appeal.id, accepted=False, by_user_id=OTHER)
    with pytest.raises(ValueError, match="already rejected"):
        await appeals.resolve_appeal(deps, appeal.id, accepted=True, by_user_id=OTHER, score=1)
    with pytest.raises(LookupError):
        await appeals.resolve_appeal(deps, 404, accepted=True, by_user_id=OTHER)
    assert fake(deps).state.overrides == {}
