"""The one DynamoDB client of the process, created on first use and then reused.

Reusing it keeps TLS connections warm across Lambda invocations. Retries are
botocore's standard mode (throttling and transient errors, with jitter).
"""

from __future__ import annotations

from typing import Any

from kado.config import settings

_client: Any = None
# One call's worst case, attempts x (connect + read) plus standard mode's backoff
# (at most 1 s, then 2 s), must end well inside the function's timeout, so a slow
# DynamoDB is answered as BUSY-or-error by us, not as a Lambda timeout (a test holds it).
CONNECT_TIMEOUT_S = 0.5
READ_TIMEOUT_S = 1.5
MAX_ATTEMPTS = 3
# DynamoDB Local (dev, tests, the bundle tier) is a JVM on the same, often busy, machine:
# its pauses are not AWS's latency, and a test must not fail on them.
EMULATOR_READ_TIMEOUT_S = 15.0


def dynamodb() -> Any:
    global _client  # noqa: PLW0603 - a process-wide connection pool by design
    if _client is None:
        # botocore, not boto3: the store needs only the low-level client, and
        # boto3's import (with s3transfer) would add to every cold start.
        from botocore.config import Config
        from botocore.session import get_session

        cfg = settings()
        _client = get_session().create_client(
            "dynamodb",
            region_name=cfg.region,
            endpoint_url=cfg.dynamodb_endpoint,
            config=Config(
                retries={"mode": "standard", "max_attempts": MAX_ATTEMPTS},
                connect_timeout=CONNECT_TIMEOUT_S,
                read_timeout=EMULATOR_READ_TIMEOUT_S if cfg.dynamodb_endpoint else READ_TIMEOUT_S,
                max_pool_connections=64,
            ),
        )
    return _client


# What DynamoDB answers when it is overloaded or failing: past botocore's own retries,
# the caller should come back later, and nothing the request asked for was refused.
_OUTAGE_CODES = frozenset({
    "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
    "InternalServerError", "ServiceUnavailable", "InternalFailure"})


def is_outage(error: BaseException) -> bool:
    """DynamoDB out of reach (no connection, a timeout) or overloaded: not the request's
    fault, and safe to retry with the same idempotency key."""
    from botocore.exceptions import ClientError, HTTPClientError
    from botocore.exceptions import ConnectionError as NoConnection

    if isinstance(error, NoConnection | HTTPClientError):
        return True
    return isinstance(error, ClientError) and \
        error.response.get("Error", {}).get("Code") in _OUTAGE_CODES


def reset_client() -> None:
    """Drop the client so the next call picks up a new endpoint (tests, dev server)."""
    global _client  # noqa: PLW0603
    _client = None


def table() -> str:
    return settings().table_name
