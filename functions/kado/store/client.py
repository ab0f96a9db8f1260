"""The one DynamoDB client of the process, created on first use and then reused.

Reusing it keeps TLS connections warm across Lambda invocations. Retries are
botocore's standard mode (throttling and transient errors, with jitter).
"""

from __future__ import annotations

from typing import Any

from kado.config import settings

_client: Any = None


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
                retries={"mode": "standard", "max_attempts": 4},
                connect_timeout=2,
                read_timeout=5,
                max_pool_connections=64,
            ),
        )
    return _client


def reset_client() -> None:
    """Drop the client so the next call picks up a new endpoint (tests, dev server)."""
    global _client  # noqa: PLW0603
    _client = None


def table() -> str:
    return settings().table_name
