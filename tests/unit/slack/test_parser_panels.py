"""`/mlquiz panel …` and the new-panel modal, parsed (bot.slack.parser.panels)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.core.panel_form import PanelForm
from bot.core.panel_rules import CODE_ALPHABET
from bot.slack.parser.panels import (
    PANEL_ACTIONS,
    PanelCommand,
    ParsedLine,
    UnknownPanelCommand,
    form_from_modal,
    mention,
    opens_modal,
    panel_ref,
    parse_local_time,
    parse_panel_command,
    parse_panel_line,
)

CREATOR = "UCREATOR"
TOPIC_NAMES = {
    "probability": "probability",
    "evaluation-metrics": "evaluation-metrics",
    "evaluation metrics": "evaluation-metrics",
    "bias-variance": "bias-variance",
    "bias–variance trade-off": "bias-variance",
}
ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe")
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def line(rest, tz="UTC"):
    return parse_panel_line(rest, creator=CREATOR, tz=tz, topic_names=TOPIC_NAMES)


# -- parse_panel_command --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", PanelCommand("list")),
        ("   ", PanelCommand("list")),
        ("list", PanelCommand("list")),
        ("ls", PanelCommand("list")),
        ("help", PanelCommand("help")),
        ("new", PanelCommand("new")),
        ("create", PanelCommand("new")),
        (
            'new "ML Engineer" senior <@U1>',
            PanelCommand(
                "new", "", ('"ML', 'Engineer"', "senior", "<@U1>"), '"ML Engineer" senior <@U1>'
            ),
        ),
        ("show 12", PanelCommand("show", "12", (), "12")),
        ("SHOW c-7kq4m", PanelCommand("show", "c-7kq4m", (), "c-7kq4m")),
        ("view 3", PanelCommand("show", "3", (), "3")),
        ("card 3", PanelCommand("scorecard", "3", (), "3")),
        ("kit", PanelCommand("kit", "", (), "")),
        (
            "replace 3 <@U1> <@U2>",
            PanelCommand("replace", "3", ("<@U1>", "<@U2>"), "3 <@U1> <@U2>"),
        ),
        (
            "move 3 <@U1> 2026-12-03 14:00",
            PanelCommand("move", "3", ("<@U1>", "2026-12-03", "14:00"), "3 <@U1> 2026-12-03 14:00"),
        ),
    ],
)
def test_subcommands_and_their_arguments(raw, expected):
    assert parse_panel_command(raw) == expected


@pytest.mark.parametrize(
    ("raw", "suggestion"),
    [
        ("lst", "list"),
        ("scorecrd 1", "scorecard"),
        ("purg 1", "purge"),
        ("Debreif 2", "debrief"),
        ("zzzz", None),
        ("<!channel>", None),
    ],
)
def test_an_unknown_subcommand_is_guessed(raw, suggestion):
    assert parse_panel_command(raw) == UnknownPanelCommand(raw.split()[0], suggestion)


@pytest.mark.parametrize(
    ("text", "modal"),
    [
        ("panel new", True),
        ("PANEL New", True),
        ('panel new "ML Engineer" senior', False),
        ("panel show 3", True),
        ("panel scorecard C-7KQ4M", True),
        ("panel card 3", True),
        ("panel decide 3", True),
        ("panel debrief 3", True),
        ("panel show", False),
        ("panel kit 3", False),
        ("panel close 3", False),
        ("panel list", False),
        ("panel", False),
        ("panel zz 3", False),
        ("ask panel", False),
        ("", False),
    ],
)
def test_which_commands_open_a_modal(text, modal):
    assert opens_modal(text) is modal


@given(st.text())
@FAST
def test_parsing_a_panel_command_never_raises(raw):
    parsed = parse_panel_command(raw)
    assert isinstance(parsed, PanelCommand | UnknownPanelCommand)
    if isinstance(parsed, PanelCommand):
        assert parsed.action in PANEL_ACTIONS
    assert opens_modal("panel " + raw) in (True, False)
    assert opens_modal(raw) in (True, False)


# -- mentions, references, times ------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "user"),
    [
        ("<@U123>", "U123"),
        ("<@W0ABC|ada>", "W0ABC"),
        ("  <@U1>  ", "U1"),
        ("<@u123>", None),
        ("@ada", None),
        ("<#C123>", None),
        ("<@U1> <@U2>", None),
        ("", None),
    ],
)
def test_a_mention_is_a_user_id(word, user):
    assert mention(word) == user


@given(st.from_regex(r"[UW][A-Z0-9]{1,12}", fullmatch=True), st.text(alphabet="abc xyz"))
def test_mentions_round_trip(user, label):
    assert mention(f"<@{user}>") == user
    assert mention(f"<@{user}|{label.replace('>', '')}>") == user


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("12", 12),
        ("#12", 12),
        (" 7 ", 7),
        ("c-7kq4m", "C-7KQ4M"),
        ("7KQ4M", "C-7KQ4M"),
        ("C7KQ4M", "C-7KQ4M"),
        ("#C-7KQ4M", "C-7KQ4M"),
        ("C-7KQ4", None),
        ("C-7KQ4MX", None),
        ("1234567890", None),
        ("", None),
        ("-3", None),
        ("seven", "C-SEVEN"),  # any five letters or digits may be a code
        ("six", None),
        ("¹", None),  # a digit to str.isdigit, not to int()
        ("١٢", None),
    ],
)
def test_a_panel_is_named_by_its_id_or_its_code(text, ref):
    assert panel_ref(text) == ref


@given(st.text(alphabet=CODE_ALPHABET, min_size=5, max_size=5), st.integers(0, 10**9 - 1))
def test_references_round_trip(code, number):
    assert panel_ref(f"C-{code}") == f"C-{code}"
    assert panel_ref(f"c-{code}".lower()) == f"C-{code}"
    assert panel_ref(str(number)) == number


@given(st.text())
@FAST
def test_a_reference_is_a_small_id_a_code_or_nothing(text):
    ref = panel_ref(text)
    assert (
        ref is None
        or (isinstance(ref, int) and 0 <= ref < 10**9)
        or (isinstance(ref, str) and re.fullmatch(r"C-[A-Z0-9]{5}", ref))
    )


@pytest.mark.parametrize(
    ("text", "tz", "instant"),
    [
        ("2026-12-03T10:00", "Europe/Berlin", datetime(2026, 12, 3, 9, 0, tzinfo=UTC)),
        ("2026-12-03 10:00", "Europe/Berlin", datetime(2026, 12, 3, 9, 0, tzinfo=UTC)),
        ("2026-07-03T10:00", "Europe/Berlin", datetime(2026, 7, 3, 8, 0, tzinfo=UTC)),
        ("2026-12-03T10:00+05:30", "Europe/Berlin", datetime(2026, 12, 3, 4, 30, tzinfo=UTC)),
        ("2026-12-03T10:00Z", "America/New_York", datetime(2026, 12, 3, 10, 0, tzinfo=UTC)),
        (" 2026-12-03T10:00 ", "UTC", datetime(2026, 12, 3, 10, 0, tzinfo=UTC)),
        ("2026-12-03", "UTC", datetime(2026, 12, 3, 0, 0, tzinfo=UTC)),
        ("tomorrow 10:00", "UTC", None),
        ("2026-13-03T10:00", "UTC", None),
        ("", "UTC", None),
    ],
)
def test_a_time_without_a_zone_is_in_the_creators(text, tz, instant):
    assert parse_local_time(text, tz) == instant


instants = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
).map(lambda t: t.replace(second=0, microsecond=0))


@given(instants, st.sampled_from(ZONES))
def test_times_round_trip_through_the_creators_zone(instant, tz):
    local = instant.astimezone(ZoneInfo(tz))
    # A local time that happens twice (the hour the clocks go back) is read as the first.
    earlier = local.replace(fold=0).astimezone(UTC)
    assume(earlier == local.replace(fold=1).astimezone(UTC))
    text = local.strftime("%Y-%m-%dT%H:%M")
    assert parse_local_time(text, tz) == instant
    assert parse_local_time(local.isoformat(), "UTC") == instant  # an explicit offset wins
    parsed = line(f"role=R <@U1> <@U2> start={text} debrief={text}", tz=tz)
    assert (parsed.form.starts_at, parsed.form.debrief_at) == (instant, instant)


# -- the one-line form ------------------------------------------------------------------


FULL = (
    '"ML Engineer" staff <@UA> <@UB|bea> <@UC> hm=<@UHM> coordinator=<@UCO> '
    "topics=probability,evaluation-metrics start=2026-12-03T10:00 minutes=60 "
    "debrief=2026-12-03T16:00"
)


def test_a_full_line():
    parsed = line(FULL, tz="Europe/Berlin")
    assert parsed == ParsedLine(
        PanelForm(
            role="ML Engineer",
            level="staff",
            interviewers=("UA", "UB", "UC"),
            hiring_manager="UHM",
            coordinator="UCO",
            topics=("probability", "evaluation-metrics"),
            starts_at=datetime(2026, 12, 3, 9, 0, tzinfo=UTC),
            minutes=60,
            debrief_at=datetime(2026, 12, 3, 15, 0, tzinfo=UTC),
        ),
        {},
    )


@pytest.mark.parametrize(
    ("rest", "field", "value"),
    [
        ("Data Scientist <@UA>", "role", "Data Scientist"),
        ('role="Senior Data Scientist" junior', "role", "Senior Data Scientist"),
        ("Senior Staff Engineer", "role", "Staff Engineer"),  # the first level word is the level
        ("Senior Staff Engineer", "level", "senior"),
        ('"Senior Staff Engineer"', "level", "senior"),  # none given: senior
        ("ML level=mid", "level", "mid"),
        ("ML MID", "level", "mid"),
        ("ML <@UA> <@UA>", "interviewers", ("UA", "UA")),  # duplicates: the form's check
        ("ML", "coordinator", CREATOR),
        ("ML manager=<@UHM>", "hiring_manager", "UHM"),
        ("ML coord=<@UCO>", "coordinator", "UCO"),
        ("ML topic=Probability", "topics", ("probability",)),
        (
            'ML "topics=evaluation metrics,probability,probability"',
            "topics",
            (
                "evaluation-metrics",
                "probability",
            ),
        ),
        ("ML topics=probabilty", "topics", ("probability",)),  # a typo, close enough
        ("ML topics=,,probability,", "topics", ("probability",)),
        ("ML mins=30", "minutes", 30),
        ("ML length=thirty", "minutes", 0),
        ("ML minutes=9999", "minutes", 0),
        ("ML minutes=⁴⁵", "minutes", 0),
        ("ML", "minutes", 45),
        ("ML", "starts_at", None),
        ("ML", "candidate_name", ""),
        ("x" * 300, "role", "x" * 200),
    ],
)
def test_each_part_of_a_line(rest, field, value):
    parsed = line(rest)
    assert getattr(parsed.form, field) == value


@pytest.mark.parametrize(
    ("rest", "problems"),
    [
        ("ML topcs=probability", {"options": "I don't know `topcs=`. Did you mean `topics=`?"}),
        ("ML shape=round colour=blue", {"options": "I don't know `shape=`."}),
        ("ML name=Ada", {"options": "I don't know `name=`."}),  # names are never taken here
        (
            "ML @ada",
            {"interviewers": "`@ada` is not a Slack mention: pick people from the @ menu."},
        ),
        ("ML hm=hugo", {"hiring_manager": "Give the hiring manager as an @mention: `hm=@name`."}),
        (
            "ML coordinator=@ken",
            {"coordinator": "Give the coordinator as an @mention: `coordinator=@name`."},
        ),
        (
            "ML topics=astrology",
            {"topics": "I don't know the topic `astrology` (see `/mlquiz topics`)."},
        ),
        ("ML start=soon", {"starts": "Write the start as 2026-12-03T10:00 (your time zone)."}),
        (
            "ML debrief=later",
            {"debrief": "Write the debrief as 2026-12-03T16:00 (your time zone)."},
        ),
        ('"ML Engineer <@UA>', {"role": "A quote is not closed: put the role in double quotes."}),
        ("ML code=C-7KQ4M", {}),  # a later round: the use case reads it
    ],
)
def test_what_is_wrong_with_a_line_is_named(rest, problems):
    assert line(rest).problems == problems


def test_an_unclosed_quote_still_reads_the_rest():
    parsed = line('"ML Engineer <@UA> <@UB> hm=<@UHM>')
    assert parsed.form.role == "ML Engineer"
    assert parsed.form.interviewers == ("UA", "UB") and parsed.form.hiring_manager == "UHM"


@given(st.text())
@FAST
def test_a_line_never_raises(rest):
    parsed = line(rest)
    assert isinstance(parsed.form, PanelForm)
    assert len(parsed.form.role) <= 200 and 0 <= parsed.form.minutes < 1000
    assert set(parsed.problems) <= {
        "role",
        "options",
        "interviewers",
        "hiring_manager",
        "coordinator",
        "topics",
        "starts",
        "debrief",
    }


words = st.one_of(
    st.sampled_from(["hm=", "start=", "topics=", "minutes=", "role=", "level=", "code=", "@"]),
    st.sampled_from(['"', "'", "<@U1>", "<@W2|x>", "senior", "=", "\\", "2026-12-03T10:00"]),
    st.text(max_size=8),
)


@given(st.lists(words, max_size=12).map(" ".join), st.sampled_from(ZONES))
@FAST
def test_a_line_of_plausible_pieces_never_raises(rest, tz):
    assert isinstance(line(rest, tz=tz), ParsedLine)


# -- the modal --------------------------------------------------------------------------


MODAL = {
    "role.role": "ML Engineer",
    "level.level": "mid",
    "interviewers.interviewers": ["UA", "", "UB"],
    "hiring_manager.hiring_manager": "UHM",
    "coordinator.coordinator": "UCO",
    "topics.topics": ["probability"],
    "starts.starts": "1796288400",
    "minutes.minutes": "45",
    "debrief.debrief": "1796306400",
    "candidate.candidate": "  Ada Lovelace ",
}


def test_the_modal_is_a_form():
    assert form_from_modal(MODAL) == PanelForm(
        role="ML Engineer",
        level="mid",
        interviewers=("UA", "UB"),
        hiring_manager="UHM",
        coordinator="UCO",
        topics=("probability",),
        starts_at=datetime(2026, 12, 3, 9, 0, tzinfo=UTC),
        minutes=45,
        debrief_at=datetime(2026, 12, 3, 14, 0, tzinfo=UTC),
        candidate_name="Ada Lovelace",
    )


def test_an_empty_modal_is_an_empty_form():
    assert form_from_modal({}) == PanelForm(
        role="",
        level="",
        interviewers=(),
        hiring_manager="",
        coordinator="",
        topics=(),
        starts_at=None,
        minutes=0,
        debrief_at=None,
    )


@pytest.mark.parametrize(
    ("key", "value", "field", "read"),
    [
        ("role.role", ["ML"], "role", ""),
        ("interviewers.interviewers", "UA", "interviewers", ()),
        ("topics.topics", "probability", "topics", ()),
        ("starts.starts", "soon", "starts_at", None),
        ("starts.starts", "", "starts_at", None),
        ("starts.starts", "nan", "starts_at", None),
        ("starts.starts", "inf", "starts_at", None),
        ("starts.starts", "1e300", "starts_at", None),
        ("starts.starts", "-1e300", "starts_at", None),
        ("starts.starts", "1796288400.5", "starts_at", datetime(2026, 12, 3, 9, 0, 0, 500000, UTC)),
        ("minutes.minutes", "45.0", "minutes", 0),
        ("minutes.minutes", "-45", "minutes", 0),
        ("minutes.minutes", "0045", "minutes", 0),
        ("minutes.minutes", "⁴⁵", "minutes", 0),
        ("minutes.minutes", ["45"], "minutes", 0),
        ("candidate.candidate", ["Ada"], "candidate_name", ""),
    ],
)
def test_odd_modal_values_read_as_missing(key, value, field, read):
    assert getattr(form_from_modal({**MODAL, key: value}), field) == read


modal_values = st.dictionaries(
    st.sampled_from([*MODAL, "other.other"]),
    st.one_of(st.text(), st.lists(st.text(), max_size=4), st.floats().map(str)),
)


@given(modal_values)
@FAST
def test_any_modal_state_is_a_form(values):
    form = form_from_modal(values)
    assert isinstance(form, PanelForm) and form.minutes >= 0
    assert all(form.interviewers) and all(form.topics)


@given(instants)
def test_modal_times_round_trip(instant):
    form = form_from_modal({**MODAL, "starts.starts": str(int(instant.timestamp()))})
    assert form.starts_at == instant
