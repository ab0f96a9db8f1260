"""Admin adjustments of a member's points: a reason, an actor, and exactly once per key."""

from __future__ import annotations

from typing import Any

from kado.domain.calendar import iso, utcnow
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.idempotency import fingerprint, require_same
from kado.domain.ledger.movements import Entry, Movement
from kado.domain.principal import Principal
from kado.domain.validation import MAX_REASON, require_id, require_idempotency_key, require_text
from kado.services import members
from kado.services.kernel.loyalty_definitions import UnknownMembers, cached
from kado.services.ledger import movements, optimistic
from kado.store import ledger as store
from kado.store.kernel import item_keys as keys
from kado.store.kernel import transact
from kado.store.kernel.codec import dump
from kado.store.kernel.reads import get_one
from kado.store.kernel.transact import Cancelled

MAX_ADJUSTMENT = 10**9


def adjust(admin: Principal, member_id: str, delta: int, reason: str,
           idempotency_key: str) -> tuple[int, int]:
    """(delta applied, balance after). A retry with the same key returns the first outcome;
    a debit may not take the balance below zero."""
    require_id(member_id, "memberId")
    require_text(reason, "reason", MAX_REASON)
    require_idempotency_key(idempotency_key)
    if delta == 0 or abs(delta) > MAX_ADJUSTMENT:
        raise DomainError(ErrorCode.INVALID_INPUT, f"must be non-zero, at most {MAX_ADJUSTMENT}",
                          "delta")
    program, record_key = admin.program, keys.adjustment(admin.program, member_id,
                                                         idempotency_key)
    asked = fingerprint("adjustPoints", member_id, delta, reason)

    rule = cached(program).settings.unknown_members
    first_sight = members.FirstSight(program, member_id, rule)

    def plan_for(items: dict[str, dict[str, Any]]) -> optimistic.Plan[tuple[int, int]]:
        member = items["member"]
        wallet = store.wallet_of(member)
        at = iso(utcnow())
        movement = Movement(program, member_id, wallet, Entry(
            delta, reason, "ADJUSTMENT", idempotency_key, admin.subject, at),
            earned=max(delta, 0), expiry=cached(program).expiry(),
            on_file_only=rule is UnknownMembers.REFUSE)
        balance_after = movement.settled().balance
        record = transact.put({**record_key, **dump({
            "type": "ADJUSTMENT", "delta": delta, "balanceAfter": balance_after,
            "reason": reason, "actor": admin.subject, "at": at, "fingerprint": asked})},
            "attribute_not_exists(pk)")
        parts = {"adjustment": record, **store.movement_parts(movement)}
        return optimistic.Plan(parts | first_sight.parts(member, parts, at),
                               {"member": movements.member_after(member, movement)},
                               (delta, balance_after), spends="delta")

    def explain(cancelled: Cancelled) -> tuple[int, int] | None:
        refused = cancelled.failed("adjustment")
        if refused is not None:
            earlier = refused.item or get_one(record_key) or {}
            require_same(earlier.get("fingerprint"), asked)
            return earlier.get("delta", 0), earlier.get("balanceAfter", 0)
        first_sight.explain(cancelled)
        return None

    return optimistic.commit(program, {"member": member_id}, plan_for, explain)
