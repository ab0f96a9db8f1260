"""References a definition makes to other things of the program (accounts, merchants,
tiers) are checked when it is written: an unknown one is refused with NOT_FOUND and the
field that names it, never stored to match nothing later.

Tiers are checked against the tier ladder when the program has one; without a ladder a
member's tier is a label the program gives (campaign eligibility matches it as stored).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from kado.domain.errors import DomainError, ErrorCode
from kado.services.kernel.loyalty_definitions import load
from kado.store.kernel import item_keys as keys
from kado.store.kernel.reads import get_many


def require_accounts(program: str, ids: Sequence[str], field: str) -> None:
    _require(program, ids, field, keys.account, "account")


def require_merchants(program: str, ids: Sequence[str], field: str) -> None:
    _require(program, ids, field, keys.merchant, "merchant")


def require_campaign(program: str, campaign_id: str, field: str) -> None:
    _require(program, [campaign_id], field, keys.campaign, "campaign")


def require_tiers(program: str, ids: Sequence[str], field: str) -> None:
    if not ids:
        return  # nothing named: nothing to read
    ladder = load(program).ladder  # read, not cached: a ladder just written counts
    if ladder is None:
        return
    known = {t.id for t in ladder.tiers}
    for i, tier in enumerate(ids):
        if tier not in known:
            raise DomainError(ErrorCode.NOT_FOUND, f"no tier {tier!r} on the ladder "
                              f"({', '.join(sorted(known))})", _at(field, i, len(ids)))


def require_audience(program: str, tiers: Sequence[str], account_ids: Sequence[str],
                     field: str = "eligibility") -> None:
    """An eligibility list (campaign, event, quest, survey): its companies and tiers."""
    require_accounts(program, account_ids, f"{field}.accountIds")
    require_tiers(program, tiers, f"{field}.tiers")


def _require(program: str, ids: Sequence[str], field: str,
             key_of: Callable[[str, str], dict[str, Any]], kind: str) -> None:
    for i, (wanted, found) in enumerate(zip(ids, get_many([key_of(program, x) for x in ids]),
                                            strict=True)):
        if found is None:
            raise DomainError(ErrorCode.NOT_FOUND, f"no {kind} {wanted!r}: upsert it first",
                              _at(field, i, len(ids)))


def _at(field: str, index: int, count: int) -> str:
    """accountId for a single reference, accountIds[2] for one of a list."""
    return field if count == 1 and not field.endswith("s") else f"{field}[{index}]"
