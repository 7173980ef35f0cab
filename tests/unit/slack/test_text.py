import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.logs import redact
from bot.slack.text import escape, quote


def test_escape_neutralises_pings_and_markup():
    assert escape("<!channel> hi <@U123> & <https://x|y>") == (
        "&lt;!channel&gt; hi &lt;@U123&gt; &amp; &lt;https://x|y&gt;"
    )


@given(st.text())
def test_escaped_text_has_no_raw_control_characters(text):
    escaped = escape(text)
    assert "<" not in escaped and ">" not in escaped
    assert escaped.replace("&amp;", "").replace("&lt;", "").replace("&gt;", "").count("&") == 0


def test_quote_flattens_and_truncates():
    assert quote("a\n\n b " * 100, 20).endswith("…`")
    assert len(quote("x" * 500, 50)) <= 52  # the text, and the span's two backticks
    assert "\n" not in quote("a\n\nb")


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("*bold* and _it_ and ~gone~", "`*bold* and _it_ and ~gone~`"),
        ("<!channel> & <@U1>", "`&lt;!channel&gt; &amp; &lt;@U1&gt;`"),
        ("use `code` here", "`use ˋcodeˋ here`"),
        ("   ", ""),
    ],
)
def test_quoted_user_text_renders_literally(typed, shown):
    assert quote(typed) == shown


def test_tokens_are_redacted_from_log_text():
    line = "auth with xoxb-1234-5678-abcdef and xapp-1-A1-99-ff failed"
    cleaned = redact(line)
    assert "1234-5678" not in cleaned and "A1-99" not in cleaned
    assert "redacted" in cleaned
