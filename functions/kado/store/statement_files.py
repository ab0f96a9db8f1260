"""Statement documents: one file each, in the export bucket in AWS (a short presigned link
opens it) and under the export folder in dev and tests (the dev server serves it)."""

from __future__ import annotations

from pathlib import Path

from kado.config import settings
from kado.store.kernel.s3 import client as s3

VIEW_SECONDS = 300  # the redirect a statement link answers with: opened at once


def _name(program: str, period: str, kind: str, holder: str) -> str:
    return f"{program}/statements/{period}/{kind.lower()}/{holder}.html"


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
    s3().put_object(Bucket=bucket, Key=name, Body=body, ContentType="text/html; charset=utf-8",
                    ServerSideEncryption="AES256")
    return f"s3://{bucket}/{name}"


def opened(program: str, period: str, kind: str, holder: str) -> tuple[str, bytes | str] | None:
    """("link", a presigned URL) in AWS, ("body", the document) in dev; None: no document."""
    name = _name(program, period, kind, holder)
    bucket = settings().export_bucket
    if bucket is None:
        path = Path(settings().export_dir) / name
        return ("body", path.read_bytes()) if path.is_file() else None
    try:
        s3().head_object(Bucket=bucket, Key=name)
    except s3().exceptions.ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
    url: str = s3().generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": name},
                                           ExpiresIn=VIEW_SECONDS)
    return "link", url
