"""Statements' figures: one file each (JSON), in the export bucket in AWS and under the
export folder in dev and tests; the page is made from them when a link is opened."""

from __future__ import annotations

from pathlib import Path

from kado.config import settings
from kado.store.kernel.s3 import client as s3


def _name(program: str, period: str, kind: str, holder: str) -> str:
    return f"{program}/statements/{period}/{kind.lower()}/{holder}.json"


def folder(program: str, period: str) -> str:
    """Where a period's statements are (the export folder's, or the bucket's prefix)."""
    bucket = settings().export_bucket
    name = f"{program}/statements/{period}/"
    return f"s3://{bucket}/{name}" if bucket else str((Path(settings().export_dir) / name)
                                                       .resolve())


def put(program: str, period: str, kind: str, holder: str, body: bytes) -> str:
    """Write (or replace) the document; where it is."""
    name = _name(program, period, kind, holder)
    bucket = settings().export_bucket
    if bucket is None:
        path = Path(settings().export_dir) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        return str(path.resolve())
    s3().put_object(Bucket=bucket, Key=name, Body=body, ContentType="application/json",
                    ServerSideEncryption="AES256")
    return f"s3://{bucket}/{name}"


def read(program: str, period: str, kind: str, holder: str) -> bytes | None:
    """The statement's figures; None where the job made none for this holder."""
    name = _name(program, period, kind, holder)
    bucket = settings().export_bucket
    if bucket is None:
        path = Path(settings().export_dir) / name
        return path.read_bytes() if path.is_file() else None
    try:
        found: bytes = s3().get_object(Bucket=bucket, Key=name)["Body"].read()
    except s3().exceptions.NoSuchKey:
        return None
    return found
