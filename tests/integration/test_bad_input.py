"""Arbitrary input to the member API gets typed errors, never a server error or a write."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kado.api.kernel.context import Context
from kado.api.schemas import member as member_api
from kado.services.campaigns import definitions as campaigns
from tests import support
from tests.support import member

SPIN = """mutation($i: SpinInput!) { spin(input: $i) { spin { id } errors { code field } } }"""
PROGRAM = "fuzzprogram"


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(campaign_id=st.text(max_size=80), idempotency_key=st.text(max_size=200))
def test_random_spin_input_gets_typed_errors(database, campaign_id, idempotency_key):
    result = member_api.schema.execute_sync(
        SPIN, variable_values={"i": {"campaignId": campaign_id, "idempotencyKey": idempotency_key}},
        context_value=Context(member(PROGRAM)))
    assert result.errors is None
    payload = result.data["spin"]
    assert payload["spin"] is None
    assert payload["errors"][0]["code"] in {"INVALID_INPUT", "NOT_FOUND"}


def test_nothing_is_written_by_refused_spins():
    campaigns.upsert(PROGRAM, support.campaign())
    campaigns.launch(PROGRAM, "wheel")
    for bad in ("", "x", "a b c d e f g h", "ü" * 20, "k" * 500):
        result = member_api.schema.execute_sync(
            SPIN, variable_values={"i": {"campaignId": "wheel", "idempotencyKey": bad}},
            context_value=Context(member(PROGRAM)))
        assert result.data["spin"]["errors"][0] == {"code": "INVALID_INPUT",
                                                    "field": "idempotencyKey"}
    assert campaigns.stats(PROGRAM, campaigns.get(PROGRAM, "wheel")).spins == 0
