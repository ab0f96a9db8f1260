"""SQS events as Lambda receives them from an event source mapping (tests, bench)."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def sqs_event(bodies: list[str], queue: str = "kado-activities") -> dict[str, Any]:
    return {"Records": [{
        "messageId": f"msg-{i}", "receiptHandle": f"handle-{i}", "body": body,
        "attributes": {"ApproximateReceiveCount": "1", "SentTimestamp": "1795428000000",
                       "SenderId": "AIDAPARTNER", "ApproximateFirstReceiveTimestamp":
                       "1795428000001"},
        "messageAttributes": {}, "md5OfBody": hashlib.md5(body.encode()).hexdigest(),  # noqa: S324 - SQS's own checksum
        "eventSource": "aws:sqs",
        "eventSourceARN": f"arn:aws:sqs:us-east-1:123456789012:{queue}",
        "awsRegion": "us-east-1"} for i, body in enumerate(bodies)]}


def activity_message(program: str, activity: dict[str, Any]) -> str:
    return json.dumps({"program": program, "activity": activity})
