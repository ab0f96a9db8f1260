"""Claims on moto, and the receipt photo's way in: a presigned POST to S3 that limits type
and size, checked again when the claim is submitted."""

from __future__ import annotations

import base64
import json

import pytest
import requests

from kado.config import reset_settings
from kado.domain.claims import MAX_PHOTO_BYTES
from kado.domain.errors import ErrorCode
from kado.services import claims
from kado.store import claim_photos
from tests.scenarios.claim_scenarios import *  # noqa: F403 - the shared scenarios, on moto
from tests.scenarios.claim_scenarios import invoice, program_with, refused
from tests.support import admin, key, member

BUCKET = "kado-claim-photos-test"


@pytest.fixture
def photos(monkeypatch):
    monkeypatch.setenv("KADO_CLAIM_PHOTOS_BUCKET", BUCKET)
    reset_settings()
    claim_photos.reset_client()
    claim_photos._client().create_bucket(Bucket=BUCKET)
    yield BUCKET
    claim_photos.reset_client()
    monkeypatch.delenv("KADO_CLAIM_PHOTOS_BUCKET")
    reset_settings()


def upload(form: claims.Upload, body: bytes, content_type: str | None = None) -> None:
    fields = dict(form.fields)
    if content_type:
        fields["Content-Type"] = content_type  # what a tampered form would send
    sent = requests.post(form.url, data=fields, files={"file": ("r", body)}, timeout=5)
    assert sent.status_code == 204


def test_the_upload_form_lets_s3_refuse_another_key_type_or_size(photos):
    program = program_with(("ann", "acme"))
    form = claims.photo_upload(member(program, "ann"), "image/jpeg", 1000)
    assert form.photo_key.startswith(f"claims/{program}/ann/")
    policy = json.loads(base64.b64decode(form.fields["policy"]))
    conditions = policy["conditions"]
    assert ["content-length-range", 1, MAX_PHOTO_BYTES] in conditions
    assert {"Content-Type": "image/jpeg"} in conditions
    assert {"key": form.photo_key} in conditions and {"bucket": BUCKET} in conditions
    assert form.fields["x-amz-algorithm"] == "AWS4-HMAC-SHA256"
    for kind, size, field in (("image/gif", 1000, "contentType"),
                              ("image/jpeg", MAX_PHOTO_BYTES + 1, "size"),
                              ("text/html", 0, "contentType")):
        error = refused(ErrorCode.INVALID_INPUT, lambda k=kind, s=size: claims.photo_upload(
            member(program, "ann"), k, s))
        assert error.field == field


def test_a_claim_names_a_photo_that_arrived_within_the_limits(photos):
    program = program_with(("ann", "acme"))
    ann = member(program, "ann")

    def submitted_with(body: bytes, content_type: str | None = None) -> dict:
        # the size declared is the form's; a client may send more (S3 would refuse it)
        form = claims.photo_upload(ann, "image/jpeg", min(len(body), MAX_PHOTO_BYTES))
        upload(form, body, content_type)
        s = invoice(program, "ann")
        return claims.submit(ann, type(s)(s.seller_tax_id, s.invoice_number, s.invoice_date,
                                          s.amount, s.currency, form.photo_key), key())

    # moto takes what S3 would refuse (it does not enforce a POST policy): the claim does not.
    too_large = refused(ErrorCode.INVALID_INPUT, lambda: submitted_with(
        b"x" * (MAX_PHOTO_BYTES + 1)))
    assert too_large.field == "photoKey"
    refused(ErrorCode.INVALID_INPUT, lambda: submitted_with(b"<html>", "text/html"))
    never_sent = invoice(program, "ann")  # a key under the member's folder, never uploaded
    refused(ErrorCode.INVALID_INPUT, lambda: claims.submit(ann, never_sent, key()))
    assert claims.queue(admin(program), 10, None).items == []  # nothing kept, invoice free
    claim = submitted_with(b"\xff\xd8\xff" + b"j" * 2000)
    assert claim["status"] == "PENDING"
    link = claims.photo_link(claim)
    assert link is not None and requests.get(link, timeout=5).content.startswith(b"\xff\xd8")
