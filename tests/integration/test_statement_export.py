"""Statements for every member and company of a program, made by a background job (the
statement export): each a page that opens by its link without signing in, until the link
expires or is revoked; a forged or altered link opens nothing."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from kado.handlers import admin_api, member_api
from kado.local.apigw import LambdaContext, get_event
from kado.services import members
from kado.services.kernel import loyalty_definitions
from tests.integration.test_handlers import call
from tests.scenarios.points_scenarios import loyal_program, purchase, record

START = """mutation($i: StatementExportInput!) { startStatementExport(input: $i) {
  export { id status } errors { code field } } }"""
STATUS = """query($id: String!) { statementExport(id: $id) { status members companies location
  error } }"""
MINE = "{ myStatements { period path } }"
LINK = """query($h: StatementHolder!, $id: String!, $p: String!) {
  statementLink(holder: $h, holderId: $id, period: $p) { path } }"""
REVOKE = """mutation($h: StatementHolder!, $id: String!) {
  revokeStatementLinks(holder: $h, holderId: $id) { version errors { code } } }"""


def made(program: str, period: str, key: str) -> dict:
    admin = {"sub": "finance", "program": program, "role": "admin"}
    _, body = call(admin_api, "/admin/graphql", START, admin,
                   {"i": {"period": period, "idempotencyKey": key}})
    started = body["data"]["startStatementExport"]
    assert started["errors"] == [], started
    job = {}
    for _ in range(200):  # bounded: the job is a thread here, a queue in AWS
        _, body = call(admin_api, "/admin/graphql", STATUS, admin,
                       {"id": started["export"]["id"]})
        job = body["data"]["statementExport"]
        if job["status"] in ("DONE", "FAILED"):
            break
        time.sleep(0.05)
    return job


def opened(path: str, languages: str = "en-GB,en;q=0.8") -> tuple[int, str]:
    answer = member_api.handler(get_event(path, {"accept-language": languages}),
                                LambdaContext())
    return answer["statusCode"], answer.get("body") or ""


def test_every_member_and_company_gets_a_statement_its_link_opens(monkeypatch, tmp_path):
    monkeypatch.setenv("KADO_EXPORT_DIR", str(tmp_path))
    from kado.config import reset_settings
    from tests import support
    reset_settings()
    # A ledger line is dated when it is written: October's purchase before November's.
    clock = support.test_clock(monkeypatch, datetime(2026, 10, 31, tzinfo=UTC))
    program, other = loyal_program(ladder=None), loyal_program(ladder=None)
    loyalty_definitions.upsert_settings(program, loyalty_definitions.Settings(
        unknown_members=loyalty_definitions.UnknownMembers.ENROL))
    members.upsert_account(program, "acme", "Acme <Paint>", members.GiftPolicy.ACCEPTS)
    for who in ("alice", "bob"):
        members.upsert_member(program, who, "acme", "STANDARD")
    assert record(program, purchase("X-0", 5, datetime(2026, 10, 30, tzinfo=UTC)))[
        0].outcome == "RECORDED"
    clock["at"] = datetime(2026, 11, 20, tzinfo=UTC)
    assert all(r.outcome == "RECORDED" for r in record(
        program, purchase("X-1", 12, datetime(2026, 11, 3, tzinfo=UTC)),
        purchase("X-2", 30, datetime(2026, 11, 4, tzinfo=UTC), member="bob")))
    record(other, purchase("Y-1", 99, datetime(2026, 11, 3, tzinfo=UTC)))  # another tenant

    job = made(program, "2026-11", "statements-2026-11")
    assert (job["status"], job["members"], job["companies"]) == ("DONE", 2, 1), job
    alice = {"sub": "alice", "program": program}
    [mine] = call(member_api, "/member/graphql", MINE, alice)[1]["data"]["myStatements"]
    assert mine["period"] == "2026-11"
    status, page = opened(mine["path"])
    assert status == 200
    assert "Opening balance</th><td class=\"n\">5" in page and ">+12<" in page  # X-1 only
    assert "Closing balance</th><td class=\"n\">17" in page
    # In the reader's language, from the same figures.
    vietnamese = opened(mine["path"], "vi-VN,vi;q=0.9,en;q=0.5")[1]
    assert '<html lang="vi">' in vietnamese and "Số dư cuối kỳ</th><td class=\"n\">17" in vietnamese
    assert "ยอดคงเหลือ</th><td class=\"n\">17" in opened(mine["path"], "th")[1]
    # The company's page, linked by the admin; its name is escaped on the page.
    admin = {"sub": "finance", "program": program, "role": "admin"}
    company = call(admin_api, "/admin/graphql", LINK, admin,
                   {"h": "COMPANY", "id": "acme", "p": "2026-11"})[1]["data"]["statementLink"]
    status, page = opened(company["path"])
    assert status == 200 and "Acme &lt;Paint&gt;" in page and "<Paint>" not in page
    # Another program made none: its members have no links.
    assert call(member_api, "/member/graphql", MINE, {"sub": "alice", "program": other})[1][
        "data"]["myStatements"] == []

    # A link altered by one character, or forged, opens nothing; revoked, none opens.
    body, _, mac = mine["path"].rpartition(".")
    assert opened(f"{body}.{'A' if mac[0] != 'A' else 'B'}{mac[1:]}")[0] == 404
    assert opened("/statements/e30.AAAA")[0] == 404
    revoked = call(admin_api, "/admin/graphql", REVOKE, admin, {"h": "MEMBER", "id": "alice"})
    assert revoked[1]["data"]["revokeStatementLinks"] == {"version": 1, "errors": []}
    assert opened(mine["path"])[0] == 404
    [fresh] = call(member_api, "/member/graphql", MINE, alice)[1]["data"]["myStatements"]
    assert opened(fresh["path"])[0] == 200


def test_a_link_stops_opening_when_it_expires(monkeypatch, tmp_path):
    from datetime import timedelta

    from kado.config import reset_settings
    from tests import support
    monkeypatch.setenv("KADO_EXPORT_DIR", str(tmp_path))
    reset_settings()
    clock = support.test_clock(monkeypatch, datetime(2026, 11, 20, tzinfo=UTC))
    program = loyal_program(ladder=None)
    record(program, purchase("X-1", 12, datetime(2026, 11, 3, tzinfo=UTC)))
    assert made(program, "2026-11", "statements-expiry")["status"] == "DONE"
    [mine] = call(member_api, "/member/graphql", MINE,
                  {"sub": "alice", "program": program})[1]["data"]["myStatements"]
    clock["at"] += timedelta(days=89)
    assert opened(mine["path"])[0] == 200
    clock["at"] += timedelta(days=2)
    assert opened(mine["path"])[0] == 404


def test_a_bad_period_is_refused_and_nothing_runs(monkeypatch, tmp_path):
    program = loyal_program(ladder=None)
    admin = {"sub": "finance", "program": program, "role": "admin"}
    _, body = call(admin_api, "/admin/graphql", START, admin,
                   {"i": {"period": "2026-13", "idempotencyKey": "export-bad-01"}})
    assert body["data"]["startStatementExport"]["errors"] == [
        {"code": "INVALID_INPUT", "field": "period"}]
    assert call(admin_api, "/admin/graphql", LINK, admin, {
        "h": "MEMBER", "id": "alice", "p": "2026-11"})[1]["errors"][0]["extensions"][
        "code"] == "NOT_FOUND"


def test_a_statement_page_shows_reasons_as_text(monkeypatch, tmp_path):
    from kado.config import reset_settings
    from kado.services.loyalty import adjustments
    from tests.support import admin
    monkeypatch.setenv("KADO_EXPORT_DIR", str(tmp_path))
    reset_settings()
    program = loyal_program(ladder=None)
    members.upsert_member(program, "alice", None, "STANDARD")
    adjustments.adjust(admin(program), "alice", 50, "<script>alert(1)</script>", "adj-0001")
    period = datetime.now(UTC).strftime("%Y")
    assert made(program, period, "statements-text")["status"] == "DONE"
    [mine] = call(member_api, "/member/graphql", MINE,
                  {"sub": "alice", "program": program})[1]["data"]["myStatements"]
    status, page = opened(mine["path"])
    assert status == 200 and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>" not in page


def test_a_company_statement_shows_each_members_contribution_from_the_lake(monkeypatch,
                                                                           tmp_path):
    from kado.config import reset_settings, settings
    from kado.local import event_watch, lake
    from kado.services import reports
    from kado.services.kernel import outbox
    from tests import support
    monkeypatch.setenv("KADO_EXPORT_DIR", str(tmp_path / "out"))
    reset_settings()
    support.test_clock(monkeypatch, datetime(2026, 11, 20, tzinfo=UTC))
    program = loyal_program(ladder=None)
    loyalty_definitions.upsert_settings(program, loyalty_definitions.Settings(
        wallet=loyalty_definitions.WalletMode.ACCOUNT))
    members.upsert_account(program, "acme", "Acme", members.GiftPolicy.ACCEPTS)
    for who in ("alice", "bob"):
        members.upsert_member(program, who, "acme", "STANDARD")
    record(program, purchase("X-1", 12, datetime(2026, 11, 3, tzinfo=UTC)),
           purchase("X-2", 30, datetime(2026, 11, 4, tzinfo=UTC), member="bob"),
           purchase("X-3", 8, datetime(2026, 11, 5, tzinfo=UTC), member="bob"))
    stream = event_watch.every_record(settings().dynamodb_endpoint, settings().table_name)
    lake.write([f for r in stream for f in outbox.facts_of(r) if f.program == program],
               tmp_path / "lake")
    reports.use_local_engine(lake.LakeEngine(tmp_path / "lake", tmp_path / "out"))
    try:
        assert made(program, "2026-11", "statements-lake")["status"] == "DONE"
    finally:
        reports.use_local_engine(None)
    admin = {"sub": "finance", "program": program, "role": "admin"}
    link = call(admin_api, "/admin/graphql", LINK, admin,
                {"h": "COMPANY", "id": "acme", "p": "2026-11"})[1]["data"]["statementLink"]
    status, page = opened(link["path"])
    assert status == 200
    # Bob first (38 points, 3,800 cents), then Alice; the wallet took all 50.
    assert page.index(">bob<") < page.index(">alice<")
    assert '<td>bob</td><td class="n">2</td><td class="n">38</td><td class="n">3800</td>' in page
    assert 'Wallet earned</th><td class="n">50' in page
    assert 'Wallet balance now</th><td class="n">50' in page
