"""Report jobs through the admin API: on DuckDB over a lake of what the API did (the rows
match the lake's own report and the API's own counts, as CSV and Parquet files), and on
Athena (moto's) with the query narrowed to the program and period, the Parquet copy made
by the query itself, and links that are presigned."""

from __future__ import annotations

import csv
import io
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kado.api.schemas.admin import schema
from kado.local import event_watch, lake
from kado.services import reports
from kado.services.campaigns import definitions as campaigns
from kado.services.campaigns import spins
from kado.services.kernel import outbox
from tests import support
from tests.support import admin, execute, key, member, new_program, refusal

START = """mutation($i: StartReportInput!) { startReport(input: $i) {
  job { id status } errors { code field } } }"""
JOB = """query($id: String!) { reportJob(id: $id) { id report from to status rows columns
  preview error files { format url } } }"""
JOBS = "{ reportJobs(first: 10) { nodes { id report status } } }"


@pytest.fixture
def local_lake(tmp_path):
    engine = lake.LakeEngine(tmp_path / "lake", tmp_path / "out")
    reports.use_local_engine(engine)
    yield tmp_path / "lake"
    reports.use_local_engine(None)


def played(program: str, root: Path) -> None:
    """Three spins of two members, read off the table's stream into the lake."""
    from kado.config import settings

    campaigns.upsert(program, support.campaign(prizes=support.sure_win(10)))
    campaigns.launch(program, "wheel")
    for who in ("ann", "ben", "ann"):
        spins.play(member(program, who), "wheel", key())
    lake.write([f for r in event_watch.every_record(None, settings().table_name)
                for f in outbox.facts_of(r) if f.program == program], root)


def start(program: str, report: str, starts: date, ends: date, idempotency: str) -> dict:
    return execute(schema, START, admin(program), {"i": {
        "report": report, "from": starts.isoformat(), "to": ends.isoformat(),
        "idempotencyKey": idempotency}})["startReport"]


def finished(program: str, job_id: str) -> dict:
    """Poll the job as the console does, until it ends."""
    for _ in range(200):
        job = execute(schema, JOB, admin(program), {"id": job_id})["reportJob"]
        if job["status"] in ("DONE", "FAILED"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} still {job['status']}")


def test_a_report_job_on_the_local_lake_gives_the_reports_rows_as_csv_and_parquet(local_lake):
    import duckdb

    program = new_program()
    played(program, local_lake)
    today = datetime.now(UTC).date()
    started = start(program, "campaign_performance_per_day", today - timedelta(days=7), today,
                    "report-0001")
    assert started["errors"] == []
    job = finished(program, started["job"]["id"])
    assert job["status"] == "DONE", job["error"]
    stats = campaigns.stats(program, campaigns.get(program, "wheel"))
    assert job["columns"][:5] == ["campaign_id", "day", "players", "spins", "wins"]
    assert [row[:5] for row in job["preview"]] == [
        ["wheel", today.isoformat(), "2", str(stats.spins), str(stats.wins)]]
    assert job["rows"] == 1
    files = {f["format"]: Path(f["url"].removeprefix("file://")) for f in job["files"]}
    table = list(csv.reader(io.StringIO(files["CSV"].read_text(encoding="utf-8"))))
    assert table[0] == job["columns"] and table[1] == job["preview"][0]
    with duckdb.connect() as con:
        assert con.execute("SELECT wins FROM read_parquet(?)", [str(files["PARQUET"])]
                           ).fetchall() == [(stats.wins,)]  # an integer, as on Athena
    # The same rows as the report run straight on the lake.
    direct = lake.report("campaign_performance_per_day", local_lake, program)
    assert [[str(r[c]) for c in job["columns"]] for r in direct] == job["preview"]

    # A period without the spins: no rows. The whole-history report ignores the period.
    earlier = finished(program, start(program, "campaign_performance_per_day",
                                      today - timedelta(days=30), today - timedelta(days=8),
                                      "report-0002")["job"]["id"])
    assert (earlier["status"], earlier["rows"], earlier["preview"]) == ("DONE", 0, [])
    listed = execute(schema, JOBS, admin(program))["reportJobs"]["nodes"]
    assert [j["id"] for j in listed] == [earlier["id"], job["id"]]


def test_a_report_job_is_idempotent_and_bad_input_changes_nothing(local_lake):
    program = new_program()
    played(program, local_lake)
    today = datetime.now(UTC).date()
    first = start(program, "campaign_wins_per_day", today, today, "report-0001")["job"]
    assert start(program, "campaign_wins_per_day", today, today, "report-0001")["job"][
        "id"] == first["id"]
    assert start(program, "top_companies", today, today, "report-0001")["errors"] == [
        {"code": "IDEMPOTENCY_KEY_REUSED", "field": "idempotencyKey"}]
    assert start(program, "no_such_report", today, today, "report-0002")["errors"] == [
        {"code": "INVALID_INPUT", "field": "report"}]
    assert start(program, "campaign_wins_per_day", today, today - timedelta(days=1),
                 "report-0003")["errors"] == [{"code": "INVALID_INPUT", "field": "to"}]
    assert start(program, "campaign_wins_per_day", today - timedelta(days=800), today,
                 "report-0004")["errors"] == [{"code": "INVALID_INPUT", "field": "to"}]
    finished(program, first["id"])
    assert [j["id"] for j in execute(schema, JOBS, admin(program))["reportJobs"]["nodes"]] \
        == [first["id"]]
    # Another program's job is not found by its id.
    assert execute(schema, JOB, admin(new_program()), {"id": first["id"]})["reportJob"] is None


def test_without_a_lake_a_report_is_refused_as_unavailable():
    program = new_program()
    today = datetime.now(UTC).date()
    assert start(program, "campaign_wins_per_day", today, today, "report-0001")["errors"] == [
        {"code": "UNAVAILABLE", "field": None}]
    assert execute(schema, JOBS, admin(program))["reportJobs"]["nodes"] == []  # none left
    assert refusal(schema, JOB, admin(program), {"id": "bad id"})["code"] == "INVALID_INPUT"


def test_a_report_job_on_athena_is_narrowed_unloaded_and_linked(monkeypatch):
    from botocore.session import get_session
    from moto.athena.models import QueryResults, athena_backends
    from moto.core import DEFAULT_ACCOUNT_ID

    from kado.config import reset_settings
    from kado.store import athena_reports
    from kado.store.kernel import s3

    monkeypatch.setenv("KADO_REPORTS_WORKGROUP", "kado-reports")
    monkeypatch.setenv("KADO_FACTS_BUCKET", "kado-facts")
    monkeypatch.setenv("KADO_FACTS_DATABASE", "kado_facts")
    reset_settings()
    s3.reset_client()
    monkeypatch.setattr(athena_reports, "_athena", None)
    client = get_session().create_client("s3", region_name="us-east-1")
    client.create_bucket(Bucket="kado-facts")
    get_session().create_client("athena", region_name="us-east-1").create_work_group(
        Name="kado-reports", Configuration={"EnforceWorkGroupConfiguration": True})
    backend = athena_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    backend.query_results_queue.append(QueryResults(
        rows=[{"Data": [{"VarCharValue": "campaign_id"}, {"VarCharValue": "wins"}]},
              {"Data": [{"VarCharValue": "wheel"}, {"VarCharValue": "3"}]}],
        column_info=[{"Name": "campaign_id", "Type": "varchar"},
                     {"Name": "wins", "Type": "bigint"}]))
    program = new_program()
    started = start(program, "campaign_wins_per_day", date(2026, 11, 1), date(2026, 11, 30),
                    "report-0001")
    assert started["errors"] == [] and started["job"]["status"] in ("RUNNING", "DONE")
    job_id = started["job"]["id"]
    client.put_object(Bucket="kado-facts", Key=f"reports/{job_id}/parquet/part-0.parquet",
                      Body=b"PAR1")
    job = finished(program, job_id)
    assert (job["status"], job["columns"], job["preview"], job["rows"]) == (
        "DONE", ["campaign_id", "wins"], [["wheel", "3"]], 1)
    queries = [e.query for e in backend.executions.values()]
    select, unload = queries[-2:]
    assert f"program = '{program}'" in select
    assert "day BETWEEN '2026-11-01' AND '2026-11-30'" in select
    assert unload.startswith("UNLOAD (SELECT") and \
        f"TO 's3://kado-facts/reports/{job_id}/parquet/'" in unload
    links = {f["format"]: f["url"] for f in job["files"]}
    assert set(links) == {"CSV", "PARQUET"}
    assert all("X-Amz-Signature=" in url and "X-Amz-Expires=900" in url
               for url in links.values())
    assert f"reports/{job_id}/parquet/part-0.parquet" in links["PARQUET"]
    assert "athena-results/" in links["CSV"]


MEASURE = """mutation($i: MeasureCampaignReturnInput!) { measureCampaignReturn(input: $i) {
  job { id status } errors { code field } } }"""
RETURN = """query($id: String!) { reportJob(id: $id) { status error campaignReturn {
  treated { members revenue mean } heldOut { members revenue mean }
  incrementalPerMember low high cost marginPercent roi verdict } } }"""


def test_a_campaigns_return_is_measured_through_the_admin_api(local_lake):
    """Treated members bought 100 EUR, held-out ones 60: the job lays the two groups side by
    side with the difference's interval, as `kado report roi` does on the same service."""
    from dataclasses import replace

    from kado.services import members
    from kado.services.kernel.outbox import Fact

    program = new_program()
    c = replace(support.campaign(prizes=support.sure_win(None)), holdout_percent=50)
    campaigns.upsert(program, c)
    launched = campaigns.launch(program, "wheel")
    people = [f"m{n:03d}" for n in range(100)]
    for who in people:
        members.upsert_member(program, who, None, "STANDARD")
    at = datetime.now(UTC).isoformat()
    lake.write([Fact(f"rec-{who}", "ActivityRecorded", program, who, at, {
        "externalId": f"order-{who}", "activityType": "PURCHASE", "currency": "EUR",
        "amount": 6_000 if launched.holds_out(who) else 10_000, "points": 0})
        for who in people], local_lake)
    asked = {"campaignId": "wheel", "marginPercent": 20, "tailDays": 7,
             "idempotencyKey": "measure-0001"}
    started = execute(schema, MEASURE, admin(program), {"i": asked})["measureCampaignReturn"]
    assert started["errors"] == []
    job = {}
    for _ in range(200):
        job = execute(schema, RETURN, admin(program), {"id": started["job"]["id"]})["reportJob"]
        if job["status"] in ("DONE", "FAILED"):
            break
        time.sleep(0.05)
    assert job["status"] == "DONE", job["error"]
    found = job["campaignReturn"]
    held = sum(1 for who in people if launched.holds_out(who))
    assert (found["treated"]["members"], found["heldOut"]["members"]) == (100 - held, held)
    assert (found["treated"]["mean"], found["heldOut"]["mean"]) == (10_000, 6_000)
    assert found["incrementalPerMember"] == 4_000 and found["low"] == found["high"] == 4_000
    assert (found["cost"], found["roi"]) == (0, None)  # no budget paid: no return on cost
    assert "raised revenue" in found["verdict"]
    # Bad input changes nothing.
    for field, bad in (("marginPercent", 0), ("tailDays", 500), ("campaignId", "nope")):
        refused = execute(schema, MEASURE, admin(program), {"i": {
            **asked, field: bad, "idempotencyKey": f"measure-bad-{field}"}})
        assert refused["measureCampaignReturn"]["errors"][0]["field"] == field
