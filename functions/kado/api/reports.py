"""Reports on the admin API: the catalogue, a report run as a job over a period, and the
job with its preview rows and, once DONE, short-lived links to its CSV and Parquet."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from kado.api.kernel.connections import Connection
from kado.api.kernel.context import Context
from kado.api.kernel.errors import UserError, answered
from kado.domain import reports as catalogue
from kado.domain.validation import require_id
from kado.services import reports as service
from kado.services.campaigns import returns

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

    @strawberry.field(description="A campaign's return against its holdout, once measured "
                                  "(measureCampaignReturn).")
    def campaign_return(self) -> CampaignReturn | None:
        return CampaignReturn.of(self.job.result) if self.job.result else None

    @strawberry.field(description="Once DONE: its CSV and Parquet files.")
    def files(self) -> list[ReportFile]:
        return [ReportFile(format=f.format, url=f.url) for f in service.files(self.job)]


@strawberry.type
class ReturnGroup:
    members: int
    revenue: int = strawberry.field(description="Minor units, over the window.")
    mean: float = strawberry.field(description="Revenue per member.")


@strawberry.type
class CampaignReturn:
    treated: ReturnGroup
    held_out: ReturnGroup
    incremental_per_member: float = strawberry.field(
        description="Treated less held out, revenue per member (minor units).")
    low: float | None = strawberry.field(description="95 % interval, low end (null: the "
                                                     "groups are too small).")
    high: float | None
    cost: int = strawberry.field(description="What its wins took from its budgets.")
    margin_percent: int
    roi: float | None = strawberry.field(description="(incremental x treated x margin - "
                                                     "cost) / cost; null without a cost or "
                                                     "with groups too small.")
    verdict: str

    @classmethod
    def of(cls, r: dict[str, Any]) -> CampaignReturn:
        def group(g: dict[str, Any]) -> ReturnGroup:
            return ReturnGroup(members=int(g["members"]), revenue=int(g["revenue"]),
                               mean=float(g["mean"]))

        def number(value: Any) -> float | None:
            return None if value is None else float(value)

        return cls(treated=group(r["treated"]), held_out=group(r["heldOut"]),
                   incremental_per_member=float(r["incrementalPerMember"]),
                   low=number(r.get("low")), high=number(r.get("high")), cost=int(r["cost"]),
                   margin_percent=int(r["marginPercent"]), roi=number(r.get("roi")),
                   verdict=str(r["verdict"]))


@strawberry.input
class MeasureCampaignReturnInput:
    campaign_id: str
    margin_percent: int = strawberry.field(description="The program's margin on revenue.")
    tail_days: int = strawberry.field(default=14, description="Days after the campaign's "
                                                              "end still counted (0-180).")
    idempotency_key: str


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

    @strawberry.mutation(description="Measure what a campaign returned against its holdout: "
                                     "the two groups' revenue per member over its window and "
                                     "a tail, the difference with its 95 % interval, the "
                                     "cost, the ROI; a job (reportJob { campaignReturn }).")
    def measure_campaign_return(self, info: AdminInfo,
                                input: MeasureCampaignReturnInput) -> ReportJobPayload:
        program = info.context.principal.program

        def measured() -> service.ReportJob:
            job_id = returns.start(info.context.principal, input.campaign_id,
                                   input.margin_percent, input.tail_days,
                                   input.idempotency_key)
            found = service.get(program, job_id)
            assert found is not None
            return found

        return answered(ReportJobPayload, "job", ReportJob.of, measured)
