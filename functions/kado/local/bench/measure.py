"""One operation, many iterations through the real Lambda handler, and its raw floor.

Each iteration's DynamoDB calls are recorded (kado.local.meter) and afterwards
replayed directly with boto3, in the same order, on the same client. Replayed
writes mostly meet their own conditions (the item now exists) and are cancelled
instead of applied; DynamoDB evaluates them all the same, so the replay is the
cost of the requests themselves, which is the floor the handler can approach.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from botocore import xform_name
from botocore.exceptions import ClientError

from kado.local.apigw import LambdaContext, graphql_event
from kado.local.meter import Call, Meter
from kado.store.client import dynamodb

# On-demand prices, us-east-1, as published on 2026-11-01 (USD per million units).
PRICE_DATE = "2026-11-01"
USD_PER_MILLION_WCU = 0.625
USD_PER_MILLION_RCU = 0.125


@dataclass(frozen=True)
class Request:
    query: str
    variables: dict[str, Any]
    claims: dict[str, Any]


@dataclass(frozen=True)
class Operation:
    name: str
    handler: Callable[[dict[str, Any], Any], dict[str, Any]]
    path: str
    request: Callable[[int], Request]  # iteration number -> the request to send
    expect_error: str | None = None  # failure-path operations expect this UserError code
    note: str = ""

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
    recorded: list[list[Call]] = []
    surprises: Counter[str] = Counter()
    with Meter(client) as meter:
        for i in range(warmup + iterations):
            request = op.request(i)
            event = graphql_event(op.path, request.query, request.claims, request.variables)
            meter.reset()
            start = time.perf_counter()
            response = op.handler(event, LambdaContext())
            elapsed = time.perf_counter() - start
            calls = meter.reset()
            errors = _errors_of(json.loads(response["body"]))
            wanted = [op.expect_error] if op.expect_error else []
            if response["statusCode"] != 200 or errors != wanted:
                surprises[",".join(errors) or str(response["statusCode"])] += 1
            if i >= warmup:
                timings.append(elapsed)
                recorded.append(calls)
    raw, refused = _replay(client, recorded)
    return _summary(op, timings, recorded, raw, refused, surprises)


def _replay(client: Any, recorded: list[list[Call]]) -> tuple[list[float], int]:
    raw: list[float] = []
    refused = 0
    for calls in recorded:
        methods = [(getattr(client, xform_name(c.operation)), c.params) for c in calls]
        start = time.perf_counter()
        for method, params in methods:
            try:
                method(**params)
            except ClientError:
                refused += 1
        raw.append(time.perf_counter() - start)
    return raw, refused


def _summary(op: Operation, timings: list[float], recorded: list[list[Call]], raw: list[float],
             refused: int, surprises: Counter[str]) -> dict[str, Any]:
    trips = [len(calls) for calls in recorded]
    wcu = statistics.fmean(sum(c.wcu for c in calls) for calls in recorded)
    rcu = statistics.fmean(sum(c.rcu for c in calls) for calls in recorded)
    by_operation: Counter[str] = Counter(c.operation for calls in recorded for c in calls)
    p50, raw_p50 = statistics.median(timings) * 1000, statistics.median(raw) * 1000
    return {
        "path": op.kind,
        "expect_error": op.expect_error,
        "iterations": len(timings),
        "round_trips": statistics.median(trips),
        "round_trips_max": max(trips),
        "calls_per_iteration": {k: round(v / len(recorded), 3) for k, v in by_operation.items()},
        "wcu": round(wcu, 3),
        "rcu": round(rcu, 3),
        "p50_ms": round(p50, 3),
        "p95_ms": round(percentile(timings, 0.95) * 1000, 3),
        "raw_p50_ms": round(raw_p50, 3),
        "overhead_ratio": round(p50 / raw_p50, 3) if raw_p50 else None,
        "cost_per_million_usd": round(wcu * USD_PER_MILLION_WCU + rcu * USD_PER_MILLION_RCU, 4),
        "unexpected_responses": dict(surprises),
        "raw_replays_refused_by_conditions": refused,
        "note": op.note,
    }
