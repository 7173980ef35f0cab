"""Every recorded request type reaches the use case that handles it."""

from __future__ import annotations

import pytest

from bot.ports.requests import (
    ButtonPress,
    HomeOpened,
    MessageEvent,
    SlashCommand,
    ViewSubmission,
)
from bot.slack.blocks import ids
from bot.usecases import inbound, practice
from bot.usecases.channel_answers import PRIVATE_STORED
from tests.unit.builders import CHANNEL, USER, channel_post, fake, reply_to, stored_answer
from tests.unit.fakes import TEAM


def press(action_id, value="-"):
    return ButtonPress(TEAM, USER, action_id, value, "trig", reply_to())


def submission(callback_id, metadata, values):
    return ViewSubmission(TEAM, USER, callback_id, metadata, values, reply_to())


def asked(deps):
    return [deps.bank.get(p.question_id) for p in fake(deps).state.posts.values()]


async def test_a_slash_command_runs_the_command(deps):
    await inbound.process(deps, SlashCommand(TEAM, USER, CHANNEL, "topics", reply_to()))
    assert [m.text for m in fake(deps).messages()] == ["mlquiz topics"]


async def test_a_message_event_is_an_answer(deps):
    post = await channel_post(deps)
    event = MessageEvent(
        TEAM,
        "Ev1",
        CHANNEL,
        "channel",
        None,
        USER,
        None,
        "bias and variance",
        "1.2",
        post.message_ts,
    )
    await inbound.process(deps, event)
    (answer,) = fake(deps).state.answers.values()
    assert (answer.post_id, answer.text) == (post.id, "bias and variance")


async def test_another_question_asks_for_the_buttons_topic(deps):
    await inbound.process(deps, press(ids.ANOTHER_QUESTION, "overfitting|easy"))
    (question,) = asked(deps)
    assert question is not None
    assert (question.primary_topic, question.difficulty.value) == ("overfitting", "easy")


async def test_practice_from_app_home_asks_any_question(deps, monkeypatch):
    calls = []

    async def another(deps, **kwargs):
        calls.append(kwargs)

    monkeypatch.setattr(practice, "another", another)
    await inbound.process(deps, press(ids.HOME_PRACTICE, "overfitting|easy"))
    assert calls == [{"team_id": TEAM, "user_id": USER, "value": "", "reply_to": reply_to()}]


@pytest.mark.parametrize("action_id", [ids.ANSWER_BUTTON, ids.APPEAL_BUTTON, "unknown"])
async def test_buttons_that_open_modals_are_not_inbox_work(deps, gateway, action_id):
    await inbound.process(deps, press(action_id, "1"))
    assert fake(deps).messages() == [] and gateway.calls == []


async def test_an_answer_form_submission_is_a_private_answer(deps):
    post = await channel_post(deps)
    values = {f"{ids.ANSWER_INPUT_BLOCK}.{ids.ANSWER_INPUT}": "regularization shrinks weights"}
    await inbound.process(deps, submission(ids.ANSWER_MODAL, str(post.id), values))
    (answer,) = fake(deps).state.answers.values()
    assert (answer.source, answer.text) == ("modal", "regularization shrinks weights")
    assert [m.text for m in fake(deps).messages()] == [PRIVATE_STORED]


async def test_an_answer_form_without_its_text_input_stores_nothing(deps):
    post = await channel_post(deps)
    values = {f"{ids.ANSWER_INPUT_BLOCK}.{ids.ANSWER_INPUT}": ["a", "list"]}
    await inbound.process(deps, submission(ids.ANSWER_MODAL, str(post.id), values))
    assert fake(deps).state.answers == {}


async def test_an_appeal_form_submission_is_an_appeal(deps):
    post = await channel_post(deps)
    answer = await stored_answer(deps, post, score=0.1)
    values = {f"{ids.APPEAL_INPUT_BLOCK}.{ids.APPEAL_INPUT}": "I covered it"}
    await inbound.process(deps, submission(ids.APPEAL_MODAL, str(answer.id), values))
    (appeal,) = fake(deps).state.appeals.values()
    assert (appeal.answer_id, appeal.note) == (answer.id, "I covered it")


async def test_an_unknown_view_is_ignored(deps):
    await inbound.process(deps, submission("something_else", "1", {}))
    assert fake(deps).messages() == []


async def test_opening_app_home_publishes_it(deps, gateway):
    await inbound.process(deps, HomeOpened(TEAM, USER))
    assert [call["user"] for call in gateway.calls_to("publish_home")] == [USER]
