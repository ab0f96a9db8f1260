"""Statement exports: the job item, and the read of a program's ledger lines in a period.

The export is an offline job, so it may Scan: no hot path pays for a program-wide index of
ledger lines. The scan is filtered to the program's own keys.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from kado.store.kernel import codec, transact
from kado.store.kernel import item_keys as keys
from kado.store.kernel.client import dynamodb, table
from kado.store.kernel.reads import get_one, scanned


def create_job(program: str, job_id: str, values: dict[str, Any], now: str,
               held_until: str) -> str | None:
    """None if the job was created; else the id of the job that stands in its way: this
    same one (a retried request), or another one still running in the program. The
    program's one running export is held by a lock item until the job ends or the lock's
    time runs out (a job that died holds nothing for long)."""
    item = {**keys.export_job(program, job_id), **codec.dump({"type": "EXPORT", **values})}
    lock = {**keys.export_lock(program), **codec.dump({"jobId": job_id, "until": held_until})}
    try:
        transact.write({
            "job": transact.put(item, "attribute_not_exists(pk)"),
            "lock": transact.put(lock, "attribute_not_exists(pk) OR #until <= :now",
                                 names={"#until": "until"}, values={":now": {"S": now}})})
    except transact.Cancelled as refused:
        if refused.failed("job") is not None:
            return job_id
        held = refused.failed("lock")
        return str((held.item or {}).get("jobId", "")) if held else job_id
    return None


def release(program: str, job_id: str) -> None:
    """The job ended: the next export may start (only this job's own lock is removed)."""
    with contextlib.suppress(transact.Cancelled):
        transact.write({"lock": transact.delete(keys.export_lock(program), "#job = :job",
                                                names={"#job": "jobId"},
                                                values={":job": {"S": job_id}})})


def update_job(program: str, job_id: str, values: dict[str, Any]) -> None:
    expression, names, dumped = transact.assignments(values)
    dynamodb().update_item(
        TableName=table(), Key=keys.export_job(program, job_id), UpdateExpression=expression,
        ExpressionAttributeNames=names, ExpressionAttributeValues=dumped)


def get_job(program: str, job_id: str) -> dict[str, Any] | None:
    return get_one(keys.export_job(program, job_id))


def ledger_lines(program: str, starts: str, ends: str) -> Iterator[dict[str, Any]]:
    """Every points ledger line of the program with `starts <= at < ends`, any order."""
    request: dict[str, Any] = {
        "TableName": table(),
        "FilterExpression": "begins_with(pk, :p) AND #t = :t AND #at >= :a AND #at < :b",
        "ExpressionAttributeNames": {"#t": "type", "#at": "at"},
        "ExpressionAttributeValues": codec.dump({":p": f"P#{program}#", ":t": "POINTS_ENTRY",
                                                 ":a": starts, ":b": ends}),
    }
    yield from scanned(request)
