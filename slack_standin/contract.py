"""Slack's published contracts, read from the files in ../shared/slack/.

Known gaps in Slack's OpenAPI 2.0 spec (2020-2021), which the contract tests work around:
`text`/`blocks` are not marked required (Slack answers `no_text` without one),
`views.publish` is listed as GET although apps POST it, and `users.info`'s `user` shows
as optional.
"""

from __future__ import annotations

import json
from pathlib import Path

SHARED_SLACK = Path(__file__).resolve().parent.parent.parent / "shared" / "slack"
OPENAPI_SPEC = SHARED_SLACK / "slack_web_openapi_v2_without_examples.json"
EVENT_WRAPPER_SCHEMA = SHARED_SLACK / "slack_common_event_wrapper_schema.json"


def web_api_methods(path: str | Path = OPENAPI_SPEC) -> set[str]:
    """Web API method names ("chat.postMessage", ...) listed as paths in the OpenAPI spec."""
    spec = json.loads(Path(path).read_text(encoding="utf-8"))
    return {name.lstrip("/") for name in spec.get("paths", {})}


def event_wrapper_schema(path: str | Path = EVENT_WRAPPER_SCHEMA) -> dict:
    """The Events API envelope schema with its outdated `authed_users` requirement relaxed:
    current payloads carry `authorizations` instead."""
    schema = json.loads(Path(path).read_text(encoding="utf-8"))
    schema["required"] = [r for r in schema.get("required", []) if r != "authed_users"]
    schema["anyOf"] = [{"required": ["authed_users"]}, {"required": ["authorizations"]}]
    return schema
