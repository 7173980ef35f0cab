"""`as_dict` renders the builders' models exactly as slack_sdk's `to_dict()` does."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.slack.blocks.common import (
    actions,
    as_dict,
    button,
    context,
    divider,
    header,
    render,
    section,
)

texts = st.text(min_size=1, max_size=400)
ids = st.text(alphabet="abcdefghij_0123456789", min_size=1, max_size=40)
buttons = st.builds(
    button,
    texts,
    ids,
    st.text(max_size=200),
    style=st.sampled_from([None, "primary", "danger"]),
)
blocks = st.one_of(
    st.builds(header, texts),
    st.builds(section, st.text(max_size=4000), block_id=st.none() | ids),
    st.builds(lambda t, b: section(t, accessory=b), texts, buttons),
    st.lists(texts, min_size=1, max_size=10).map(lambda parts: context(*parts)),
    st.lists(buttons, min_size=1, max_size=5).map(lambda bs: actions(*bs)),
    st.builds(lambda b, i: actions(b, block_id=i), buttons, ids),
    st.just(divider()),
)


@given(blocks)
def test_as_dict_is_to_dict(block):
    assert as_dict(block) == block.to_dict()


@given(st.lists(blocks, max_size=60))
def test_render_keeps_slacks_block_limit(many):
    rendered = render(many)
    assert len(rendered) <= 50
    if len(many) <= 50:
        assert rendered == [b.to_dict() for b in many]
