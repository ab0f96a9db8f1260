"""One operation, many iterations through the real Lambda handler, and its raw floor.

Each iteration's DynamoDB calls are recorded (kado.local.meter) and replayed at
once, directly with botocore, in the same order, on the same client and with the
same parallelism. The handler request and its replay form a pair, so drift on a
shared machine (seen here: 2x between batches minutes apart) hits both sides of
every ratio alike; the report gives the median of the per-pair ratios and their
spread. Replayed writes mostly meet their own conditions (the item now exists) and
are cancelled instead of applied; DynamoDB evaluates them all the same, so the
replay is the cost of the requests themselves, the floor the handler can approach.
"""

from __future__ import annotations

import hashlib
import json
import statistics
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from botocore import xform_name
from botocore.exceptions import ClientError

from kado.local import apigw
from kado.local.apigw import LambdaContext, graphql_event
from kado.local.meter import Call, Meter
from kado.store.kernel.client import dynamodb

# On-demand prices, us-east-1, as published on 2026-11-01 (USD per million units).
PRICE_DATE = "2026-11-01"
USD_PER_MILLION_WCU = 0.625
USD_PER_MILLION_RCU = 0.125


@dataclass(frozen=True)
class Request:
    query: str
    variables: dict[str, Any]
    claims: dict[str, Any]
    # Sent as Apollo's persisted-query link does: the hash alone (the first request of a
    # run carries the document too, as the link's retry after PersistedQueryNotFound does).
    persisted: bool = False


@dataclass(frozen=True)
class Operation:
    name: str
    handler: Callable[[dict[str, Any], Any], dict[str, Any]]
    path: str
    request: Callable[[int], Request]  # iteration number -> the request to send
    expect_error: str | None = None  # failure-path operations expect this UserError code
    note: str = ""
    parallel: int = 1  # how many DynamoDB calls the handler makes at once (the replay too)

    @property
    def kind(self) -> str:
        return "failure" if self.expect_error else "happy"


def _errors_of(body: dict[str, Any]) -> list[str]:
    """UserError codes anywhere in a payload, and GraphQL errors as UNEXPECTED."""
    found = ["UNEXPECTED"] * len(body.get("errors") or [])

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "errors" and isinstance(v, list):
                    found.extend(e["code"] for e in v if isinstance(e, dict) and "code" in e)
                else:
                    walk(v)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(body.get("data"))
    return found


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile of a non-empty sample."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(op: Operation, warmup: int, iterations: int) -> dict[str, Any]:
    client = dynamodb()
    timings: list[float] = []
    raw: list[float] = []
    recorded: list[list[Call]] = []
    refused = 0
    surprises: Counter[str] = Counter()
    # The meter's hooks stay on for the replay too, so both sides of a pair pay them.
    pool = ThreadPoolExecutor(op.parallel) if op.parallel > 1 else None
    with Meter(client) as meter:
        for i in range(warmup + iterations):
            request = op.request(i)
            event = _event(op.path, request, first=i == 0)
            meter.reset()
            start = time.perf_counter()
            response = op.handler(event, LambdaContext())
            elapsed = time.perf_counter() - start
            calls = meter.reset()
            errors = _errors_of(json.loads(response["body"]))
            wanted = [op.expect_error] if op.expect_error else []
            if response["statusCode"] != 200 or errors != wanted:
                surprises[",".join(errors) or str(response["statusCode"])] += 1
            replayed, refusals = _replay(client, calls, pool)
            if i >= warmup:
                timings.append(elapsed)
                raw.append(replayed)
                recorded.append(calls)
                refused += refusals
    if pool:
        pool.shutdown()
    return _summary(op, timings, recorded, raw, refused, surprises)


def _replay(client: Any, calls: list[Call],
            pool: ThreadPoolExecutor | None) -> tuple[float, int]:
    """Seconds the same requests take sent directly, and how many were refused."""
    methods = [(getattr(client, xform_name(c.operation)), c.params) for c in calls]

    def send(method_params: tuple[Any, dict[str, Any]]) -> int:
        method, params = method_params
        try:
            method(**params)
        except ClientError:
            return 1
        return 0

    # A pool only where the handler itself fans out: a thread hop per call would slow
    # the serial replay and flatter the ratio.
    start = time.perf_counter()
    refused = sum(pool.map(send, methods) if pool else map(send, methods))
    return time.perf_counter() - start, refused


def _items_written(call: Call) -> int:
    if call.operation == "TransactWriteItems":
        return len(call.params.get("TransactItems", []))
    if call.operation == "BatchWriteItem":
        return sum(len(v) for v in call.params.get("RequestItems", {}).values())
    return 1 if call.operation in ("PutItem", "UpdateItem", "DeleteItem") else 0


def _event(path: str, request: Request, first: bool) -> dict[str, Any]:
    if not request.persisted:
        return graphql_event(path, request.query, request.claims, request.variables)
    digest = hashlib.sha256(request.query.encode()).hexdigest()
    body: dict[str, Any] = {"variables": request.variables, "extensions": {
        "persistedQuery": {"version": 1, "sha256Hash": digest}}}
    return apigw.event(path, {**body, "query": request.query} if first else body,
                       request.claims)


def _summary(op: Operation, timings: list[float], recorded: list[list[Call]], raw: list[float],
             refused: int, surprises: Counter[str]) -> dict[str, Any]:
    trips = [len(calls) for calls in recorded]
    wcu = statistics.fmean(sum(c.wcu for c in calls) for calls in recorded)
    rcu = statistics.fmean(sum(c.rcu for c in calls) for calls in recorded)
    by_operation: Counter[str] = Counter(c.operation for calls in recorded for c in calls)
    items = statistics.fmean(sum(_items_written(c) for c in calls) for calls in recorded)
    p50, raw_p50 = statistics.median(timings) * 1000, statistics.median(raw) * 1000
    ratios = [t / r for t, r in zip(timings, raw, strict=True) if r > 0]
    return {
        "path": op.kind,
        "expect_error": op.expect_error,
        "iterations": len(timings),
        "round_trips": statistics.median(trips),
        "round_trips_max": max(trips),
        "calls_per_iteration": {k: round(v / len(recorded), 3) for k, v in by_operation.items()},
        "wcu": round(wcu, 3),
        # Items written or condition-checked: what a transaction is billed by in AWS (two
        # write units per item of up to 1 KB), counted, since DynamoDB Local's reported
        # capacity for a transaction does not follow its items.
        "items_written": round(items, 3),
        "rcu": round(rcu, 3),
        "p50_ms": round(p50, 3),
        "p95_ms": round(percentile(timings, 0.95) * 1000, 3),
        "raw_p50_ms": round(raw_p50, 3),
        # Median of per-pair ratios (handler / its own replay), with their spread.
        "overhead_ratio": round(statistics.median(ratios), 3) if ratios else None,
        "overhead_ratio_p25_p75": [round(percentile(ratios, 0.25), 3),
                                   round(percentile(ratios, 0.75), 3)] if ratios else None,
        "cost_per_million_usd": round(wcu * USD_PER_MILLION_WCU + rcu * USD_PER_MILLION_RCU, 4),
        "unexpected_responses": dict(surprises),
        "raw_replays_refused_by_conditions": refused,
        "note": op.note,
    }
