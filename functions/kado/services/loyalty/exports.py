"""Statements for every member and company of a program, for a period, as a background job
(the statement export): each a page its holder opens by a link, without signing in.

`start` records the job (QUEUED, keyed by the caller's idempotency key; one job runs per
program at a time) and hands it on: to the export queue in AWS, to a thread elsewhere.
`run` is the job, a step at a time: a page of members (each one's statement read from its
own ledger partition, listed by the members index: nothing scans the table), then a page of
companies (tier and progress, wallet, and each member's contribution from the facts lake),
each written as a document (store/statement_files.py). A step records its counts and where
the next starts, and hands the next on (a message of its own in AWS, so no step comes near
the function's timeout however large the program); the last records DONE and the period, so
members' `myStatements` offer it. Running a step again rewrites the same documents.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from kado.config import settings
from kado.domain import periods
from kado.domain import reports as report_sql
from kado.domain.calendar import iso, utcnow
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.ids import derived_id
from kado.domain.principal import Principal
from kado.domain.validation import require_idempotency_key
from kado.services import members, reports
from kado.services.kernel.loyalty_definitions import WalletMode, cached
from kado.services.loyalty import company_wallets, statements
from kado.services.loyalty import statement_documents as documents
from kado.services.tiers import member_standing
from kado.store import statement_files
from kado.store.loyalty import exports as store

QUEUED, RUNNING, DONE, FAILED = "QUEUED", "RUNNING", "DONE", "FAILED"
# Past a step's time (the export function's timeout, 300 s) with room: a job that died frees
# the program; each step holds the lock again.
LOCK_HELD = timedelta(minutes=15)
PAGE = 100  # holders a step: well inside a step's time, at a few reads each
MEMBERS, COMPANIES = "M", "A"


@dataclass(frozen=True)
class ExportJob:
    id: str
    period: str
    status: str
    members: int
    companies: int
    location: str | None
    error: str | None
    created_at: str


def _job(item: dict[str, Any]) -> ExportJob:
    return ExportJob(item["id"], item["period"], item["status"], int(item.get("members", 0)),
                     int(item.get("companies", 0)), item.get("location"), item.get("error"),
                     item["createdAt"])


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
    hand_on({"program": program, "job": job_id}, run)


def hand_on(message: dict[str, str], run_here: Callable[[str, str], None]) -> None:
    """A job's next work to the export queue's function in AWS (statements steps, a
    campaign's return: handlers/statement_export.py tells them apart by `kind`), to a
    thread running `run_here(program, job)` elsewhere."""
    queue = settings().export_queue_url
    if queue is None:
        threading.Thread(target=run_here, args=(message["program"], message["job"]),
                         daemon=True).start()
        return
    from botocore.session import get_session

    sqs: Any = get_session().create_client("sqs", region_name=settings().region)
    sqs.send_message(QueueUrl=queue, MessageBody=json.dumps(message))


def run(program: str, job_id: str) -> None:
    """The job's next step; in dev and tests every step, one after another."""
    while True:
        item = store.get_job(program, job_id)
        if item is None or item["status"] in (DONE, FAILED):
            return
        if item["status"] == QUEUED:
            store.update_job(program, job_id, {"status": RUNNING})
        try:
            done_members, done_companies, after = _step(program, item["period"],
                                                        item.get("after") or "")
        except Exception as failure:
            store.update_job(program, job_id, {"status": FAILED, "error": str(failure)[:500],
                                               "finishedAt": iso(utcnow())})
            store.release(program, job_id)
            raise
        store.add_progress(program, job_id, done_members, done_companies, after)
        if after is None:
            store.add_period(program, item["period"])
            store.update_job(program, job_id, {
                "status": DONE, "finishedAt": iso(utcnow()),
                "location": statement_files.folder(program, item["period"])})
            store.release(program, job_id)
            return
        store.hold(program, job_id, iso(utcnow() + LOCK_HELD))
        if settings().export_queue_url is not None:
            _hand_on(program, job_id)  # the next step in an invocation of its own
            return


def _step(program: str, period: str, after: str) -> tuple[int, int, str | None]:
    """One page of members or companies: (members done, companies done, where the next
    step starts, None at the end)."""
    kind, _, cursor = after.partition(":")
    if kind in ("", MEMBERS):
        listed, page = members.members_page(program, PAGE, cursor or None)
        for m in listed:
            statement_files.put(program, period, "MEMBER", m.id, documents.member_figures(
                program, m.id, statements.statement_for(program, m.id, period)))
        following = f"{MEMBERS}:{page.end_cursor}" if page.has_next else f"{COMPANIES}:"
        return len(listed), 0, following
    accounts, page = members.accounts_page(program, PAGE, cursor or None)
    for company in _companies(program, period, accounts):
        statement_files.put(program, period, "COMPANY", company.account_id,
                            documents.company_figures(program, company))
    return 0, len(accounts), f"{COMPANIES}:{page.end_cursor}" if page.has_next else None


def _companies(program: str, period: str, accounts: list[members.Account]
               ) -> list[documents.CompanyStatement]:
    if not accounts:
        return []
    d = cached(program)
    span = periods.parse(period, d.ladder.timezone if d.ladder else "UTC")
    ids = [a.id for a in accounts]
    engine = reports.engine()
    first_day, last_day = report_sql.partition_days(span.starts_at, span.ends_at)
    bounds: dict[str, str | list[str]] = {
        "starts": iso(span.starts_at), "ends": iso(span.ends_at), "first_day": first_day,
        "last_day": last_day, "companies": ids}
    contributions: dict[str, list[dict[str, Any]]] | None = None
    wallets: dict[str, dict[str, int]] = {}
    if engine is not None:
        contributions = {}
        for row in engine.rows(report_sql.filled("statements/contributions", program,
                                                 **bounds)):
            contributions.setdefault(str(row["company_id"]), []).append(row)
        for row in engine.rows(report_sql.filled("statements/company_wallets", program,
                                                 **bounds)):
            wallets[str(row["company_id"])] = {k: int(row[k] or 0)
                                               for k in ("earned", "spent", "expired")}
    by_wallet = d.settings.wallet is WalletMode.ACCOUNT
    now = utcnow()
    found = []
    for a in accounts:
        tier, progress = member_standing.company(program, a.id, now)
        found.append(documents.CompanyStatement(
            a.id, a.name, period, tier, progress.value if progress else None,
            progress.next_tier if progress else None,
            wallets.get(a.id, {}) if by_wallet else None,
            company_wallets.balance_of(program, a.id).balance if by_wallet else None,
            None if contributions is None else contributions.get(a.id, [])))
    return found
