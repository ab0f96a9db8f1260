import time
from dataclasses import replace

import jwt
import pytest

from kado.api.kernel.context import Unauthorized, principal_from_claims
from kado.domain import validation
from kado.domain.campaigns import rules as campaign_rules
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.principal import Principal, Role
from kado.domain.vouchers import products as voucher_rules
from kado.local import tokens
from tests import support


def test_claims_become_a_principal():
    p = principal_from_claims({"sub": "alice", "program": "p1", "account": "acme"}, Role.MEMBER)
    # The token says who is calling; the company is the record's (no field to carry a claim).
    assert p == Principal(Role.MEMBER, "p1", "alice")


@pytest.mark.parametrize(("claims", "role"), [
    ({"program": "p1"}, Role.MEMBER),
    ({"sub": "alice"}, Role.MEMBER),
    ({"sub": "a lice", "program": "p1"}, Role.MEMBER),
    ({"sub": "alice", "program": "p1", "role": "admin"}, Role.MEMBER),
    ({"sub": "alice", "program": "p1"}, Role.ADMIN),
    ({"sub": "alice", "program": "p1"}, Role.MERCHANT),
])
def test_wrong_claims_are_refused(claims, role):
    with pytest.raises(Unauthorized):
        principal_from_claims(claims, role)


def test_dev_tokens_verify_only_with_the_dev_key(tmp_path):
    key = tokens.signing_key(tmp_path)
    assert tokens.signing_key(tmp_path) == key  # stable once created
    good = tokens.mint(key, "demo", "alice", "member", "acme")
    assert tokens.verify(key, good)["account"] == "acme"
    forged = tokens.mint("another-key-of-at-least-32-bytes!!", "demo", "alice", "member")
    with pytest.raises(jwt.InvalidSignatureError):
        tokens.verify(key, forged)
    expired = tokens.mint(key, "demo", "alice", "member", ttl_s=-10)
    with pytest.raises(jwt.ExpiredSignatureError):
        tokens.verify(key, expired)
    unsigned = jwt.encode({"sub": "alice", "program": "demo", "exp": time.time() + 60},
                          None, algorithm="none")
    with pytest.raises(jwt.PyJWTError):
        tokens.verify(key, unsigned)


@pytest.mark.parametrize("claims", [
    {"sub": "alice\n", "program": "p1"},
    {"sub": "alice", "program": "p1\n"},
])
def test_a_trailing_newline_is_not_another_caller(claims):
    with pytest.raises(Unauthorized):
        principal_from_claims(claims, Role.MEMBER)


@pytest.mark.parametrize("check", [
    lambda: validation.require_id("wheel\n", "campaignId"),
    lambda: validation.require_idempotency_key("key-000001\n"),
    lambda: campaign_rules.validate(replace(support.campaign(), id="wheel\n")),
    lambda: voucher_rules.validate(replace(support.product(), id="tenner\n")),
])
def test_identifiers_with_a_trailing_newline_are_refused_before_any_io(check):
    with pytest.raises(DomainError) as refusal:
        check()
    assert refusal.value.code is ErrorCode.INVALID_INPUT
