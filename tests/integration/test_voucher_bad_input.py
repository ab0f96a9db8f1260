"""1,000 random strings at the till: typed errors every time, and nothing changes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kado.api.kernel.context import Context
from kado.api.schemas import merchant as merchant_api
from kado.domain.vouchers import codes
from kado.services.vouchers import redemptions
from tests.scenarios.voucher_scenarios import shop, won_voucher
from tests.support import till

CHECK = """query($c: String!) { checkVoucher(code: $c) { redeemable voucher { id }
  errors { code } } }"""
REDEEM = """mutation($i: RedeemInput!) { redeemVoucher(input: $i) { redemption { id }
  errors { code } } }"""
PROGRAM = "fuzztill"
TYPED = {"INVALID_CODE", "TOO_MANY_ATTEMPTS", "INVALID_INPUT"}
# Plain noise, and noise shaped like codes so some of it reaches the database.
noise = st.one_of(st.text(max_size=120),
                  st.text(alphabet=codes.SYMBOLS + "-ol ", min_size=4, max_size=30))
EXAMPLES = 500
fuzz = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


@pytest.fixture(autouse=True)
def registered_till(database):
    shop(PROGRAM)  # the till is a registered merchant; its guesses are what is random


def _run(query, variables):
    result = merchant_api.schema.execute_sync(query, variable_values=variables,
                                              context_value=Context(till(PROGRAM)))
    assert result.errors is None, result.errors
    return result.data


@fuzz
@given(code=noise)
def test_random_strings_to_check_voucher_get_typed_errors(database, code):
    checked = _run(CHECK, {"c": code})["checkVoucher"]
    assert checked["redeemable"] is False and checked["voucher"] is None
    assert {e["code"] for e in checked["errors"]} <= TYPED and checked["errors"]


@fuzz
@given(code=noise, idempotency_key=st.text(max_size=40), amount=st.one_of(
    st.none(), st.integers(-(2**31), 2**31 - 1)))
def test_random_strings_to_redeem_voucher_get_typed_errors(database, code, idempotency_key,
                                                           amount):
    payload = _run(REDEEM, {"i": {"code": code, "idempotencyKey": idempotency_key,
                                  "amount": amount}})["redeemVoucher"]
    assert payload["redemption"] is None
    assert {e["code"] for e in payload["errors"]} <= TYPED and payload["errors"]


def test_refused_look_ups_leave_a_real_voucher_untouched():
    real = won_voucher(PROGRAM)
    for code in ("", "x", codes.generate(), "0000-0000", "ü" * 30):
        _run(REDEEM, {"i": {"code": code, "idempotencyKey": "fuzz-key-1"}})
    assert redemptions.list_mine(till(PROGRAM), 20, None)[0] == []
    assert redemptions.check(till(PROGRAM, "cafe"), real.code).voucher.balance == 1000
