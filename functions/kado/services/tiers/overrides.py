"""An admin sets a member's tier by hand: a floor or a fixed tier, with a reason and an
expiry. Written like any standing change (the member item from its seq), so it never races
an activity, and recorded as a tier change with the admin and the reason."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kado.domain import tiers
from kado.domain.calendar import iso, utcnow
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.principal import Principal
from kado.domain.validation import MAX_REASON, require_id, require_idempotency_key, require_text
from kado.services.kernel.loyalty_definitions import cached
from kado.services.ledger import movements, optimistic
from kado.store import ledger as store
from kado.store.kernel.transact import Cancelled


def set_override(admin: Principal, member_id: str, mode: tiers.Override, tier_id: str,
                 until: datetime, reason: str,
                 idempotency_key: str) -> tuple[str, datetime | None]:
    """The tier in force after the override and when it lapses (a retry with the same key
    changes nothing)."""
    require_id(member_id, "memberId")
    require_text(reason, "reason", MAX_REASON)
    require_idempotency_key(idempotency_key)
    program, now = admin.program, utcnow()
    ladder = cached(program).ladder
    if ladder is None:
        raise DomainError(ErrorCode.NOT_FOUND, "this program has no tier ladder", "tier")
    tier = ladder.tier(require_id(tier_id, "tier"))
    if tier is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"no tier {tier_id!r} on the ladder", "tier")
    if until.tzinfo is None or until <= now:
        raise DomainError(ErrorCode.INVALID_INPUT, "must be a future time with its offset",
                          "until")

    def plan_for(items: dict[str, dict[str, Any]]) -> optimistic.Plan[tuple[str, datetime | None]]:
        member = items["member"]
        standing = store.standing_of(member, ladder.base.id)
        after = tiers.overridden(ladder, standing, mode, tier, until, now)
        return movements.standing_change(
            program, member_id, member, ladder.base.id, after, f"override-{idempotency_key}",
            tiers.effective(ladder, standing, now).tier or ladder.base.id, iso(now),
            f"{mode.value} {tier.id} until {iso(until)} by {admin.subject}: {reason}",
            (after.tier or ladder.base.id, after.until))

    def explain(cancelled: Cancelled) -> tuple[str, datetime | None] | None:
        if cancelled.failed("change") is not None:  # applied before: report as it is now
            member = store.get_member(program, member_id) or {}
            now_in_force = tiers.effective(ladder, store.standing_of(member, ladder.base.id),
                                           now)
            return now_in_force.tier or ladder.base.id, now_in_force.until
        return None

    return optimistic.commit(program, {"member": member_id}, plan_for, explain)
