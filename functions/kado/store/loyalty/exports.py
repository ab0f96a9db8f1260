"""Statement runs: the job item and the program's one-at-a-time lock, the periods made,
and each holder's link version (raised to revoke their links)."""

from __future__ import annotations

import contextlib
from typing import Any

from kado.store.kernel import codec, transact
from kado.store.kernel import item_keys as keys
from kado.store.kernel.client import dynamodb, table
from kado.store.kernel.reads import get_one


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


def hold(program: str, job_id: str, until: str) -> None:
    """The running job keeps the program's lock a while longer (its own lock only)."""
    with contextlib.suppress(transact.Cancelled):
        transact.write({"lock": transact.update(
            keys.export_lock(program), "SET #until = :until", "#job = :job",
            names={"#until": "until", "#job": "jobId"},
            values={":until": {"S": until}, ":job": {"S": job_id}})})


def update_job(program: str, job_id: str, values: dict[str, Any]) -> None:
    expression, names, dumped = transact.assignments(values)
    dynamodb().update_item(
        TableName=table(), Key=keys.export_job(program, job_id), UpdateExpression=expression,
        ExpressionAttributeNames=names, ExpressionAttributeValues=dumped)


def get_job(program: str, job_id: str) -> dict[str, Any] | None:
    return get_one(keys.export_job(program, job_id))


def add_progress(program: str, job_id: str, members: int, companies: int,
                 after: str | None) -> None:
    """One step of the job done: its counts added, where the next step starts recorded."""
    dynamodb().update_item(
        TableName=table(), Key=keys.export_job(program, job_id),
        UpdateExpression="ADD #m :m, #c :c SET #a = :a",
        ExpressionAttributeNames={"#m": "members", "#c": "companies", "#a": "after"},
        ExpressionAttributeValues=codec.dump({":m": members, ":c": companies,
                                              ":a": after or ""}))


def add_period(program: str, period: str) -> None:
    dynamodb().update_item(
        TableName=table(), Key=keys.statement_periods(program), UpdateExpression="ADD #p :p",
        ExpressionAttributeNames={"#p": "periods"},
        ExpressionAttributeValues={":p": {"SS": [period]}})


def periods(program: str) -> list[str]:
    item = get_one(keys.statement_periods(program)) or {}
    return sorted(item.get("periods", ()), reverse=True)


def link_version(program: str, kind: str, holder: str) -> int:
    """Consistent: a link revoked a moment ago must not open."""
    item = get_one(keys.statement_links(program, kind, holder), consistent=True) or {}
    return int(item.get("version", 0))


def revoke_links(program: str, kind: str, holder: str) -> int:
    answer = dynamodb().update_item(
        TableName=table(), Key=keys.statement_links(program, kind, holder),
        UpdateExpression="ADD #v :one", ExpressionAttributeNames={"#v": "version"},
        ExpressionAttributeValues={":one": {"N": "1"}}, ReturnValues="UPDATED_NEW")
    return int(answer["Attributes"]["version"]["N"])
