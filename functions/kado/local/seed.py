"""The demo program `kado dev` creates on first start."""

from __future__ import annotations

from datetime import timedelta

from kado.domain import tiers
from kado.domain.activities import Activity, Money
from kado.domain.calendar import utcnow
from kado.domain.campaigns.rules import Campaign, Limits, Prize, PrizeKind
from kado.domain.events.rules import (
    DEFAULT_CHECK_IN_MINUTES,
    MAX_CHECK_IN_MINUTES,
    Event,
    EventStatus,
    Waitlist,
    WaitlistMode,
)
from kado.domain.loyalty.earning import EarningRule
from kado.domain.loyalty.rewards import Reward, RewardKind
from kado.domain.principal import Principal, Role
from kado.domain.quests import Period, Quest, QuestReward, QuestStatus, Step, Streak
from kado.domain.referrals import ReferralTerms
from kado.domain.surveys import Question, QuestionKind, Survey
from kado.domain.vouchers.products import VoucherKind, VoucherProduct
from kado.services import members, referrals, surveys
from kado.services.activities import recording as activities
from kado.services.campaigns import definitions as campaigns
from kado.services.events import definitions as events
from kado.services.events import registrations
from kado.services.kernel import loyalty_definitions
from kado.services.loyalty import rewards
from kado.services.members import GiftPolicy
from kado.services.quests import definitions as quests
from kado.services.vouchers import catalogue as voucher_admin

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
    members.upsert_member(PROGRAM, "alice", "acme", "STANDARD")
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
    _seed_loyalty()
    _seed_events()
    _seed_quests()
    _seed_survey_and_referral()
    return True


def _seed_survey_and_referral() -> None:
    """The dealer survey (75 points, once), and referral terms with one pending referral:
    alice referred Initech, whose first purchase of 500 EUR within 30 days qualifies it."""
    now = utcnow()
    surveys.upsert(PROGRAM, Survey(
        id="dealer-survey", name="Dealer survey 2026", reward_points=75,
        opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=60),
        questions=(Question("brands", "Which of our ranges do you stock?",
                            QuestionKind.MULTI_CHOICE, options=("classic", "new-range", "pro")),
                   Question("nps", "How likely are you to recommend us (0-10)?",
                            QuestionKind.SCALE, scale_min=0, scale_max=10),
                   Question("wish", "What should we make next?", QuestionKind.TEXT,
                            required=False))))
    loyalty_definitions.upsert_referral_terms(PROGRAM, ReferralTerms(
        min_purchase=50_000, within_days=30, hold_days=14, advocate_points=400,
        referred_points=100, cap_per_month=5))
    referrals.register(Principal(Role.ADMIN, PROGRAM, "crm"),
                       referrals.code_of(PROGRAM, MEMBER), "initech", "ivan")


def _seed_quests() -> None:
    """A live quest: three orders from the new range and the product training, for 300
    points and the trailblazer badge; a weekly streak of dealer surveys."""
    now = utcnow()
    for quest in (
            Quest(id="new-range", name="Launch the new range", timezone="Europe/Paris",
                  starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=90),
                  steps=(Step("orders", "Order from the new range three times", "PURCHASE",
                              tags=("new-range",), target_count=3),
                         Step("training", "Complete the product training",
                              "TRAINING_COMPLETED", tags=("new-range",), target_count=1)),
                  reward=QuestReward(points=300, badge="trailblazer")),
            Quest(id="survey-streak", name="Tell us every week", timezone="Europe/Paris",
                  starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=90),
                  steps=(Step("survey", "Answer the dealer survey", "SURVEY_COMPLETED",
                              target_count=1),),
                  streak=Streak(Period.WEEK, 4), reward=QuestReward(points=200))):
        quests.upsert(PROGRAM, quest)
        quests.move(PROGRAM, quest.id, QuestStatus.LIVE)


def _seed_events() -> None:
    """A dealer day whose 3 seats are taken, with 2 waiting (seats are offered, held 24 h),
    and a product training with room to spare, whose door is open all week (so a ticket
    can be checked in during the walkthrough)."""
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    for event_id, name, capacity, line, starts_in, door in (
            ("dealer-day", "Dealer day at the factory", 3, Waitlist(WaitlistMode.OFFER, 24),
             timedelta(days=14, hours=2), DEFAULT_CHECK_IN_MINUTES),
            ("spring-training", "Spring product training", 20, Waitlist(),
             timedelta(days=2, hours=2), MAX_CHECK_IN_MINUTES)):
        starts = now + starts_in
        events.upsert(PROGRAM, Event(
            id=event_id, name=name, venue="factory-hall", starts_at=starts,
            ends_at=starts + timedelta(hours=6), timezone="Europe/Paris",
            registration_opens_at=now - timedelta(days=1),
            registration_closes_at=starts - timedelta(days=1), capacity=capacity,
            waitlist=line, check_in_opens_minutes_before=door))
        events.move(PROGRAM, event_id, EventStatus.PUBLISHED)
    for member_id in ("carol", "dave", "erin", "frank", "grace"):
        registrations.register(Principal(Role.MEMBER, PROGRAM, member_id), "dealer-day",
                               f"demo-register-{member_id}")


def _seed_loyalty() -> None:
    """A ladder, earning rules, rewards, and a little history: alice reached GOLD this year
    and spent on a mug; bob is on his way to SILVER. The demo's members come from the
    partner's feed, so its first activity for a member enrols them (unknownMembers: ENROL;
    a program's default is to refuse a member not on file)."""
    loyalty_definitions.upsert_settings(PROGRAM, loyalty_definitions.Settings(
        unknown_members=loyalty_definitions.UnknownMembers.ENROL))
    loyalty_definitions.upsert_ladder(PROGRAM, tiers.Ladder(
        tiers.Metric.POINTS_EARNED, tiers.Window.CALENDAR_YEAR, "Europe/Paris",
        (tiers.Tier("STANDARD", "Standard", 0), tiers.Tier("SILVER", "Silver", 500, 125),
         tiers.Tier("GOLD", "Gold", 2000, 150))))
    for rule in (EarningRule("per-euro", "1 point per euro", "PURCHASE", points_per_unit=1),
                 EarningRule("training", "Product training", "TRAINING_COMPLETED",
                             fixed_points=100),
                 EarningRule("survey", "Dealer survey", "SURVEY_COMPLETED", fixed_points=50)):
        loyalty_definitions.upsert_rule(PROGRAM, rule)
    loyalty_definitions.upsert_reward(PROGRAM, Reward("mug", "Kado mug", 300, RewardKind.ITEM,
                                                      stock=50))
    loyalty_definitions.upsert_reward(PROGRAM, Reward(
        "coffee", "5 EUR coffee voucher", 150, RewardKind.VOUCHER, VOUCHER_PRODUCT))
    now = utcnow()
    history = [("demo-inv-1001", "alice", "PURCHASE", 3, 150_000),
               ("demo-inv-1002", "alice", "PURCHASE", 2, 60_000),
               ("demo-training-7", "alice", "TRAINING_COMPLETED", 1, None),
               ("demo-inv-2001", "bob", "PURCHASE", 1, 30_000)]
    erp = Principal(Role.ADMIN, PROGRAM, "demo-erp")
    activities.record(erp, [Activity(external_id, member, kind, now - timedelta(days=days_ago),
                                     amount=Money(cents, "EUR") if cents else None)
                            for external_id, member, kind, days_ago, cents in history])
    rewards.redeem(Principal(Role.MEMBER, PROGRAM, "alice"), "mug", "demo-mug-0001")
