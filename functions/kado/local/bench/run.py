"""Runs the whole benchmark on its own in-memory DynamoDB Local and writes the JSON."""

from __future__ import annotations

import contextlib
import io
import json
import os
import platform
import secrets
import time
import warnings
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kado.local import dynamodb_local
from kado.local.bench import cold_start, event_operations, hot_keys, measure, operations

# Outside the committed results (bench/results/ holds the runs the docs quote).
DEFAULT_OUT = Path(".kado/bench/latest.json")
TABLE = "kado-bench"
FULL = {"warmup": 20, "iterations": 200, "hot_key_spins": 2000, "cold_start_runs": 7}
QUICK = {"warmup": 3, "iterations": 25, "hot_key_spins": 300, "cold_start_runs": 2}
ONE_TRIP = ("spin_win_item", "spin_win_voucher", "spin_win_pool_code", "spin_loss",
            "spin_retry_same_key", "redeem_voucher_full", "check_voucher", "me",
            "record_activity_new_member", "record_activity_known_member",
            "record_activity_duplicate", "record_activity_company_ladder", "redeem_reward",
            "spin_paid_with_points", "register_for_event", "record_activity_3_quests",
            "spin_win_item_1_budget", "spin_win_item_3_budgets",
            "spin_win_item_persisted_query")
# The hot requests whose time over their own DynamoDB calls is a goal (1.15 each).
LOW_OVERHEAD = ("spin_win_item", "spin_loss", "redeem_voucher_full", "redeem_voucher_partial",
                "check_voucher", "record_activity_known_member", "redeem_reward",
                "register_for_event")
OVERHEAD_GOAL = 1.15
COLD_START_GOAL = 2.0  # each API, with the runtime's boto3 compiled as Lambda ships it


def _prepare_environment() -> None:
    os.environ["KADO_ENV"] = "test"
    os.environ.setdefault("KADO_CODE_KEY", secrets.token_urlsafe(48))
    # The unknown-code operation repeats on purpose; the throttle is tested elsewhere.
    os.environ["KADO_FAILED_LOOKUPS_PER_MINUTE"] = "1000000000"
    os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "KadoBench")
    os.environ.setdefault("POWERTOOLS_TRACE_DISABLED", "true")
    # Powertools would print each request's metrics as a JSON line on stdout.
    os.environ["POWERTOOLS_METRICS_DISABLED"] = "true"
    # Round trips of a warm instance between two refreshes of its definition caches: a
    # refresh costs one read per cache time, not per request, and would otherwise land in
    # whichever iteration the clock chose (a slower machine, another count).
    os.environ.setdefault("KADO_CAMPAIGN_CACHE_SECONDS", "600")
    for name, value in dynamodb_local.LOCAL_CREDENTIALS.items():
        os.environ[name] = value


def run(out: Path, quick: bool) -> dict[str, Any]:
    # Outside Lambda nothing collects metrics; Powertools would warn on every call.
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    sizes = QUICK if quick else FULL
    _prepare_environment()
    server = dynamodb_local.start()
    started = time.monotonic()
    # Powertools prints each cold start's metric on stdout even with metrics disabled (its
    # single_metric ignores the switch): the bench's stdout is its table, so it goes nowhere.
    quiet = contextlib.ExitStack()
    quiet.enter_context(contextlib.redirect_stdout(io.StringIO()))
    try:
        from kado.local.dev import use_endpoint
        from kado.store.kernel.client import dynamodb
        from kado.store.kernel.tables import ensure_table

        use_endpoint(server.endpoint, TABLE)
        ensure_table(dynamodb(), TABLE)
        per_op = sizes["warmup"] + sizes["iterations"]
        seeded = operations.seed(per_op)
        tickets = event_operations.seed(per_op)
        from kado.handlers import admin_api, member_api, merchant_api

        handlers = {"member": member_api.handler, "merchant": merchant_api.handler,
                    "admin": admin_api.handler}
        measured = [*operations.operations(handlers, seeded),
                    *event_operations.operations(handlers, tickets)]
        from tqdm import tqdm

        results = {}
        with tqdm(measured, unit="operation", desc="kado bench", disable=None) as bar:
            for op in bar:  # a bar on a terminal only (stderr)
                bar.set_postfix_str(op.name)
                results[op.name] = measure.run(op, sizes["warmup"], sizes["iterations"])
        hot = hot_keys.measure(sizes["hot_key_spins"])
        hot["flash_opening"] = event_operations.flash_opening(sizes["hot_key_spins"])
        hot["company_wallet"] = hot_keys.company_spends(sizes["iterations"])
        cold = cold_start.measure(sizes["cold_start_runs"], server.endpoint, TABLE,
                                  member_api.handler)
    finally:
        quiet.close()
        server.stop()
    report = {
        "meta": _meta(quick, sizes, time.monotonic() - started),
        "prices": {"date": measure.PRICE_DATE, "usd_per_million_wcu": measure.USD_PER_MILLION_WCU,
                   "usd_per_million_rcu": measure.USD_PER_MILLION_RCU},
        "operations": results, "cold_start": cold, "hot_keys": hot,
        "goals": _goals(results, cold, hot),
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2, sort_keys=False) + "\n")
    return report


def _meta(quick: bool, sizes: dict[str, int], seconds: float) -> dict[str, Any]:
    return {"taken_at": datetime.now(UTC).isoformat(timespec="seconds"), "quick": quick,
            **sizes, "seconds": round(seconds, 1), "python": platform.python_version(),
            "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
            "engine": "DynamoDB Local (in memory) on this machine, through the Lambda handlers",
            "capacity_note": "DynamoDB Local's ConsumedCapacity for transactions is flat per "
                             "call; AWS bills 2 WCU per transactional item up to 1 KB"}


def _goal(goal: float, measured: float | None, at_most: bool = True) -> dict[str, Any]:
    met = measured is not None and (measured <= goal if at_most else measured >= goal)
    return {"goal": goal, "measured": measured, "met": met}


def _goals(results: dict[str, Any], cold: dict[str, Any], hot: dict[str, Any]) -> dict[str, Any]:
    goals: dict[str, Any] = {f"round_trips.{n}": _goal(1, results[n]["round_trips"])
                             for n in ONE_TRIP}
    goals |= {f"overhead_ratio.{n}": _goal(OVERHEAD_GOAL, results[n]["overhead_ratio"])
              for n in LOW_OVERHEAD}
    goals |= {f"cold_start_ratio.{n}": _goal(COLD_START_GOAL,
                                             cold["handlers"][n]["cold_start_ratio"])
              for n in ("member_api", "merchant_api", "admin_api")}
    goals["max_item_writes_per_s"] = _goal(hot["goal_per_s"], hot["max_item_writes_per_s"])
    flash = hot["flash_opening"]
    goals["flash_opening.max_item_writes_per_s"] = _goal(flash["goal_per_s"],
                                                         flash["max_item_writes_per_s"])
    return goals


def missed(report: dict[str, Any]) -> list[str]:
    return [name for name, g in report["goals"].items() if not g["met"]]


def table(report: dict[str, Any]) -> str:
    rows = [f"{'operation':38} {'path':7} {'RT':>4} {'WCU':>6} {'RCU':>6} {'p50 ms':>8} "
            f"{'p95 ms':>8} {'raw p50':>8} {'ratio':>6} {'$/M':>7}"]
    for name, r in report["operations"].items():
        rows.append(f"{name:38} {r['path']:7} {r['round_trips']:>4} {r['wcu']:>6} {r['rcu']:>6} "
                    f"{r['p50_ms']:>8} {r['p95_ms']:>8} {r['raw_p50_ms']:>8} "
                    f"{r['overhead_ratio']!s:>6} {r['cost_per_million_usd']:>7}")
    cold = report["cold_start"]
    rows.append(f"\ncold start in {cold['python']}, built bundle (median of {cold['runs']}): "
                f"bare boto3 handler {cold['bare_boto3_handler']['total_ms']} ms")
    for module, c in cold["handlers"].items():
        rows.append(f"  {module:28} import {c['import_ms']} ms + first request "
                    f"{c['first_request_ms']} ms  ratio {c['cold_start_ratio']}")
    hot = report["hot_keys"]
    rows.append(f"\nhot keys at {hot['flash_spins_per_s']} spins/s: busiest item "
                f"{hot['max_item_writes_per_s']} writes/s ({hot['max_item']})")
    flash = hot["flash_opening"]
    rows.append(f"flash opening at {flash['flash_registrations_per_s']} registrations/s: "
                f"busiest item {flash['max_item_writes_per_s']} writes/s ({flash['max_item']})")
    company = hot["company_wallet"]
    rows.append(f"one company at {company['company_spends_per_s']} spends/s: busiest item "
                f"{company['max_item_writes_per_s']} writes/s ({company['max_item']})")
    rows.append("\ngoals:")
    for name, g in report["goals"].items():
        rows.append(f"  {'met ' if g['met'] else 'MISS'} {name}: {g['measured']} "
                    f"(goal {g['goal']})")
    return "\n".join(rows)
