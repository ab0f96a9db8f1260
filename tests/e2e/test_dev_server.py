"""`kado dev --memory` on a free port, played over HTTP with tokens from `kado token`."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from kado.local import tokens
from tests.e2e.dev import ROOT, gql, kado, start_dev

pytestmark = pytest.mark.e2e
SPIN = ("mutation($i: SpinInput!) { spin(input: $i) { spin { id won outcome } "
        "errors { code } } }")


def test_spin_flow_over_http(server):
    base, data_dir, _ = server
    token = kado("token", "--program", "demo", "--member", "e2e-member", "--account", "acme",
                 data_dir=data_dir).stdout.strip()
    variables = {"i": {"campaignId": "welcome-wheel", "idempotencyKey": "e2e-spin-0001"}}
    first = gql(base, "/member/graphql", token, SPIN, variables).json()["data"]["spin"]
    again = gql(base, "/member/graphql", token, SPIN, variables).json()["data"]["spin"]
    assert first["errors"] == [] and first == again
    mine = gql(base, "/member/graphql", token,
               '{ mySpins(campaignId: "welcome-wheel") { nodes { id } } }').json()
    assert mine["data"]["mySpins"]["nodes"] == [{"id": first["spin"]["id"]}]


def test_tokens_are_required_and_checked(server):
    base, data_dir, _ = server
    assert gql(base, "/member/graphql", None, "{ me { id } }").status_code == 401
    assert gql(base, "/member/graphql", "not.a.jwt", "{ me { id } }").status_code == 401
    other = kado("token", "--program", "demo", "--member", "x", data_dir=data_dir / "other")
    assert gql(base, "/member/graphql", other.stdout.strip(), "{ me { id } }").status_code == 401
    expired = tokens.mint(tokens.signing_key(data_dir), "demo", "x", "member", ttl_s=-60)
    assert gql(base, "/member/graphql", expired, "{ me { id } }").status_code == 401
    admin = kado("token", "--program", "demo", "--admin", data_dir=data_dir).stdout.strip()
    assert gql(base, "/member/graphql", admin, "{ me { id } }").status_code == 403
    assert "graphiql" in httpx.get(f"{base}/admin/graphql",
                                   headers={"Accept": "text/html"}).text.lower()


def test_campaign_file_apply_reports_paths_then_launches(server, tmp_path):
    base, data_dir, _ = server
    example = (ROOT / "infra" / "campaigns" / "summer-wheel.yaml").read_text()
    broken = tmp_path / "broken.yaml"
    broken.write_text(example.replace("weight: 60", "weight: 0").replace("stock: 50", "stock: -1"))
    out = kado("campaign", "apply", str(broken), "--endpoint", f"{base}/admin/graphql",
               data_dir=data_dir)
    assert out.returncode == 1
    assert "prizes[2].weight: must be > 0" in out.stderr
    assert "prizes[0].stock: must be >= 0" in out.stderr
    out = kado("campaign", "apply", str(ROOT / "infra" / "campaigns" / "summer-wheel.yaml"),
               "--launch", "--endpoint", f"{base}/admin/graphql", data_dir=data_dir)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "summer-wheel: LIVE"


def test_ctrl_c_leaves_no_dynamodb_local_behind(tmp_path):
    _, process = start_dev(tmp_path)
    children = subprocess.run(["pgrep", "-P", str(process.pid)], capture_output=True, check=False,
                              text=True).stdout.split()
    assert children, "kado dev should run DynamoDB Local as its child"
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=30) == 0
    time.sleep(0.5)
    for pid in children:
        assert not Path(f"/proc/{pid}").exists() or \
            "zombie" in Path(f"/proc/{pid}/status").read_text().lower()


def test_oversized_and_too_deep_bodies_are_json_refusals_over_http(server):
    base, data_dir, _ = server
    token = kado("token", "--program", "demo", "--member", "e2e-member",
                 data_dir=data_dir).stdout.strip()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    big = httpx.post(f"{base}/member/graphql", headers=headers, timeout=30,
                     content=b'{"query": "' + b"x" * 300_000 + b'"}')
    assert big.status_code == 413 and "bytes" in big.json()["message"]
    deep = httpx.post(f"{base}/member/graphql", headers=headers, timeout=30,
                      content=b"[" * 100_000)
    assert deep.status_code == 400
    assert deep.json() == {"message": "request body nests too deeply"}
    typo = httpx.post(f"{base}/member/graphql", headers=headers, timeout=30, content=b"{nope")
    assert typo.status_code == 400 and typo.json()["message"]


def test_the_demo_member_sees_her_tier_points_and_history_at_once(server):
    base, data_dir, _ = server
    token = kado("token", "--program", "demo", "--member", "alice", "--account", "acme",
                 data_dir=data_dir).stdout.strip()
    query = ("{ me { tier points { balance lifetimeEarned } tierProgress { nextTier } } "
             "pointsLedger { nodes { delta balanceAfter source } } rewards { id } }")
    data = gql(base, "/member/graphql", token, query).json()["data"]
    assert data["me"]["tier"] == "GOLD" and data["me"]["tierProgress"]["nextTier"] is None
    # 1,500 at STANDARD, 600 at SILVER (x1.25), training at GOLD (x1.5), a 300-point mug
    assert data["me"]["points"] == {"balance": 2100, "lifetimeEarned": 2400}
    assert [e["source"] for e in data["pointsLedger"]["nodes"]] == [
        "REWARD", "ACTIVITY", "ACTIVITY", "ACTIVITY"]
    assert {r["id"] for r in data["rewards"]} == {"mug", "coffee"}


def test_the_demo_member_joins_a_line_and_checks_in_at_the_door(server):
    base, data_dir, _ = server
    token = kado("token", "--program", "demo", "--member", "alice", "--account", "acme",
                 data_dir=data_dir).stdout.strip()
    till = kado("token", "--program", "demo", "--merchant", "corner-cafe",
                data_dir=data_dir).stdout.strip()
    listed = gql(base, "/member/graphql", token,
                 "{ events { nodes { id seatsLeft waitlistLength } } }").json()["data"]
    assert listed["events"]["nodes"] == [  # soonest first: the training is this week
        {"id": "spring-training", "seatsLeft": 20, "waitlistLength": 0},
        {"id": "dealer-day", "seatsLeft": 0, "waitlistLength": 2}]
    register = ("mutation($e: String!, $k: String!) { registerForEvent(input: {eventId: $e, "
                "idempotencyKey: $k}) { registration { status position checkInQr } "
                "errors { code } } }")
    full = gql(base, "/member/graphql", token, register,
               {"e": "dealer-day", "k": "e2e-dealer-0001"}).json()["data"]["registerForEvent"]
    assert full["registration"]["status"] == "WAITLISTED"
    assert (full["registration"]["position"], full["registration"]["checkInQr"]) == (3, None)
    seat = gql(base, "/member/graphql", token, register,
               {"e": "spring-training", "k": "e2e-train-0001"}).json()["data"][
        "registerForEvent"]["registration"]
    assert seat["status"] == "CONFIRMED" and seat["checkInQr"].startswith("KADO-EVENT:")
    check_in = ("mutation($q: String!, $k: String!) { checkIn(input: {eventId: "
                "\"spring-training\", qr: $q, idempotencyKey: $k}) { checkIn { memberId } "
                "errors { code message } } }")
    first = gql(base, "/merchant/graphql", till, check_in,
                {"q": seat["checkInQr"], "k": "e2e-door-0001"}).json()["data"]["checkIn"]
    assert first == {"checkIn": {"memberId": "alice"}, "errors": []}
    again = gql(base, "/merchant/graphql", till, check_in,
                {"q": seat["checkInQr"], "k": "e2e-door-0002"}).json()["data"]["checkIn"]
    assert again["errors"][0]["code"] == "ALREADY_CHECKED_IN"
    assert again["errors"][0]["message"].startswith("already checked in at ")


def test_the_demo_member_answers_the_survey_and_sees_her_referral(server):
    base, data_dir, _ = server
    token = kado("token", "--program", "demo", "--member", "alice", "--account", "acme",
                 data_dir=data_dir).stdout.strip()
    submit = ('mutation { submitSurvey(input: {surveyId: "dealer-survey", idempotencyKey: '
              '"e2e-survey-0001", answers: [{questionId: "brands", choices: ["new-range"]}, '
              '{questionId: "nps", scale: 9}]}) { submission { rewardPoints } errors { code } } }')
    done = gql(base, "/member/graphql", token, submit).json()["data"]["submitSurvey"]
    assert done == {"submission": {"rewardPoints": 75}, "errors": []}
    mine = gql(base, "/member/graphql", token, "{ referralCode myReferrals { "
               "referredAccountId status } quests { id progressStatus } }").json()["data"]
    assert len(mine["referralCode"]) == 10
    assert mine["myReferrals"] == [{"referredAccountId": "initech", "status": "PENDING"}]
    assert {q["id"] for q in mine["quests"]} == {"new-range", "survey-streak"}
