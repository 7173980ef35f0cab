"""app_manifest.yml is a manifest Slack accepts and declares what the code registers."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

import handlers

ROOT = Path(__file__).resolve().parents[3]
SCHEMA = ROOT.parent / "shared" / "slack" / "manifest.schema.1.0.0.json"


@pytest.fixture(scope="module")
def manifest() -> dict:
    return yaml.safe_load((ROOT / "app_manifest.yml").read_text())


def test_manifest_validates_against_slack_schema(manifest):
    if not SCHEMA.exists():
        pytest.skip(f"Slack's manifest schema is not at {SCHEMA} (outside the shared setup)")
    jsonschema.validate(manifest, json.loads(SCHEMA.read_text()))


def test_registered_commands_and_events_are_declared(manifest):
    declared_commands = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert set(handlers.REGISTERED_COMMANDS) <= declared_commands
    declared_events = set(manifest["settings"]["event_subscriptions"]["bot_events"])
    assert set(handlers.REGISTERED_EVENTS) <= declared_events


def test_scopes_cover_the_events_and_methods(manifest):
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    needed = {
        "message.channels": "channels:history",
        "message.groups": "groups:history",
        "message.im": "im:history",
    }
    for event, scope in needed.items():
        if event in handlers.REGISTERED_EVENTS:
            assert scope in scopes
    assert {"commands", "chat:write", "im:write", "users:read", "reactions:write"} <= scopes
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["features"]["slash_commands"][0]["usage_hint"]
