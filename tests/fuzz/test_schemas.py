"""Schema-driven fuzzing: requests generated from each schema's SDL (hypothesis-graphql),
sent through the real Lambda handler on moto. However odd an input (an id of 3,000 letters,
a DateTime without an offset, a page of -5, a period of year 0), the answer is a typed
error or data: never a 5xx and never the masked "Unexpected error.".

The budget is fixed and the run derandomized (the same examples every run), so CI takes
the same time and a failure reproduces: FUZZ_EXAMPLES per schema and operation type.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_graphql import nodes
from hypothesis_graphql import strategies as gql

from kado.handlers import admin_api, member_api, merchant_api
from kado.local.apigw import LambdaContext, event
from kado.local.schema_files import render
from tests.support import new_program

FUZZ_EXAMPLES = 80
PROGRAM = new_program()
ROLES = {
    "member": (member_api, {"sub": "fuzz-member", "program": PROGRAM}),
    "merchant": (merchant_api, {"sub": "fuzz-till", "program": PROGRAM, "role": "merchant"}),
    "admin": (admin_api, {"sub": "fuzz-admin", "program": PROGRAM, "role": "admin"}),
}
# Moments, good and bad: with and without an offset, out of range, not a time at all.
MOMENTS = st.one_of(
    st.sampled_from(["2026-12-05T09:00:00Z", "2026-12-05T09:00:00", "2026-12-05T16:00:00+07:00",
                     "0001-01-01T00:00:00Z", "9999-12-31T23:59:59+14:00", "", "yesterday"]),
    st.datetimes().map(lambda d: d.isoformat())).map(nodes.String)
# Amounts, good and bad: past Int's 2^31, past 2^53, negative, fractional.
AMOUNTS = st.one_of(
    st.integers(min_value=-1, max_value=2**53 + 1).map(nodes.Int),
    st.sampled_from([2**31, 2**53 - 1, 2**53]).map(nodes.Int),
    st.sampled_from(["1.5", "-0.5"]).map(nodes.Float))
# Days, good and bad: an impossible date, a moment, not a date at all.
DAYS = st.one_of(st.sampled_from(["2026-12-05", "2026-02-30", "2026-12-05T09:00:00Z", "",
                                  "05/12/2026"]),
                 st.dates().map(lambda d: d.isoformat())).map(nodes.String)
CUSTOM = {"DateTime": MOMENTS, "Amount": AMOUNTS, "Date": DAYS}
SURPRISES = ("Unexpected error.",)


def sdl(role: str) -> str:
    return render(role)


def answer(role: str, query: str) -> tuple[int, dict]:
    handler, claims = ROLES[role]
    response = handler.handler(event(f"/{role}/graphql", {"query": query}, claims),
                               LambdaContext())
    return response["statusCode"], json.loads(response["body"])


def check(role: str, query: str) -> None:
    status, body = answer(role, query)
    assert status < 500, (status, query, body)
    for error in body.get("errors") or ():
        assert error.get("message") not in SURPRISES, (query, body)


def fuzz(role: str, strategy: st.SearchStrategy) -> None:
    @settings(max_examples=FUZZ_EXAMPLES, derandomize=True, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def run(query: str) -> None:
        check(role, query)

    run()


@pytest.mark.parametrize("role", ROLES)
def test_generated_queries_get_data_or_typed_errors(role):
    fuzz(role, gql.queries(sdl(role), custom_scalars=CUSTOM))


@pytest.mark.parametrize("role", ROLES)
def test_generated_mutations_get_data_or_typed_errors(role):
    fuzz(role, gql.mutations(sdl(role), custom_scalars=CUSTOM))
