"""Every Slack Web API method the app calls exists in Slack's own OpenAPI spec."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from slack_standin.contract import web_api_methods

ROOT = Path(__file__).resolve().parents[3]
SPEC = ROOT.parent / "shared" / "slack" / "slack_web_openapi_v2_without_examples.json"
CALL = re.compile(r"\bclient\.([a-z]+_[A-Za-z_]+)\(")


def methods_called_in_source() -> set[str]:
    """`client.chat_postMessage(` in our code is the Web API method `chat.postMessage`."""
    found = set()
    for folder in ("bot", "handlers"):
        for path in (ROOT / folder).rglob("*.py"):
            for name in CALL.findall(path.read_text()):
                found.add(name.replace("_", ".", 1).replace("_", "."))
    return found


def test_source_calls_are_found():
    called = methods_called_in_source()
    assert {"chat.postMessage", "views.open", "views.publish", "users.info"} <= called


def test_every_called_method_is_in_slacks_spec():
    if not SPEC.exists():
        pytest.skip(f"Slack's Web API spec is not at {SPEC} (outside the shared setup)")
    known = web_api_methods(SPEC)
    missing = methods_called_in_source() - known
    assert not missing, f"methods not in Slack's Web API spec: {sorted(missing)}"
