"""The demo program `kado dev` creates on first start."""

from __future__ import annotations

from datetime import timedelta

from kado.domain.calendar import utcnow
from kado.domain.campaign import Campaign, Limits, Prize, PrizeKind
from kado.services import campaigns, members
from kado.services.members import GiftPolicy

PROGRAM = "demo"
MEMBER, MEMBER_ACCOUNT = "alice", "acme"
MERCHANT = "corner-cafe"
ADMIN = "marketing"
CAMPAIGN = "welcome-wheel"


def seed_demo() -> bool:
    """Create the demo data unless it exists. Returns True when it was created."""
    if campaigns.store.get(PROGRAM, CAMPAIGN) is not None:
        return False
    members.upsert_account(PROGRAM, "acme", "Acme Corp", GiftPolicy.ACCEPTS)
    members.upsert_account(PROGRAM, "globex", "Globex (no personal gifts)", GiftPolicy.DECLINES)
    members.upsert_member(PROGRAM, "alice", "acme", "GOLD")
    members.upsert_member(PROGRAM, "bob", "globex", "STANDARD")
    now = utcnow()
    campaigns.upsert(PROGRAM, Campaign(
        id=CAMPAIGN, name="Welcome wheel", starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(days=30), timezone="Europe/Paris",
        limits=Limits(per_member_per_day=5, per_member_total=50),
        prizes=(
            Prize("mug", "Kado mug", PrizeKind.ITEM, 10, 100),
            Prize("tote", "Tote bag", PrizeKind.ITEM, 20, 500),
            Prize("none", "Better luck next time", PrizeKind.NONE, 70, None),
        ),
    ))
    campaigns.launch(PROGRAM, CAMPAIGN)
    return True
