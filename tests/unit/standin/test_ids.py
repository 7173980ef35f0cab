from __future__ import annotations

import re

from slack_standin.ids import TsClock, format_ts, is_ts, parse_ts

TS = re.compile(r"^\d{10}\.\d{6}$")


def test_ts_values_are_unique_increasing_and_slack_shaped_even_when_the_clock_stands_still():
    clock = TsClock(now=lambda: 1_700_000_000.0001)
    values = [clock.next() for _ in range(1000)]
    assert all(TS.match(v) for v in values)
    assert values == sorted(values, key=parse_ts)
    assert len(set(values)) == len(values)
    assert values[0] == "1700000000.000100"


def test_clock_steps_past_an_observed_ts():
    clock = TsClock(now=lambda: 1_600_000_000.0)
    clock.observe("1700000000.000500")
    assert clock.next() == "1700000000.000501"


def test_format_and_parse_round_trip():
    assert format_ts(parse_ts("1700000000.000042")) == "1700000000.000042"
    assert is_ts("1700000000.000042")
    assert not is_ts("1700000000")
    assert not is_ts("1700000000.42")
    assert not is_ts(1700000000.42)
