"""Thread replies, edits, deletions and private answers to a channel's question."""

from __future__ import annotations

from bot.ports.requests import IncomingAnswer, MessageEvent
from bot.usecases import channel_answers
from bot.usecases.channel_answers import CLOSED, NO_WORDS, PRIVATE_STORED
from tests.unit.builders import CHANNEL, OTHER, USER, channel_post, dm_post, fake
from tests.unit.fakes import BOT_USER, TEAM

REPLY_TS = "1709000200.000001"


def thread_reply(post, *, text="bias and variance trade off", user=USER, ts=REPLY_TS, **extra):
    fields = dict(
        team_id=TEAM,
        event_id=f"Ev-{ts}",
        channel_id=post.channel_id,
        channel_type="channel",
        subtype=None,
        user_id=user,
        bot_id=None,
        text=text,
        ts=ts,
        thread_ts=post.message_ts,
    )
    return MessageEvent(**{**fields, **extra})


def edit_of(post, *, text, user=USER, ts=REPLY_TS, event_id="Ev-edit", **extra):
    fields = dict(
        team_id=TEAM,
        event_id=event_id,
        channel_id=post.channel_id,
        channel_type="channel",
        subtype="message_changed",
        user_id=None,
        bot_id=None,
        text="",
        ts="1709000300.000001",
        thread_ts=None,
        inner_user_id=user,
        inner_text=text,
        inner_ts=ts,
        inner_thread_ts=post.message_ts,
    )
    return MessageEvent(**{**fields, **extra})


def deletion_of(post, *, user=USER, ts=REPLY_TS, **extra):
    fields = dict(
        team_id=TEAM,
        event_id="Ev-delete",
        channel_id=post.channel_id,
        channel_type="channel",
        subtype="message_deleted",
        user_id=None,
        bot_id=None,
        text="",
        ts="1709000400.000001",
        thread_ts=None,
        inner_user_id=user,
        inner_ts=ts,
        inner_thread_ts=post.message_ts,
        deleted_ts=ts,
    )
    return MessageEvent(**{**fields, **extra})


def live_answers(deps):
    return [a for a in fake(deps).state.answers.values() if a.status == "live"]


async def test_a_thread_reply_is_stored_and_gets_one_check_mark(deps):
    post = await channel_post(deps)
    await channel_answers.on_message(deps, thread_reply(post))
    (answer,) = fake(deps).state.answers.values()
    assert (answer.post_id, answer.user_id, answer.source, answer.message_ts) == (
        post.id,
        USER,
        "thread",
        REPLY_TS,
    )
    assert (answer.score, answer.grade, answer.answered_at) == (None, None, deps.now())
    (ack,) = fake(deps).messages()
    assert (ack.action, ack.channel_id, ack.target_ts, ack.reaction) == (
        "react",
        CHANNEL,
        REPLY_TS,
        "white_check_mark",
    )
    # A second event for the same message (a file share, a new event id) adds no second ✅.
    deps.clock.advance(seconds=1)
    await channel_answers.on_message(deps, thread_reply(post, event_id="Ev-other", text="more"))
    assert len(fake(deps).messages()) == 1


async def test_messages_from_bots_and_the_app_itself_are_ignored(deps):
    post = await channel_post(deps)
    await channel_answers.on_message(deps, thread_reply(post, bot_id="B1"))
    await channel_answers.on_message(deps, thread_reply(post, user=BOT_USER))
    await channel_answers.on_message(deps, thread_reply(post, user=None))
    assert fake(deps).state.answers == {} and fake(deps).messages() == []


async def test_top_level_chatter_and_other_threads_are_not_answers(deps):
    post = await channel_post(deps)
    await channel_answers.on_message(deps, thread_reply(post, thread_ts=None))
    await channel_answers.on_message(deps, thread_reply(post, thread_ts=REPLY_TS))  # a parent
    await channel_answers.on_message(deps, thread_reply(post, thread_ts="1709999999.000001"))
    await channel_answers.on_message(deps, thread_reply(post, subtype="channel_join"))
    assert fake(deps).state.answers == {} and fake(deps).messages() == []


async def test_a_reply_in_a_practice_thread_is_not_a_channel_answer(deps):
    post = await dm_post(deps)
    reply = thread_reply(post, channel_type="channel")
    await channel_answers.on_message(deps, reply)
    assert fake(deps).state.answers == {}


async def test_a_reply_to_a_closed_question_gets_an_ephemeral_and_is_not_stored(deps):
    post = await channel_post(deps)
    async with deps.storage.transaction() as uow:
        await uow.posts.close(post.id, deps.now())
    await channel_answers.on_message(deps, thread_reply(post))
    (notice,) = fake(deps).messages()
    assert (notice.action, notice.channel_id, notice.user_id, notice.text) == (
        "ephemeral",
        CHANNEL,
        USER,
        CLOSED,
    )
    assert fake(deps).state.answers == {}


async def test_a_reply_after_the_deadline_is_closed_too(deps):
    post = await channel_post(deps, hours=1)
    deps.clock.advance(hours=1)  # at the deadline is late
    await channel_answers.on_message(deps, thread_reply(post))
    assert [m.text for m in fake(deps).messages()] == [CLOSED]
    assert fake(deps).state.answers == {}


async def test_a_reply_without_words_gets_an_ephemeral(deps):
    post = await channel_post(deps)
    await channel_answers.on_message(deps, thread_reply(post, text=":100: <https://x.y|link>"))
    (notice,) = fake(deps).messages()
    assert (notice.action, notice.user_id, notice.text) == ("ephemeral", USER, NO_WORDS)
    assert fake(deps).state.answers == {}


async def test_an_edit_replaces_the_answer_without_a_new_reaction(deps):
    post = await channel_post(deps)
    await channel_answers.on_message(deps, thread_reply(post, text="first thoughts"))
    deps.clock.advance(minutes=2)
    await channel_answers.on_message(deps, edit_of(post, text="better thoughts"))
    (answer,) = fake(deps).state.answers.values()
    assert (answer.text, answer.revision, answer.answered_at) == ("better thoughts", 2, deps.now())
    assert [m.action for m in fake(deps).messages()] == ["react"]


async def test_edits_by_bots_outside_threads_or_of_unknown_threads_are_ignored(deps):
    post = await channel_post(deps)
    await channel_answers.on_message(deps, thread_reply(post, text="first thoughts"))
    await channel_answers.on_message(deps, edit_of(post, text="bot", inner_bot_id="B1"))
    await channel_answers.on_message(deps, edit_of(post, text="top", inner_thread_ts=None))
    await channel_answers.on_message(
        deps, edit_of(post, text="elsewhere", inner_thread_ts="1709999999.000001")
    )
    (answer,) = fake(deps).state.answers.values()
    assert (answer.text, answer.revision) == ("first thoughts", 1)


async def test_an_edit_after_the_question_closed_does_not_count(deps):
    post = await channel_post(deps, hours=1)
    await channel_answers.on_message(deps, thread_reply(post, text="first thoughts"))
    deps.clock.advance(hours=2)
    await channel_answers.on_message(deps, edit_of(post, text="a late improvement"))
    (answer,) = fake(deps).state.answers.values()
    assert answer.text == "first thoughts"
    assert fake(deps).messages()[-1].text == CLOSED


async def test_a_deletion_withdraws_the_answer_while_the_question_is_open(deps):
    post = await channel_post(deps)
    await channel_answers.on_message(deps, thread_reply(post))
    await channel_answers.on_message(deps, thread_reply(post, user=OTHER, ts="1709000200.000002"))
    deps.clock.advance(minutes=1)
    await channel_answers.on_message(deps, deletion_of(post))
    assert [(a.user_id, a.status) for a in fake(deps).state.answers.values()] == [
        (USER, "withdrawn"),
        (OTHER, "live"),
    ]


async def test_a_deletion_after_the_reveal_leaves_the_graded_answer(deps):
    post = await channel_post(deps)
    await channel_answers.on_message(deps, thread_reply(post))
    async with deps.storage.transaction() as uow:
        await uow.posts.mark_revealed(post.id, deps.now())
    await channel_answers.on_message(deps, deletion_of(post))
    assert [a.status for a in fake(deps).state.answers.values()] == ["live"]


async def test_deletions_outside_a_question_thread_are_ignored(deps):
    post = await channel_post(deps)
    await channel_answers.on_message(deps, thread_reply(post))
    await channel_answers.on_message(deps, deletion_of(post, inner_thread_ts=None))
    await channel_answers.on_message(deps, deletion_of(post, inner_user_id=None))
    await channel_answers.on_message(deps, deletion_of(post, inner_thread_ts="1709999999.000001"))
    assert [a.status for a in fake(deps).state.answers.values()] == ["live"]


async def test_withdraw_answer_on_a_closed_post_changes_nothing(deps):
    post = await channel_post(deps)
    await channel_answers.on_message(deps, thread_reply(post))
    deps.clock.advance(hours=9)
    await channel_answers.withdraw_answer(deps, post, user_id=USER, message_ts=REPLY_TS)
    assert [a.status for a in fake(deps).state.answers.values()] == ["live"]


async def test_a_dm_with_an_open_practice_question_is_graded(deps):
    post = await dm_post(deps)
    dm = thread_reply(post, channel_type="im", thread_ts=None, text="variance and bias")
    await channel_answers.on_message(deps, dm)
    (answer,) = fake(deps).state.answers.values()
    assert (answer.source, answer.score is not None) == ("dm", True)
    assert fake(deps).state.posts[post.id].status == "revealed"
    assert [m.key for m in fake(deps).messages()] == [f"feedback:{answer.id}"]


async def test_a_dm_without_an_open_question_gets_directions(deps):
    post = await dm_post(deps)
    async with deps.storage.transaction() as uow:
        await uow.posts.mark_revealed(post.id, deps.now())
    dm = thread_reply(post, channel_type="im", thread_ts=None, text="hello there")
    await channel_answers.on_message(deps, dm)
    (note,) = fake(deps).messages()
    assert note.text.startswith("There is no open question here to answer.")
    assert fake(deps).state.answers == {}


def private(post, text="a private answer about variance", user=USER):
    return IncomingAnswer(
        team_id=TEAM,
        user_id=user,
        channel_id=post.channel_id,
        text=text,
        source="modal",
        message_ts=None,
        event_id=None,
        post_id=post.id,
    )


async def test_a_private_answer_is_stored_and_confirmed_to_its_author(deps):
    post = await channel_post(deps)
    await channel_answers.collect_private_answer(deps, private(post), post)
    (answer,) = live_answers(deps)
    assert (answer.source, answer.message_ts) == ("modal", None)
    (notice,) = fake(deps).messages()
    assert (notice.action, notice.user_id, notice.text) == ("ephemeral", USER, PRIVATE_STORED)


async def test_a_second_private_answer_replaces_the_first(deps):
    post = await channel_post(deps)
    await channel_answers.collect_private_answer(deps, private(post, "first"), post)
    deps.clock.advance(minutes=1)
    await channel_answers.collect_private_answer(deps, private(post, "second"), post)
    (answer,) = live_answers(deps)
    assert (answer.text, answer.revision) == ("second", 2)


async def test_a_private_answer_to_a_closed_question_is_refused(deps):
    post = await channel_post(deps, hours=1)
    deps.clock.advance(hours=1, seconds=1)
    await channel_answers.collect_private_answer(deps, private(post), post)
    assert [m.text for m in fake(deps).messages()] == [CLOSED]
    assert fake(deps).state.answers == {}


async def test_a_reply_to_a_question_that_vanished_is_closed(deps):
    post = await channel_post(deps)
    del fake(deps).state.posts[post.id]
    await channel_answers.collect_answer(deps, private(post), post)
    assert [m.text for m in fake(deps).messages()] == [CLOSED]
    assert fake(deps).state.answers == {}
