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


def _operations(method: str) -> dict:
    import json

    spec = json.loads(OPENAPI_SPEC.read_text(encoding="utf-8"))
    return spec["paths"]["/" + method]


def test_the_known_gaps_of_the_spec_are_still_there():
    # The stand-in follows Slack's behaviour where the 2020-2021 spec is behind it.
    assert list(_operations("views.publish")) == ["get"], "apps POST views.publish"
    [user_param] = [
        p for p in _operations("users.info")["get"]["parameters"] if p["name"] == "user"
    ]
    assert not user_param.get("required"), "Slack answers user_not_found without it"
    post_params = _operations("chat.postMessage")["post"]["parameters"]
    assert not any(p.get("required") for p in post_params if p["name"] in ("text", "blocks"))
