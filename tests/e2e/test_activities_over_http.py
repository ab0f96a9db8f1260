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


def test_two_distributors_files_with_the_same_invoice_numbers_are_each_their_own(server, tmp_path):
    base, data_dir, _ = server
    admin = kado("token", "--program", "demo", "--admin", data_dir=data_dir).stdout.strip()
    ask = """{ memberStanding(memberId: "dist-buyer") { points { balance }
      ledger(first: 10) { nodes { sourceRef delta } } } }"""
    for distributor, euros in (("acme", 10), ("globex", 7)):  # companies of the demo program
        source = tmp_path / f"{distributor}.csv"
        source.write_text("externalId,memberId,type,occurredAt,amount,currency\n"
                          f"INV-1,dist-buyer,PURCHASE,2026-11-20T10:00:00Z,{euros * 100},EUR\n")
        done = kado("activities", "import", str(source), "--distributor", distributor,
                    "--endpoint", f"{base}/admin/graphql", data_dir=data_dir)
        assert "recorded 1, already recorded 0" in done.stdout, done.stderr
    standing = gql(base, "/admin/graphql", admin, ask).json()["data"]["memberStanding"]
    assert standing["points"]["balance"] == 17  # two invoices, one per distributor
    assert sorted((n["sourceRef"], n["delta"]) for n in standing["ledger"]["nodes"]) == [
        ("acme:INV-1", 10), ("globex:INV-1", 7)]
    unknown = kado("activities", "import", str(tmp_path / "acme.csv"), "--distributor",
                   "nobody", "--endpoint", f"{base}/admin/graphql", data_dir=data_dir)
    assert unknown.returncode != 0 and "no company 'nobody'" in unknown.stderr
