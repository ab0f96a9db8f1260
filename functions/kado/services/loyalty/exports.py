"""Program-wide CSV export of a period's points ledger lines, as a background job.

`start` records the job (QUEUED, keyed by the caller's idempotency key) and hands it on:
to the export queue in AWS, to a thread elsewhere. `run` is the job: it reads the period's
lines, writes the CSV (to the export bucket in AWS, to a local folder elsewhere) and
records DONE with the file's place, or FAILED with why. Running it again is harmless.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from kado.config import settings
from kado.domain import periods
from kado.domain.calendar import iso, utcnow
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.ids import derived_id
from kado.domain.principal import Principal
from kado.domain.spreadsheet import csv_text
from kado.domain.validation import require_idempotency_key
from kado.services.kernel.loyalty_definitions import cached
from kado.store.loyalty import exports as store

COLUMNS = ("at", "holder", "seq", "delta", "balanceAfter", "expired", "source", "sourceRef",
           "reason", "actor")
QUEUED, RUNNING, DONE, FAILED = "QUEUED", "RUNNING", "DONE", "FAILED"
# Past the export function's timeout (300 s) with room: a job that died frees the program.
LOCK_HELD = timedelta(minutes=15)


@dataclass(frozen=True)
class ExportJob:
    id: str
    period: str
    status: str
    rows: int | None
    location: str | None
    error: str | None
    created_at: str


def _job(item: dict[str, Any]) -> ExportJob:
    return ExportJob(item["id"], item["period"], item["status"], item.get("rows"),
                     item.get("location"), item.get("error"), item["createdAt"])


def start(admin: Principal, period: str, idempotency_key: str) -> ExportJob:
    require_idempotency_key(idempotency_key)
    program = admin.program
    d = cached(program)
    periods.parse(period, d.ladder.timezone if d.ladder else "UTC")  # refuse a bad name now
    job_id = derived_id(program, "statement-export", idempotency_key)
    now = utcnow()
    in_the_way = store.create_job(
        program, job_id, {"id": job_id, "period": period, "status": QUEUED,
                          "createdAt": iso(now), "actor": admin.subject},
        iso(now), iso(now + LOCK_HELD))
    if in_the_way is None:
        _hand_on(program, job_id)
    elif in_the_way == job_id and (store.get_job(program, job_id) or {}).get("status") == QUEUED:
        # A retry of a job still waiting: its hand-on (after the job's commit) may have been
        # lost; handing it on again is harmless, a job already done does nothing.
        _hand_on(program, job_id)
    elif in_the_way != job_id:
        raise DomainError(ErrorCode.EXPORT_RUNNING, f"export {in_the_way} is still running; "
                          "one export runs per program at a time", None)
    found = get(program, job_id)
    assert found is not None
    return found


def get(program: str, job_id: str) -> ExportJob | None:
    item = store.get_job(program, job_id)
    return _job(item) if item else None


def _hand_on(program: str, job_id: str) -> None:
    queue = settings().export_queue_url
    if queue is None:
        threading.Thread(target=run, args=(program, job_id), daemon=True).start()
        return
    from botocore.session import get_session

    sqs: Any = get_session().create_client("sqs", region_name=settings().region)
    sqs.send_message(QueueUrl=queue, MessageBody=json.dumps({"program": program, "job": job_id}))


def run(program: str, job_id: str) -> None:
    item = store.get_job(program, job_id)
    if item is None or item["status"] == DONE:
        return
    store.update_job(program, job_id, {"status": RUNNING})
    try:
        d = cached(program)
        span = periods.parse(item["period"], d.ladder.timezone if d.ladder else "UTC")
        lines = sorted(store.ledger_lines(program, iso(span.starts_at), iso(span.ends_at)),
                       key=lambda e: (e["at"], _holder(e), e["seq"]))
        location = _write(program, f"{program}/statements/{item['period']}/{job_id}.csv",
                          _csv(lines))
    except Exception as failure:
        store.update_job(program, job_id, {"status": FAILED, "error": str(failure)[:500],
                                           "finishedAt": iso(utcnow())})
        store.release(program, job_id)
        raise
    store.update_job(program, job_id, {"status": DONE, "rows": len(lines),
                                       "location": location, "finishedAt": iso(utcnow())})
    store.release(program, job_id)


def _holder(entry: dict[str, Any]) -> str:
    """A member, or a company wallet shard: `account/3`."""
    pk = entry["pk"].split("#")
    return f"{pk[3]}/{pk[5]}" if pk[2] == "A" else pk[3]


def _csv(lines: list[dict[str, Any]]) -> bytes:
    return csv_text(COLUMNS, ([e["at"], _holder(e), e["seq"], e["delta"], e["balanceAfter"],
                               e.get("expired", 0), e["source"], e["sourceRef"], e["reason"],
                               e["actor"]] for e in lines)).encode()


def _write(program: str, name: str, data: bytes) -> str:
    bucket = settings().export_bucket
    if bucket is None:
        path = Path(settings().export_dir) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return str(path.resolve())
    from botocore.session import get_session

    s3: Any = get_session().create_client("s3", region_name=settings().region)
    s3.put_object(Bucket=bucket, Key=name, Body=data, ContentType="text/csv",
                  ServerSideEncryption="AES256")
    return f"s3://{bucket}/{name}"
