"""Codes on packs, on moto (integration) and DynamoDB Local (conformance): a batch made
for the printer, a code earned once program-wide, a second claim told when, not by whom."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kado.domain.errors import DomainError, ErrorCode
from kado.domain.pack_codes import PackBatch
from kado.domain.vouchers import codes
from kado.services import members, pack_codes
from kado.store import ledger
from tests.support import admin, key, member, new_program


def printed(program: str, count: int = 3, points: int = 50,
            expires_in: timedelta = timedelta(days=90)) -> list[str]:
    """A batch's codes as the printer receives them (the CSV's code column)."""
    text = pack_codes.create_batch(admin(program), PackBatch(
        "spring-packs", "Spring packs", points, count, datetime.now(UTC) + expires_in,
        region="hanoi"))
    return [line.split(",")[0] for line in text.splitlines()[1:]]


def test_a_pack_code_earns_once_and_a_second_claim_is_told_when_not_by_whom():
    program = new_program()
    for who in ("ann", "ben"):
        members.upsert_member(program, who, None, "STANDARD")
    first, *_ = printed(program)
    assert codes.is_valid_generated(codes.normalise(first))  # the voucher codes' alphabet
    k = key()
    claim = pack_codes.claim(member(program, "ann"), first, k)
    assert (claim.points, claim.balance_after) == (50, 50)
    assert pack_codes.claim(member(program, "ann"), first, k) == claim  # the same request
    with pytest.raises(DomainError) as refused:
        pack_codes.claim(member(program, "ben"), first, key())
    assert refused.value.code is ErrorCode.ALREADY_REDEEMED
    assert "used at" in refused.value.message and "ann" not in refused.value.message
    assert ledger.get_member(program, "ann")["points"] == 50
    assert (ledger.get_member(program, "ben") or {}).get("points", 0) == 0
    batch, claimed = pack_codes.batch_stats(program, "spring-packs")
    assert (batch["count"], batch["region"], claimed) == (3, "hanoi", 1)


def test_a_typo_an_unknown_code_and_an_expired_one_earn_nothing(monkeypatch):
    from tests.support import test_clock
    program = new_program()
    members.upsert_member(program, "ann", None, "STANDARD")
    code = printed(program, count=1, expires_in=timedelta(days=1))[0]
    typo = code[:-1] + ("0" if code[-1] != "0" else "1")
    for typed, expected in ((typo, ErrorCode.INVALID_CODE),
                            (codes.formatted(codes.generate()), ErrorCode.INVALID_CODE)):
        with pytest.raises(DomainError) as refused:
            pack_codes.claim(member(program, "ann"), typed, key())
        assert refused.value.code is expected
    test_clock(monkeypatch, datetime.now(UTC) + timedelta(days=2))  # past its expiry
    with pytest.raises(DomainError) as expired:
        pack_codes.claim(member(program, "ann"), code, key())
    assert expired.value.code is ErrorCode.EXPIRED
    assert (ledger.get_member(program, "ann") or {}).get("points", 0) == 0


def test_guessing_is_throttled_per_member_before_anything_is_said_about_a_code(monkeypatch):
    from kado.config import reset_settings
    monkeypatch.setenv("KADO_FAILED_LOOKUPS_PER_MINUTE", "3")
    reset_settings()
    try:
        program = new_program()
        members.upsert_member(program, "ann", None, "STANDARD")
        real = printed(program, count=1)[0]
        answers = []
        for _ in range(4):
            with pytest.raises(DomainError) as refused:
                pack_codes.claim(member(program, "ann"), codes.formatted(codes.generate()),
                                 key())
            answers.append(refused.value.code)
        assert answers == [ErrorCode.INVALID_CODE] * 3 + [ErrorCode.TOO_MANY_ATTEMPTS]
        with pytest.raises(DomainError) as blocked:  # even a real code, this minute
            pack_codes.claim(member(program, "ann"), real, key())
        assert blocked.value.code is ErrorCode.TOO_MANY_ATTEMPTS
        members.upsert_member(program, "ben", None, "STANDARD")
        assert pack_codes.claim(member(program, "ben"), real, key()).points == 50
    finally:
        reset_settings()  # read again, from the environment the test leaves behind


def test_batches_are_listed_with_their_claims_and_summed_by_region():
    program = new_program()
    members.upsert_member(program, "ann", None, "STANDARD")
    spring = printed(program, count=3)  # region hanoi
    pack_codes.create_batch(admin(program), PackBatch(
        "summer-packs", "Summer packs", 20, 2, datetime.now(UTC) + timedelta(days=90),
        region="saigon"))
    pack_codes.create_batch(admin(program), PackBatch(
        "plain-packs", "Plain packs", 10, 4, datetime.now(UTC) + timedelta(days=90)))
    pack_codes.claim(member(program, "ann"), spring[0], key())
    pack_codes.claim(member(program, "ann"), spring[1], key())
    found, page = pack_codes.batches(program, 2, None)
    rest, _ = pack_codes.batches(program, 2, page.end_cursor)
    assert {(b.batch["id"], b.claimed) for b in found + rest} == {
        ("plain-packs", 0), ("summer-packs", 0), ("spring-packs", 2)}
    made = [b.batch["createdAt"] for b in found + rest]
    assert made == sorted(made, reverse=True)  # newest first
    assert [(r.region, r.batches, r.printed, r.claimed)
            for r in pack_codes.by_region(program)] == [
        ("hanoi", 1, 3, 2), ("saigon", 1, 2, 0), (None, 1, 4, 0)]
