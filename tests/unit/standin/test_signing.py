"""Our signing code produces what slack_sdk's SignatureVerifier (and so Bolt) accepts."""

from __future__ import annotations

import time

from hypothesis import given
from hypothesis import strategies as st
from slack_sdk.signature import SignatureVerifier

from slack_standin.signing import STALE_AFTER_SECONDS, signature, signed_headers

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


@given(body=st.text(max_size=200))
def test_signed_headers_verify_with_slack_sdk(body):
    headers = signed_headers(SECRET, body)
    assert SignatureVerifier(SECRET).is_valid_request(body, headers)


def test_signature_format_is_v0_hex_sha256():
    value = signature(SECRET, 1531420618, "token=x&team_id=T1")
    assert value.startswith("v0=")
    assert len(value) == 3 + 64
    assert value == SignatureVerifier(SECRET).generate_signature(
        timestamp="1531420618", body="token=x&team_id=T1"
    )


def test_bytes_and_text_bodies_sign_the_same():
    assert signature(SECRET, 1, "ünïcode") == signature(SECRET, 1, "ünïcode".encode())


def test_a_stale_timestamp_is_refused_by_slack_sdk():
    stale = int(time.time()) - STALE_AFTER_SECONDS - 1
    headers = signed_headers(SECRET, "body", timestamp=stale)
    assert not SignatureVerifier(SECRET).is_valid_request("body", headers)


def test_another_secret_or_body_does_not_verify():
    headers = signed_headers(SECRET, "body")
    assert not SignatureVerifier("other-secret").is_valid_request("body", headers)
    assert not SignatureVerifier(SECRET).is_valid_request("body2", headers)
