"""Message metadata: `{"event_type": str, "event_payload": object}` on chat.postMessage and
chat.update, as Slack checks it.

Slack's documented errors are `invalid_metadata_format` (not a JSON object) and
`invalid_metadata_schema`.  The stand-in answers:

- `invalid_metadata_format` for metadata that is not JSON or not an object;
- `invalid_metadata_schema` (an error) for an object without a string `event_type` or
  without an object `event_payload`;
- an `event_type` with characters other than letters, digits, `_` and `-` (a period, say)
  is what Slack's docs say it accepts with a warning and drops: the message is posted
  without metadata and the answer carries `warning: invalid_metadata_schema`.

`{}` means "no metadata" (on chat.update it removes the message's metadata, Slack's rule).
"""

from __future__ import annotations

import json
import re
from typing import Any

from slack_standin.workspace import SlackError

_EVENT_TYPE = re.compile(r"^[A-Za-z0-9_-]+$")
WARNING = "invalid_metadata_schema"


def parse_metadata(value: Any) -> tuple[dict[str, Any] | None, str | None]:
    """(metadata to store or None when absent, warning or None); {} when it is cleared."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise SlackError("invalid_metadata_format") from None
    if not isinstance(value, dict):
        raise SlackError("invalid_metadata_format")
    if not value:
        return {}, None
    event_type = value.get("event_type")
    payload = value.get("event_payload")
    if not isinstance(event_type, str) or not event_type or not isinstance(payload, dict):
        raise SlackError("invalid_metadata_schema")
    if not _EVENT_TYPE.match(event_type):
        return None, WARNING
    return {"event_type": event_type, "event_payload": payload}, None
