"""Marketing in the console: a campaign is created through the form (refused fields shown
where they are), launched after a confirmation, and its stats move as members spin; its
times are on its own clock; a spin is verified in the browser; translations, budgets and
the reports page. One dev server for the file."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kado.local import seed
from tests.browser.conftest import DESKTOP, PHONE, shot
from tests.e2e.dev import gql

pytestmark = pytest.mark.e2e

WHEEL = '{ campaign(id: "' + seed.CAMPAIGN + '") { name description } }'
SPIN = """mutation($i: SpinInput!) { spin(input: $i) { spin { won } errors { code } } }"""


def console(dev, browser, viewport, where: str = ""):
    page = browser.new_page(viewport=viewport)
    page.on("dialog", lambda d: d.accept())
    page.goto(f"{dev.base}/console#token={dev.token('admin', seed.ADMIN)}")
    page.wait_for_selector("text=Welcome wheel")  # the demo campaign, in the list
    if where:
        page.goto(f"{dev.base}/console#{where}")
    return page


def test_a_campaign_is_created_launched_and_its_stats_move(dev, browser):
    page = console(dev, browser, DESKTOP)
    shot(page, "console-campaigns-desktop")
    page.click("text=New campaign")
    page.fill("#id", "spring-wheel")
    page.fill("#name", "Spring wheel")
    page.fill("[id='prizes[0].id']", "mug")
    page.fill("[id='prizes[0].name']", "A mug")
    page.fill("[id='prizes[0].weight']", "0")
    page.fill("[id='prizes[0].stock']", "5")
    page.click("button:has-text('Save')")
    # The API's own validation, shown at the field it names.
    refused = page.locator("[data-field='prizes[0].weight']")
    refused.wait_for()
    assert "> 0" in refused.inner_text()
    shot(page, "console-form-errors-desktop")
    page.fill("[id='prizes[0].weight']", "1")
    page.click("button:has-text('Add a prize')")
    page.fill("[id='prizes[1].id']", "none")
    page.fill("[id='prizes[1].name']", "No luck")
    page.select_option("[id='prizes[1].kind']", "NONE")
    page.fill("[id='prizes[1].weight']", "3")
    assert page.inner_text("[data-testid=odds-0]") == "25.00 % of spins"  # previewed live
    # A company that is not on file is refused at its field, and nothing is stored.
    page.fill("[id='eligibility.accountIds']", "acme, nobody")
    page.click("button:has-text('Save')")
    unknown = page.locator("[data-field='eligibility.accountIds']")
    unknown.wait_for()
    assert "nobody" in unknown.inner_text()
    page.fill("[id='eligibility.accountIds']", "")
    page.click("button:has-text('Save')")
    page.wait_for_selector("h2:has-text('Spring wheel')")
    assert "25.00 %" in page.inner_text("body")  # the published odds: 1 in 4
    page.click("button:has-text('Launch')")  # confirmed in the dialog
    page.wait_for_selector(".badge.LIVE")
    for n in range(3):
        member = dev.token("member", f"player-{n}")
        answer = gql(dev.base, "/member/graphql", member, SPIN, {"i": {
            "campaignId": "spring-wheel", "idempotencyKey": f"spring-{n:06d}"}}).json()
        assert answer["data"]["spin"]["errors"] == [], answer
    # The page refreshes its stats on its own.
    page.wait_for_function(
        "document.querySelector('[data-testid=spins]').textContent === '3'", timeout=15000)
    assert page.inner_text("[data-testid=players]") == "3"
    # The chart: today's bar under the pointer reads 3 spins in the legend; a range is picked.
    chart = page.locator("[data-testid=day-chart] .u-over")
    box = chart.bounding_box()
    page.mouse.move(box["x"] + box["width"] - 2, box["y"] + box["height"] / 2)
    legend = page.locator("[data-testid=day-chart] .u-legend .u-series")
    assert legend.nth(1).locator(".u-label").inner_text() == "Spins"
    assert legend.nth(1).locator(".u-value").inner_text() == "3"
    assert page.locator("[data-testid=day-chart] .u-axis").count() == 2
    page.click("button:has-text('7 days')")
    page.wait_for_selector("button[aria-pressed=true]:has-text('7 days')")
    shot(page, "console-campaign-desktop")
    page.set_viewport_size(PHONE)
    shot(page, "console-campaign-phone")
    # A live campaign is edited in the same form: its frozen odds, stock and start go back
    # exactly as they are, so a new name is all that changes.
    page.click("button:has-text('Edit')")
    page.wait_for_selector("[id='prizes[0].stock']")
    assert page.input_value("[id='prizes[0].stock']") == "5"  # as defined, not what is left
    page.fill("#name", "Spring wheel, week 2")
    page.click("button:has-text('Save')")
    page.wait_for_selector("h2:has-text('Spring wheel, week 2')")
    # One made through the API starts at a fraction of a second the form does not show.
    dev.launched("api-wheel", [{"id": "none", "name": "No luck", "kind": "NONE", "weight": 1}],
                 starts_at="2026-01-01T00:00:07.123000+00:00")
    page.goto(f"{dev.base}/console#/campaigns/api-wheel/edit")
    page.wait_for_selector("#name")
    page.fill("#name", "API wheel, renamed")
    page.click("button:has-text('Save')")
    page.wait_for_selector("h2:has-text('API wheel, renamed')")
    page.close()


def test_vouchers_members_and_accounts_are_browsable(dev, browser):
    admin = dev.token("admin", seed.ADMIN)
    for n in range(101):  # more than one page of the roster
        gql(dev.base, "/admin/graphql", admin, """mutation($i: MemberInput!) {
            upsertMember(input: $i) { errors { code } } }""", {"i": {"id": f"zz-{n:03d}"}})
    page = console(dev, browser, DESKTOP, "/members")
    page.click("button:has-text('More members')")
    page.wait_for_selector("text=zz-100")  # the last, on the second page
    page.click("text=alice")
    page.wait_for_selector("h2:has-text('alice')")
    page.wait_for_selector("dt:has-text('Points')")
    assert "acme" in page.inner_text("body")
    shot(page, "console-member-desktop")
    page.click("nav >> text=Accounts")
    page.wait_for_selector("text=Globex")
    assert "Declined" in page.inner_text("body")
    page.click("nav >> text=Vouchers")
    page.wait_for_selector("text=5 EUR at Corner Cafe")
    shot(page, "console-vouchers-desktop")
    # Later features add their page to the same console: quests and events.
    page.click("nav >> text=Quests")
    page.wait_for_selector("text=Launch the new range")
    page.click("nav >> text=Events")
    page.wait_for_selector("text=Seats left")
    assert "Events" in page.inner_text("h2")
    # The demo ladder, and its board: the seed's history put alice on it.
    page.click("nav >> text=Tiers")
    page.wait_for_selector("text=Leaders in")
    page.locator("[data-testid=ladder-board] tbody tr").first.wait_for()  # past the header
    assert "alice" in page.inner_text("[data-testid=ladder-board]")
    page.click("nav >> text=Surveys")
    page.wait_for_selector("text=Dealer survey 2026")
    page.wait_for_selector("text=submission")
    page.click("nav >> text=Referrals")
    page.wait_for_selector("th:has-text('Company referred')")
    page.locator("tbody tr").first.wait_for()  # the demo's referral
    shot(page, "console-referrals-desktop")
    page.close()


def test_pool_codes_are_imported_from_a_csv_upload_and_issued_in_bulk_by_line(dev, browser):
    admin = dev.token("admin", seed.ADMIN)
    made = gql(dev.base, "/admin/graphql", admin, """mutation { upsertVoucherProduct(input: {
        id: "cinema", name: "Cinema ticket", kind: ITEM, value: 1, validForDays: 30,
        codeSource: POOL}) { errors { code } } }""").json()
    assert made["data"]["upsertVoucherProduct"]["errors"] == []
    page = console(dev, browser, DESKTOP, "/vouchers")
    page.wait_for_selector("text=Import pool codes")
    page.select_option("#pool-product", "cinema")
    page.set_input_files("#file", files=[{
        "name": "codes.csv", "mimeType": "text/csv",
        "buffer": b"note,code\nrow one,CINE0001AAAA\nrow two,no!\nrow three,CINE0002BBBB\n"}])
    page.click("button:has-text('Import')")
    page.wait_for_selector("text=2 imported of 3")
    refused = page.inner_text("ul.field-error")
    assert "line 3: no!" in refused  # the header is line 1: the bad code's own line
    left = gql(dev.base, "/admin/graphql", admin,
               '{ voucherProduct(id: "cinema") { pool { left } } }').json()
    assert left["data"]["voucherProduct"]["pool"]["left"] == 2
    # Bulk issue from the same page: each line answered, the unknown member named.
    page.select_option("#issue-product", "cinema")
    page.fill("#issue-members", "alice\nghost")
    page.click("button:has-text('Issue')")
    page.wait_for_selector("text=line 2, ghost")
    assert "line 1, alice: issued" in page.inner_text("body")
    assert "no member 'ghost'" in page.inner_text("body")
    page.close()


def test_marketing_translates_a_campaign_and_a_vietnamese_member_reads_it(dev, browser):
    page = console(dev, browser, PHONE, "/translations")
    page.select_option("[data-testid=translation-language]", "vi")
    row = page.locator(f"tr[data-subject='CAMPAIGN:{seed.CAMPAIGN}']")
    row.locator("input").fill("Vòng quay chào mừng")
    row.locator("textarea").fill("Mỗi ngày một lượt quay")
    row.locator("button").click()
    row.locator("[role=status]").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # fits the phone
    shot(page, "console-translations-phone")
    alice = dev.token("member", seed.MEMBER)
    wheel = gql(dev.base, "/member/graphql", alice, WHEEL,
                headers={"Accept-Language": "vi-VN,vi;q=0.9,en;q=0.5"}).json()
    assert wheel["data"]["campaign"] == {"name": "Vòng quay chào mừng",
                                         "description": "Mỗi ngày một lượt quay"}
    english = gql(dev.base, "/member/graphql", alice, WHEEL).json()
    assert english["data"]["campaign"]["name"] == "Welcome wheel"


def test_a_spin_is_verified_in_the_browser_from_the_revealed_seed(dev, browser):
    prizes = [{"id": "mug", "name": "Mug", "kind": "ITEM", "weight": 1},
              {"id": "pen", "name": "Pen", "kind": "ITEM", "weight": 1},
              {"id": "none", "name": "No luck", "kind": "NONE", "weight": 2}]
    dev.launched("fair-wheel", prizes)
    drawn = {}
    for n in range(6):  # six spins: all alike 1 time in 30, so a wrong rule shows
        key = f"fair-{n:06d}"
        answer = gql(dev.base, "/member/graphql", dev.token("member", f"fair-{n}"), """
            mutation($i: SpinInput!) { spin(input: $i) { spin { drawnPrizeId } } }""",
                     {"i": {"campaignId": "fair-wheel", "idempotencyKey": key}}).json()
        drawn[(f"fair-{n}", key)] = answer["data"]["spin"]["spin"]["drawnPrizeId"]
    gql(dev.base, "/admin/graphql", dev.token("admin", seed.ADMIN),
        'mutation { endCampaign(id: "fair-wheel") { errors { code } } }')
    page = console(dev, browser, PHONE, "/campaigns/fair-wheel")
    page.click("[data-testid=verify-spin] summary")
    for (member_id, key), prize_id in drawn.items():
        page.fill("[data-testid=verify-spin] input[name=memberId]", member_id)
        page.fill("[data-testid=verify-spin] input[name=key]", key)
        page.click("[data-testid=verify-spin] button")
        page.wait_for_selector(f"[data-testid=verified]:has-text('({prize_id})')")
        assert "published at launch" in page.inner_text("[data-testid=verified] .ok")
    shot(page, "console-verify-spin-phone")
    page.fill("[data-testid=verify-spin] input[name=seed]", "0" * 64)  # not the seed
    page.click("[data-testid=verify-spin] button")
    page.wait_for_selector("[data-testid=verified] .error")


def test_a_campaigns_times_are_typed_and_shown_in_its_own_zone(dev, browser):
    # A laptop in Paris plans a campaign that runs on Bangkok's clock.
    page = browser.new_page(viewport=DESKTOP, timezone_id="Europe/Paris")
    page.goto(f"{dev.base}/console#token={dev.token('admin', seed.ADMIN)}")
    page.wait_for_selector("text=Welcome wheel")
    page.goto(f"{dev.base}/console#/campaigns/new")
    page.fill("#id", "bangkok-wheel")
    page.fill("#name", "Bangkok wheel")
    page.fill("#timezone", "Asia/Bangkok")
    assert page.inner_text("label[for=startsAt]") == "Starts (Asia/Bangkok)"
    page.fill("#startsAt", "2027-03-01T09:00")
    page.fill("#endsAt", "2027-03-31T21:00")
    page.fill("[id='prizes[0].id']", "none")
    page.fill("[id='prizes[0].name']", "No luck")
    page.select_option("[id='prizes[0].kind']", "NONE")
    page.click("button:has-text('Save')")
    page.wait_for_selector("h2:has-text('Bangkok wheel')")
    stored = gql(dev.base, "/admin/graphql", dev.token("admin", seed.ADMIN),
                 '{ campaign(id: "bangkok-wheel") { startsAt endsAt timezone } }').json()
    campaign = stored["data"]["campaign"]
    assert campaign["timezone"] == "Asia/Bangkok"
    assert [datetime.fromisoformat(campaign[name]) for name in ("startsAt", "endsAt")] == \
        [datetime(2027, 3, 1, 2, tzinfo=UTC), datetime(2027, 3, 31, 14, tzinfo=UTC)]
    assert "9:00" in page.inner_text("main p.muted")  # shown on Bangkok's clock, named
    page.click("button:has-text('Edit')")
    page.wait_for_selector("#startsAt")
    assert page.input_value("#startsAt") == "2027-03-01T09:00"
    assert page.input_value("#endsAt") == "2027-03-31T21:00"
    page.close()


SPIN_OUTCOME = """mutation($i: SpinInput!) { spin(input: $i) {
  spin { outcome } errors { code } } }"""


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
    outcomes = [gql(dev.base, "/member/graphql", dev.token("member", f"guest-{n}"), SPIN_OUTCOME, {
        "i": {"campaignId": "gala-wheel", "idempotencyKey": f"gala-spin-{n:04d}"}}).json()[
        "data"]["spin"]["spin"]["outcome"] for n in range(4)]
    assert outcomes == ["WON", "WON", "WON", "OUT_OF_BUDGET"]
    page.reload()
    card.wait_for()
    assert "30.000" in card.locator("[data-testid=spent]").inner_text()
    assert card.locator("[data-testid=left]").inner_text().startswith("còn 0")
    assert "100 %" in card.locator("[data-testid=thresholds]").inner_text()
    assert "campaign:gala-wheel" in card.locator("[data-testid=by-source]").inner_text()
    card.locator("[data-testid=burn-gala-gifts] .u-over").wait_for()  # burn per day, drawn
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


def test_a_report_job_is_run_read_as_a_chart_and_table_and_its_files_made(dev, browser):
    """Spins through the member API reach the lake (`kado dev --events`); the marketer runs
    campaign performance for the last 30 days and reads the same spins back."""
    dev.launched("report-wheel", [{"id": "none", "name": "No luck", "kind": "NONE",
                                   "weight": 1}])
    for n, who in enumerate(("report-ann", "report-ben", "report-ann")):
        answer = gql(dev.base, "/member/graphql", dev.token("member", who), SPIN, {"i": {
            "campaignId": "report-wheel", "idempotencyKey": f"report-spin-{n:04d}"}}).json()
        assert answer["data"]["spin"]["errors"] == [], answer
    lake = dev.data_dir / "lake" / "spin_played_v1"
    for _ in range(100):  # the watcher writes a file a poll
        if list(lake.rglob("*.parquet")):
            break
        time.sleep(0.2)
    assert list(lake.rglob("*.parquet")), "no spin reached the lake"
    page = console(dev, browser, DESKTOP, "/reports")
    page.select_option("#report", "campaign_performance_per_day")
    page.click("[data-testid=report-form] button[type=submit]")
    done = page.locator("[data-testid=report-job][data-status=DONE]")
    done.wait_for(timeout=30_000)
    row = page.locator("[data-testid=report-rows] tr", has_text="report-wheel")
    cells = row.locator("td").all_inner_texts()
    assert cells[:5] == ["report-wheel", datetime.now(UTC).date().isoformat(), "2", "3", "0"]
    page.locator("[data-testid=report-chart] .u-over").wait_for()  # drawn, with axes
    links = {a.get_attribute("data-format"): a.get_attribute("href")
             for a in page.locator("[data-testid=report-job] a[download]").all()}
    assert set(links) == {"CSV", "PARQUET"}
    written = Path(links["CSV"].removeprefix("file://")).read_text(encoding="utf-8")
    assert "report-wheel" in written and written.splitlines()[0].startswith("campaign_id,day")
    assert page.locator("[data-testid=report-jobs] li").count() >= 1
    shot(page, "console-report-job-desktop")


def test_a_campaigns_return_shows_both_groups_and_whether_it_can_conclude(dev, browser):
    admin = dev.token("admin", seed.ADMIN)
    made = gql(dev.base, "/admin/graphql", admin, """mutation($i: CampaignInput!) {
        upsertCampaign(input: $i) { errors { message } } }""", {"i": {
        "id": "held-wheel", "name": "Held wheel", "timezone": "UTC",
        "startsAt": "2026-01-01T00:00:00Z", "endsAt": "2099-01-01T00:00:00Z",
        "holdoutPercent": 50, "prizes": [{"id": "none", "name": "No luck", "kind": "NONE",
                                          "weight": 1}]}}).json()
    assert made["data"]["upsertCampaign"]["errors"] == [], made
    gql(dev.base, "/admin/graphql", admin, 'mutation { launchCampaign(id: "held-wheel") '
                                           "{ errors { message } } }")
    page = console(dev, browser, DESKTOP, "/reports")
    page.select_option("#campaign", "held-wheel")
    page.click("[data-testid=roi-form] button[type=submit]")
    result = page.locator("[data-testid=roi-result]")
    result.wait_for(timeout=30_000)
    counts = [int(result.locator(f"tr[data-group={g}] td").nth(1).inner_text())
              for g in ("treated", "heldOut")]
    assert sum(counts) >= 1  # every member on the roster is in one group or the other
    verdict, lift = (page.inner_text(f"[data-testid=roi-{n}]") for n in ("verdict", "lift"))
    # The dev program's roster grows with the other tests here: under 30 members a group is
    # too small, said in words with no interval; from 30 the interval is shown.
    no_interval = "\N{EN DASH} to \N{EN DASH}" in lift
    if min(counts) < 30:
        assert "too small to conclude" in verdict and no_interval
    else:
        assert "95 % interval" in verdict and not no_interval
    shot(page, "console-roi-desktop")


def test_statements_are_made_a_link_opens_in_vietnamese_and_revoking_closes_it(dev, browser):
    page = console(dev, browser, DESKTOP, "/reports")
    month = datetime.now(UTC).strftime("%Y-%m")
    page.fill("#period", month)
    page.click("[data-testid=statements-form] button[type=submit]")
    page.locator("[data-testid=statements-job][data-status=DONE]").wait_for(timeout=30_000)
    page.select_option("#holder", "MEMBER")
    page.fill("#holderId", seed.MEMBER)
    page.fill("#linkPeriod", month)
    page.click("[data-testid=statement-link-form] button[type=submit]")
    url = page.locator("[data-testid=statement-link]").get_attribute("href")
    reader = browser.new_page(viewport=PHONE, locale="vi-VN")  # no token: a link from a chat
    opened = reader.goto(url)
    assert opened.status == 200 and "Sao kê điểm" in reader.content()
    shot(reader, "statement-vi-390")
    assert reader.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.click("[data-testid=statement-link-form] button.danger")
    page.locator("[data-testid=statement-revoked]").wait_for()
    assert reader.goto(url).status == 404


CLAIM = """mutation($i: SubmitClaimInput!) { submitClaim(input: $i) {
  claim { id status } errors { code field } } }"""
MY_CLAIM = "query($id: String!) { myClaim(id: $id) { status history { status reason } } }"


def test_a_reviewer_works_the_claims_queue_with_the_keyboard(dev, browser):
    """Alice (acme) claims two invoices from her app; in the console the oldest is shown
    with its fields and her other claims, A approves it, R rejects the next with the chosen
    reason, and the app reads both decisions."""
    from datetime import timedelta

    alice = dev.token("member", seed.MEMBER)
    today = datetime.now(UTC).date()
    ids = []
    for n, amount in ((1, 250_000), (2, 90_000)):
        sent = gql(dev.base, "/member/graphql", alice, CLAIM, {"i": {
            "sellerTaxId": "0312345678", "invoiceNumber": f"HD-{n:05d}-{today:%m%d}",
            "invoiceDate": (today - timedelta(days=n)).isoformat(), "amount": amount,
            "currency": "VND", "photoKey": f"claims/{seed.PROGRAM}/{seed.MEMBER}/r{n}.jpg",
            "idempotencyKey": f"claim-{n}-{datetime.now(UTC):%H%M%S%f}"}}).json()
        assert sent["data"]["submitClaim"]["errors"] == [], sent
        ids.append(sent["data"]["submitClaim"]["claim"]["id"])
    page = console(dev, browser, PHONE, "/claims")
    review = page.locator(f"[data-testid=claim-review][data-claim='{ids[0]}']")
    review.wait_for()
    assert page.inner_text("[data-testid=claim-seller]") == "0312345678"
    assert page.inner_text("[data-testid=claim-amount]") == "₫250,000"  # đồng: no decimals
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "console-claims-phone")
    page.keyboard.press("a")
    page.locator("[data-testid=claim-decided]").wait_for()
    page.locator(f"[data-testid=claim-review][data-claim='{ids[1]}']").wait_for()
    page.select_option("[data-testid=claim-reason]", "TOO_OLD")
    # leave the select: keys decide only outside a field
    page.locator("[data-testid=claim-reason]").evaluate("select => select.blur()")
    page.keyboard.press("r")
    page.wait_for_function("document.querySelector('[data-testid=claim-decided]')"
                           ".innerText.includes('HD00002')")  # as kept: normalised
    first = gql(dev.base, "/member/graphql", alice, MY_CLAIM, {"id": ids[0]}).json()
    second = gql(dev.base, "/member/graphql", alice, MY_CLAIM, {"id": ids[1]}).json()
    assert first["data"]["myClaim"]["status"] == "APPROVED"
    assert second["data"]["myClaim"]["status"] == "REJECTED"
    assert second["data"]["myClaim"]["history"][-1]["reason"] == "TOO_OLD"


CLAIM_PACK = """mutation($i: ClaimPackCodeInput!) { claimPackCode(input: $i) {
  claim { points } errors { code } } }"""


def test_a_pack_code_batch_is_made_downloaded_and_its_scans_counted_by_region(dev, browser):
    page = console(dev, browser, DESKTOP, "/pack-codes")
    page.fill("#id", "tet-a")
    page.fill("#name", "Tet packs A")
    page.fill("#points", "25")
    page.fill("#count", "5")
    page.fill("#expires", "2099-01-01T00:00")
    page.fill("#region", "hanoi")
    with page.expect_download() as downloading:
        page.click("button:has-text('Make and download')")
    text = Path(downloading.value.path()).read_text(encoding="utf-8")
    lines = text.strip().splitlines()
    assert lines[0] == "code,qr,batch" and len(lines) == 6
    first_code = lines[1].split(",")[0]
    alice = dev.token("member", seed.MEMBER)
    scanned = gql(dev.base, "/member/graphql", alice, CLAIM_PACK, {"i": {
        "code": first_code, "idempotencyKey": "pack-scan-000001"}}).json()
    assert scanned["data"]["claimPackCode"]["claim"] == {"points": 25}, scanned
    page.reload()
    row = page.locator("[data-region='hanoi']")
    row.wait_for()
    assert row.inner_text().split("\t")[1:] == ["1", "5", "1 (20.0 %)"]
    assert "1 of 5 scanned" in page.inner_text("[data-batch='tet-a']")
