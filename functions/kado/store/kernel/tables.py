"""The table definition: the single source of truth for key schema, GSIs and TTL.

`kado dev` and the tests create tables from it; a test checks that
template.yaml declares exactly the same thing.
"""

from __future__ import annotations

import contextlib
from typing import Any

PK, SK = "pk", "sk"
GSI1, GSI1_PK, GSI1_SK = "gsi1", "gsi1pk", "gsi1sk"
# Leaderboards: a numeric sort key, so a score can grow by ADD with no read (store/leaderboards.py).
GSI2, GSI2_PK, GSI2_SK = "gsi2", "gsi2pk", "gsi2sk"
TTL_ATTRIBUTE = "expiresAtEpoch"

KEY_SCHEMA = [
    {"AttributeName": PK, "KeyType": "HASH"},
    {"AttributeName": SK, "KeyType": "RANGE"},
]
ATTRIBUTE_DEFINITIONS = [
    *({"AttributeName": name, "AttributeType": "S"}
      for name in (PK, SK, GSI1_PK, GSI1_SK, GSI2_PK)),
    {"AttributeName": GSI2_SK, "AttributeType": "N"},
]
GLOBAL_SECONDARY_INDEXES: list[dict[str, Any]] = [
    {
        "IndexName": GSI1,
        "KeySchema": [
            {"AttributeName": GSI1_PK, "KeyType": "HASH"},
            {"AttributeName": GSI1_SK, "KeyType": "RANGE"},
        ],
        "Projection": {"ProjectionType": "ALL"},
    },
    {
        "IndexName": GSI2,
        "KeySchema": [
            {"AttributeName": GSI2_PK, "KeyType": "HASH"},
            {"AttributeName": GSI2_SK, "KeyType": "RANGE"},
        ],
        "Projection": {"ProjectionType": "ALL"},
    },
]


STREAM = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}


def create_table_request(name: str) -> dict[str, Any]:
    return {
        "TableName": name,
        "KeySchema": KEY_SCHEMA,
        "AttributeDefinitions": ATTRIBUTE_DEFINITIONS,
        "GlobalSecondaryIndexes": GLOBAL_SECONDARY_INDEXES,
        "BillingMode": "PAY_PER_REQUEST",
        # The outbox reads the table's changes (template.yaml: the same view).
        "StreamSpecification": STREAM,
    }


def ensure_table(client: Any, name: str) -> bool:
    """Create the table if it is missing. Returns True when it was created."""
    existing = client.list_tables().get("TableNames", [])
    if name in existing:
        _add_missing_indexes(client, name)
        _enable_stream(client, name)
        return False
    client.create_table(**create_table_request(name))
    client.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 0.2})
    # Some emulators lack TTL; locally, expiry is cosmetic.
    with contextlib.suppress(client.exceptions.ClientError):
        client.update_time_to_live(
            TableName=name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": TTL_ATTRIBUTE},
        )
    return True


def _add_missing_indexes(client: Any, name: str) -> None:
    """A dev table kept on disk by an older Kado gains the indexes added since (AWS does
    the same through CloudFormation, one index per update)."""
    have = {i["IndexName"] for i in
            client.describe_table(TableName=name)["Table"].get("GlobalSecondaryIndexes", [])}
    for index in GLOBAL_SECONDARY_INDEXES:
        if index["IndexName"] in have:
            continue
        used = {k["AttributeName"] for k in index["KeySchema"]}
        client.update_table(
            TableName=name,
            AttributeDefinitions=[a for a in ATTRIBUTE_DEFINITIONS if a["AttributeName"] in used],
            GlobalSecondaryIndexUpdates=[{"Create": index}])


def _enable_stream(client: Any, name: str) -> None:
    """A dev table kept on disk from before the stream was declared gains it."""
    found = client.describe_table(TableName=name)["Table"]
    if not found.get("StreamSpecification", {}).get("StreamEnabled"):
        with contextlib.suppress(client.exceptions.ClientError):
            client.update_table(TableName=name, StreamSpecification=STREAM)
