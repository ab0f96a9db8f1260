"""Voucher scenarios, run both on moto (integration) and on DynamoDB Local (conformance)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from kado.api.schemas import member as member_api
from kado.api.schemas import merchant as merchant_api
from kado.domain.errors import ErrorCode
from kado.domain.vouchers import codes
from kado.domain.vouchers.products import CodeSource, VoucherStatus
from kado.services import members
from kado.services.campaigns import definitions as campaigns
from kado.services.campaigns import spins
from kado.services.kernel.code_key_ring import keys
from kado.services.members import GiftPolicy
from kado.services.vouchers import catalogue as voucher_admin
from kado.services.vouchers import issuing as vouchers
from kado.services.vouchers import redemptions
from kado.store.kernel.client import dynamodb, table
from kado.store.vouchers import issued as voucher_store
from tests import support
from tests.support import admin, execute, key, member, new_program, refused, till

MY_VOUCHERS = """query($s: VoucherStatus) { myVouchers(status: $s) { nodes {
  id code qrPayload status balance expiresAt merchants product { name kind value currency } } } }"""
REDEEM = """mutation($i: RedeemInput!) { redeemVoucher(input: $i) {
  redemption { id amount remainingBalance voucher { id status balance } }
  errors { code field } } }"""
CHECK = """query($c: String!) { checkVoucher(code: $c) {
  redeemable voucher { id status balance product { name } } errors { code } } }"""


def shop(program, *merchant_ids, **terms):
    """A program with merchants and one voucher product (10.00 EUR unless told otherwise)."""
    for merchant_id in merchant_ids or ("cafe",):
        voucher_admin.upsert_merchant(program, merchant_id, merchant_id.title())
    return voucher_admin.upsert_product(program, support.product(**terms))


def won_voucher(program, member_id="alice"):
    """Spin a sure-win voucher wheel and return the member's new voucher, code included."""
    c = support.campaign(f"w-{member_id}", prizes=support.voucher_prize())
    campaigns.upsert(program, c)
    campaigns.launch(program, c.id)
    spin = spins.play(member(program, member_id), c.id, key())
    assert spin.won and spin.voucher_id
    mine, _ = vouchers.my_vouchers(member(program, member_id), None, 20, None)
    return next(v for v in mine if v.id == spin.voucher_id)


def test_a_won_voucher_is_read_by_its_owner_and_redeemed_exactly_once():
    program = new_program()
    shop(program)
    won = won_voucher(program)
    listed = execute(member_api.schema, MY_VOUCHERS, member(program))["myVouchers"]["nodes"]
    assert len(listed) == 1 and listed[0]["id"] == won.id
    assert listed[0]["code"] == codes.formatted(won.code) and codes.read(listed[0]["code"])
    assert listed[0]["qrPayload"] == "KADO1:" + won.code
    assert listed[0]["status"] == "ACTIVE" and listed[0]["balance"] == 1000
    assert listed[0]["product"] == {"name": "Product tenner", "kind": "AMOUNT", "value": 1000,
                                    "currency": "EUR"}
    checked = execute(merchant_api.schema, CHECK, till(program),
                      {"c": listed[0]["qrPayload"]})["checkVoucher"]
    assert checked["redeemable"] and checked["voucher"]["balance"] == 1000
    k = key()
    first = execute(merchant_api.schema, REDEEM, till(program),
                    {"i": {"code": listed[0]["code"].lower(), "idempotencyKey": k}})
    redemption = first["redeemVoucher"]["redemption"]
    assert first["redeemVoucher"]["errors"] == []
    assert (redemption["amount"], redemption["remainingBalance"]) == (1000, 0)
    assert redemption["voucher"]["status"] == "REDEEMED"
    retry = execute(merchant_api.schema, REDEEM, till(program),
                    {"i": {"code": won.code, "idempotencyKey": k}})
    assert retry["redeemVoucher"]["redemption"]["id"] == redemption["id"]
    again = execute(merchant_api.schema, REDEEM, till(program),
                    {"i": {"code": won.code, "idempotencyKey": key()}})
    assert again["redeemVoucher"]["errors"] == [{"code": "ALREADY_REDEEMED", "field": "code"}]
    lookup = keys().lookup(program, won.code)
    assert [e["event"] for e in voucher_store.ledger(program, lookup)] == ["ISSUED", "REDEEMED"]
    assert redemptions.list_mine(till(program), 20, None)[0][0].id == redemption["id"]


def test_partial_redemptions_take_what_is_left_and_no_more():
    program = new_program()
    shop(program, partial_redemption=True)
    code = won_voucher(program).code
    taken = redemptions.redeem(till(program), code, 300, key(), "receipt-1")
    assert taken.voucher.balance == 700
    assert taken.voucher.status is VoucherStatus.PARTIALLY_REDEEMED
    refused(ErrorCode.INSUFFICIENT_BALANCE,
            lambda: redemptions.redeem(till(program), code, 800, key(), None))
    refused(ErrorCode.INSUFFICIENT_BALANCE,
            lambda: redemptions.redeem(till(program), code, None, key(), None))
    assert redemptions.redeem(till(program), code, 700, key(), None).voucher.balance == 0
    refused(ErrorCode.ALREADY_REDEEMED,
            lambda: redemptions.redeem(till(program), code, 1, key(), None))


def test_a_whole_voucher_cannot_be_redeemed_in_part():
    program = new_program()
    shop(program)
    code = won_voucher(program).code
    refused(ErrorCode.INVALID_INPUT, lambda: redemptions.redeem(till(program), code, 300, key(),
                                                                None))
    assert redemptions.redeem(till(program), code, 1000, key(), None).voucher.balance == 0


def test_merchant_scope_expiry_and_registration_are_enforced():
    program = new_program()
    shop(program, "cafe", "bakery", merchant_ids=("cafe",), valid_for_days=1)
    code = won_voucher(program).code
    check = redemptions.check(till(program, "bakery"), code)
    assert check.problem is not None and check.problem.code is ErrorCode.NOT_VALID_AT_MERCHANT
    refused(ErrorCode.NOT_VALID_AT_MERCHANT,
            lambda: redemptions.redeem(till(program, "bakery"), code, None, key(), None))
    refused(ErrorCode.FORBIDDEN,
            lambda: redemptions.redeem(till(program, "stranger"), code, None, key(), None))
    later = datetime.now(UTC) + timedelta(days=2)
    with pytest.MonkeyPatch.context() as patch:
        support.test_clock(patch, later)
        refused(ErrorCode.EXPIRED,
                lambda: redemptions.redeem(till(program), code, None, key(), None))
        expired, _ = vouchers.my_vouchers(member(program), VoucherStatus.EXPIRED, 20, None)
        assert len(expired) == 1
    assert redemptions.redeem(till(program), code, None, key(), None).amount is None


def test_unknown_codes_are_throttled_per_merchant_and_minute(monkeypatch):
    program = new_program()
    shop(program, "cafe", "bakery")
    code = won_voucher(program).code
    monkeypatch.setenv("KADO_FAILED_LOOKUPS_PER_MINUTE", "3")
    from kado.config import reset_settings
    reset_settings()
    minute = datetime.now(UTC).replace(second=1)
    # Only the till's clock stands at that minute: the throttle counts per minute.
    monkeypatch.setattr(redemptions, "utcnow", lambda: minute)
    for _ in range(3):
        refused(ErrorCode.INVALID_CODE, lambda: redemptions.check(till(program), codes.generate()))
    refused(ErrorCode.TOO_MANY_ATTEMPTS, lambda: redemptions.check(till(program), code))
    refused(ErrorCode.TOO_MANY_ATTEMPTS,
            lambda: redemptions.redeem(till(program), code, None, key(), None))
    assert redemptions.check(till(program, "bakery"), code).problem is None
    minute += timedelta(minutes=1)
    assert redemptions.redeem(till(program), code, None, key(), None).lookup
    reset_settings()


def test_a_typo_is_refused_before_any_lookup_and_not_counted(monkeypatch):
    program = new_program()
    shop(program)
    code = won_voucher(program).code
    typo = code[:3] + ("0" if code[3] != "0" else "1") + code[4:]
    calls = []
    monkeypatch.setattr(redemptions, "get_many", calls.append)
    refused(ErrorCode.INVALID_CODE, lambda: redemptions.check(till(program), typo))
    assert calls == []


def test_reversal_restores_the_balance_once_and_only_for_the_redeeming_merchant():
    program = new_program()
    shop(program, "cafe", "bakery", partial_redemption=True, reversal_window_minutes=15)
    code = won_voucher(program).code
    taken = redemptions.redeem(till(program), code, 400, key(), None)
    refused(ErrorCode.NOT_FOUND,
            lambda: redemptions.reverse(till(program, "bakery"), taken.id, key(), "oops"))
    k = key()
    reversed_ = redemptions.reverse(till(program), taken.id, k, "wrong amount")
    assert reversed_.reversed_at and reversed_.voucher.balance == 1000
    assert reversed_.voucher.status is VoucherStatus.ACTIVE
    assert redemptions.reverse(till(program), taken.id, k, "wrong amount").id == taken.id
    refused(ErrorCode.ALREADY_REVERSED,
            lambda: redemptions.reverse(till(program), taken.id, key(), "again"))
    late = redemptions.redeem(till(program), code, 100, key(), None)
    later = datetime.now(UTC) + timedelta(minutes=16)
    with pytest.MonkeyPatch.context() as patch:
        support.test_clock(patch, later)
        refused(ErrorCode.REVERSAL_WINDOW_CLOSED,
                lambda: redemptions.reverse(till(program), late.id, key(), "too late"))
    lookup = keys().lookup(program, code)
    assert [e["event"] for e in voucher_store.ledger(program, lookup)] == [
        "ISSUED", "REDEEMED", "REVERSED", "REDEEMED"]


def test_pool_codes_are_imported_once_and_issued_once_then_the_wheel_runs_dry():
    program = new_program()
    shop(program, code_source=CodeSource.POOL, low_stock_threshold=5)
    result = voucher_admin.import_codes(program, "tenner", [
        "cafe-0001", "CAFE 0002", "cafe-0001", "x", "cafe-0003"])
    assert result.imported == 3
    assert [(i, c) for i, _, c, _ in result.rejected] == [
        (2, ErrorCode.DUPLICATE_CODE), (3, ErrorCode.INVALID_CODE)]
    again = voucher_admin.import_codes(program, "tenner", ["CAFE0002", "cafe-0004"])
    assert again.imported == 1 and again.rejected[0][2] is ErrorCode.DUPLICATE_CODE
    product = voucher_admin.get_product(program, "tenner")
    assert voucher_admin.pool_stats(program, product) == voucher_admin.PoolStats(4, True)
    c = support.campaign(prizes=support.voucher_prize())
    campaigns.upsert(program, c)
    campaigns.launch(program, c.id)
    outcomes = [spins.play(member(program, f"m{i}"), c.id, key()) for i in range(6)]
    assert [s.outcome for s in outcomes] == ["WON"] * 4 + ["OUT_OF_STOCK"] * 2
    got = sorted(vouchers.my_vouchers(member(program, f"m{i}"), None, 20, None)[0][0].code
                 for i in range(4))
    assert got == sorted(["cafe-0001", "CAFE 0002", "cafe-0003", "cafe-0004"])  # as supplied
    assert voucher_admin.pool_stats(program, product).left == 0
    assert redemptions.redeem(till(program), "cafe 0003", None, key(), None)


def test_a_pool_code_is_shown_as_the_partner_supplied_it_and_found_however_typed():
    program = new_program()
    shop(program, code_source=CodeSource.POOL)
    voucher_admin.import_codes(program, "tenner", ["CINE0003CCCC"])
    members.upsert_member(program, "alice", None, "STANDARD")
    voucher_admin.issue(admin(program), "tenner", ["alice"], key(), "a cinema ticket")
    [mine] = execute(member_api.schema, "{ myVouchers { nodes { code qrPayload } } }",
                     member(program))["myVouchers"]["nodes"]
    assert mine == {"code": "CINE0003CCCC", "qrPayload": "KADO1:CINE0003CCCC"}  # not C1NE-…
    for typed in ("cine0003cccc", "CINE 0003 CCCC", mine["qrPayload"]):
        assert redemptions.check(till(program), typed).voucher.balance == 1000


def test_direct_issue_reports_each_member_and_a_retry_issues_nothing_new():
    program = new_program()
    shop(program)
    members.upsert_account(program, "globex", "Globex", GiftPolicy.DECLINES)
    members.upsert_member(program, "ann", None, "STANDARD")
    members.upsert_member(program, "ben", "globex", "STANDARD")
    k = key()
    first = voucher_admin.issue(admin(program), "tenner", ["ann", "ben", "ghost"], k, "sorry")
    assert first[0].voucher is not None and first[0].error is None
    assert [r.error.code for r in first[1:]] == [ErrorCode.GIFTS_DECLINED_BY_ACCOUNT,
                                                 ErrorCode.NOT_FOUND]
    retry = voucher_admin.issue(admin(program), "tenner", ["ann", "ben", "ghost"], k, "sorry")
    assert retry[0].voucher.id == first[0].voucher.id
    assert len(vouchers.my_vouchers(member(program, "ann"), None, 20, None)[0]) == 1
    refused(ErrorCode.INVALID_INPUT, lambda: voucher_admin.issue(
        admin(program), "tenner", ["ann"] * 2, key(), "dupes"))


def test_nobody_sees_a_code_that_is_not_theirs_and_tenants_do_not_meet():
    program, other = new_program(), new_program()
    shop(program)
    shop(other)
    code = won_voucher(program, "alice").code
    assert vouchers.my_vouchers(member(program, "bob"), None, 20, None)[0] == []
    refused(ErrorCode.INVALID_CODE, lambda: redemptions.check(till(other), code))
    refused(ErrorCode.INVALID_CODE,
            lambda: redemptions.redeem(till(other), code, None, key(), None))
    assert redemptions.check(till(program), code).problem is None


def test_no_code_is_stored_in_clear():
    program = new_program()
    shop(program, "cafe")
    shop(program, product_id="pool", code_source=CodeSource.POOL)
    issued = [won_voucher(program, f"m{i}").code for i in range(3)]
    voucher_admin.import_codes(program, "pool", ["PARTNER-CODE-123456"])
    redemptions.redeem(till(program), issued[0], None, key(), "till 1")
    secrets_to_hide = [*issued, *(codes.formatted(c) for c in issued), "PARTNERCODE123456"]
    scan = dynamodb().get_paginator("scan").paginate(TableName=table())
    dumped = json.dumps([page["Items"] for page in scan])
    assert program in dumped  # the scan did see this program's items
    for secret in secrets_to_hide:
        assert secret not in dumped and secret.lower() not in dumped


def test_a_revoked_voucher_is_refused_at_the_till_and_reads_as_revoked():
    program = new_program()
    shop(program)
    won = won_voucher(program)
    revoked = voucher_admin.revoke(admin(program), "alice", won.id, "sent by mistake")
    assert revoked.status is VoucherStatus.REVOKED
    assert voucher_admin.revoke(admin(program), "alice", won.id, "again").status is \
        VoucherStatus.REVOKED
    refused(ErrorCode.VOUCHER_REVOKED,
            lambda: redemptions.redeem(till(program), won.code, None, key(), None))
    assert redemptions.check(till(program), won.code).problem.code is ErrorCode.VOUCHER_REVOKED
    mine, _ = vouchers.my_vouchers(member(program), VoucherStatus.REVOKED, 20, None)
    assert [v.id for v in mine] == [won.id]
    refused(ErrorCode.NOT_FOUND, lambda: voucher_admin.revoke(admin(program), "bob", won.id, "x"))
    events = [e["event"] for e in voucher_store.ledger(program, keys().lookup(program, won.code))]
    assert events == ["ISSUED", "REVOKED"]
