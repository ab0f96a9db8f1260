"""Spending from a company wallet split into shards, without ever going below zero.

Earnings land on a random shard (services/activities.py). A spend reads every shard in
one batch, pays from the richest one with `points >= cost` as its condition, and, if no
single shard can pay although together they can, first moves the others' points into it
(TRANSFER entries on each shard, one transaction). Every shard's balance is a condition
of every write to it, so no interleaving of spends can take any shard, or the company,
below zero.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from kado.domain.calendar import iso, parse_iso, utcnow
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.lots import Settled, oldest
from kado.domain.shards import COMPANY_WALLET_SHARDS
from kado.services import points
from kado.services.loyalty_definitions import cached
from kado.store import loyalty as store
from kado.store import transact

T = TypeVar("T")
# Each round reads the shards afresh; a round is lost only to another spend or earning.
ROUNDS = 4


def balance_of(program: str, account_id: str) -> store.Wallet:
    """The company wallet: every shard summed (one batch read)."""
    _, shards = store.member_and_wallet(program, "-", account_id, COMPANY_WALLET_SHARDS)
    wallets = [store.wallet_of(s) for s in shards]
    return store.Wallet(sum(w.seq for w in wallets), sum(w.balance for w in wallets),
                        sum(w.earned for w in wallets))


def spend(program: str, member_id: str, account_id: str, cost: int,
          plan_for: Callable[[int, dict[str, Any], dict[str, Any]], points.Plan[T]],
          explain: Callable[[transact.Cancelled], T | None],
          already_done: Callable[[], T | None]) -> T:
    """Pay `cost` from the company's wallet. `plan_for(shard, shard_item, member_item)`
    plans the spend from one shard; `already_done` finds an earlier outcome of this same
    request (its idempotency record), asked only before refusing for want of points."""
    for _ in range(ROUNDS):
        member, shards = store.member_and_wallet(program, member_id, account_id,
                                                 COMPANY_WALLET_SHARDS)
        for i, item in enumerate(shards):
            points.remember(program, points.shard_holder(account_id, i), item)
        now = utcnow()
        balances = [_held(program, store.wallet_of(s), now).balance for s in shards]
        if sum(balances) < cost:
            earlier = already_done()
            if earlier is not None:
                return earlier
            raise DomainError(ErrorCode.INSUFFICIENT_POINTS,
                              f"the company's balance is {sum(balances)}", "rewardId")
        payer = max(range(len(shards)), key=balances.__getitem__)
        if balances[payer] < cost:
            _gather(program, member_id, account_id, payer, shards)
            continue
        try:
            return points.move(program, {"wallet": points.shard_holder(account_id, payer)},
                               _from_shard(plan_for, payer, member), explain)
        except DomainError as short:
            if short.code is not ErrorCode.INSUFFICIENT_POINTS:
                raise
            # Another spend drained that shard first: read the shards again.
    raise DomainError(ErrorCode.BUSY, "the company's wallet is busy; retry", "rewardId")


def _held(program: str, wallet: store.Wallet, now: datetime) -> Settled:
    """What a shard can spend now (lapsed and pending points left out), and the lots of
    those points, oldest first."""
    now_held = points.settled_now(program, wallet, now)
    free = now_held.balance - points.pending_now(wallet, now)
    return Settled(oldest(now_held.lots, max(free, 0)), now_held.expired, free)


def _from_shard(plan_for: Callable[[int, dict[str, Any], dict[str, Any]], points.Plan[T]],
                shard: int, member: dict[str, Any]
                ) -> Callable[[dict[str, dict[str, Any]]], points.Plan[T]]:
    def plan(items: dict[str, dict[str, Any]]) -> points.Plan[T]:
        return plan_for(shard, items["wallet"], member)

    return plan


def _gather(program: str, member_id: str, account_id: str, payer: int,
            shards: list[dict[str, Any]]) -> None:
    """Move every other shard's points into `payer`, each from the seq it was read at; with
    expiring points, each lot keeps its month."""
    at, parts, gathered = iso(utcnow()), {}, 0
    moved_lots: dict[str, int] = {}
    expiry = cached(program).expiry()
    for i, item in enumerate(shards):
        wallet = store.wallet_of(item)
        held = _held(program, wallet, parse_iso(at))
        if i == payer or held.balance <= 0:
            continue
        spendable = held.balance
        gathered += spendable
        for month, amount in held.lots.items():
            moved_lots[month] = moved_lots.get(month, 0) + amount
        out = store.Movement(program, member_id, wallet, store.Entry(
            -spendable, f"gathered into shard {payer} to pay", "TRANSFER",
            f"shard-{payer}", member_id, at), shard=(account_id, i), expiry=expiry)
        parts.update(store.movement_parts(out, f"shard{i}"))
    if not gathered:
        return
    into = store.Movement(program, member_id, store.wallet_of(shards[payer]), store.Entry(
        gathered, "gathered from the other shards to pay", "TRANSFER", "shards", member_id,
        at), shard=(account_id, payer), expiry=expiry, arriving=moved_lots or None)
    parts.update(store.movement_parts(into, f"shard{payer}"))
    with contextlib.suppress(transact.Cancelled):  # a shard moved: the caller reads again
        transact.write(parts)
