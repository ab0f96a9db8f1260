"""The process's one S3 client (SigV4, so presigned links and forms work in every region)."""

from __future__ import annotations

from typing import Any

from kado.config import settings

_s3: Any = None


def client() -> Any:
    global _s3  # noqa: PLW0603 - one connection pool per process
    if _s3 is None:
        from botocore.config import Config
        from botocore.session import get_session

        _s3 = get_session().create_client(
            "s3", region_name=settings().region,
            config=Config(signature_version="s3v4", retries={"mode": "standard"}))
    return _s3


def reset_client() -> None:
    global _s3  # noqa: PLW0603
    _s3 = None
