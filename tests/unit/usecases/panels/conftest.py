"""Every panel test has the panel's people in the fake Slack."""

from __future__ import annotations

import pytest

from tests.unit.fakes import FakeGateway
from tests.unit.panel_builders import add_people


@pytest.fixture(autouse=True)
def people(gateway: FakeGateway) -> None:
    add_people(gateway)
