"""The Web API client, with slack_sdk's own retry handlers installed."""

from __future__ import annotations

from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import (
    BackoffRetryIntervalCalculator,
)
from slack_sdk.web.async_client import AsyncWebClient


def build_web_client(
    token: str,
    *,
    base_url: str,
    max_retries: int = 6,
    backoff_seconds: float = 0.5,
    timeout_seconds: int = 15,
    session=None,
) -> AsyncWebClient:
    """429s wait for Retry-After; 5xx and dropped connections back off exponentially."""
    return AsyncWebClient(
        token=token,
        base_url=base_url,
        timeout=timeout_seconds,
        # One shared session: without it every call opens (and tears down) its own.
        session=session,
        retry_handlers=retry_handlers_for(max_retries, backoff_seconds),
    )


def retry_handlers_for(max_retries: int, backoff_seconds: float) -> list:
    backoff = BackoffRetryIntervalCalculator(backoff_factor=backoff_seconds)
    return [
        AsyncRateLimitErrorRetryHandler(max_retry_count=max_retries),
        AsyncServerErrorRetryHandler(max_retry_count=max_retries, interval_calculator=backoff),
        AsyncConnectionErrorRetryHandler(max_retry_count=max_retries, interval_calculator=backoff),
    ]
