"""The liability report agrees with the ledgers to the unit: points outstanding are the
holders' ledger sums less what has lapsed, expired points are the ledger's expiries plus
lots lapsed since a holder last moved, vouchers owed are their balances."""

from __future__ import annotations

from datetime import UTC, datetime

from kado.api.schemas import admin as admin_api
from kado.services import members
from kado.services.kernel import loyalty_definitions
from kado.services.loyalty import adjustments
from kado.services.vouchers import catalogue as voucher_admin
from kado.services.vouchers import issuing as vouchers
from kado.services.vouchers import redemptions
from kado.store.loyalty import liability as liability_store
from tests import support
from tests.scenarios.voucher_scenarios import shop
from tests.support import admin, execute, key, member, new_program, till

REPORT = """query($at: DateTime) { liability(asOf: $at) { pointsOutstanding pointsValue
  pointCurrency pointsByExpiry { month amount } pointsPending pointsOwedByHolders
  pointsBreakageByMonth { month amount } averageDaysToRedeem
  vouchers { unit issued redeemed redemptionRate outstandingCount outstanding
    outstandingByExpiry { month amount } breakageByMonth { month amount } } } }"""


def test_the_liability_report_is_the_ledgers_added_up(monkeypatch):
    program = new_program()
    loyalty_definitions.upsert_settings(program, loyalty_definitions.Settings(
        points_expire_months=1, point_value=1_000, point_currency="VND"))
    now = support.test_clock(monkeypatch, datetime(2026, 1, 10, tzinfo=UTC))
    for who in ("ann", "ben", "cat"):
        members.upsert_member(program, who, None, "STANDARD")
    adjustments.adjust(admin(program), "ann", 300, "welcome", "adj-ann-000001")  # lapses Feb
    adjustments.adjust(admin(program), "ben", 200, "welcome", "adj-ben-000001")  # lapses Feb
    adjustments.adjust(admin(program), "cat", 50, "welcome", "adj-cat-000001")
    now["at"] = datetime(2026, 2, 20, tzinfo=UTC)
    adjustments.adjust(admin(program), "ann", 40, "bonus", "adj-ann-000002")  # lapses Mar
    adjustments.adjust(admin(program), "cat", -20, "fix", "adj-cat-000002")
    now["at"] = datetime(2026, 3, 5, tzinfo=UTC)  # January's lots lapsed at the end of Feb
    adjustments.adjust(admin(program), "ann", 10, "bonus", "adj-ann-000003")  # writes 300 down
    # Vouchers of 50.000 ₫ for 30 days: one used whole, one in part, one left to expire.
    shop(program, value=50_000, currency="VND", partial_redemption=True, valid_for_days=30)
    issued = voucher_admin.issue(admin(program), "tenner", ["ann", "ben", "cat"], key(), "x")
    assert len(issued) == 3
    codes = {who: _code(program, who) for who in ("ann", "ben", "cat")}
    now["at"] = datetime(2026, 3, 7, tzinfo=UTC)
    redemptions.redeem(till(program), codes["ann"], None, key(), None)
    now["at"] = datetime(2026, 3, 9, tzinfo=UTC)
    redemptions.redeem(till(program), codes["ben"], 20_000, key(), None)
    at = datetime(2026, 4, 10, tzinfo=UTC)  # ben's voucher and cat's have expired
    now["at"] = at

    report = execute(admin_api.schema, REPORT, admin(program),
                     {"at": at.isoformat()})["liability"]

    # The ledgers, added up independently of the report.
    lines = [i for i in liability_store.items(program) if i["type"] == "POINTS_ENTRY"]
    written = sum(line["delta"] for line in lines) - sum(line["expired"] for line in lines)
    expired_in_ledger = sum(line["expired"] for line in lines)
    assert expired_in_ledger == 300  # ann's January lot, written down by her March bonus
    # On file: ann 50 (40 lapses end of March, 10 end of April), ben 200 (lapsed end of
    # Feb, not written), cat 30 (lapsed end of Feb, not written): by April all but ann's 10.
    assert written == 50 + 200 + 30
    assert report["pointsOutstanding"] == 10
    assert report["pointsValue"] == 10 * 1_000 and report["pointCurrency"] == "VND"
    assert report["pointsByExpiry"] == [{"month": "2026-04", "amount": 10}]
    assert report["pointsBreakageByMonth"] == [
        {"month": "2026-03", "amount": 300},  # written down in March
        {"month": "2026-04", "amount": 40 + 200 + 30}]  # lapsed, not written yet
    assert report["pointsOutstanding"] + sum(
        b["amount"] for b in report["pointsBreakageByMonth"]) == written + expired_in_ledger
    [money] = report["vouchers"]
    assert (money["unit"], money["issued"], money["redeemed"]) == ("VND", 3, 2)
    assert money["redemptionRate"] == round(2 / 3, 4)
    assert (money["outstandingCount"], money["outstanding"]) == (0, 0)  # all expired by April
    assert money["breakageByMonth"] == [{"month": "2026-04", "amount": 30_000 + 50_000}]
    assert report["averageDaysToRedeem"] == 3.0  # issued 5 March, used the 7th and the 9th
    early = execute(admin_api.schema, REPORT, admin(program),
                    {"at": datetime(2026, 3, 10, tzinfo=UTC).isoformat()})["liability"]
    assert early["vouchers"][0]["outstanding"] == 30_000 + 50_000
    assert early["vouchers"][0]["outstandingByExpiry"] == [{"month": "2026-04",
                                                            "amount": 80_000}]


def _code(program: str, member_id: str) -> str:
    mine, _ = vouchers.my_vouchers(member(program, member_id), None, 20, None)
    return mine[0].code


def test_trends_count_points_and_redemptions_by_day_in_the_programs_zone(monkeypatch):
    program = new_program()
    now = support.test_clock(monkeypatch, datetime(2026, 3, 1, 10, tzinfo=UTC))
    members.upsert_member(program, "ann", None, "STANDARD")
    adjustments.adjust(admin(program), "ann", 100, "welcome", "adj-ann-000001")
    now["at"] = datetime(2026, 3, 2, 10, tzinfo=UTC)
    adjustments.adjust(admin(program), "ann", -30, "fix", "adj-ann-000002")
    shop(program, "cafe", "deli", value=50_000, currency="VND", valid_for_days=30)
    voucher_admin.issue(admin(program), "tenner", ["ann"], key(), "x")
    redemptions.redeem(till(program, "deli"), _code(program, "ann"), None, key(), None)
    now["at"] = datetime(2026, 3, 3, 9, tzinfo=UTC)
    shown = execute(admin_api.schema, "{ trends(days: 3) { timezone days { day pointsEarned "
                    "pointsSpent redemptions { merchantId count } } } }",
                    admin(program))["trends"]
    assert shown == {"timezone": "UTC", "days": [
        {"day": "2026-03-01", "pointsEarned": 100, "pointsSpent": 0, "redemptions": []},
        {"day": "2026-03-02", "pointsEarned": 0, "pointsSpent": 30,
         "redemptions": [{"merchantId": "deli", "count": 1}]},
        {"day": "2026-03-03", "pointsEarned": 0, "pointsSpent": 0, "redemptions": []}]}
