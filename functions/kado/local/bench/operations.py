"""What the benchmark measures: a seeded program and one request builder per operation."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from kado.domain import tiers
from kado.domain.activities import Activity, Money
from kado.domain.budgets import MAX_AMOUNT, Budget, BudgetLink
from kado.domain.calendar import utcnow
from kado.domain.campaigns.rules import Campaign, Limits, Prize, PrizeKind
from kado.domain.loyalty.earning import EarningRule
from kado.domain.loyalty.rewards import Reward, RewardKind
from kado.domain.principal import Principal, Role
from kado.domain.quests import Quest, QuestReward, QuestStatus, Step
from kado.domain.vouchers.codes import generate
from kado.domain.vouchers.products import CodeSource, VoucherKind, VoucherProduct
from kado.local.bench.measure import Operation, Request
from kado.services import budgets, members
from kado.services.activities import recording as activities
from kado.services.campaigns import definitions as campaigns
from kado.services.campaigns import spins
from kado.services.kernel import loyalty_definitions
from kado.services.loyalty import adjustments
from kado.services.members import GiftPolicy
from kado.services.quests import definitions as quests
from kado.services.vouchers import catalogue as voucher_admin
from kado.services.vouchers import issuing as vouchers
from kado.services.vouchers import redemptions
from kado.store import leaderboards as boards
from kado.store.kernel import item_keys as keys

PROGRAM = "bench"
ACCOUNT = "acme"
MERCHANT = "till-1"
MEMBER_PATH, MERCHANT_PATH, ADMIN_PATH = "/member/graphql", "/merchant/graphql", "/admin/graphql"
SPIN = """mutation($i: SpinInput!) { spin(input: $i) { spin { id won outcome voucherId
  prize { id name } } errors { code } } }"""
ME = "{ me { id tier accountId } }"
BOARD = '{ leaderboard(questId: "quest-0", first: 10) { rank memberId score } }'
CAMPAIGNS = "{ campaigns(first: 20) { nodes { id name odds { totalWeight } } } }"
MY_SPINS = """query($c: ID!) { mySpins(campaignId: $c, first: 20) { nodes { id outcome } } }"""
MY_VOUCHERS = """{ myVouchers(first: 20) { nodes { id code qrPayload status balance
  product { name } } } }"""
CHECK = """query($c: String!) { checkVoucher(code: $c) { redeemable
  voucher { id balance status } errors { code } } }"""
REDEEM = """mutation($i: RedeemInput!) { redeemVoucher(input: $i) {
  redemption { id redeemedAt } errors { code } } }"""
REDEEM_WITH_BALANCE = """mutation($i: RedeemInput!) { redeemVoucher(input: $i) {
  redemption { id redeemedAt remainingBalance } errors { code } } }"""
REVERSE = """mutation($i: ReverseInput!) { reverseRedemption(input: $i) {
  redemption { id reversedAt } errors { code } } }"""
ISSUE = """mutation($i: IssueVouchersInput!) { issueVouchers(input: $i) {
  results { memberId voucher { id } errors { code } } errors { code } } }"""
RECORD = """mutation($i: RecordActivitiesInput!) { recordActivities(input: $i) {
  results { externalId outcome points balanceAfter errors { code } } errors { code } } }"""
REDEEM_REWARD = """mutation($i: RedeemRewardInput!) { redeemReward(input: $i) {
  redemption { rewardId balanceAfter } errors { code } } }"""


def _member(member_id: str) -> dict[str, Any]:
    return {"sub": member_id, "program": PROGRAM, "account": ACCOUNT}


TILL = {"sub": MERCHANT, "program": PROGRAM, "role": "merchant"}
ADMIN = {"sub": "bench-admin", "program": PROGRAM, "role": "admin"}


def sure_campaign(campaign_id: str, prize: Prize, limits: Limits = Limits()) -> Campaign:
    now = utcnow()
    return Campaign(id=campaign_id, name=campaign_id, starts_at=now - timedelta(minutes=1),
                    ends_at=now + timedelta(days=1), timezone="UTC", prizes=(prize,),
                    limits=limits)


@dataclass
class Seeded:
    wallet_codes: list[str]
    full_codes: list[str]
    partial_codes: list[str]
    redeemed_code: str
    reversible: list[str]


def _product(product_id: str, **terms: Any) -> VoucherProduct:
    fields: dict[str, Any] = {"id": product_id, "name": product_id, "kind": VoucherKind.AMOUNT,
                              "value": 1000, "currency": "EUR", "valid_for_days": 30}
    return VoucherProduct(**(fields | terms))


def _codes_of(member_id: str, product_id: str) -> list[str]:
    found: list[str] = []
    after = None
    while True:
        page_items, page = vouchers.my_vouchers(Principal(Role.MEMBER, PROGRAM, member_id),
                                                None, 100, after)
        found += [v.code for v in page_items if v.code and v.product_id == product_id]
        if not page.has_next:
            return found
        after = page.end_cursor


def seed(per_op: int) -> Seeded:
    """Everything the operations consume; `per_op` = warm-up + measured iterations."""
    # New members arrive with their first activity (which enrols them on the roster).
    for program in (PROGRAM, LADDER_PROGRAM, QUEST_PROGRAM):
        loyalty_definitions.upsert_settings(program, loyalty_definitions.Settings(
            unknown_members=loyalty_definitions.UnknownMembers.ENROL))
    members.upsert_account(PROGRAM, ACCOUNT, "Acme", GiftPolicy.ACCEPTS)
    voucher_admin.upsert_merchant(PROGRAM, MERCHANT, "Till one")
    voucher_admin.upsert_product(PROGRAM, _product("gen"))
    voucher_admin.upsert_product(PROGRAM, _product("pool", code_source=CodeSource.POOL))
    voucher_admin.upsert_product(PROGRAM, _product("part", value=1_000_000,
                                                   partial_redemption=True,
                                                   reversal_window_minutes=120))
    pool = [f"BENCHPOOL{i:06d}" for i in range(per_op + 50)]
    for start in range(0, len(pool), 1000):
        voucher_admin.import_codes(PROGRAM, "pool", pool[start:start + 1000])
    for campaign in (
        sure_campaign("items", Prize("mug", "Mug", PrizeKind.ITEM, 1, 10_000_000)),
        sure_campaign("vouchers", Prize("v", "Voucher", PrizeKind.VOUCHER, 1, None, "gen")),
        sure_campaign("pool", Prize("p", "Pool code", PrizeKind.VOUCHER, 1, None, "pool")),
        sure_campaign("losses", Prize("none", "No luck", PrizeKind.NONE, 1, None)),
        sure_campaign("daily", Prize("none", "No luck", PrizeKind.NONE, 1, None),
                      Limits(per_member_per_day=1)),
    ):
        campaigns.upsert(PROGRAM, campaign)
        campaigns.launch(PROGRAM, campaign.id)
    _seed_budgets()
    _seed_points(per_op)
    return _seed_vouchers(per_op)


# Budgets as a flash campaign would have them: 32 shards, far more money than the run spends.
BUDGETS = ("bench-own", "bench-brand", "bench-distributor")


def _seed_budgets() -> None:
    """A campaign paid from one budget, and one paid from three (its own cap, and a brand
    and a distributor sharing each win 70/30)."""
    for budget_id in BUDGETS:
        budgets.create(PROGRAM, Budget(budget_id, budget_id, "VND", MAX_AMOUNT, shards=32),
                       "bench", "bench")
    mug = Prize("mug", "Mug", PrizeKind.ITEM, 1, None, cost=50_000)
    for campaign_id, links in (
            ("budget-1", (BudgetLink("bench-own"),)),
            ("budget-3", (BudgetLink("bench-own"), BudgetLink("bench-brand", 70),
                          BudgetLink("bench-distributor", 30)))):
        campaigns.upsert(PROGRAM, replace(sure_campaign(campaign_id, mug), budgets=links))
        campaigns.launch(PROGRAM, campaign_id)


def _seed_points(per_op: int) -> None:
    """An earning rule, a ladder and a reward; a saver with points for every iteration."""
    program_admin = Principal(Role.ADMIN, PROGRAM, "bench-admin")
    loyalty_definitions.upsert_rule(PROGRAM, EarningRule("per-euro", "Per euro", "PURCHASE",
                                                         points_per_unit=1))
    loyalty_definitions.upsert_ladder(PROGRAM, tiers.Ladder(
        tiers.Metric.POINTS_EARNED, tiers.Window.CALENDAR_YEAR, "UTC",
        (tiers.Tier("blue", "Blue", 0), tiers.Tier("silver", "Silver", 10**9))))
    loyalty_definitions.upsert_reward(PROGRAM, Reward("mug", "Mug", 10, RewardKind.ITEM))
    adjustments.adjust(program_admin, "saver", 10 * per_op + 100, "bench", "bench-topup-0001")
    adjustments.adjust(program_admin, "payer", per_op + 10, "bench", "bench-topup-0002")
    paid = replace(sure_campaign("paid", Prize("none", "No luck", PrizeKind.NONE, 1, None)),
                   cost_points=1)
    campaigns.upsert(PROGRAM, paid)
    campaigns.launch(PROGRAM, paid.id)
    _seed_company(per_op)
    _seed_company_ladder()
    _seed_quests()


COMPANY_PROGRAM, COMPANY = "bench-co", "coop"
LADDER_PROGRAM = "bench-ladder"


QUEST_PROGRAM = "bench-quests"
BOARD_PLAYERS = 2_000


def _seed_quests() -> None:
    """A program with 3 live quests every purchase matches."""
    loyalty_definitions.upsert_rule(QUEST_PROGRAM, EarningRule(
        "per-euro", "Per euro", "PURCHASE", points_per_unit=1))
    now = utcnow()
    for i in range(3):
        quests.upsert(QUEST_PROGRAM, Quest(
            id=f"quest-{i}", name=f"Quest {i}", starts_at=now - timedelta(days=1),
            ends_at=now + timedelta(days=30), timezone="UTC",
            steps=(Step("orders", "Orders", "PURCHASE", target_count=10**6),),
            reward=QuestReward(points=1)))
        quests.move(QUEST_PROGRAM, f"quest-{i}", QuestStatus.LIVE)
    board = boards.quest_members(QUEST_PROGRAM, "quest-0", "once")
    for n in range(BOARD_PLAYERS):  # a board of many: its read costs the same as of few
        boards.place(keys.quest_progress(QUEST_PROGRAM, f"player-{n:05d}", "quest-0", "once"),
                     board, f"player-{n:05d}", n % 997, n)


def _seed_company_ladder() -> None:
    """A program whose ladder is climbed by companies (level ACCOUNT)."""
    loyalty_definitions.upsert_rule(LADDER_PROGRAM, EarningRule(
        "per-euro", "Per euro", "PURCHASE", points_per_unit=1))
    loyalty_definitions.upsert_ladder(LADDER_PROGRAM, tiers.Ladder(
        tiers.Metric.POINTS_EARNED, tiers.Window.CALENDAR_YEAR, "UTC",
        (tiers.Tier("blue", "Blue", 0), tiers.Tier("silver", "Silver", 10**9)),
        level=tiers.Level.ACCOUNT))
    members.upsert_account(LADDER_PROGRAM, COMPANY, "Coop", GiftPolicy.ACCEPTS)


def _seed_company(per_op: int) -> None:
    """A program with company wallets: the company's staff earn, any of them spends."""
    loyalty_definitions.upsert_settings(COMPANY_PROGRAM, loyalty_definitions.Settings(
        wallet=loyalty_definitions.WalletMode.ACCOUNT,
        unknown_members=loyalty_definitions.UnknownMembers.ENROL))
    loyalty_definitions.upsert_rule(COMPANY_PROGRAM, EarningRule(
        "per-euro", "Per euro", "PURCHASE", points_per_unit=1))
    loyalty_definitions.upsert_reward(COMPANY_PROGRAM, Reward("mug", "Mug", 10,
                                                              RewardKind.ITEM))
    members.upsert_account(COMPANY_PROGRAM, COMPANY, "Coop", GiftPolicy.ACCEPTS)
    for i in range(20):  # the staff who spend (placed by the program, not their tokens)
        members.upsert_member(COMPANY_PROGRAM, f"co-{i}", COMPANY, "STANDARD")
    erp = Principal(Role.ADMIN, COMPANY_PROGRAM, "bench-erp")
    at = utcnow()
    activities.record(erp, [Activity(f"co-seed-{i}", "co-buyer", "PURCHASE", at,
                                     account_id=COMPANY,
                                     # the operation's spends, then hot_keys' as many again
                                     amount=Money(100 * (2 * per_op + 10), "EUR"))
                            for i in range(10)])


def _seed_vouchers(per_op: int) -> Seeded:
    admin = Principal(Role.ADMIN, PROGRAM, "bench-admin")
    members.upsert_member(PROGRAM, "wallet", ACCOUNT, "STANDARD")
    wallet = Principal(Role.MEMBER, PROGRAM, "wallet")
    spins.play(wallet, "daily", "wallet-daily-0001")  # today's one spin is used up
    for i in range(25):
        spins.play(wallet, "vouchers", f"wallet-spin-{i:04d}")
        spins.play(wallet, "losses", f"wallet-loss-{i:04d}")
    holders = [f"holder-{i}" for i in range(100)]
    for holder in holders:
        members.upsert_member(PROGRAM, holder, ACCOUNT, "STANDARD")
    for batch in range(-(-per_op // 100)):
        voucher_admin.issue(admin, "gen", holders, f"seed-full-{batch:04d}", "bench")
    voucher_admin.issue(admin, "part", holders[:10], "seed-partial-0001", "bench")
    full = [c for h in holders for c in _codes_of(h, "gen")][: per_op + 1]
    partial = [c for h in holders[:10] for c in _codes_of(h, "part")]
    partial_till = Principal(Role.MERCHANT, PROGRAM, MERCHANT)
    redeemed = full.pop()
    redemptions.redeem(partial_till, redeemed, None, "seed-redeemed-0001", None)
    reversible = [redemptions.redeem(partial_till, partial[i % len(partial)], 100,
                                     f"seed-reversible-{i:06d}", None).id for i in range(per_op)]
    return Seeded(_codes_of("wallet", "gen"), full, partial, redeemed, reversible)


def operations(handlers: dict[str, Any], seeded: Seeded) -> list[Operation]:
    member, merchant, admin = handlers["member"], handlers["merchant"], handlers["admin"]

    def spin(campaign: str, who: str = "") -> Any:
        return lambda i: Request(SPIN, {"i": {"campaignId": campaign,
                                              "idempotencyKey": f"bench-{campaign}-{i:06d}"}},
                                 _member(who or f"{campaign}-{i}"))

    def redeem(tag: str, code_of: Any, amount: int | None, query: str = REDEEM) -> Any:
        return lambda i: Request(query, {"i": {"code": code_of(i), "amount": amount,
                                               "idempotencyKey": f"bench-{tag}-{i:06d}"}}, TILL)

    return [
        Operation("spin_win_item", member, MEMBER_PATH, spin("items")),
        Operation("spin_win_voucher", member, MEMBER_PATH, spin("vouchers")),
        Operation("spin_win_item_persisted_query", member, MEMBER_PATH, lambda i: Request(
            SPIN, {"i": {"campaignId": "items", "idempotencyKey": f"bench-items-apq-{i:06d}"}},
            _member(f"items-apq-{i}"), persisted=True)),
        Operation("spin_win_item_1_budget", member, MEMBER_PATH, spin("budget-1")),
        Operation("spin_win_item_3_budgets", member, MEMBER_PATH, spin("budget-3")),
        Operation("spin_win_pool_code", member, MEMBER_PATH, spin("pool"),
                  note="pool candidates are read 25 at a time; the read is amortised"),
        Operation("spin_loss", member, MEMBER_PATH, spin("losses")),
        Operation("spin_paid_with_points", member, MEMBER_PATH,
                  lambda i: Request(SPIN, {"i": {"campaignId": "paid",
                                                 "idempotencyKey": f"bench-paid-{i:06d}"}},
                                    {"sub": "payer", "program": PROGRAM}),
                  note="costPoints 1: the price is taken on the member item in the spin's "
                       "transaction, with a points ledger entry"),
        Operation("spin_retry_same_key", member, MEMBER_PATH,
                  lambda i: Request(SPIN, {"i": {"campaignId": "losses",
                                                 "idempotencyKey": "wallet-loss-0000"}},
                                    _member("wallet"))),
        Operation("spin_refused_daily_limit", member, MEMBER_PATH, spin("daily", "wallet"),
                  expect_error="DAILY_LIMIT_REACHED"),
        Operation("me", member, MEMBER_PATH, lambda i: Request(ME, {}, _member("wallet"))),
        Operation("campaigns", member, MEMBER_PATH,
                  lambda i: Request(CAMPAIGNS, {}, _member("wallet"))),
        Operation("my_spins_first_20", member, MEMBER_PATH,
                  lambda i: Request(MY_SPINS, {"c": "losses"}, _member("wallet"))),
        Operation("my_vouchers_first_20", member, MEMBER_PATH,
                  lambda i: Request(MY_VOUCHERS, {}, _member("wallet"))),
        Operation("check_voucher", merchant, MERCHANT_PATH,
                  lambda i: Request(CHECK, {"c": seeded.wallet_codes[0]}, TILL)),
        Operation("check_voucher_unknown_code", merchant, MERCHANT_PATH,
                  lambda i: Request(CHECK, {"c": generate()}, TILL),
                  expect_error="INVALID_CODE",
                  note="the failed look-up is counted on the merchant item (throttle)"),
        Operation("redeem_voucher_full", merchant, MERCHANT_PATH,
                  redeem("full", lambda i: seeded.full_codes[i], None)),
        Operation("redeem_voucher_partial", merchant, MERCHANT_PATH,
                  redeem("part", lambda i: seeded.partial_codes[i % len(seeded.partial_codes)],
                         100)),
        Operation("redeem_voucher_partial_with_balance", merchant, MERCHANT_PATH,
                  redeem("part-balance",
                         lambda i: seeded.partial_codes[i % len(seeded.partial_codes)], 100,
                         REDEEM_WITH_BALANCE),
                  note="selecting remainingBalance reads the voucher after the write"),
        Operation("redeem_voucher_already_redeemed", merchant, MERCHANT_PATH,
                  redeem("again", lambda i: seeded.redeemed_code, None),
                  expect_error="ALREADY_REDEEMED"),
        Operation("reverse_redemption", merchant, MERCHANT_PATH,
                  lambda i: Request(REVERSE, {"i": {"redemptionId": seeded.reversible[i],
                                                    "idempotencyKey": f"bench-rev-{i:06d}",
                                                    "reason": "bench"}}, TILL)),
        Operation("record_activity_new_member", admin, ADMIN_PATH,
                  lambda i: Request(RECORD, _activity(f"bench-new-{i:06d}", f"buyer-{i}"), ADMIN),
                  note="first activity of a member: the instance knows it has no wallet yet"),
        Operation("record_activity_known_member", admin, ADMIN_PATH,
                  lambda i: Request(RECORD, _activity(f"bench-known-{i:06d}", "regular"),
                                    ADMIN),
                  note="the instance remembers the member item it last wrote"),
        Operation("record_activity_company_ladder", admin, ADMIN_PATH,
                  lambda i: Request(RECORD, _activity(f"bench-ladder-{i:06d}", "staffer",
                                                      COMPANY),
                                    {**ADMIN, "program": LADDER_PROGRAM}),
                  note="the credit lands on one of the company's 8 progress shards, with a "
                       "pin on the company's tier (one policy copy)"),
        Operation("record_activity_3_quests", admin, ADMIN_PATH,
                  lambda i: Request(RECORD, _activity(f"bench-quests-{i:06d}", "quester"),
                                    {**ADMIN, "program": QUEST_PROGRAM}),
                  note="3 live quests match: each adds its progress item to the activity's "
                       "transaction (compare record_activity_known_member)"),
        Operation(f"quest_leaderboard_top_10_of_{BOARD_PLAYERS}", member, MEMBER_PATH,
                  lambda i: Request(BOARD, {}, {**_member("quester"),
                                                "program": QUEST_PROGRAM}),
                  note=f"{boards.SHARDS} board shards, 10 entries from each: the same "
                       "whatever the number of players"),
        Operation("record_activity_duplicate", admin, ADMIN_PATH,
                  lambda i: Request(RECORD, _activity("bench-known-000000", "regular"), ADMIN),
                  note="a resend: DUPLICATE, nothing written"),
        Operation("redeem_reward", member, MEMBER_PATH,
                  lambda i: Request(REDEEM_REWARD, {"i": {
                      "rewardId": "mug", "idempotencyKey": f"bench-reward-{i:06d}"}},
                      {"sub": "saver", "program": PROGRAM})),
        Operation("redeem_reward_company_wallet", member, MEMBER_PATH,
                  lambda i: Request(REDEEM_REWARD, {"i": {
                      "rewardId": "mug", "idempotencyKey": f"bench-co-reward-{i:06d}"}},
                      {"sub": f"co-{i % 20}", "program": COMPANY_PROGRAM}),
                  note="a batch read of the member and the 8 shards, then the spend from the "
                       "richest; a member's first spend in an instance reads the member "
                       "first (their company decides the wallet)"),
        Operation("issue_vouchers_10_members", admin, ADMIN_PATH,
                  lambda i: Request(ISSUE, {"i": {"productId": "gen",
                                                  "memberIds": [f"holder-{m}" for m in range(10)],
                                                  "idempotencyKey": f"bench-issue-{i:06d}",
                                                  "reason": "bench"}}, ADMIN),
                  parallel=voucher_admin.ISSUE_WORKERS),
    ]


# One moment for every activity of a run, so a resend carries exactly the same content.
_BENCH_STARTED = utcnow().isoformat()


def _activity(external_id: str, member_id: str, account_id: str | None = None
              ) -> dict[str, Any]:
    return {"i": {"activities": [{
        "externalId": external_id, "memberId": member_id, "accountId": account_id,
        "type": "PURCHASE", "occurredAt": _BENCH_STARTED,
        "amount": {"value": 2500, "currency": "EUR"}}]}}
