"""Spending from a company wallet split into shards, without ever going below zero.

Earnings land on a random shard (services/activities/recording.py). A spend reads every shard in
one batch, pays from the richest one with `points >= cost` as its condition, and, if no
single shard can pay although together they can, first moves the others' points into it
(TRANSFER entries on each shard, one transaction). Every shard's balance is a condition
of every write to it, so no interleaving of spends can take any shard below zero.

A return may take a shard below zero: the company owes points. The transaction that does
so marks every shard `inDebt`, and a shard pays only without the mark, so from that commit
no spend anywhere can pay until the debt is settled: the next spend first moves every
shard's balance (the debt included) into one shard and clears every mark, each part on the
seq it read, and pays only if what is left covers it (ADR 0008).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from kado.domain.calendar import iso, parse_iso, utcnow
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.ledger.lots import Settled, oldest
from kado.domain.ledger.movements import Entry, Movement, Wallet
from kado.domain.shards import COMPANY_WALLET_SHARDS
from kado.services.kernel.loyalty_definitions import cached
from kado.services.ledger import holders, movements, optimistic
from kado.store import ledger as store
from kado.store.kernel import transact

T = TypeVar("T")
# Each round reads the shards afresh; a round is lost only to another spend or earning.
ROUNDS = 4


def balance_of(program: str, account_id: str) -> Wallet:
    """The company wallet: every shard summed (one batch read)."""
    _, shards = store.member_and_wallet(program, "-", account_id, COMPANY_WALLET_SHARDS)
    wallets = [store.wallet_of(s) for s in shards]
    return Wallet(sum(w.seq for w in wallets), sum(w.balance for w in wallets),
                  sum(w.earned for w in wallets))


def spend(program: str, member_id: str, account_id: str, cost: int,
          plan_for: Callable[[int, dict[str, Any], dict[str, Any]], optimistic.Plan[T]],
          explain: Callable[[transact.Cancelled], T | None],
          already_done: Callable[[], T | None], field: str = "rewardId") -> T:
    """Pay `cost` from the company's wallet. `plan_for(shard, shard_item, member_item)`
    plans the spend from one shard; `already_done` finds an earlier outcome of this same
    request (its idempotency record), asked only before refusing for want of points."""
    for _ in range(ROUNDS):
        member, shards = store.member_and_wallet(program, member_id, account_id,
                                                 COMPANY_WALLET_SHARDS)
        holders.remember(program, member_id, member)
        if member.get("accountId") != account_id:  # not (or no longer) this company's
            raise CompanyMoved
        for i, item in enumerate(shards):
            holders.remember(program, holders.shard_holder(account_id, i), item)
        now = utcnow()
        balances = [_held(program, store.wallet_of(s), now).balance for s in shards]
        if sum(balances) < cost:
            earlier = already_done()
            if earlier is not None:
                return earlier
            raise DomainError(ErrorCode.INSUFFICIENT_POINTS,
                              f"the company's balance is {sum(balances)}", field)
        payer = max(range(len(shards)), key=balances.__getitem__)
        in_debt = any(s.get(store.IN_DEBT) for s in shards) or min(balances) < 0
        if in_debt or balances[payer] < cost:
            _gather(program, member_id, account_id, payer, shards)
            continue
        try:
            return optimistic.commit(program, {"wallet": holders.shard_holder(account_id, payer)},
                                     _from_shard(plan_for, payer, member), explain)
        except DomainError as short:
            if short.code is not ErrorCode.INSUFFICIENT_POINTS:
                raise
            # Another spend drained that shard first, or a return put the company in
            # debt: read the shards again.
    raise DomainError(ErrorCode.BUSY, "the company's wallet is busy; retry", field)


class CompanyMoved(Exception):
    """The member's company on file is not the one the spend was planned for."""


def _held(program: str, wallet: Wallet, now: datetime) -> Settled:
    """What a shard can spend now (lapsed and pending points left out), and the lots of
    those points, oldest first."""
    now_held = movements.settled_now(program, wallet, now)
    free = now_held.balance - movements.pending_now(wallet, now)
    return Settled(oldest(now_held.lots, max(free, 0)), now_held.expired, free)


def _from_shard(plan_for: Callable[[int, dict[str, Any], dict[str, Any]], optimistic.Plan[T]],
                shard: int, member: dict[str, Any]
                ) -> Callable[[dict[str, dict[str, Any]]], optimistic.Plan[T]]:
    def plan(items: dict[str, dict[str, Any]]) -> optimistic.Plan[T]:
        if items["wallet"].get(store.IN_DEBT):  # marked since read: back to every shard
            raise DomainError(ErrorCode.INSUFFICIENT_POINTS, "the company is in debt",
                              "rewardId")
        return plan_for(shard, items["wallet"], member)

    return plan


def _gather(program: str, member_id: str, account_id: str, payer: int,
            shards: list[dict[str, Any]]) -> None:
    """Move every other shard's balance into `payer`, each from the seq it was read at, in
    one transaction; with expiring points, each lot keeps its month. A shard below zero
    (the company's debt) is brought to zero from `payer` in the same way, and every shard's
    debt mark is cleared, so the debt is settled before anything is spent."""
    at, parts, gathered = iso(utcnow()), {}, 0
    moved_lots: dict[str, int] = {}
    expiry = cached(program).expiry()
    for i, item in enumerate(shards):
        wallet = store.wallet_of(item)
        held = _held(program, wallet, parse_iso(at))
        if i == payer:
            continue
        if held.balance == 0:
            if item.get(store.IN_DEBT):
                parts[f"shard{i}"] = store.debt_cleared_part(program, account_id, i, wallet.seq)
            continue
        gathered += held.balance
        for month, amount in held.lots.items():
            moved_lots[month] = moved_lots.get(month, 0) + amount
        out = Movement(program, member_id, wallet, Entry(
            -held.balance, f"gathered into shard {payer} to pay", "TRANSFER",
            f"shard-{payer}", member_id, at), shard=(account_id, i), expiry=expiry,
            settles_debt=True)
        parts.update(store.movement_parts(out, f"shard{i}"))
    if not parts:
        return
    payer_wallet = store.wallet_of(shards[payer])
    into = Movement(program, member_id, payer_wallet, Entry(
        gathered, "gathered from the other shards to pay", "TRANSFER", "shards", member_id,
        at), shard=(account_id, payer), expiry=expiry,
        arriving=moved_lots if moved_lots and sum(moved_lots.values()) == gathered else None,
        settles_debt=True)
    if gathered:
        parts.update(store.movement_parts(into, f"shard{payer}"))
    elif shards[payer].get(store.IN_DEBT):
        parts[f"shard{payer}"] = store.debt_cleared_part(program, account_id, payer,
                                                         payer_wallet.seq)
    with contextlib.suppress(transact.Cancelled):  # a shard moved: the caller reads again
        transact.write(parts)
