"""The demo program `kado dev` creates on first start."""

from __future__ import annotations

from datetime import timedelta

from kado.domain.calendar import utcnow
from kado.domain.campaign import Campaign, Limits, Prize, PrizeKind
from kado.domain.vouchers import VoucherKind, VoucherProduct
from kado.services import campaigns, members, voucher_admin
from kado.services.members import GiftPolicy

PROGRAM = "demo"
MEMBER, MEMBER_ACCOUNT = "alice", "acme"
MERCHANT = "corner-cafe"
ADMIN = "marketing"
CAMPAIGN = "welcome-wheel"
VOUCHER_PRODUCT = "coffee-5"


def seed_demo() -> bool:
    """Create the demo data unless it exists. Returns True when it was created."""
    if campaigns.store.get(PROGRAM, CAMPAIGN) is not None:
        return False
    members.upsert_account(PROGRAM, "acme", "Acme Corp", GiftPolicy.ACCEPTS)
    members.upsert_account(PROGRAM, "globex", "Globex (no personal gifts)", GiftPolicy.DECLINES)
    members.upsert_member(PROGRAM, "alice", "acme", "GOLD")
    members.upsert_member(PROGRAM, "bob", "globex", "STANDARD")
    voucher_admin.upsert_merchant(PROGRAM, MERCHANT, "Corner Cafe")
    voucher_admin.upsert_merchant(PROGRAM, "book-nook", "Book Nook")
    voucher_admin.upsert_product(PROGRAM, VoucherProduct(
        id=VOUCHER_PRODUCT, name="5 EUR at Corner Cafe", kind=VoucherKind.AMOUNT, value=500,
        currency="EUR", merchant_ids=(MERCHANT,), valid_for_days=30,
        partial_redemption=True, reversal_window_minutes=15))
    now = utcnow()
    campaigns.upsert(PROGRAM, Campaign(
        id=CAMPAIGN, name="Welcome wheel", starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(days=30), timezone="Europe/Paris",
        limits=Limits(per_member_per_day=5, per_member_total=50),
        prizes=(
            Prize("mug", "Kado mug", PrizeKind.ITEM, 10, 100),
            Prize("tote", "Tote bag", PrizeKind.ITEM, 20, 500),
            Prize("coffee", "5 EUR coffee voucher", PrizeKind.VOUCHER, 30, 1000, VOUCHER_PRODUCT),
            Prize("none", "Better luck next time", PrizeKind.NONE, 40, None),
        ),
    ))
    campaigns.launch(PROGRAM, CAMPAIGN)
    return True
