"""A sales rep on a phone: their standing, an award from their budget, and a refusal that
says why. Its own dev server: the program's loyalty settings are set here."""

from __future__ import annotations

import pytest

from kado.local import seed
from tests.browser.conftest import PHONE, shot
from tests.e2e.dev import gql

pytestmark = pytest.mark.e2e
REP = """mutation($r: RepInput!) { upsertSalesRep(input: $r) { errors { code message } } }"""
SETUP = [
    """mutation { upsertLoyaltySettings(input: {pointValue: 1000, pointCurrency: "VND"}) {
      errors { code message } } }""",
    """mutation { createBudget(input: {id: "rep-lan", name: "Lan", currency: "VND",
      amount: 500000, period: MONTH, timezone: "Asia/Ho_Chi_Minh"}) {
      errors { code message } } }""",
]


def test_a_rep_awards_points_from_a_phone_and_sees_what_is_left(dev, browser):
    admin = dev.token("admin", seed.ADMIN)
    for step in SETUP:
        answer = gql(dev.base, "/admin/graphql", admin, step).json()
        assert not any(v.get("errors") for v in answer["data"].values()), answer
    made = gql(dev.base, "/admin/graphql", admin, REP, {"r": {
        "id": "lan", "name": "Lan", "accounts": [seed.MEMBER_ACCOUNT], "budgetId": "rep-lan",
        "reasons": ["DISPLAY", "NEW_SKU"],
        "limits": {"perAward": 200, "perMemberPerPeriod": 500, "perRepPerPeriod": 1000}}}).json()
    assert made["data"]["upsertSalesRep"]["errors"] == [], made
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{dev.base}/till#token={dev.token('rep', 'lan')}")
    page.locator("[data-testid=rep-standing]").wait_for()
    assert page.inner_text("[data-testid=rep-budget-left]") == "₫500,000"
    page.fill("#rep-member", seed.MEMBER)
    page.fill("#rep-points", "150")
    page.select_option("#rep-reason", "NEW_SKU")
    page.click("button:has-text('Award')")
    page.wait_for_selector("[data-testid=rep-message].ok")
    assert "150 points to alice" in page.inner_text("[data-testid=rep-message]")
    page.wait_for_function("document.querySelector('[data-testid=rep-given]')"
                           ".innerText.startsWith('150 of 1000')")
    assert page.inner_text("[data-testid=rep-budget-left]") == "₫350,000"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "till-rep-phone")
    page.fill("#rep-points", "201")  # over the rep's limit for one award: said, nothing given
    page.click("button:has-text('Award')")
    page.wait_for_selector("[data-testid=rep-message].error")
