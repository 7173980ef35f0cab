"""Batched writes a reveal relies on: many outbox messages and many review cards at once,
with the same outcomes as one by one."""

from datetime import timedelta

from bot.core.records import Outgoing, ReviewWrite

from .conftest import T0


def dm(key: str, user: str = "U1") -> Outgoing:
    return Outgoing(team_id="T1", key=key, action="dm", text=f"hi {key}", user_id=user)


async def test_many_messages_get_ids_in_order_and_a_known_key_is_that_message(storage):
    async with storage.transaction() as uow:
        first = await uow.outbox.add(dm("k-5"), T0)
    messages = [dm(f"k-{n}") for n in range(450)] + [dm("k-7")]
    async with storage.transaction() as uow:
        ids = await uow.outbox.add_many(messages, T0)
    assert len(ids) == 451
    assert ids[5] == first  # recorded before: the same message
    assert ids[7] == ids[450]  # twice in the batch: one message
    assert len(set(ids)) == 450
    async with storage.reading() as uow:
        rows = await uow.outbox.get_many(ids)
    assert {row.outgoing.key for row in rows} == {f"k-{n}" for n in range(450)}
    assert {row.outgoing.text for row in rows if row.outgoing.key == "k-5"} == {"hi k-5"}


async def test_new_messages_are_announced_after_commit_and_not_after_a_rollback(storage):
    told: list[int] = []
    storage.on_new_messages(told.extend)
    async with storage.transaction() as uow:
        ids = await uow.outbox.add_many([dm("a"), dm("b")], T0)
    assert sorted(told) == sorted(ids)
    told.clear()
    try:
        async with storage.transaction() as uow:
            await uow.outbox.add_many([dm("c")], T0)
            raise RuntimeError("the step fails")
    except RuntimeError:
        pass
    assert told == []
    async with storage.reading() as uow:
        assert await uow.outbox.by_key("c") is None


async def test_many_review_cards_match_one_by_one(storage):
    due = T0 + timedelta(days=3)
    async with storage.transaction() as uow:
        await uow.reviews.save("T1", "U1", "q1", card={"n": 1}, due_at=due, score=0.5, now=T0)
        await uow.reviews.save_many(
            "T1",
            "q1",
            [ReviewWrite("U1", {"n": 2}, due, 0.9), ReviewWrite("U2", {"n": 1}, due, 0.2)],
            T0,
        )
        cards = await uow.reviews.cards_for_question("T1", "q1", ["U1", "U2", "U3"])
        u1 = await uow.reviews.cards("T1", "U1")
    assert cards == {"U1": {"n": 2}, "U2": {"n": 1}}
    assert [(c.reviews, c.last_score) for c in u1] == [(2, 0.9)]
