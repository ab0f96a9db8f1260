"""Builders shared by the test tiers."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from kado.api.kernel.context import Context
from kado.domain.campaigns.rules import Campaign, Eligibility, Limits, Prize, PrizeKind
from kado.domain.principal import Principal, Role
from kado.domain.vouchers.products import VoucherKind, VoucherProduct


def new_program() -> str:
    """Tests isolate from each other the way tenants do: by program id."""
    return "t" + secrets.token_hex(6)


def accounts(program: str, *account_ids: str) -> None:
    """Companies on file (members, campaigns and events may only name known ones)."""
    from kado.services.members import GiftPolicy, upsert_account

    for account_id in account_ids:
        upsert_account(program, account_id, account_id.title(), GiftPolicy.ACCEPTS)


def key() -> str:
    return "k-" + secrets.token_hex(8)


def member(program: str, member_id: str = "alice") -> Principal:
    """A member token: who, in which program. Their company is whatever the record says."""
    return Principal(Role.MEMBER, program, member_id)


def admin(program: str) -> Principal:
    return Principal(Role.ADMIN, program, "marketing")


def till(program: str, merchant_id: str = "cafe") -> Principal:
    return Principal(Role.MERCHANT, program, merchant_id)


def product(product_id: str = "tenner", **terms: Any) -> VoucherProduct:
    """A 10.00 EUR voucher valid 30 days everywhere, unless `terms` say otherwise."""
    fields: dict[str, Any] = {"id": product_id, "name": f"Product {product_id}",
                              "kind": VoucherKind.AMOUNT, "value": 1000, "currency": "EUR",
                              "valid_for_days": 30}
    fields.update(terms)
    return VoucherProduct(**fields)


def voucher_prize(product_id: str = "tenner", stock: int | None = None) -> tuple[Prize, ...]:
    return (Prize("voucher", "Voucher", PrizeKind.VOUCHER, 1, stock, product_id),)


def campaign(campaign_id: str = "wheel", prizes: tuple[Prize, ...] | None = None,
             limits: Limits = Limits(), eligibility: Eligibility = Eligibility(),
             timezone: str = "Europe/Paris", starts_in: timedelta = timedelta(minutes=-1),
             lasts: timedelta = timedelta(days=7)) -> Campaign:
    start = datetime.now(UTC) + starts_in
    return Campaign(
        id=campaign_id, name=f"Campaign {campaign_id}", starts_at=start, ends_at=start + lasts,
        timezone=timezone, limits=limits, eligibility=eligibility,
        prizes=prizes or (Prize("mug", "Mug", PrizeKind.ITEM, 30, 10),
                          Prize("none", "No luck", PrizeKind.NONE, 70, None)),
    )


def sure_win(stock: int | None) -> tuple[Prize, ...]:
    return (Prize("gift", "Gift", PrizeKind.ITEM, 1, stock),)


def sure_loss() -> tuple[Prize, ...]:
    return (Prize("none", "No luck", PrizeKind.NONE, 1, None),)


def execute(schema: Any, query: str, principal: Principal,
            variables: dict[str, Any] | None = None,
            accept_language: str | None = None) -> dict[str, Any]:
    result = schema.execute_sync(query, variable_values=variables,
                                 context_value=Context(principal, accept_language=accept_language))
    assert result.errors is None, result.errors
    data: dict[str, Any] = result.data
    return data


def refusal(schema: Any, query: str, principal: Principal,
            variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """The first error of a query that must fail: its message and extensions."""
    result = schema.execute_sync(query, variable_values=variables,
                                 context_value=Context(principal))
    assert result.errors, result.data
    return {"message": result.errors[0].message, **(result.errors[0].extensions or {})}


def campaign_input(campaign_id: str, prizes: list[dict[str, Any]],
                   timezone: str = "UTC") -> dict[str, Any]:
    """A CampaignInput for the GraphQL API, open from a minute ago for a day."""
    now = datetime.now(UTC)
    return {"id": campaign_id, "name": f"Campaign {campaign_id}", "timezone": timezone,
            "startsAt": (now - timedelta(minutes=1)).isoformat(),
            "endsAt": (now + timedelta(days=1)).isoformat(), "prizes": prizes}


def like_a_client(action: Any, attempts: int = 6) -> Any:
    """Run `action` as a well-made client would (the retry contract, docs/guide/api.md): a BUSY or
    UNAVAILABLE answer, or a connection that failed, is retried after a pause, with the
    same request and so the same idempotency key, which `action` must fix. A loaded
    machine then slows a concurrency test down; it cannot turn it red."""
    import time

    from kado.domain.errors import RETRYABLE, DomainError
    from kado.store.kernel.client import is_outage

    for attempt in range(attempts):
        try:
            return action()
        except DomainError as refusal:
            if refusal.code not in RETRYABLE or attempt == attempts - 1:
                raise
        except Exception as failure:
            if not is_outage(failure) or attempt == attempts - 1:
                raise
        time.sleep(0.05 * 2 ** attempt)
    raise AssertionError("unreachable")


def test_clock(monkeypatch: Any, at: datetime) -> dict[str, datetime]:
    """The one clock (domain.calendar.utcnow) for every module at once, at `at`; move it by
    setting the returned dict's "at". Undone when the test ends."""
    from kado.domain import calendar

    moment = {"at": at}
    monkeypatch.setattr(calendar, "_source", lambda: moment["at"])
    return moment


def refused(code: Any, action: Any) -> Any:
    """The DomainError `action` must raise, with `code` (for its message and field)."""
    import pytest

    from kado.domain.errors import DomainError

    with pytest.raises(DomainError) as refusal:
        action()
    assert refusal.value.code is code, refusal.value.message
    return refusal.value
