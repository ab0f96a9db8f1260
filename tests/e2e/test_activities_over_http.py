"""`kado activities import` against `kado dev`: batches, errors by line, safe re-runs."""

from __future__ import annotations

import json

import pytest

from tests.e2e.dev import gql, kado

pytestmark = pytest.mark.e2e
RULE = """mutation { upsertEarningRule(input: {id: "per-euro", name: "Per euro",
  activityType: "PURCHASE", pointsPerUnit: 1}) { errors { code } } }"""
STANDING = """{ memberStanding(memberId: "file-member") { points { balance } } }"""


def _import(data_dir, base, path):
    return kado("activities", "import", str(path), "--endpoint", f"{base}/admin/graphql",
                data_dir=data_dir)


def test_a_jsonl_file_is_recorded_once_with_its_bad_lines_named(server, tmp_path):
    base, data_dir, _ = server
    admin = kado("token", "--program", "demo", "--admin", data_dir=data_dir).stdout.strip()
    assert gql(base, "/admin/graphql", admin, RULE).json()["data"][
        "upsertEarningRule"]["errors"] == []
    lines = [json.dumps({"externalId": f"FILE-{i:04d}", "memberId": "file-member",
                         "type": "PURCHASE", "occurredAt": "2026-11-20T10:00:00Z",
                         "amount": {"value": 100, "currency": "EUR"}}) for i in range(230)]
    lines.insert(5, "{broken")
    lines.insert(100, json.dumps({"externalId": "FILE-0001", "memberId": "file-member",
                                  "type": "PURCHASE", "occurredAt": "2026-11-20T10:00:00Z",
                                  "amount": {"value": 999, "currency": "EUR"}}))
    source = tmp_path / "erp.jsonl"
    source.write_text("\n".join(lines) + "\n")
    first = _import(data_dir, base, source)
    assert first.returncode == 1, first.stderr
    assert "recorded 230, already recorded 0, refused 2" in first.stdout
    assert f"{source}:6: activity: must be a JSON object" in first.stderr
    assert f"{source}:101: FILE-0001: CONFLICT" in first.stderr
    again = _import(data_dir, base, source)
    assert "recorded 0, already recorded 230, refused 2" in again.stdout
    standing = gql(base, "/admin/graphql", admin, STANDING).json()["data"]["memberStanding"]
    assert standing["points"]["balance"] == 230


def test_a_csv_file_with_a_header(server, tmp_path):
    base, data_dir, _ = server
    source = tmp_path / "erp.csv"
    source.write_text("externalId,memberId,type,occurredAt,amount,currency,tags\n"
                      "CSV-1,csv-member,PURCHASE,2026-11-20T10:00:00Z,500,EUR,online;b2b\n"
                      "CSV-2,csv-member,SURVEY_COMPLETED,2026-11-20T11:00:00Z,,,\n"
                      "CSV-3,csv-member,PURCHASE,yesterday,500,EUR,\n")
    done = _import(data_dir, base, source)
    assert "recorded 2, already recorded 0, refused 1" in done.stdout
    assert f"{source}:4: occurredAt: must be an ISO 8601 time" in done.stderr
