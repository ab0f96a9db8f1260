"""Admin adjustments of a member's points: a reason, an actor, and exactly once per key."""

from __future__ import annotations

from typing import Any

from kado.domain.calendar import iso, utcnow
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.idempotency import fingerprint, require_same
from kado.domain.ledger.movements import Entry, Movement
from kado.domain.principal import Principal
from kado.domain.validation import MAX_REASON, require_id, require_idempotency_key, require_text
from kado.services import budgets, members
from kado.services.kernel.loyalty_definitions import (
    Settings,
    UnknownMembers,
    cached,
    forget,
    upsert_settings,
)
from kado.services.ledger import movements, optimistic
from kado.store import ledger as store
from kado.store.kernel import item_keys as keys
from kado.store.kernel import transact
from kado.store.kernel.codec import dump
from kado.store.kernel.reads import get_one
from kado.store.kernel.transact import Cancelled
from kado.store.loyalty import definitions as definition_store

MAX_ADJUSTMENT = 10**9


def save_settings(program: str, settings: Settings) -> Settings:
    """The program's loyalty settings; the points budgets named must be open and in the
    point value's currency."""
    budgets.require_links(program, settings.points_budgets, "pointsBudgets",
                          settings.point_currency)
    budgets.require_links(program, settings.program_budgets, "programBudgets",
                          settings.point_currency)
    return upsert_settings(program, settings)


class TermsChanged(Exception):
    """The point value or points budgets changed since this instance cached them."""


def adjust(admin: Principal, member_id: str, delta: int, reason: str,
           idempotency_key: str) -> tuple[int, int]:
    """(delta applied, balance after). A retry with the same key returns the first outcome;
    a debit may not take the balance below zero; points given are paid from the program's
    points budgets at its point value, in the same transaction (BUDGET_EXHAUSTED when one
    cannot pay)."""
    try:
        return _adjust(admin, member_id, delta, reason, idempotency_key)
    except TermsChanged:
        forget(admin.program)  # plan once more on the settings as they are now
        return _adjust(admin, member_id, delta, reason, idempotency_key)


def _adjust(admin: Principal, member_id: str, delta: int, reason: str,
            idempotency_key: str) -> tuple[int, int]:
    require_id(member_id, "memberId")
    require_text(reason, "reason", MAX_REASON)
    require_idempotency_key(idempotency_key)
    if delta == 0 or abs(delta) > MAX_ADJUSTMENT:
        raise DomainError(ErrorCode.INVALID_INPUT, f"must be non-zero, at most {MAX_ADJUSTMENT}",
                          "delta")
    program, record_key = admin.program, keys.adjustment(admin.program, member_id,
                                                         idempotency_key)
    asked = fingerprint("adjustPoints", member_id, delta, reason)

    settings = cached(program).settings
    rule = settings.unknown_members
    first_sight = members.FirstSight(program, member_id, rule)
    given = max(delta, 0) * (settings.point_value or 0)
    charges = budgets.charges_or_refuse(program, settings.points_budgets, given, "delta",
                                        "these points", budgets.POINTS)

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
        parts = {"adjustment": record, **store.movement_parts(movement),
                 "pointsTerms": definition_store.settings_terms_part(
                     program, settings.points_terms, free=not settings.points_budgets),
                 **budgets.parts(program, charges)}
        return optimistic.Plan(parts | first_sight.parts(member, parts, at),
                               {"member": movements.member_after(member, movement)},
                               (delta, balance_after), spends="delta")

    def explain(cancelled: Cancelled) -> tuple[int, int] | None:
        refused = cancelled.failed("adjustment")
        if refused is not None:
            earlier = refused.item or get_one(record_key) or {}
            require_same(earlier.get("fingerprint"), asked)
            return earlier.get("delta", 0), earlier.get("balanceAfter", 0)
        if cancelled.failed("pointsTerms") is not None:
            raise TermsChanged()
        nonlocal charges
        charges = budgets.recharged_or_refused(program, cancelled, charges, "delta",
                                               "these points")
        first_sight.explain(cancelled)
        return None

    return optimistic.commit(program, {"member": member_id}, plan_for, explain)
