"""Claims, on moto (integration) and DynamoDB Local (conformance): an invoice claimed once
program-wide, a reviewer's decisions, an approval that earns exactly once."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from kado.domain.claims import ClaimRules, Decision, Submission
from kado.domain.errors import DomainError, ErrorCode
from kado.services import claims, members
from kado.store import ledger
from tests.scenarios.points_scenarios import loyal_program
from tests.support import accounts, admin, key, member, refused

TODAY = datetime.now(UTC).date()


def invoice(program: str, who: str, number: str = "HD-00123", tax_id: str = "0312345678",
            amount: int = 250_000, on: date | None = None) -> Submission:
    return Submission(tax_id, number, on or TODAY - timedelta(days=3), amount, "EUR",
                      f"claims/{program}/{who}/receipt.jpg")


def program_with(*people: tuple[str, str]) -> str:
    """A program earning 1 point per euro, with (member, company) pairs on file."""
    program = loyal_program(ladder=None)
    accounts(program, *{company for _, company in people})
    for who, company in people:
        members.upsert_member(program, who, company, "STANDARD")
    return program


def test_an_invoice_is_claimed_once_in_the_program_whoever_sends_it():
    program = program_with(("ann", "acme"), ("ben", "globex"))
    k = key()
    claim = claims.submit(member(program, "ann"), invoice(program, "ann"), k)
    assert (claim["status"], claim["accountId"]) == ("PENDING", "acme")  # company on record
    retried = claims.submit(member(program, "ann"), invoice(program, "ann"), k)
    assert (retried["id"], retried["submittedAt"]) == (claim["id"], claim["submittedAt"])
    refused(ErrorCode.IDEMPOTENCY_KEY_REUSED, lambda: claims.submit(
        member(program, "ann"), invoice(program, "ann", amount=1), k))
    # The same invoice typed another way, by a member of another company.
    again = refused(ErrorCode.ALREADY_CLAIMED, lambda: claims.submit(
        member(program, "ben"), invoice(program, "ben", number="hd 00123",
                                        tax_id="0312.345.678"), key()))
    assert claim["submittedAt"] in again.message and "ann" not in again.message
    assert [c["id"] for c in claims.queue(admin(program), 10, None).items] == [claim["id"]]
    assert claims.member_claims(program, "ben", 10, None).items == []


def test_an_invoice_outside_the_window_or_malformed_is_refused_and_nothing_is_kept():
    program = program_with(("ann", "acme"))
    claims.set_rules(admin(program), ClaimRules(30, ("UNREADABLE", "OTHER")))
    for bad, field in ((invoice(program, "ann", on=TODAY - timedelta(days=31)), "invoiceDate"),
                       (invoice(program, "ann", on=TODAY + timedelta(days=2)), "invoiceDate"),
                       (invoice(program, "ann", tax_id="12345"), "sellerTaxId"),
                       (invoice(program, "ann", amount=0), "amount"),
                       (invoice(program, "bob"), "photoKey")):  # another member's upload
        error = refused(ErrorCode.INVALID_INPUT, lambda b=bad: claims.submit(
            member(program, "ann"), b, key()))
        assert error.field == field
    assert claims.queue(admin(program), 10, None).items == []
    # the window's last day is still in
    claims.submit(member(program, "ann"), invoice(program, "ann", on=TODAY - timedelta(30)),
                  key())


def test_an_approval_earns_once_and_a_second_decision_changes_nothing():
    program = program_with(("ann", "acme"))
    claim = claims.submit(member(program, "ann"), invoice(program, "ann"), key())
    k = key()
    decided = claims.decide(admin(program), claim["id"], Decision.APPROVE, k,
                            approved_amount=200_000)
    points = ledger.get_member(program, "ann")["points"]
    assert decided.points == points > 0 and decided.claim["approvedAmount"] == 200_000
    assert claims.decide(admin(program), claim["id"], Decision.APPROVE, k,
                         approved_amount=200_000).claim["status"] == "APPROVED"  # retried
    refused(ErrorCode.IDEMPOTENCY_KEY_REUSED, lambda: claims.decide(
        admin(program), claim["id"], Decision.REJECT, k, reason="OTHER"))  # its key reused
    refused(ErrorCode.INVALID_TRANSITION, lambda: claims.decide(
        admin(program), claim["id"], Decision.APPROVE, key()))
    refused(ErrorCode.INVALID_TRANSITION, lambda: claims.decide(
        admin(program), claim["id"], Decision.REJECT, key(), reason="OTHER"))
    assert ledger.get_member(program, "ann")["points"] == points
    assert claims.queue(admin(program), 10, None).items == []
    refused(ErrorCode.INVALID_INPUT, lambda: claims.decide(
        admin(program), claims.submit(member(program, "ann"), invoice(
            program, "ann", number="HD-2"), key())["id"], Decision.APPROVE, key(),
        approved_amount=250_001))  # more than was claimed


def test_a_question_goes_back_to_the_member_and_their_answer_back_to_the_queue():
    program = program_with(("ann", "acme"))
    claim = claims.submit(member(program, "ann"), invoice(program, "ann"), key())
    refused(ErrorCode.INVALID_INPUT, lambda: claims.decide(
        admin(program), claim["id"], Decision.NEEDS_INFO, key()))  # no question asked
    claims.decide(admin(program), claim["id"], Decision.NEEDS_INFO, key(),
                  note="The total is cut off: send the whole receipt")
    assert claims.queue(admin(program), 10, None).items == []
    refused(ErrorCode.NOT_FOUND, lambda: claims.answer(member(program, "ben"), claim["id"],
                                                       "mine", None, key()))
    k = key()
    answered = claims.answer(member(program, "ann"), claim["id"], "Whole receipt attached",
                             f"claims/{program}/ann/whole.jpg", k)
    assert answered["status"] == "PENDING"
    assert claims.answer(member(program, "ann"), claim["id"], "Whole receipt attached",
                         f"claims/{program}/ann/whole.jpg", k)["status"] == "PENDING"
    refused(ErrorCode.IDEMPOTENCY_KEY_REUSED, lambda: claims.answer(
        member(program, "ann"), claim["id"], "Something else", None, k))
    assert [c["id"] for c in claims.queue(admin(program), 10, None).items] == [claim["id"]]
    refused(ErrorCode.INVALID_INPUT, lambda: claims.decide(
        admin(program), claim["id"], Decision.REJECT, key(), reason="NOT_A_REASON"))
    rejected = claims.decide(admin(program), claim["id"], Decision.REJECT, key(),
                             reason="UNREADABLE").claim
    assert [h["to"] for h in rejected["history"]] == ["PENDING", "NEEDS_INFO", "PENDING",
                                                      "REJECTED"]
    assert (ledger.get_member(program, "ann") or {}).get("points", 0) == 0


def test_near_duplicates_are_shown_to_the_reviewer():
    program = program_with(("ann", "acme"), ("ben", "globex"))
    first = claims.submit(member(program, "ann"), invoice(program, "ann"), key())
    second = claims.submit(member(program, "ben"), invoice(program, "ben", number="HD-00124"),
                           key())
    claims.submit(member(program, "ben"), invoice(program, "ben", number="HD-9", amount=1),
                  key())
    assert [c["id"] for c in claims.near_duplicates(program, first)] == [second["id"]]


def test_small_claims_from_trusted_companies_are_approved_as_they_arrive():
    program = program_with(("ann", "acme"), ("ben", "globex"))
    claims.set_rules(admin(program), ClaimRules(90, ("OTHER",), auto_approve_up_to=100_000,
                                                trusted_accounts=("acme",)))
    k = key()
    small = claims.submit(member(program, "ann"), invoice(program, "ann", amount=80_000), k)
    assert (small["status"], small["decidedBy"]) == ("APPROVED", "claim-rule")
    earned = ledger.get_member(program, "ann")["points"]
    assert earned > 0
    assert claims.submit(member(program, "ann"), invoice(program, "ann", amount=80_000),
                         k)["id"] == small["id"]  # retried: the same claim, earned once
    assert ledger.get_member(program, "ann")["points"] == earned
    refused(ErrorCode.ALREADY_CLAIMED, lambda: claims.submit(
        member(program, "ann"), invoice(program, "ann", amount=80_000), key()))
    large = claims.submit(member(program, "ann"), invoice(program, "ann", number="HD-9"),
                          key())  # 250.000: over the rule's amount
    untrusted = claims.submit(member(program, "ben"), invoice(
        program, "ben", number="HD-10", amount=50_000), key())
    assert (large["status"], untrusted["status"]) == ("PENDING", "PENDING")
    assert {c["id"] for c in claims.queue(admin(program), 10, None).items} == {
        large["id"], untrusted["id"]}
    with pytest.raises(DomainError):  # a rule with an amount but nobody trusted
        claims.set_rules(admin(program), ClaimRules(90, ("OTHER",), auto_approve_up_to=1))
