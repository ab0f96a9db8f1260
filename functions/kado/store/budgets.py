"""Budgets as items.

  definition  the budget at its version (GSI1: the program's budgets)
  shard       one per period and shard: `left` (what can still be spent), `share` (what
              the shard was given), `spent`; opened by the first debit of its period
              (if_not_exists), or by an admin's change, so no job has to open a period
  change      an admin's set, raise, lower or close: who, why, the amounts
  alert       one per budget, period and threshold: written once, announced once

A debit is one Update part in the award's own transaction, conditioned on the shard
holding at least the cost and not being closed (docs/adr/0009-budgets-debited-in-the-award.md).
"""

from __future__ import annotations

from typing import Any

from kado.domain.budgets import Budget, BudgetStatus, Period
from kado.store.kernel import codec, transact
from kado.store.kernel import item_keys as keys
from kado.store.kernel.client import dynamodb, table
from kado.store.kernel.pages import every_item
from kado.store.kernel.reads import get_many, get_one, partition_items
from kado.store.kernel.tables import GSI1_PK, GSI1_SK

LEFT, SPENT, SHARE, CLOSED = "left", "spent", "share", "closed"
# What a shard spent by source (a campaign, a reward, an event, points) and by local day,
# one attribute each, moved in the same update as the debit: the budget page's breakdown
# and burn chart cost no extra write.
BY_SOURCE, BY_DAY = "src:", "day:"
SHARD_TYPE, ALERT_TYPE = "BUDGET_SHARD", "BUDGET_ALERT"


def to_item(program: str, b: Budget) -> dict[str, Any]:
    return {**keys.budget(program, b.id), **codec.dump({
        "type": "BUDGET", "id": b.id, "name": b.name, "currency": b.currency,
        "amount": b.amount, "period": b.period.value, "timezone": b.timezone,
        "shards": b.shards, "sponsor": b.sponsor, "status": b.status.value,
        "version": b.version, GSI1_PK: keys.budgets_index(program), GSI1_SK: b.id})}


def from_item(item: dict[str, Any]) -> Budget:
    return Budget(id=item["id"], name=item["name"], currency=item["currency"],
                  amount=int(item["amount"]), period=Period(item["period"]),
                  timezone=item["timezone"], shards=int(item["shards"]),
                  sponsor=item.get("sponsor"), status=BudgetStatus(item["status"]),
                  version=int(item["version"]))


def definition_part(program: str, b: Budget, seen_version: int | None) -> dict[str, Any]:
    """The definition at its next version, from the one the admin saw (None: a new one)."""
    item = to_item(program, b)
    if seen_version is None:
        return transact.put(item, "attribute_not_exists(pk)")
    return transact.put(item, "#v = :v", names={"#v": "version"},
                        values={":v": {"N": str(seen_version)}})


def get(program: str, budget_id: str) -> Budget | None:
    item = get_one(keys.budget(program, budget_id))
    return from_item(item) if item else None


def get_each(program: str, budget_ids: list[str]) -> list[Budget | None]:
    """Several budgets in one round trip (consistent), None for one not on file."""
    items = get_many([keys.budget(program, i) for i in budget_ids])
    return [from_item(i) if i else None for i in items]


def listed(program: str) -> list[Budget]:
    return [from_item(i) for i in every_item(keys.budgets_index(program), newest_first=False)]


def debit_part(program: str, b: Budget, period: str, shard: int, cost: int, source: str,
               day: str) -> dict[str, Any]:
    """Take `cost` from one shard of a period, never below zero and never once closed. The
    first debit of a period opens the shard with its share of the period's amount."""
    share = b.shares()[shard]
    return transact.update(
        keys.budget_shard(program, b.id, period, shard),
        "SET #left = if_not_exists(#left, :share) - :cost, #share = if_not_exists(#share, :share),"
        " #type = :type, #budget = :budget, #period = :period ADD #spent :cost, #src :cost,"
        " #day :cost",
        "attribute_not_exists(#closed) AND "
        "((attribute_not_exists(#left) AND :share >= :cost) OR #left >= :cost)",
        names={"#left": LEFT, "#spent": SPENT, "#share": SHARE, "#closed": CLOSED,
               "#type": "type", "#budget": "budgetId", "#period": "period",
               "#src": BY_SOURCE + source, "#day": BY_DAY + day},
        values=codec.dump({":share": share, ":cost": cost, ":type": SHARD_TYPE,
                           ":budget": b.id, ":period": period}))


def refund_part(program: str, budget_id: str, period: str, shard: int, amount: int,
                source: str, day: str) -> dict[str, Any]:
    """Give back what a charge took, to the shard it was taken from (a registration that
    ended): what is left grows and what is spent (by its source, on its day) shrinks by the
    same amount."""
    return transact.update(keys.budget_shard(program, budget_id, period, shard),
                           "ADD #left :amount, #spent :minus, #src :minus, #day :minus",
                           names={"#left": LEFT, "#spent": SPENT, "#src": BY_SOURCE + source,
                                  "#day": BY_DAY + day},
                           values=codec.dump({":amount": amount, ":minus": -amount}))


def shards_of(program: str, b: Budget, period: str) -> list[dict[str, Any] | None]:
    """Every shard of a period, read at once (consistent): None for one not opened yet."""
    return get_many([keys.budget_shard(program, b.id, period, s) for s in range(b.shards)])


def reshare_part(program: str, b: Budget, period: str, shard: int, opened_with: int,
                 delta: int, close: bool = False) -> dict[str, Any]:
    """An admin's change to one shard: `delta` added to what is left and to its share (a
    shard not opened yet opens with `opened_with` first); a cut is conditioned on what is
    left, so nothing spent is ever un-spent. `close` stops every later debit."""
    names = {"#left": LEFT, "#share": SHARE, "#spent": SPENT, "#type": "type",
             "#budget": "budgetId", "#period": "period"}
    values: dict[str, Any] = {":open": opened_with, ":delta": delta, ":zero": 0,
                              ":type": SHARD_TYPE, ":budget": b.id, ":period": period}
    expression = ("SET #left = if_not_exists(#left, :open) + :delta, "
                  "#share = if_not_exists(#share, :open) + :delta, "
                  "#spent = if_not_exists(#spent, :zero), "
                  "#type = :type, #budget = :budget, #period = :period")
    if close:
        names["#closed"] = CLOSED
        values[":closed"] = True
        expression += ", #closed = :closed"
    condition = None
    if delta < 0:
        condition = "(attribute_not_exists(#left) AND :open >= :floor) OR #left >= :floor"
        values[":floor"] = -delta
    return transact.update(keys.budget_shard(program, b.id, period, shard), expression,
                           condition, names=names, values=codec.dump(values))


def change_part(program: str, budget_id: str, at: str, change_id: str,
                values: dict[str, Any]) -> dict[str, Any]:
    item = {**keys.budget_change(program, budget_id, at, change_id),
            **codec.dump({"type": "BUDGET_CHANGE", "budgetId": budget_id, "at": at,
                          **values})}
    return transact.put(item, "attribute_not_exists(pk)")


def changes(program: str, budget_id: str) -> list[dict[str, Any]]:
    """The admin's changes, oldest first."""
    return partition_items(keys.budget(program, budget_id)["pk"]["S"], "CHANGE#")


def mark_alert(program: str, budget_id: str, period: str, percent: int, spent: int,
               amount: int, at: str) -> bool:
    """Write the threshold's one marker; False if it was already there. Its INSERT on the
    stream is the BudgetThresholdReached fact, so the fact exists exactly once."""
    try:
        dynamodb().put_item(
            TableName=table(), Item={**keys.budget_alert(program, budget_id, period, percent),
                                     **codec.dump({"type": ALERT_TYPE, "budgetId": budget_id,
                                                   "period": period, "percent": percent,
                                                   "spent": spent, "amount": amount,
                                                   "at": at})},
            ConditionExpression="attribute_not_exists(pk)")
        return True
    except dynamodb().exceptions.ConditionalCheckFailedException:
        return False


def alerts(program: str, budget_id: str) -> list[dict[str, Any]]:
    return partition_items(keys.budget_alerts(program, budget_id))
