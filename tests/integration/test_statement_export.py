"""The program-wide statement export: a background job, its status, and its CSV."""

from __future__ import annotations

import csv
import time
from datetime import UTC, datetime
from pathlib import Path

from kado.handlers import admin_api
from tests.integration.test_handlers import call
from tests.scenarios.points_scenarios import loyal_program, purchase, record

START = """mutation($i: StatementExportInput!) { startStatementExport(input: $i) {
  export { id status } errors { code field } } }"""
STATUS = """query($id: String!) { statementExport(id: $id) { status rows location error } }"""


def test_an_export_runs_in_the_background_and_lists_the_periods_lines(monkeypatch, tmp_path):
    monkeypatch.setenv("KADO_EXPORT_DIR", str(tmp_path))
    from kado.config import reset_settings
    reset_settings()
    program, other = loyal_program(ladder=None), loyal_program(ladder=None)
    record(program, purchase("X-1", 12, datetime(2026, 11, 3, tzinfo=UTC)),
           purchase("X-2", 30, datetime(2026, 11, 4, tzinfo=UTC), member="bob"))
    record(other, purchase("Y-1", 99, datetime(2026, 11, 3, tzinfo=UTC)))  # another tenant
    admin = {"sub": "finance", "program": program, "role": "admin"}
    _, body = call(admin_api, "/admin/graphql", START, admin,
                   {"i": {"period": "2026", "idempotencyKey": "export-2026-01"}})
    started = body["data"]["startStatementExport"]
    assert started["errors"] == [] and started["export"]["status"] in ("QUEUED", "RUNNING",
                                                                       "DONE")
    job = None
    for _ in range(100):  # bounded: the job is a thread here, a queue in AWS
        _, body = call(admin_api, "/admin/graphql", STATUS, admin,
                       {"id": started["export"]["id"]})
        job = body["data"]["statementExport"]
        if job["status"] in ("DONE", "FAILED"):
            break
        time.sleep(0.1)
    assert job is not None and job["status"] == "DONE", job
    rows = list(csv.DictReader(Path(job["location"]).read_text().splitlines()))
    assert job["rows"] == 2 and [(r["holder"], r["delta"], r["sourceRef"]) for r in rows] == [
        ("alice", "12", "X-1"), ("bob", "30", "X-2")]
    _, body = call(admin_api, "/admin/graphql", START, admin,
                   {"i": {"period": "2026-13", "idempotencyKey": "export-bad-01"}})
    assert body["data"]["startStatementExport"]["errors"] == [
        {"code": "INVALID_INPUT", "field": "period"}]
