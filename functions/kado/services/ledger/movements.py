"""Moving a member's points: one transaction per movement, against the state it expects.

A movement is written on the condition that the member item is still at the `seq` the
writer planned from. Each instance remembers the last member items it wrote or was
refused with, so a member it has seen costs one round trip; a member it has not seen
costs a second one only when the member item has moved on (its ALL_OLD copy comes back
in the cancellation, so there is never a separate read).
"""

from __future__ import annotations

import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar

from kado.domain.calendar import iso
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.ledger.lots import Settled, settle
from kado.domain.ledger.pending import released, total
from kado.domain.tiers import Standing
from kado.services.loyalty.definitions import cached
from kado.store import ledger as store
from kado.store.kernel import transact

T = TypeVar("T")
REMEMBERED = 10_000
# Every retry follows a movement that another request committed first (so each is
# progress: a writer loses at most once per writer ahead of it); the pause before it
# grows, so parallel writers of one member spread out instead of colliding.
MAX_ATTEMPTS = 40
BACKOFF_BASE_S = 0.003

_known: OrderedDict[tuple[str, str], dict[str, Any]] = OrderedDict()
_lock = threading.Lock()


def known(program: str, holder: str) -> dict[str, Any]:
    with _lock:
        return dict(_known.get((program, holder)) or {})


def remember(program: str, holder: str, item: dict[str, Any]) -> None:
    with _lock:
        _known[(program, holder)] = item
        _known.move_to_end((program, holder))
        while len(_known) > REMEMBERED:
            _known.popitem(last=False)


def on_file(program: str, member_id: str) -> dict[str, Any]:
    """The member item as this instance knows it, else as read now (and then known, so a
    plan starts from it and nothing reads it twice). What it says may have moved on since:
    a write that depends on it holds it in its condition."""
    found = known(program, member_id)
    # Never read here (only planned from nothing and moved on): read it now.
    return found if "type" in found else record(program, member_id)


def record(program: str, member_id: str) -> dict[str, Any]:
    """The member item as stored now (a consistent read), then known to this instance: for
    a decision that another instance may have moved under this one's copy."""
    found = store.get_member(program, member_id) or {}
    remember(program, member_id, found)
    return found


def shard_holder(account_id: str, shard: int) -> str:
    """The name a company wallet shard is remembered by (member ids never hold a '#')."""
    return f"A#{account_id}#{shard}"


def clear() -> None:
    with _lock:
        _known.clear()


@dataclass(frozen=True)
class Plan(Generic[T]):
    parts: dict[str, dict[str, Any]]
    after: dict[str, dict[str, Any]]  # part -> the item that part leaves (remembered)
    result: T
    spends: str | None = None  # the input field to blame when the payer is short
    payer: str = "member"  # the part whose balance pays, if the plan spends


def move(program: str, holders: dict[str, str],
         plan_for: Callable[[dict[str, dict[str, Any]]], Plan[T]],
         explain: Callable[[transact.Cancelled], T | None],
         attempts: int = MAX_ATTEMPTS) -> T:
    """Plan from the remembered items, write, and on a stale item plan again.

    `holders` names the seq-moved items of the transaction: part name -> holder (a member
    id, or a company wallet shard). `explain` turns any other refusal into a final answer
    (returned) or an error (raised); None means "plan again".
    """
    for attempt in range(attempts):
        if attempt > 1:
            time.sleep(random.uniform(0, BACKOFF_BASE_S * 2 ** min(attempt, 6)))
        planned = {part: known(program, holder) for part, holder in holders.items()}
        plan = plan_for(planned)
        try:
            transact.write(plan.parts)
        except DomainError as busy:  # lost races past transact's own retries: pause, again
            if busy.code is not ErrorCode.BUSY:
                raise
            continue
        except transact.Cancelled as cancelled:
            final = explain(cancelled)
            if final is not None:
                return final
            for part, holder in holders.items():
                refused = cancelled.failed(part)
                if refused is None:
                    continue
                current = refused.item or {}
                if plan.spends and part == plan.payer and _unchanged(planned[part], current):
                    raise DomainError(ErrorCode.INSUFFICIENT_POINTS,
                                      f"the balance is {current.get(store.POINTS, 0)}",
                                      plan.spends) from None
                remember(program, holder, current)
            continue
        for part, item in plan.after.items():
            remember(program, holders[part], item)
        return plan.result
    raise DomainError(ErrorCode.BUSY, "these points are busy; retry", None)


def _unchanged(planned_from: dict[str, Any], current: dict[str, Any]) -> bool:
    """The member item is where the plan left it: a refusal was the balance, not a race."""
    return all(planned_from.get(name) == current.get(name) for name in (store.SEQ, store.TIER))


def after(member: dict[str, Any], m: store.Movement) -> dict[str, Any]:
    """The member item as movement `m` leaves it (what this instance then remembers)."""
    settled = m.settled()
    moved = {**member, store.SEQ: m.expected.seq + 1, store.POINTS: settled.balance,
             store.EARNED: m.expected.earned + m.earned}
    if m.expiry is not None:
        moved[store.LOTS] = settled.lots
    moved[store.PENDING] = m.still_pending()
    if m.standing is not None:
        moved[store.TIER] = m.standing.tier or m.base_tier
        moved[store.PROGRESS] = dict(m.standing.progress)
        moved[store.TIER_UNTIL] = iso(m.standing.until) if m.standing.until else None
        fixed = m.standing.fixed_until
        moved[store.FIXED_UNTIL] = iso(fixed) if fixed else None
    return moved


def spendable(program: str, wallet: store.Wallet, now: datetime) -> int:
    """What can be spent at `now`: the balance less lapsed points and pending ones."""
    return settled_now(program, wallet, now).balance - pending_now(wallet, now)


def pending_now(wallet: store.Wallet, now: datetime) -> int:
    return total(released(wallet.pending, now.astimezone(UTC).date().isoformat()))


def settled_now(program: str, wallet: store.Wallet, now: datetime) -> Settled:
    expiry = cached(program).expiry()
    if expiry is None:
        return Settled(wallet.lots, 0, wallet.balance)
    return settle(expiry, wallet.lots, wallet.balance, 0, now)


def standing_change(program: str, member_id: str, member: dict[str, Any], base_tier: str,
                    standing: Standing, change: str, previous: str, at: str, reason: str,
                    result: T) -> Plan[T]:
    """Only the tier standing moves (no points, no ledger line), from the member's seq,
    with a tier-change record keyed by `change` (part "change"), so the same change is
    never written twice."""
    movement = store.Movement(program, member_id, store.wallet_of(member),
                              store.Entry(0, reason, "TIER", change, "", at), standing=standing,
                              base_tier=base_tier, expected_tier=member.get(store.TIER),
                              write_entry=False)
    record = store.tier_change_part(program, member_id, change, standing.tier or base_tier,
                                    previous, at, reason)
    return Plan({"change": record, **store.movement_parts(movement)},
                {"member": after(member, movement)}, result)
