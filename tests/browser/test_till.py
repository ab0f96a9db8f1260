"""A cashier at the till: a voucher a member won through the API is checked and redeemed;
a double tap, or a retry after the network dropped the answer, redeems once. A sales rep
on the same page awards points from a phone."""

from __future__ import annotations

import json

import pytest

from kado.local import seed
from tests.browser.conftest import DESKTOP, PHONE, shot
from tests.e2e.dev import gql

pytestmark = pytest.mark.e2e

SPIN = """mutation($i: SpinInput!) { spin(input: $i) { spin { won voucherId }
  errors { code message } } }"""
MINE = "{ myVouchers { nodes { id code } } }"
LEDGER = """query($i: String) { voucher(id: $i) { status balance ledger { event } } }"""


def sure_win_campaign(dev, campaign_id: str) -> None:
    dev.launched(campaign_id, [{"id": "coffee", "name": "Coffee voucher", "kind": "VOUCHER",
                                "weight": 1, "productId": seed.VOUCHER_PRODUCT}])


def won_code(dev, member_id: str, campaign_id: str) -> tuple[str, str]:
    """A member wins a voucher through the member API: (voucher id, code)."""
    member = dev.token("member", member_id)
    spun = gql(dev.base, "/member/graphql", member, SPIN, {"i": {
        "campaignId": campaign_id, "idempotencyKey": f"spin-{member_id}-000001"}}).json()
    voucher_id = spun["data"]["spin"]["spin"]["voucherId"]
    mine = gql(dev.base, "/member/graphql", member, MINE).json()["data"]["myVouchers"]["nodes"]
    return voucher_id, next(v["code"] for v in mine if v["id"] == voucher_id)


def ledger(dev, voucher_id: str) -> dict:
    return gql(dev.base, "/admin/graphql", dev.token("admin", seed.ADMIN), LEDGER,
               {"i": voucher_id}).json()["data"]["voucher"]


def till(dev, browser, viewport):
    page = browser.new_page(viewport=viewport, timezone_id="Asia/Ho_Chi_Minh")  # a shop in Hanoi
    page.on("dialog", lambda d: d.accept())
    page.goto(f"{dev.base}/till#token={dev.token('merchant', seed.MERCHANT)}")
    page.wait_for_selector(f"text={seed.MERCHANT}")
    return page


def test_a_won_voucher_is_checked_and_redeemed_at_the_till(dev, browser):
    sure_win_campaign(dev, "till-wheel")
    voucher_id, code = won_code(dev, "tess", "till-wheel")
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        page = till(dev, browser, viewport)
        shot(page, f"till-empty-{name}")
        page.close()
    page = till(dev, browser, PHONE)
    page.fill("#code", code.lower().replace("-", " "))  # as a cashier might type it
    page.click("text=Check")
    facts = page.locator("[data-testid=voucher]")
    facts.wait_for()
    assert "5 EUR at Corner Cafe" in facts.inner_text()
    assert "Valid here" in facts.inner_text()
    shot(page, "till-voucher-phone")
    page.fill("#amount", "2")
    page.click("button:has-text('Redeem')")
    page.wait_for_selector("text=Redeemed.")
    assert "3,00" in page.inner_text("[role=status]") or "3.00" in page.inner_text("[role=status]")
    shot(page, "till-redeemed-phone")
    assert ledger(dev, voucher_id)["balance"] == 300
    # Undo within the window gives the balance back; the today list says it was undone.
    page.click("button:has-text('Undo')")
    page.wait_for_selector("text=Undone")
    assert ledger(dev, voucher_id)["balance"] == 500
    # "All of it" is its own button; a second look says when it was used, in the till's
    # own time (named), not the server's UTC.
    page.fill("#code", code)
    page.click("text=Check")
    page.locator("[data-testid=redeem-all]").click()
    page.wait_for_selector("text=Redeemed.")
    assert ledger(dev, voucher_id)["balance"] == 0
    page.fill("#code", code)
    page.click("text=Check")
    used = page.locator("[role=alert]")
    used.wait_for()
    assert "already been used" in used.inner_text() and "GMT+7" in used.inner_text()
    # Every refusal is a sentence the cashier can act on.
    page.fill("#code", code[:-1] + ("A" if code[-1] != "A" else "B"))
    page.click("text=Check")
    page.wait_for_selector("text=typo")
    page.fill("#code", "NOPE-NOPE")
    page.click("text=Check")
    page.wait_for_selector("text=No voucher has this code")
    page.close()


def test_a_double_tap_or_a_retry_after_a_lost_answer_redeems_once(dev, browser):
    sure_win_campaign(dev, "tap-wheel")
    voucher_id, code = won_code(dev, "tom", "tap-wheel")
    page = till(dev, browser, DESKTOP)
    page.fill("#code", code)
    page.click("text=Check")
    page.locator("[data-testid=voucher]").wait_for()
    page.fill("#amount", "1")
    # The first answer is lost on the way back: the server redeemed, the till saw nothing.
    lost = {"count": 0, "keys": []}

    def drop_first_answer(route):
        body = json.loads(route.request.post_data or "{}")
        if "redeemVoucher" in body.get("query", ""):
            lost["keys"].append(body["variables"]["i"]["idempotencyKey"])
            if lost["count"] == 0:
                lost["count"] += 1
                route.fetch()  # it reaches Kado...
                route.abort()  # ...but the answer never reaches the till
                return
        route.continue_()

    page.route("**/merchant/graphql", drop_first_answer)
    page.dblclick("button:has-text('Redeem')")
    page.wait_for_selector("text=No connection")
    page.click("button:has-text('Redeem')")  # the cashier tries again
    page.wait_for_selector("text=Redeemed.")
    redeemed = [e for e in ledger(dev, voucher_id)["ledger"] if e["event"] == "REDEEMED"]
    assert len(redeemed) == 1  # the tap, the double tap and the retry: one redemption
    assert len(set(lost["keys"])) == 1  # every send carried the attempt's one key
    assert ledger(dev, voucher_id)["balance"] == 400
    shot(page, "till-today-desktop")
    # Marketing looks the voucher up in the console: its ledger shows the one redemption.
    page.goto(f"{dev.base}/console#token={dev.token('admin', seed.ADMIN)}")
    page.wait_for_selector("text=Welcome wheel")
    page.goto(f"{dev.base}/console#/vouchers/{voucher_id}")
    ledger_rows = page.locator("[data-testid=ledger] tbody tr")
    ledger_rows.first.wait_for()
    events = [ledger_rows.nth(i).locator("td").nth(1).get_attribute("data-event")
              for i in range(ledger_rows.count())]
    assert events == ["ISSUED", "REDEEMED"]  # shown in words, the code kept with them
    page.close()


def test_a_busy_tills_today_counts_every_redemption_not_the_last_hundred(dev, browser):
    sure_win_campaign(dev, "busy-wheel")
    _, code = won_code(dev, "bea", "busy-wheel")
    till_token = dev.token("merchant", seed.MERCHANT)
    for n in range(120):  # a cent at a time: 120 redemptions of one voucher today
        taken = gql(dev.base, "/merchant/graphql", till_token, """mutation($i: RedeemInput!) {
            redeemVoucher(input: $i) { errors { code } } }""", {"i": {
            "code": code, "amount": 1, "idempotencyKey": f"busy-{n:06d}"}}).json()
        assert taken["data"]["redeemVoucher"]["errors"] == [], taken
    listed, after = [], None
    while True:  # every redemption of this till, as the API pages them
        page = gql(dev.base, "/merchant/graphql", till_token, """query($a: String) {
            redemptions(first: 100, after: $a) { nodes { reversedAt }
            pageInfo { hasNextPage endCursor } } }""", {"a": after}).json()["data"]["redemptions"]
        listed += [r for r in page["nodes"] if not r["reversedAt"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    page = till(dev, browser, DESKTOP)
    page.wait_for_function("document.querySelector('[data-testid=today-count]')"
                           f".textContent === '{len(listed)} redeemed'")
    assert len(listed) >= 120
    page.close()


# Last in the file: it sets the program's loyalty settings (a point value), which the
# tests above do not read.
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


def test_a_distributors_staff_see_the_companies_under_them_on_a_phone(dev, browser):
    admin = dev.token("admin", seed.ADMIN)
    for step in ("""mutation { upsertAccount(input: {id: "dist-north", name: "North"}) {
                      errors { code } } }""",
                 f"""mutation {{ upsertAccount(input: {{id: "{seed.MEMBER_ACCOUNT}",
                      name: "Acme Corp", parentId: "dist-north"}}) {{ errors {{ code }} }} }}""",
                 """mutation { setDistributorStaff(id: "nina", accountId: "dist-north") {
                      errors { code } } }"""):
        answer = gql(dev.base, "/admin/graphql", admin, step).json()
        assert not any(v.get("errors") for v in answer["data"].values()), answer
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{dev.base}/till#token={dev.token('distributor', 'nina')}")
    row = page.locator(f"[data-company='{seed.MEMBER_ACCOUNT}']")
    row.wait_for()
    assert "Acme Corp" in row.inner_text()
    assert page.locator("[data-testid=channel-companies] > li").count() == 1  # nothing else
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
