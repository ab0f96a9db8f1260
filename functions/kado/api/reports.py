"""Reports on the admin API: the catalogue, a report run as a job over a period, and the
job with its preview rows and, once DONE, short-lived links to its CSV and Parquet."""

from __future__ import annotations

from datetime import date

import strawberry
from strawberry.types import Info

from kado.api.kernel.connections import Connection
from kado.api.kernel.context import Context
from kado.api.kernel.errors import UserError, answered
from kado.domain import reports as catalogue
from kado.domain.validation import require_id
from kado.services import reports as service

AdminInfo = Info[Context, None]


@strawberry.type
class ReportKind:
    name: str
    title: str
    narrowed: bool = strawberry.field(description="Its rows are the period's (false: the whole "
                                                  "history, whatever period is asked).")


@strawberry.type
class ReportFile:
    format: str = strawberry.field(description="CSV or PARQUET.")
    url: str = strawberry.field(description="A link that works for a short while, no sign-in.")


@strawberry.type
class ReportJob:
    id: str
    report: str
    from_: date = strawberry.field(name="from")
    to: date
    status: str = strawberry.field(description="QUEUED, RUNNING, DONE or FAILED.")
    created_at: str
    finished_at: str | None
    scanned_bytes: int | None = strawberry.field(description="What the engine read so far.")
    rows: int | None = strawberry.field(description="Rows in the result, where known.")
    columns: list[str]
    preview: list[list[str | None]] = strawberry.field(
        description=f"The first {catalogue.PREVIEW_ROWS} rows, as text, in `columns` order.")
    error: str | None
    job: strawberry.Private[service.ReportJob]

    @classmethod
    def of(cls, job: service.ReportJob) -> ReportJob:
        return cls(id=job.id, report=job.report, from_=date.fromisoformat(job.starts),
                   to=date.fromisoformat(job.ends), status=job.status,
                   created_at=job.created_at, finished_at=job.finished_at,
                   scanned_bytes=job.scanned_bytes, rows=job.rows, columns=job.columns,
                   preview=[[row.get(c) for c in job.columns] for row in job.preview],
                   error=job.error, job=job)

    @strawberry.field(description="Once DONE: its CSV and Parquet files.")
    def files(self) -> list[ReportFile]:
        return [ReportFile(format=f.format, url=f.url) for f in service.files(self.job)]


@strawberry.input
class StartReportInput:
    report: str
    from_: date = strawberry.field(name="from")
    to: date = strawberry.field(description="Inclusive.")
    idempotency_key: str


@strawberry.type
class ReportJobPayload:
    job: ReportJob | None
    errors: list[UserError]


@strawberry.type
class AdminReportsQuery:
    @strawberry.field(description="The reports a job can run.")
    def report_kinds(self) -> list[ReportKind]:
        return [ReportKind(name=r.name, title=r.title, narrowed=r.column is not None)
                for r in catalogue.CATALOGUE.values()]

    @strawberry.field(description="A report job: poll it until DONE or FAILED.")
    def report_job(self, info: AdminInfo, id: str) -> ReportJob | None:
        job = service.get(info.context.principal.program, require_id(id, "id"))
        return ReportJob.of(job) if job else None

    @strawberry.field(description="The program's report jobs, newest first.")
    def report_jobs(self, info: AdminInfo, first: int = 20,
                    after: str | None = None) -> Connection[ReportJob]:
        page = service.recent(info.context.principal.program, first, after)
        return Connection.of([ReportJob.of(service.job_of(i)) for i in page.items], page)


@strawberry.type
class AdminReportsMutation:
    @strawberry.mutation(description="Run a report over a period, as a job (reportJob).")
    def start_report(self, info: AdminInfo, input: StartReportInput) -> ReportJobPayload:
        return answered(ReportJobPayload, "job", ReportJob.of, lambda: service.start(
            info.context.principal, input.report, input.from_, input.to,
            input.idempotency_key))
