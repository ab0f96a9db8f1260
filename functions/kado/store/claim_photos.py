"""Receipt photos in S3: a presigned POST for the member's app (the photo never passes
through the API), a look at what arrived, and a short-lived link for the reviewer."""

from __future__ import annotations

from typing import Any

from kado.store.kernel.s3 import client as _client
from kado.store.kernel.s3 import reset_client  # noqa: F401 - the tests' way to a fresh client

# Long enough to take and send a photo on a slow phone network; short enough that a leaked
# form is soon useless.
UPLOAD_SECONDS = 600
VIEW_SECONDS = 300


def upload_form(bucket: str, key: str, content_type: str, max_bytes: int) -> dict[str, Any]:
    """{url, fields}: S3 itself refuses another key, another type or a larger file."""
    form: dict[str, Any] = _client().generate_presigned_post(
        bucket, key, Fields={"Content-Type": content_type},
        Conditions=[{"Content-Type": content_type}, ["content-length-range", 1, max_bytes]],
        ExpiresIn=UPLOAD_SECONDS)
    return form


def arrived(bucket: str, key: str) -> tuple[int, str] | None:
    """(size, content type) of the uploaded photo, or None if nothing is there."""
    try:
        head = _client().head_object(Bucket=bucket, Key=key)
    except _client().exceptions.ClientError as error:
        if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
    return int(head["ContentLength"]), str(head.get("ContentType", ""))


def view_link(bucket: str, key: str) -> str:
    link: str = _client().generate_presigned_url(
        "get_object", Params={"Bucket": bucket, "Key": key}, ExpiresIn=VIEW_SECONDS)
    return link
