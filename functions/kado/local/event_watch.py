"""`kado dev --events`: the facts Kado would publish to the program's EventBridge bus,
printed as they happen, read off the dev table's stream by the same code the outbox
publisher runs in AWS (services/kernel/outbox.facts_of), so a partner integrating with
EventBridge sees exactly what it will receive (docs/events.md)."""

from __future__ import annotations

import json
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from kado.services import budgets
from kado.services.kernel import outbox

POLL_S = 0.5


def start(endpoint: str, table: str, lake: Path | None = None) -> threading.Event:
    """Watch from now on, in a thread; set the returned event to stop. With `lake`, the
    facts are also written there as Parquet (local/lake.py), for `kado report`."""
    stop = threading.Event()
    threading.Thread(target=_watch, args=(endpoint, table, stop, lake), name="kado-events",
                     daemon=True).start()
    return stop


def _watch(endpoint: str, table: str, stop: threading.Event, lake: Path | None) -> None:
    from botocore.session import get_session

    from kado.config import settings
    from kado.store.kernel.client import dynamodb

    streams: Any = get_session().create_client("dynamodbstreams",
                                               region_name=settings().region,
                                               endpoint_url=endpoint)
    arn = dynamodb().describe_table(TableName=table)["Table"]["LatestStreamArn"]
    iterators: dict[str, str | None] = {}
    while not stop.is_set():
        for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
            if shard["ShardId"] not in iterators:  # from now on: what happens next
                iterators[shard["ShardId"]] = streams.get_shard_iterator(
                    StreamArn=arn, ShardId=shard["ShardId"],
                    ShardIteratorType="LATEST")["ShardIterator"]
        seen: list[outbox.Fact] = []
        for shard_id, iterator in list(iterators.items()):
            if iterator is None:
                continue
            page = streams.get_records(ShardIterator=iterator)
            iterators[shard_id] = page.get("NextShardIterator")
            for record in page.get("Records", []):
                given = _as_lambda_gives_it(record)
                budgets.ThresholdWatch()(given)  # as the publisher does: thresholds are facts
                for fact in outbox.facts_of(given):
                    print(json.dumps(_shown(fact)), flush=True)
                    seen.append(fact)
        if lake is not None and seen:  # one file a table and day per poll, not per fact
            from kado.local import lake as facts_lake

            facts_lake.write(seen, lake)
        time.sleep(POLL_S)


def every_record(endpoint: str | None, table: str) -> list[dict[str, Any]]:
    """Every record the table's stream still holds, oldest first per shard, as Lambda hands
    them over (tests and reports: what the publisher would have read)."""
    from botocore.session import get_session

    from kado.config import settings
    from kado.store.kernel.client import dynamodb

    streams: Any = get_session().create_client("dynamodbstreams",
                                               region_name=settings().region,
                                               endpoint_url=endpoint)
    arn = dynamodb().describe_table(TableName=table)["Table"]["LatestStreamArn"]
    found: list[dict[str, Any]] = []
    for shard in streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"],
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while iterator:
            page = streams.get_records(ShardIterator=iterator)
            if not page.get("Records"):
                break  # caught up: an open shard hands out iterators for ever
            found += [_as_lambda_gives_it(r) for r in page["Records"]]
            iterator = page.get("NextShardIterator")
    return found


def _as_lambda_gives_it(record: dict[str, Any]) -> dict[str, Any]:
    """A Streams API record in the shape Lambda hands the publisher: botocore parses the
    change's time into a datetime, where Lambda's event carries epoch seconds."""
    change = dict(record["dynamodb"])
    stamped = change.get("ApproximateCreationDateTime")
    if isinstance(stamped, datetime):
        change["ApproximateCreationDateTime"] = stamped.timestamp()
    return {**record, "dynamodb": change}


def _shown(fact: outbox.Fact) -> dict[str, Any]:
    entry = fact.entry("dev")
    return {"source": entry["Source"], "detail-type": entry["DetailType"],
            "detail": json.loads(entry["Detail"])}
