"""Marketing sets up a budget in the console, a campaign spends it, and the console shows
what is spent and left, the thresholds reached, a raise and a close with who and why."""

from __future__ import annotations

import pytest

from kado.local import seed
from tests.browser.conftest import PHONE, shot
from tests.e2e.dev import gql

pytestmark = pytest.mark.e2e

CAMPAIGN = """mutation($i: CampaignInput!) { upsertCampaign(input: $i) { errors { message } } }"""
SPIN = """mutation($i: SpinInput!) { spin(input: $i) { spin { outcome } errors { code } } }"""


def test_a_budget_is_set_up_spent_raised_and_closed_in_the_console(dev, browser):
    admin = dev.token("admin", seed.ADMIN)
    page = browser.new_page(viewport=PHONE, locale="vi-VN")
    page.on("dialog", lambda d: d.accept())
    page.goto(f"{dev.base}/console#token={admin}")
    page.wait_for_selector("text=Welcome wheel")
    page.goto(f"{dev.base}/console#/budgets")
    page.fill("#budget-id", "gala-gifts")
    page.fill("#budget-name", "Quà dạ tiệc")
    page.fill("#budget-amount", "30.000")  # 30.000 ₫, typed as Vietnamese write it
    page.fill("#budget-shards", "2")
    page.click("form button[type=submit]")
    card = page.locator("[data-budget=gala-gifts]")
    card.wait_for()
    made = gql(dev.base, "/admin/graphql", admin, """mutation($i: CampaignInput!) {
        upsertCampaign(input: $i) { errors { message } } }""", {"i": {
        "id": "gala-wheel", "name": "Gala wheel", "timezone": "Asia/Ho_Chi_Minh",
        "startsAt": "2020-01-01T00:00:00Z", "endsAt": "2099-01-01T00:00:00Z",
        "budgets": [{"budgetId": "gala-gifts"}],
        "prizes": [{"id": "pen", "name": "Pen", "kind": "ITEM", "weight": 1, "cost": 10000}]}})
    assert made.json()["data"]["upsertCampaign"]["errors"] == []
    gql(dev.base, "/admin/graphql", admin,
        'mutation { launchCampaign(id: "gala-wheel") { errors { code } } }')
    outcomes = [gql(dev.base, "/member/graphql", dev.token("member", f"guest-{n}"), SPIN, {
        "i": {"campaignId": "gala-wheel", "idempotencyKey": f"gala-spin-{n:04d}"}}).json()[
        "data"]["spin"]["spin"]["outcome"] for n in range(4)]
    assert outcomes == ["WON", "WON", "WON", "OUT_OF_BUDGET"]
    page.reload()
    card.wait_for()
    assert "30.000" in card.locator("[data-testid=spent]").inner_text()
    assert card.locator("[data-testid=left]").inner_text().startswith("còn 0")
    assert "100 %" in card.locator("[data-testid=thresholds]").inner_text()
    card.locator("input[id^=amount-]").fill("50.000")
    card.locator("input[id^=reason-]").fill("thêm quà")
    card.locator("button", has_text="Tăng hoặc giảm").click()
    page.wait_for_function("document.querySelector('[data-budget=gala-gifts] "
                           "[data-testid=left]').textContent.includes('20.000')")
    shot(page, "console-budgets-vi-390")
    card.locator("input[id^=reason-]").fill("kết thúc")
    card.locator("button", has_text="Đóng").click()
    card.locator(".badge.CLOSED").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    changes = gql(dev.base, "/admin/graphql", admin,
                  "{ budgets { changes { change by reason } } }").json()["data"]["budgets"]
    assert changes == [{"changes": [
        {"change": "SET", "by": seed.ADMIN, "reason": "set up"},
        {"change": "RAISE", "by": seed.ADMIN, "reason": "thêm quà"},
        {"change": "CLOSE", "by": seed.ADMIN, "reason": "kết thúc"}]}]


def test_the_liability_page_shows_what_the_report_says(dev, browser):
    admin = dev.token("admin", seed.ADMIN)
    answer = gql(dev.base, "/admin/graphql", admin,
                 "{ liability { pointsOutstanding vouchers { unit outstanding } } }").json()
    report = answer["data"]["liability"]
    page = browser.new_page(viewport=PHONE, locale="en-GB")
    page.goto(f"{dev.base}/console#token={admin}")
    page.wait_for_selector("text=Welcome wheel")
    page.goto(f"{dev.base}/console#/reports")
    shown = page.locator("[data-testid=points-outstanding]")
    shown.wait_for()
    assert shown.inner_text().replace(",", "") == str(report["pointsOutstanding"])
    assert page.locator("[data-unit]").count() == len(report["vouchers"])
    page.locator("[data-testid=points-chart] .u-over").wait_for()  # drawn, with axes
    assert page.locator("[data-testid=points-chart] .u-axis").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "console-reports-en-390")
