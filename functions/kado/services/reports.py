"""Report jobs: an admin asks for a report over a period and gets a job; the job runs on the
facts lake's engine and, once done, offers its rows as CSV and Parquet by short-lived links.

  start   checks the report and period, records the job (QUEUED, its id derived from the
          caller's idempotency key, so a retry returns the first job) and hands it on
  run     gives the report's SQL to the engine (RUNNING, with what the engine needs to
          find its work again); an engine that finishes at once finishes the job
  get     reads the job; one still RUNNING asks the engine how far it is, and the first
          reader to see it end records DONE (with a preview of its rows) or FAILED

In AWS the engine is Athena (store/athena_reports.py): starting is two calls, and the
job finishes while the console polls `reportJob`. In dev and tests it is DuckDB over the
local lake (kado.local.lake), run on a thread as the statement export is.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Protocol

from kado.config import settings
from kado.domain import reports
from kado.domain.calendar import iso, utcnow
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.idempotency import fingerprint
from kado.domain.ids import derived_id
from kado.domain.principal import Principal
from kado.domain.reports import DONE, FAILED, QUEUED, RUNNING, File, Progress
from kado.domain.validation import require_idempotency_key
from kado.store import report_jobs as store
from kado.store.kernel.pages import Page

logger = logging.getLogger(__name__)


class Engine(Protocol):
    def start(self, job_id: str, sql: str) -> dict[str, Any]:
        """Begin the query; what is needed to find it again (kept on the job)."""

    def progress(self, handles: dict[str, Any]) -> Progress: ...

    def rows(self, sql: str) -> list[dict[str, Any]]:
        """Run `sql` and wait for its rows, as text (a worker's call, never a request's)."""

    def files(self, handles: dict[str, Any]) -> list[File]:
        """Links to the finished job's files, valid for a short while."""


_local: Engine | None = None


def use_local_engine(engine: Engine | None) -> None:
    """The dev server and tests run reports on DuckDB over their own lake."""
    global _local  # noqa: PLW0603 - one engine per process, chosen at start-up
    _local = engine


def engine() -> Engine | None:
    """The lake's engine where there is one (a dev server without --events has none)."""
    try:
        return require_engine()
    except DomainError:
        return None


def require_engine() -> Engine:
    """The lake's engine, or UNAVAILABLE (a dev server started without --events)."""
    if settings().reports_workgroup:
        from kado.store.athena_reports import AthenaReports

        return AthenaReports()
    if _local is None:
        raise DomainError(ErrorCode.UNAVAILABLE, "reports run on the facts lake: start the "
                          "dev server with --events", None)
    return _local


@dataclass(frozen=True)
class ReportJob:
    id: str
    report: str
    starts: str
    ends: str
    status: str
    created_at: str
    finished_at: str | None
    scanned_bytes: int | None
    rows: int | None
    columns: list[str]
    preview: list[dict[str, Any]]
    error: str | None
    handles: dict[str, Any]
    result: dict[str, Any] | None = None  # a measure's (services/campaigns/returns.py)


def job_of(item: dict[str, Any]) -> ReportJob:
    return ReportJob(item["id"], item["report"], item["from"], item["to"], item["status"],
                     item["createdAt"], item.get("finishedAt"), item.get("scannedBytes"),
                     item.get("rows"), list(item.get("columns") or []),
                     list(item.get("preview") or []), item.get("error"),
                     dict(item.get("handles") or {}), item.get("result"))


def start(admin: Principal, name: str, starts: date, ends: date,
          idempotency_key: str) -> ReportJob:
    require_idempotency_key(idempotency_key)
    program = admin.program
    reports.plan(name, program, starts, ends)
    engine = require_engine()  # before anything is recorded: no engine, no job
    asked = fingerprint("startReport", name, starts.isoformat(), ends.isoformat())
    job_id = derived_id(program, "report", idempotency_key)
    now = utcnow()
    created = store.create(program, job_id, {
        "id": job_id, "report": name, "from": starts.isoformat(), "to": ends.isoformat(),
        "status": QUEUED, "createdAt": iso(now), "actor": admin.subject,
        "fingerprint": asked}, int(now.timestamp()))
    if not created:
        earlier = store.get(program, job_id, consistent=True) or {}
        if earlier.get("fingerprint") != asked:
            raise DomainError(ErrorCode.IDEMPOTENCY_KEY_REUSED, "this idempotency key was "
                              "used for another report or period", "idempotencyKey")
        if earlier.get("status") != QUEUED:
            return job_of(earlier)
    # A new job, or a retry of one still queued (its hand-on may have been lost): running
    # it again is harmless, as only the first run moves it out of QUEUED.
    if engine is _local:
        threading.Thread(target=run, args=(program, job_id), daemon=True).start()
    else:
        run(program, job_id)
    found = get(program, job_id)
    assert found is not None
    return found


def run(program: str, job_id: str) -> None:
    item = store.get(program, job_id, consistent=True)
    if item is None or item["status"] != QUEUED:
        return
    run_of = reports.plan(item["report"], program, date.fromisoformat(item["from"]),
                          date.fromisoformat(item["to"]))
    try:
        handles = require_engine().start(job_id, run_of.sql())
    except Exception as failure:  # the engine refused the query: the job says why
        logger.exception("report job %s could not start", job_id)
        store.update(program, job_id, {"status": FAILED, "error": str(failure)[:500],
                                       "finishedAt": iso(utcnow())}, QUEUED)
        return
    store.update(program, job_id, {"status": RUNNING, "handles": handles}, QUEUED)
    _settle(program, job_of({**item, "status": RUNNING, "handles": handles}))


def get(program: str, job_id: str) -> ReportJob | None:
    item = store.get(program, job_id)
    if item is None:
        return None
    job = job_of(item)
    return _settle(program, job) if job.status == RUNNING else job


def _settle(program: str, job: ReportJob) -> ReportJob:
    """Ask the engine how a RUNNING job stands, and record its end once."""
    progress = require_engine().progress(job.handles)
    if progress.status == RUNNING:
        return replace(job, scanned_bytes=progress.scanned_bytes)
    ended = {"status": progress.status, "finishedAt": iso(utcnow()),
             "scannedBytes": progress.scanned_bytes, "rows": progress.rows,
             "columns": progress.columns, "preview": progress.preview,
             "error": progress.error}
    store.update(program, job.id, {k: v for k, v in ended.items() if v is not None}, RUNNING)
    return job_of(store.get(program, job.id, consistent=True) or {})


def files(job: ReportJob) -> list[File]:
    return require_engine().files(job.handles) if job.status == DONE else []


def recent(program: str, first: int, after: str | None) -> Page:
    return store.recent(program, first, after)


