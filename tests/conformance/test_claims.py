"""Claims on DynamoDB Local, with real parallel requests."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from kado.domain.claims import Decision
from kado.domain.errors import DomainError
from kado.services import claims
from kado.store import ledger
from tests.scenarios.claim_scenarios import *  # noqa: F403 - the shared scenarios
from tests.scenarios.claim_scenarios import invoice, program_with
from tests.support import admin, key, like_a_client, member


def test_50_parallel_claims_of_one_invoice_from_ten_companies_take_one():
    people = [(f"m{n:02d}", f"co{n % 10}") for n in range(50)]
    program = program_with(*people)

    def send(who: str) -> str:
        k = key()
        try:
            like_a_client(lambda: claims.submit(member(program, who),
                                                invoice(program, who), k))
            return who
        except DomainError as refusal:
            return refusal.code

    with ThreadPoolExecutor(max_workers=25) as pool:
        outcomes = list(pool.map(send, [who for who, _ in people]))
    taken = [o for o in outcomes if o.startswith("m")]
    assert len(taken) == 1 and outcomes.count("ALREADY_CLAIMED") == 49
    assert len(claims.queue(admin(program), 100, None).items) == 1


def test_reviewers_deciding_one_claim_at_once_decide_it_once():
    program = program_with(("ann", "acme"))
    claim = claims.submit(member(program, "ann"), invoice(program, "ann"), key())
    decisions = [Decision.APPROVE, Decision.REJECT] * 6

    def decide(decision: Decision) -> str:
        k = key()
        try:
            done = like_a_client(lambda: claims.decide(
                admin(program), claim["id"], decision, k,
                reason="OTHER" if decision is Decision.REJECT else None))
            return f"{decision.value}:{done.points}"
        except DomainError as refusal:
            return refusal.code

    with ThreadPoolExecutor(max_workers=12) as pool:
        outcomes = list(pool.map(decide, decisions))
    won = [o for o in outcomes if ":" in o]
    assert len(won) == 1 and outcomes.count("INVALID_TRANSITION") == 11, outcomes
    final = claims.claim_of(admin(program), claim["id"])
    points = (ledger.get_member(program, "ann") or {}).get("points", 0)
    if final["status"] == "APPROVED":
        assert won == [f"APPROVE:{points}"] and points > 0
    else:
        assert final["status"] == "REJECTED" and points == 0
