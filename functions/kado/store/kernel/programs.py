"""The registry of programs: one item per program in one platform partition, the only key
that does not start with a program (it names programs, and holds nothing of theirs). The
timers read it to find whom to serve, so a new program needs no redeploy."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from kado.store.kernel import codec
from kado.store.kernel.client import dynamodb, table
from kado.store.kernel.item_keys import key
from kado.store.kernel.reads import query_pages
from kado.store.kernel.tables import PK

REGISTRY = "KADO#PROGRAMS"


def register(program: str, at: str) -> None:
    """Idempotent: the first registration's moment is kept."""
    dynamodb().update_item(
        TableName=table(), Key=key(REGISTRY, program),
        UpdateExpression="SET #id = :id, #at = if_not_exists(#at, :at)",
        ExpressionAttributeNames={"#id": "id", "#at": "registeredAt"},
        ExpressionAttributeValues={":id": {"S": program}, ":at": {"S": at}})


def every_program() -> Iterator[str]:
    request: dict[str, Any] = {
        "TableName": table(), "KeyConditionExpression": "#pk = :pk",
        "ExpressionAttributeNames": {"#pk": PK},
        "ExpressionAttributeValues": {":pk": {"S": REGISTRY}}, "ConsistentRead": True}
    for page in query_pages(request):
        for raw in page.get("Items", []):
            yield str((codec.load(raw) or {})["id"])
