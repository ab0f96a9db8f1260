"""Points held for want of budget (domain/ledger/pending.HELD), released by an admin once
the program's points budget can pay for them: paid in the release's own transaction, and
spendable from then on. Exactly once per key; the ledger line says who and why."""

from __future__ import annotations

from typing import Any

from kado.domain.calendar import iso, utcnow
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.idempotency import fingerprint, require_same
from kado.domain.ledger.movements import Entry, Movement
from kado.domain.ledger.pending import HELD
from kado.domain.principal import Principal
from kado.domain.validation import require_id, require_idempotency_key
from kado.services import budgets
from kado.services.kernel.loyalty_definitions import cached
from kado.services.ledger import movements, optimistic
from kado.store import ledger as store
from kado.store.kernel import item_keys as keys
from kado.store.kernel import transact
from kado.store.kernel.codec import dump
from kado.store.kernel.reads import get_one
from kado.store.kernel.transact import Cancelled


def release(admin: Principal, member_id: str, idempotency_key: str) -> int:
    """The points released (spendable now). BUDGET_EXHAUSTED, naming the budget, while the
    program's points budget cannot pay for them."""
    require_id(member_id, "memberId")
    require_idempotency_key(idempotency_key)
    program = admin.program
    record_key = keys.adjustment(program, member_id, idempotency_key)
    asked = fingerprint("releaseHeldPoints", member_id)
    settings = cached(program).settings
    charges: list[budgets.Charge] | None = None
    charged_for = 0  # the held points the charges pay for (more may be held meanwhile)

    def plan_for(items: dict[str, dict[str, Any]]) -> optimistic.Plan[int]:
        nonlocal charges, charged_for
        member = items["member"]
        wallet = store.wallet_of(member)
        held = int(wallet.pending.get(HELD, 0))
        if not held:
            if earlier() is not None:  # released by this very key: answer as it did
                raise _Answered(earlier() or 0)
            raise DomainError(ErrorCode.NOT_FOUND, "no points are held for this member",
                              "memberId")
        if charges is None or charged_for != held:
            charged_for = held
            charges = budgets.charges_or_refuse(
                program, settings.points_budgets, held * (settings.point_value or 0),
                "memberId", "these points", budgets.POINTS)
        at = iso(utcnow())
        movement = Movement(program, member_id, wallet, Entry(
            0, f"{held} held points released", "RELEASE", idempotency_key, admin.subject, at),
            expiry=cached(program).expiry(), releases_held=True)
        record = transact.put({**record_key, **dump({
            "type": "ADJUSTMENT", "delta": 0, "released": held,
            "balanceAfter": movement.settled().balance, "actor": admin.subject, "at": at,
            "fingerprint": asked})}, "attribute_not_exists(pk)")
        parts = {"release": record, **store.movement_parts(movement),
                 **budgets.parts(program, charges)}
        return optimistic.Plan(parts, {"member": movements.member_after(member, movement)},
                               held)

    def earlier(found: dict[str, Any] | None = None) -> int | None:
        found = found or get_one(record_key)
        if found is None:
            return None
        require_same(found.get("fingerprint"), asked)
        return int(found.get("released", 0))

    def explain(cancelled: Cancelled) -> int | None:
        nonlocal charges
        refused = cancelled.failed("release")
        if refused is not None:
            return earlier(refused.item)
        charges = budgets.recharged_or_refused(program, cancelled, charges or [], "memberId",
                                               "these points")
        return None

    try:
        return optimistic.commit(program, {"member": member_id}, plan_for, explain)
    except _Answered as answered:
        return answered.released


class _Answered(Exception):
    """The key was used before: its first answer, found while planning."""

    def __init__(self, released: int) -> None:
        super().__init__(str(released))
        self.released = released
