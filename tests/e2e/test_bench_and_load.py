"""`kado bench --quick` writes a complete, sane report; `kado load` holds the invariants.

Neither test looks at a timing: these machines are shared and noisy.
"""

from __future__ import annotations

import json
import signal
import subprocess

import pytest

from kado.local.bench.run import LOW_OVERHEAD, ONE_TRIP
from kado.store import leaderboards as boards
from tests.e2e.dev import KADO, ROOT, start_dev

pytestmark = pytest.mark.e2e
OPERATIONS = {
    "spin_win_item", "spin_win_voucher", "spin_win_pool_code", "spin_loss",
    "spin_win_item_1_budget", "spin_win_item_3_budgets", "spin_win_item_persisted_query",
    "spin_retry_same_key",
    "spin_refused_daily_limit", "me", "campaigns", "my_spins_first_20",
    "my_vouchers_first_20", "check_voucher", "check_voucher_unknown_code",
    "redeem_voucher_full", "redeem_voucher_partial", "redeem_voucher_partial_with_balance",
    "redeem_voucher_already_redeemed", "reverse_redemption", "issue_vouchers_10_members",
    "record_activity_new_member", "record_activity_known_member", "record_activity_duplicate",
    "redeem_reward", "spin_paid_with_points", "redeem_reward_company_wallet",
    "record_activity_company_ladder", "register_for_event", "register_for_event_waitlisted",
    "cancel_registration_with_promotion", "check_in", "record_activity_3_quests",
    "quest_leaderboard_top_10_of_2000", "events_page_with_availability"}


def test_bench_quick_reports_every_operation_with_sane_numbers(tmp_path):
    out = tmp_path / "bench.json"
    done = subprocess.run([*KADO, "bench", "--quick", "--out", str(out)], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, check=False)
    report = json.loads(out.read_text())
    missed = [name for name, goal in report["goals"].items() if not goal["met"]]
    # A missed goal is a failed run for a script (exit 3), with the report still complete.
    assert done.returncode == (3 if missed else 0), done.stderr[-3000:]
    assert "{" not in done.stdout.splitlines()[0]  # the table, not a metrics line
    assert set(report["operations"]) == OPERATIONS
    for name, op in report["operations"].items():
        assert op["unexpected_responses"] == {}, name  # every request got the answer it should
        assert op["round_trips"] >= 1 and op["iterations"] == report["meta"]["iterations"]
        low, high = op["overhead_ratio_p25_p75"]  # the median of the pairs lies inside them
        assert low <= op["overhead_ratio"] <= high, name
    for name in ONE_TRIP:  # counted, not timed: these must stay one DynamoDB call
        assert report["operations"][name]["round_trips"] == 1, name
    assert report["operations"]["spin_win_item"]["calls_per_iteration"] == {
        "TransactWriteItems": 1.0}
    assert report["operations"]["issue_vouchers_10_members"]["round_trips"] == 11
    # A company spend reads all 8 wallet shards (and the member, whose company it checks) in
    # one batch, then writes once; only a member's first spend in an instance reads the
    # member before (20 staff take turns here, so some iterations are someone's first).
    company = report["operations"]["redeem_reward_company_wallet"]["calls_per_iteration"]
    assert (company["BatchGetItem"], company["TransactWriteItems"]) == (1.0, 1.0), company
    assert company.keys() <= {"BatchGetItem", "TransactWriteItems", "GetItem"}, company
    assert company.get("GetItem", 0) < 1, company
    # A board of 2,000 is read with one query per board shard, whatever its size.
    board = report["operations"]["quest_leaderboard_top_10_of_2000"]["calls_per_iteration"]
    assert board.get("Query") == boards.SHARDS, board
    # Capacity is counted, not timed: a losing spin and a redemption are one transaction.
    assert report["operations"]["spin_loss"]["wcu"] > 0
    assert report["operations"]["check_voucher"]["wcu"] == 0
    # Each budget a win is paid from is one more item in the same transaction (the plain
    # win writes a stock shard instead, which the budget campaigns' prizes do not have).
    plain, one, three = (report["operations"][name]["items_written"] for name in (
        "spin_win_item", "spin_win_item_1_budget", "spin_win_item_3_budgets"))
    assert (one, three) == (plain, plain + 2), (plain, one, three)
    cold = report["cold_start"]
    assert cold["python"].startswith("Python 3.12")
    assert set(cold["handlers"]) == {"member_api", "member_api_without_bytecode",
                                     "merchant_api", "admin_api"}
    # What we ship runs from bytecode; the comparison run really ran without it.
    assert cold["handlers"]["member_api"]["bytecode_used"] == 1
    assert cold["handlers"]["member_api_without_bytecode"]["bytecode_used"] == 0
    assert cold["bare_boto3_handler"]["bytecode_used"] == 0
    # The baseline's boto3 is compiled, as Lambda's image ships it; from source is beside it.
    assert cold["runtime_boto3"].startswith("compiled by pip")
    source = cold["member_api_with_runtime_boto3_from_source"]
    assert source["cold_start_ratio"] > 0 and source["bare_total_ms"] > 0, source
    assert {f"cold_start_ratio.{n}" for n in ("member_api", "merchant_api", "admin_api")} \
        <= set(report["goals"])
    assert cold["member_api_imports_admin_or_merchant_schema"] == []
    assert "kado.handlers.member_api" not in {m["module"] for m in
                                              cold["member_api_top_imports"]}
    # 4 events on the page: their seats and waitlist counts in two batch reads for the whole
    # page (no query per event), however many fields ask.
    page = report["operations"]["events_page_with_availability"]["calls_per_iteration"]
    assert (page["BatchGetItem"], page["Query"]) == (2, 1), page
    company = report["hot_keys"]["company_wallet"]
    assert company["max_item_writes_per_s"] <= company["item_limit_per_s"], company
    hot = report["hot_keys"]
    assert hot["spins"] == report["meta"]["hot_key_spins"] and hot["max_item"]
    assert set(report["goals"]) >= {f"overhead_ratio.{n}" for n in LOW_OVERHEAD}
    assert "cold start" in done.stdout and "goals:" in done.stdout


def test_small_load_against_kado_dev_keeps_every_invariant(tmp_path):
    base, process = start_dev(tmp_path, "--workers", "2")
    try:
        done = subprocess.run([*KADO, "load", "--endpoint", base, "--spins", "300",
                               "--concurrency", "16", "--redeem", "20", "--data-dir",
                               str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                              timeout=600, check=False)
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert report["ok"] and all(report["invariants"].values())
    assert report["spins"]["statuses"] == {"200": 300}
    assert report["campaign"]["spins"] == 300
    assert report["redemptions"]["distinct_successes"] == report["redemptions"]["codes"] == 20
