"""DynamoDB stream records as Lambda receives them (tests, bench): a change of one item."""

from __future__ import annotations

from typing import Any

from kado.store.kernel import codec


def stream_record(sequence: int, old: dict[str, Any] | None,
                  new: dict[str, Any] | None) -> dict[str, Any]:
    item = new or old or {}
    change: dict[str, Any] = {
        "Keys": {"pk": {"S": item["pk"]}, "sk": {"S": item["sk"]}},
        "SequenceNumber": f"{sequence:021d}", "SizeBytes": 512,
        "StreamViewType": "NEW_AND_OLD_IMAGES", "ApproximateCreationDateTime": 1795428000}
    if new is not None:
        change["NewImage"] = codec.dump(new)
    if old is not None:
        change["OldImage"] = codec.dump(old)
    kind = "MODIFY" if old and new else ("INSERT" if new else "REMOVE")
    return {"eventID": f"rec-{sequence}", "eventName": kind, "eventVersion": "1.1",
            "eventSource": "aws:dynamodb", "awsRegion": "us-east-1", "dynamodb": change,
            "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/kado/stream/x"}
