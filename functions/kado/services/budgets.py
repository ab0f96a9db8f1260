"""Budgets: what marketing sets, raises, lowers and closes, and the debits an award plans.

An award (a spin's win, for now) asks `charges_for` what it must take from which budget;
the charges become parts of the award's own transaction. A refused part is explained by
`recharge`: a consistent read of every shard of the period picks one that can still pay,
or says the budget is exhausted. A refusal is never taken on this instance's word alone.

Definitions are cached per instance for the definition TTL. No rule rests on the copy:
the money is in the shards, and every change writes the shards of the current and the
next period itself (a raise, a cut, a close), so an instance whose copy is older than the
change still meets the change in the database.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from kado.domain.budgets import (
    MAX_AMOUNT,
    Budget,
    BudgetLink,
    BudgetStatus,
    link_problems,
    reached,
    share_of,
    validate,
)
from kado.domain.calendar import iso, local_day, utcnow
from kado.domain.errors import DomainError, ErrorCode, ValidationFailed
from kado.domain.validation import MAX_REASON, require_id, require_text
from kado.services.kernel.loyalty_definitions import cached
from kado.services.kernel.ttl_cache import TtlCache
from kado.store import budgets as store
from kado.store.kernel import codec, transact
from kado.store.kernel.transact import Cancelled

PART_PREFIX = "budget:"
POINTS = "points"  # the source of charges for points given (activities, adjustments)


def _load(key: tuple[str, str]) -> Budget | None:
    return store.get(*key)


_definitions: TtlCache[tuple[str, str], Budget | None] = TtlCache(_load)


def get(program: str, budget_id: str) -> Budget:
    found = store.get(program, require_id(budget_id, "id"))
    if found is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"no budget {budget_id!r}", "id")
    return found


def listed(program: str) -> list[Budget]:
    return store.listed(program)


def require_links(program: str, links: tuple[BudgetLink, ...], field: str = "budgets",
                  currency: str | None = None) -> None:
    """Every linked budget is on file, open, and in one currency (a cost has one:
    `currency` when the caller's is known)."""
    named = [(field + where[len("budgets"):], why) for where, why in link_problems(links)]
    if named:  # each named once, in shares that add up: before anything is read
        raise ValidationFailed(named)
    found = store.get_each(program, [link.budget_id for link in links]) if links else []
    problems = [(f"{field}[{i}].budgetId", f"no open budget {link.budget_id!r}")
                for i, (link, budget) in enumerate(zip(links, found, strict=True))
                if budget is None or budget.status is not BudgetStatus.OPEN]
    currencies = {b.currency for b in found if b} | _program_currencies(program)
    if not problems and (len(currencies) > 1 or (currency and currencies - {currency})):
        problems.append((field, f"the budgets share one currency"
                                f"{f' ({currency})' if currency else ''}"))
    if problems:
        raise ValidationFailed(problems)


def _program_currencies(program: str) -> set[str]:
    """The currency of the program's own budgets: every award's cost is in it too."""
    links = cached(program).settings.program_budgets
    return {b.currency for b in store.get_each(program, [x.budget_id for x in links]) if b} \
        if links else set()


# --- the admin's changes -------------------------------------------------------------

def create(program: str, draft: Budget, actor: str, reason: str) -> Budget:
    validate(draft)
    require_text(reason, "reason", MAX_REASON)
    made = replace(draft, status=BudgetStatus.OPEN, version=1)
    at = iso(utcnow())
    try:
        transact.write({
            "definition": store.definition_part(program, made, None),
            "change": store.change_part(program, made.id, at, secrets.token_hex(6), {
                "change": "SET", "amount": made.amount, "by": actor, "reason": reason})})
    except Cancelled:
        raise DomainError(ErrorCode.INVALID_INPUT, f"budget {draft.id!r} already exists; "
                          "raise, lower or close it instead", "id") from None
    return made


def set_amount(program: str, budget_id: str, amount: int, actor: str, reason: str,
               now: datetime | None = None) -> Budget:
    """Raise or lower a budget's amount per period, from this period on. A cut never takes
    a period below what it has spent; it is taken from the shards that have money left."""
    require_text(reason, "reason", MAX_REASON)
    if not 0 <= amount <= MAX_AMOUNT:
        raise DomainError(ErrorCode.INVALID_INPUT, f"0 to {MAX_AMOUNT} minor units", "amount")
    for _ in range(4):  # a cut races the debits it is planned against: plan again
        current = _open(program, budget_id)
        changed = replace(current, amount=amount, version=current.version + 1)
        try:
            _write_change(program, current, changed, now or utcnow(), actor, reason,
                          "RAISE" if amount >= current.amount else "LOWER")
            _definitions.forget((program, budget_id))
            return changed
        except Cancelled as refused:
            if refused.failed("definition") is not None:
                continue  # another admin changed it first: plan on theirs
    raise DomainError(ErrorCode.BUSY, "the budget is being spent fast; retry", "amount")


def close(program: str, budget_id: str, actor: str, reason: str,
          now: datetime | None = None) -> Budget:
    """Stop every later debit, on every instance at once; what was spent stays spent."""
    require_text(reason, "reason", MAX_REASON)
    current = _open(program, budget_id)
    closed = replace(current, status=BudgetStatus.CLOSED, version=current.version + 1)
    try:
        _write_change(program, current, closed, now or utcnow(), actor, reason, "CLOSE")
    except Cancelled:  # another admin changed it first: nothing was written
        raise DomainError(ErrorCode.BUSY, "the budget changed meanwhile; retry", "id") \
            from None
    _definitions.forget((program, budget_id))
    return closed


def _open(program: str, budget_id: str) -> Budget:
    current = get(program, budget_id)
    if current.status is not BudgetStatus.OPEN:
        raise DomainError(ErrorCode.INVALID_TRANSITION, "a closed budget stays closed", "id")
    return current


def _write_change(program: str, current: Budget, changed: Budget, now: datetime,
                  actor: str, reason: str, kind: str) -> None:
    """The definition, the change's ledger line, and the shards of this period and the
    next, in one transaction: the shards are what every instance's debit meets."""
    parts: dict[str, dict[str, Any]] = {
        "definition": store.definition_part(program, changed, current.version),
        "change": store.change_part(program, current.id, iso(now), secrets.token_hex(6), {
            "change": kind, "amount": changed.amount, "before": current.amount,
            "by": actor, "reason": reason})}
    close = changed.status is BudgetStatus.CLOSED
    periods = [current.period_key(now), current.next_period_key(now)]
    for period in filter(None, periods):
        shards = store.shards_of(program, current, period)
        deltas = _deltas(current, changed, shards)
        if deltas is None:
            left = sum(_left(current, s, i) for i, s in enumerate(shards))
            raise DomainError(ErrorCode.INVALID_INPUT, f"period {period} has {left} left to "
                              f"cut; it cannot lose {current.amount - changed.amount}",
                              "amount")
        for shard, delta in enumerate(deltas):
            parts[f"shard:{period}:{shard}"] = store.reshare_part(
                program, current, period, shard, current.shares()[shard], delta, close)
    transact.write(parts)


def _left(b: Budget, item: dict[str, Any] | None, shard: int) -> int:
    return int(item[store.LEFT]) if item else b.shares()[shard]


def _deltas(current: Budget, changed: Budget, shards: list[dict[str, Any] | None]
            ) -> list[int] | None:
    """What each shard gains (or loses) for the period's amount to become the new one: a
    raise spread evenly, a cut taken where money is left; None if the cut is bigger than
    what the period has left."""
    change = changed.amount - current.amount
    if change >= 0:
        return changed.shares(change) if changed.status is BudgetStatus.OPEN else \
            [0] * current.shards
    left = [_left(current, s, i) for i, s in enumerate(shards)]
    if sum(left) < -change:
        return None
    deltas, owed = [], -change
    for units in left:
        take = min(units, owed)
        deltas.append(-take)
        owed -= take
    return deltas


# --- what an award takes -------------------------------------------------------------

@dataclass(frozen=True)
class Charge:
    """One budget's part of an award: its amount, taken in pieces from the period's shards
    (one piece, on a random shard, unless no single shard holds enough)."""

    budget: Budget
    period: str
    amount: int
    pieces: tuple[tuple[int, int], ...]  # (shard, amount)
    source: str  # what it pays for: "campaign:spring", "reward:mug", "points", ...
    day: str  # the budget's local day it is spent on

    def part(self, shard: int) -> str:
        return f"{PART_PREFIX}{self.budget.id}:{shard}"


def charges_for(program: str, links: tuple[BudgetLink, ...], cost: int, now: datetime,
                source: str) -> list[Charge] | None:
    """What an award of `cost` takes from each budget it is paid from (its own, and the
    program's once they apply); None if a budget is closed (the award cannot be paid)."""
    charges = []
    own = {link.budget_id for link in links}
    program_links = cached(program).settings.program_paid_at(now)
    for link in (*links, *(p for p in program_links if p.budget_id not in own)):
        budget = _definitions.get((program, link.budget_id))
        if budget is None or budget.status is not BudgetStatus.OPEN:
            return None
        amount = share_of(cost, link.percent)
        if amount:
            shard = secrets.randbelow(budget.shards)
            charges.append(Charge(budget, budget.period_key(now), amount, ((shard, amount),),
                                  source, local_day(now, budget.timezone)))
    return charges


def parts(program: str, charges: list[Charge]) -> dict[str, dict[str, Any]]:
    return {c.part(shard): store.debit_part(program, c.budget, c.period, shard, amount,
                                            c.source, c.day)
            for c in charges for shard, amount in c.pieces}


def taken(charges: list[Charge]) -> list[dict[str, Any]]:
    """The charges as the award's record keeps them, to give back what they took."""
    return [{"budgetId": c.budget.id, "period": c.period, "shard": shard, "amount": amount,
             "source": c.source, "day": c.day}
            for c in charges for shard, amount in c.pieces]


def refund_parts(program: str, record: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Give back what `taken` recorded, each piece to its own shard and period."""
    return {f"refund:{r['budgetId']}:{r['period']}:{r['shard']}": store.refund_part(
        program, r["budgetId"], r["period"], int(r["shard"]), int(r["amount"]), r["source"],
        r["day"])
        for r in record}


def refused(cancelled: Cancelled, charges: list[Charge]) -> list[Charge]:
    return [c for c in charges
            if any(cancelled.failed(c.part(shard)) is not None for shard, _ in c.pieces)]


def recharge(program: str, charge: Charge) -> Charge | None:
    """After a shard refused: read every shard of the period (consistently, now) and take
    the charge from one that can pay it whole, else from several; None only when the
    period as a whole has less left than the charge (the budget is exhausted for it)."""
    shards = store.shards_of(program, charge.budget, charge.period)
    left = [0 if (item or {}).get(store.CLOSED) else _left(charge.budget, item, i)
            for i, item in enumerate(shards)]
    able = [i for i, units in enumerate(left) if units >= charge.amount]
    if able:
        shard = able[secrets.randbelow(len(able))]
        return replace(charge, pieces=((shard, charge.amount),))
    if sum(left) < charge.amount:
        return None
    pieces, owed = [], charge.amount
    for shard in sorted(range(len(left)), key=lambda i: -left[i]):
        take = min(left[shard], owed)
        if take:
            pieces.append((shard, take))
            owed -= take
        if not owed:
            break
    return replace(charge, pieces=tuple(pieces))


def exhausted(budget_id: str, field: str, what: str) -> DomainError:
    return DomainError(ErrorCode.BUDGET_EXHAUSTED, f"budget {budget_id!r} cannot pay for "
                       f"{what} now", field)


def charges_or_refuse(program: str, links: tuple[BudgetLink, ...], cost: int, field: str,
                      what: str, source: str) -> list[Charge]:
    """An award's charges; BUDGET_EXHAUSTED (naming the budget) if one is closed."""
    if not cost:
        return []
    charges = charges_for(program, links, cost, utcnow(), source)
    if charges is None:
        raise exhausted(closed_budget(program, links), field, what)
    return charges


def closed_budget(program: str, links: tuple[BudgetLink, ...]) -> str:
    """Which of an award's budgets is closed (its own first, then the program's)."""
    every = (*links, *cached(program).settings.program_budgets)
    for link in every:
        found = _definitions.get((program, link.budget_id))
        if found is None or found.status is not BudgetStatus.OPEN:
            return link.budget_id
    return every[0].budget_id if every else "?"


def recharged_or_refused(program: str, cancelled: Cancelled, charges: list[Charge],
                         field: str, what: str) -> list[Charge]:
    """`charges` with each refused one moved to shards that can pay it, for the next
    attempt; BUDGET_EXHAUSTED naming the budget when its period cannot."""
    for charge in refused(cancelled, charges):
        again = recharge(program, charge)
        if again is None:
            raise exhausted(charge.budget.id, field, what)
        charges = [again if c.budget.id == charge.budget.id else c for c in charges]
    return charges


# --- what the console reads ----------------------------------------------------------

@dataclass(frozen=True)
class PeriodState:
    period: str
    amount: int  # what the period was given (raises and cuts included)
    spent: int
    left: int
    thresholds: list[int]  # percent reached
    by_source: dict[str, int] = field(default_factory=dict)
    by_day: dict[str, int] = field(default_factory=dict)


def state(program: str, budget: Budget, now: datetime | None = None) -> PeriodState:
    return period_state(program, budget, budget.period_key(now or utcnow()))


def period_state(program: str, budget: Budget, period: str) -> PeriodState:
    """A period as its shards stand, read at once: what it was given (raises and cuts
    included), spent and left, the thresholds reached, spending by source and day."""
    shards = store.shards_of(program, budget, period)
    given = sum(int(s[store.SHARE]) if s else budget.shares()[i] for i, s in enumerate(shards))
    spent = sum(int((s or {}).get(store.SPENT, 0)) for s in shards)
    left = sum(_left(budget, s, i) for i, s in enumerate(shards))
    return PeriodState(period, given, spent, left, reached(given, spent),
                       _summed(shards, store.BY_SOURCE), _summed(shards, store.BY_DAY))


def _summed(shards: list[dict[str, Any] | None], prefix: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for item in filter(None, shards):
        for name, value in item.items():
            if name.startswith(prefix) and value:
                found[name[len(prefix):]] = found.get(name[len(prefix):], 0) + int(value)
    return dict(sorted((k, v) for k, v in found.items() if v))


def changes(program: str, budget_id: str) -> list[dict[str, Any]]:
    return store.changes(program, budget_id)


def watch(program: str, budget_id: str, period: str) -> list[int]:
    """After a shard's spending moved (read off the stream): mark each threshold the period
    has reached, once. Returns the thresholds this call marked (the others were already)."""
    budget = store.get(program, budget_id)
    if budget is None:
        return []
    now = period_state(program, budget, period)
    at = iso(utcnow())
    return [p for p in now.thresholds
            if store.mark_alert(program, budget_id, period, p, now.spent, now.amount, at)]


class ThresholdWatch:
    """The outbox's watcher for one batch of stream records: a change of a shard's spending
    may have crossed a threshold of the period as a whole (all shards summed). A stream
    record comes after its commit, so one read of a period's shards sees every change of
    the batch: each (budget, period) is summed once a batch, not once a debit."""

    def __init__(self) -> None:
        self.seen: set[tuple[str, str, str]] = set()

    def __call__(self, record: dict[str, Any]) -> None:
        change = record.get("dynamodb") or {}
        new = codec.load(change.get("NewImage")) or {}
        old = codec.load(change.get("OldImage")) or {}
        if new.get("type") != store.SHARD_TYPE or new.get(store.SPENT) == old.get(store.SPENT):
            return
        program = str(change.get("Keys", {}).get("pk", {}).get("S", "P#?#")).split("#")[1]
        period = (program, str(new["budgetId"]), str(new["period"]))
        if period not in self.seen:
            watch(*period)
            self.seen.add(period)


def alerts(program: str, budget_id: str) -> list[dict[str, Any]]:
    return store.alerts(program, budget_id)
