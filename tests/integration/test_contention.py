"""A lost race is BUSY, never a refusal: every transaction, with a conflict injected.

DynamoDB cancels a transaction with TransactionConflict when another one touches
the same item. Read as a failed condition, that used to turn into FORBIDDEN,
INVALID_CODE (counted against the till), GIFTS_DECLINED, a "duplicate" pool code or
a revoke that never happened. Each case here keeps the conflict up past the
retries and checks the answer is BUSY and nothing was written or counted.
"""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from kado.domain.errors import ErrorCode
from kado.domain.vouchers.products import CodeSource
from kado.services import members
from kado.services.campaigns import definitions as campaigns
from kado.services.campaigns import spins
from kado.services.members import GiftPolicy
from kado.services.vouchers import catalogue as voucher_admin
from kado.services.vouchers import redemptions
from kado.store.campaigns import spins as spin_store
from kado.store.kernel import item_keys as keys
from kado.store.kernel import transact
from kado.store.kernel.client import dynamodb
from kado.store.kernel.reads import get_one
from kado.store.vouchers import redemptions as redemption_store
from tests import support
from tests.scenarios.voucher_scenarios import refused, shop, won_voucher
from tests.support import admin, key, member, new_program, till


class _AlwaysContended:
    """The real client, except that every transaction loses a race on every item."""

    def __init__(self, real):
        self.real, self.attempts = real, 0

    def __getattr__(self, name):
        return getattr(self.real, name)

    def transact_write_items(self, TransactItems):
        self.attempts += 1
        reasons = [{"Code": "TransactionConflict", "Message": "Transaction is ongoing"}
                   for _ in TransactItems]
        raise ClientError({"Error": {"Code": "TransactionCanceledException", "Message": "x"},
                           "CancellationReasons": reasons}, "TransactWriteItems")


@pytest.fixture
def contended(monkeypatch):
    monkeypatch.setattr(transact, "CONFLICT_BASE_DELAY_S", 0)
    client = _AlwaysContended(dynamodb())

    def start():
        monkeypatch.setattr(transact, "dynamodb", lambda: client)
        return client

    return start


def test_a_contended_spin_is_busy_and_consumes_nothing(contended):
    program = new_program()
    members.upsert_account(program, "acme", "Acme", GiftPolicy.ACCEPTS)
    c = support.campaign(prizes=support.sure_win(5))
    campaigns.upsert(program, c)
    campaigns.launch(program, c.id)
    client, k = contended(), key()
    refused(ErrorCode.BUSY, lambda: spins.play(member(program, "alice"), c.id, k))
    assert client.attempts == transact.CONFLICT_RETRIES + 1
    assert spin_store.get(program, "alice", k) is None


def test_a_contended_redemption_is_busy_and_not_counted_against_the_till(contended):
    program = new_program()
    shop(program)
    won = won_voucher(program)
    contended()
    refused(ErrorCode.BUSY, lambda: redemptions.redeem(till(program), won.code, None, key(),
                                                       None))
    merchant = get_one(keys.merchant(program, "cafe")) or {}
    assert redemption_store.FAIL_COUNT not in merchant
    assert redemptions.check(till(program), won.code).voucher.balance == 1000


def test_a_contended_reversal_is_busy_not_a_closed_window(contended):
    program = new_program()
    shop(program, reversal_window_minutes=30)
    won = won_voucher(program)
    done = redemptions.redeem(till(program), won.code, None, key(), None)
    contended()
    refused(ErrorCode.BUSY, lambda: redemptions.reverse(till(program), done.id, key(), "typo"))


def test_a_contended_pool_import_reports_no_duplicates(contended):
    program = new_program()
    shop(program, product_id="pool", code_source=CodeSource.POOL)
    contended()
    refused(ErrorCode.BUSY, lambda: voucher_admin.import_codes(program, "pool",
                                                               ["PARTNER-0001", "PARTNER-0002"]))


def test_a_contended_issue_is_busy_not_declined_by_the_account(contended):
    program = new_program()
    shop(program)
    members.upsert_account(program, "acme", "Acme", GiftPolicy.ACCEPTS)
    members.upsert_member(program, "alice", "acme", "STANDARD")
    contended()
    [outcome] = voucher_admin.issue(admin(program), "tenner", ["alice"], key(), "thanks")
    assert outcome.error is not None and outcome.error.code is ErrorCode.BUSY


def test_a_contended_revoke_is_busy_not_reported_done(contended):
    program = new_program()
    shop(program)
    won = won_voucher(program)
    contended()
    refused(ErrorCode.BUSY, lambda: voucher_admin.revoke(admin(program), "alice", won.id,
                                                         "sent by mistake"))


def test_a_contended_launch_is_busy(contended):
    program = new_program()
    c = support.campaign()
    campaigns.upsert(program, c)
    contended()
    refused(ErrorCode.BUSY, lambda: campaigns.launch(program, c.id))
