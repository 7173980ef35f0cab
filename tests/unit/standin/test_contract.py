"""Every Web API method the stand-in answers is a path in Slack's OpenAPI spec."""

from __future__ import annotations

import pytest

from slack_standin.contract import OPENAPI_SPEC, web_api_methods
from slack_standin.webapi import METHODS

pytestmark = pytest.mark.skipif(
    not OPENAPI_SPEC.exists(), reason=f"Slack's OpenAPI spec is not at {OPENAPI_SPEC}"
)


def test_every_implemented_method_is_in_slacks_spec():
    assert set(METHODS) - web_api_methods() == set()


def test_spec_lists_the_methods_we_know_well():
    methods = web_api_methods()
    assert {"chat.postMessage", "views.publish", "users.info"} <= methods
    assert "chat.sendCarrierPigeon" not in methods
