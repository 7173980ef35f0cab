"""Request signing as Slack does it: v0 HMAC-SHA256 over "v0:{timestamp}:{body}".

Receivers (Bolt) refuse a timestamp more than five minutes from their clock, so the
driver can sign with a stale one on purpose.
"""

from __future__ import annotations

import hashlib
import hmac
import time

VERSION = "v0"
STALE_AFTER_SECONDS = 5 * 60


def signature(signing_secret: str, timestamp: int | str, body: str | bytes) -> str:
    # Slack signs the raw bytes of the body, so any bytes (not only UTF-8) can be signed.
    raw = body.encode() if isinstance(body, str) else body
    base = f"{VERSION}:{timestamp}:".encode() + raw
    digest = hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()
    return f"{VERSION}={digest}"


def signed_headers(
    signing_secret: str, body: str | bytes, *, timestamp: int | None = None
) -> dict[str, str]:
    stamp = int(time.time()) if timestamp is None else timestamp
    return {
        "X-Slack-Request-Timestamp": str(stamp),
        "X-Slack-Signature": signature(signing_secret, stamp, body),
    }
