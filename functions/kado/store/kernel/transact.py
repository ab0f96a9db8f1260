"""TransactWriteItems with named parts, so a cancellation says which condition failed."""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import ClientError

from kado.domain.errors import DomainError, ErrorCode
from kado.store.kernel import codec
from kado.store.kernel.client import dynamodb, table

# Two transactions touching one item at once: DynamoDB cancels one with
# TransactionConflict. Retrying after a short random pause is the documented cure.
CONFLICT_RETRIES = 8
CONFLICT_BASE_DELAY_S = 0.005
# The only cancellation that is a refusal: a condition was evaluated and is false.
REFUSED = "ConditionalCheckFailed"
# Cancellations that say nothing about the data, only about load: retried, then BUSY.
CONTENTION = frozenset({"TransactionConflict", "ThrottlingError",
                        "ProvisionedThroughputExceeded"})


@dataclass(frozen=True)
class Failure:
    code: str
    item: dict[str, Any] | None  # the item as it was, when DynamoDB returned it


class Cancelled(Exception):
    """Conditions that DynamoDB evaluated and found false, by part name. Contention never
    shows up here: it is retried and then answered BUSY, so no caller can mistake a lost
    race for a refusal (and count it, or explain it, as one)."""

    def __init__(self, failures: dict[str, Failure]) -> None:
        super().__init__(", ".join(f"{k}: {v.code}" for k, v in failures.items()))
        self.failures = failures

    def failed(self, part: str) -> Failure | None:
        return self.failures.get(part)


def put(item: dict[str, Any], condition: str | None = None, **expr: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"TableName": table(), "Item": item}
    return {"Put": _conditioned(body, condition, expr)}


def update(key: dict[str, Any], expression: str, condition: str | None = None,
           **expr: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"TableName": table(), "Key": key, "UpdateExpression": expression}
    return {"Update": _conditioned(body, condition, expr)}


def delete(key: dict[str, Any], condition: str | None = None, **expr: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"TableName": table(), "Key": key}
    return {"Delete": _conditioned(body, condition, expr)}


def check(key: dict[str, Any], condition: str, **expr: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"TableName": table(), "Key": key}
    return {"ConditionCheck": _conditioned(body, condition, expr)}


def assignments(sets: dict[str, Any], removes: tuple[str, ...] = (),
                clauses: tuple[str, ...] = ()) -> tuple[str, dict[str, str], dict[str, Any]]:
    """An UpdateExpression setting `sets` (attribute -> value) and removing `removes`, after
    the caller's own `clauses` (such as a list_append), with its attribute names and dumped
    values: the one way every store writes "these fields, those gone" (#f/:v and #r
    placeholders, so a caller's own #x/:x names never collide)."""
    names = {f"#f{i}": name for i, name in enumerate(sets)} | \
        {f"#r{i}": name for i, name in enumerate(removes)}
    values = {f":v{i}": codec.dump_value(value) for i, value in enumerate(sets.values())}
    assigned = [*clauses, *(f"#f{i} = :v{i}" for i in range(len(sets)))]
    expression = " ".join(part for part in (
        "SET " + ", ".join(assigned) if assigned else "",
        "REMOVE " + ", ".join(f"#r{i}" for i in range(len(removes))) if removes else "")
        if part)
    return expression, names, values


def pinned(part: dict[str, Any], attribute: str, value: str) -> dict[str, Any]:
    """`part` (an Update) also on the condition that `attribute` still equals `value`: a
    decision read from the item holds when it commits."""
    body = dict(part["Update"])
    condition = body.get("ConditionExpression")
    pin = f"#pin_{attribute} = :pin_{attribute}"
    body["ConditionExpression"] = f"({condition}) AND {pin}" if condition else pin
    body["ExpressionAttributeNames"] = {**body.get("ExpressionAttributeNames", {}),
                                        f"#pin_{attribute}": attribute}
    body["ExpressionAttributeValues"] = {**body.get("ExpressionAttributeValues", {}),
                                         f":pin_{attribute}": {"S": value}}
    body.setdefault("ReturnValuesOnConditionCheckFailure", "ALL_OLD")
    return {"Update": body}


def _conditioned(body: dict[str, Any], condition: str | None,
                 expr: dict[str, Any]) -> dict[str, Any]:
    if condition:
        body["ConditionExpression"] = condition
        body["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
    if expr.get("names"):
        body["ExpressionAttributeNames"] = expr["names"]
    if expr.get("values"):
        body["ExpressionAttributeValues"] = expr["values"]
    return body


def write(parts: dict[str, dict[str, Any]]) -> None:
    """Write all parts atomically, or raise Cancelled naming the parts that were refused.

    Raises DomainError(BUSY) when contention outlasts the retries. Nothing to write (a plan
    that found its work already done) is no call at all.
    """
    if not parts:
        return
    names = list(parts)
    request = [parts[n] for n in names]
    for attempt in range(CONFLICT_RETRIES + 1):
        try:
            dynamodb().transact_write_items(TransactItems=request)
            return
        except ClientError as exc:
            if exc.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            failures = _failures(names, exc.response.get("CancellationReasons") or [])
            refused = {n: f for n, f in failures.items() if f.code == REFUSED}
            if refused:
                raise Cancelled(refused) from exc
            if not failures or any(f.code not in CONTENTION for f in failures.values()):
                raise  # a malformed request (ValidationError ...) is our bug, not a refusal
            if attempt == CONFLICT_RETRIES:
                raise DomainError(ErrorCode.BUSY, "too much contention right now; retry",
                                  None) from exc
            time.sleep(random.uniform(0, CONFLICT_BASE_DELAY_S * 2**attempt))
    raise AssertionError("unreachable")


def _failures(names: list[str], reasons: list[Any]) -> dict[str, Failure]:
    failures: dict[str, Failure] = {}
    for name, reason in zip(names, reasons, strict=False):
        code = reason.get("Code", "None")
        if code != "None":
            failures[name] = Failure(code, codec.load(reason.get("Item")))
    return failures
