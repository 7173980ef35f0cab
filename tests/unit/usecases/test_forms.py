"""The answer form: opening it from a question's button and what a submission does."""

from __future__ import annotations

import pytest

from bot.ports.slack import SlackUnavailable, TriggerExpired
from bot.slack.blocks import ids
from bot.usecases import forms
from bot.usecases.channel_answers import PRIVATE_STORED
from tests.unit.builders import OTHER, USER, channel_post, dm_post, fake, reply_to
from tests.unit.fakes import TEAM


@pytest.mark.parametrize(
    ("value", "post_id"),
    [("12", 12), (" 7 ", 7), ("", None), ("abc", None), ("-3", None), ("9" * 19, None)],
)
def test_post_id_of(value, post_id):
    assert forms.post_id_of(value) == post_id


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("   ", "Write an answer before submitting."),
        (":smile: <@U1>", "I couldn't find any words: emoji and mentions alone don't count."),
        ("regularization shrinks weights", None),
    ],
)
def test_answer_problem(text, problem):
    assert forms.answer_problem(text) == problem


async def open_modal(deps, value, *, user=USER, team=TEAM):
    await forms.open_answer_modal(
        deps, team_id=team, user_id=user, value=value, trigger_id="trig-1", reply_to=reply_to(user)
    )


def replies(deps):
    return [m.text for m in fake(deps).messages(action="respond")]


async def test_the_modal_opens_for_an_open_question(deps, gateway):
    post = await channel_post(deps)
    await open_modal(deps, str(post.id))
    (opened,) = gateway.calls_to("open_view")
    assert opened["trigger_id"] == "trig-1"
    view = opened["view"]
    assert (view["callback_id"], view["private_metadata"]) == (ids.ANSWER_MODAL, str(post.id))
    assert fake(deps).messages() == []


@pytest.mark.parametrize("value", ["", "nope", "999"])
async def test_an_unknown_question_is_no_longer_available(deps, gateway, value):
    await channel_post(deps)
    await open_modal(deps, value)
    assert replies(deps) == ["That question is no longer available."]
    assert gateway.calls == []


async def test_a_question_of_another_workspace_is_no_longer_available(deps, gateway):
    post = await channel_post(deps)
    await open_modal(deps, str(post.id), team="T2")
    assert replies(deps) == ["That question is no longer available."]
    assert gateway.calls == []


async def test_a_question_gone_from_the_bank_is_no_longer_available(deps, gateway):
    async with deps.storage.transaction() as uow:
        post = await uow.posts.create(
            TEAM,
            "C1",
            "retired",
            kind="channel",
            opened_at=deps.now(),
            deadline_at=None,
            difficulty="easy",
        )
    await open_modal(deps, str(post.id))
    assert replies(deps) == ["That question is no longer available."]


async def test_a_closed_question_does_not_open_the_form(deps, gateway):
    post = await channel_post(deps, hours=1)
    deps.clock.advance(hours=2)
    await open_modal(deps, str(post.id))
    assert replies(deps) == ["Answers for this question are closed."]
    assert gateway.calls == []


async def test_someone_elses_practice_question_does_not_open_the_form(deps, gateway):
    post = await dm_post(deps, user=OTHER)
    await open_modal(deps, str(post.id))
    assert replies(deps) == ["That question was sent to someone else."]
    assert gateway.calls == []


async def test_an_expired_trigger_is_explained(deps, gateway):
    post = await channel_post(deps)
    gateway.fail("open_view", TriggerExpired("expired_trigger_id"))
    await open_modal(deps, str(post.id))
    assert replies(deps) == ["I couldn't open the answer form in time. Press *Answer* again."]


async def test_another_slack_error_is_explained(deps, gateway):
    post = await channel_post(deps)
    gateway.fail("open_view", SlackUnavailable("fatal_error"))
    await open_modal(deps, str(post.id))
    assert replies(deps) == ["I couldn't open the answer form. Press *Answer* again."]


async def submit(deps, value, text="bias and variance trade off", *, team=TEAM, user=USER):
    await forms.submit_answer(deps, team_id=team, user_id=user, post_value=value, text=text)


async def test_a_submission_to_a_channel_question_is_a_private_answer(deps):
    post = await channel_post(deps)
    await submit(deps, str(post.id))
    (answer,) = fake(deps).state.answers.values()
    assert (answer.post_id, answer.source, answer.score) == (post.id, "modal", None)
    assert [m.text for m in fake(deps).messages()] == [PRIVATE_STORED]


async def test_a_submission_to_a_practice_question_is_graded_at_once(deps):
    post = await dm_post(deps)
    await submit(deps, str(post.id))
    (answer,) = fake(deps).state.answers.values()
    assert (answer.source, answer.graded_at) == ("modal", deps.now())
    assert fake(deps).state.posts[post.id].status == "revealed"
    assert [m.key for m in fake(deps).messages()] == [f"feedback:{answer.id}"]


@pytest.mark.parametrize("value", ["", "abc", "404"])
async def test_a_submission_naming_no_question_of_the_workspace_is_dropped(deps, value):
    post = await channel_post(deps)
    await submit(deps, value)
    await submit(deps, str(post.id), team="T2")
    assert fake(deps).state.answers == {} and fake(deps).messages() == []
