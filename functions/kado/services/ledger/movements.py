"""Points on a member item: what a movement leaves, and what can be spent now.

The movement itself is written by the optimistic engine (optimistic.commit).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, TypeVar

from kado.domain.calendar import iso
from kado.domain.ledger.lots import Settled, settle
from kado.domain.ledger.movements import Entry, Movement, Wallet
from kado.domain.ledger.pending import released, total
from kado.domain.tiers import Standing
from kado.services.kernel.loyalty_definitions import cached
from kado.services.ledger.optimistic import Plan
from kado.store import ledger as store

T = TypeVar("T")


def member_after(member: dict[str, Any], m: Movement) -> dict[str, Any]:
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


def spendable(program: str, wallet: Wallet, now: datetime) -> int:
    """What can be spent at `now`: the balance less lapsed points and pending ones."""
    return settled_now(program, wallet, now).balance - pending_now(wallet, now)


def pending_now(wallet: Wallet, now: datetime) -> int:
    return total(released(wallet.pending, now.astimezone(UTC).date().isoformat()))


def settled_now(program: str, wallet: Wallet, now: datetime) -> Settled:
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
    movement = Movement(program, member_id, store.wallet_of(member),
                        Entry(0, reason, "TIER", change, "", at), standing=standing,
                        base_tier=base_tier, expected_tier=member.get(store.TIER),
                        write_entry=False)
    record = store.tier_change_part(program, member_id, change, standing.tier or base_tier,
                                    previous, at, reason)
    return Plan({"change": record, **store.movement_parts(movement)},
                {"member": member_after(member, movement)}, result)
