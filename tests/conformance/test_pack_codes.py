"""Pack codes on DynamoDB Local, with real parallel claims."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from kado.domain.errors import DomainError
from kado.services import members, pack_codes
from kado.store import ledger
from tests.scenarios.pack_code_scenarios import *  # noqa: F403 - the shared scenarios
from tests.scenarios.pack_code_scenarios import printed
from tests.support import key, like_a_client, member, new_program


def test_100_parallel_scans_of_one_pack_code_earn_once():
    program = new_program()
    people = [f"m{n:03d}" for n in range(100)]
    for who in people:
        members.upsert_member(program, who, None, "STANDARD")
    code = printed(program, count=1)[0]

    def scan(who: str) -> str:
        k = key()
        try:
            like_a_client(lambda: pack_codes.claim(member(program, who), code, k))
            return who
        except DomainError as refusal:
            return refusal.code

    with ThreadPoolExecutor(max_workers=32) as pool:
        outcomes = list(pool.map(scan, people))
    winners = [o for o in outcomes if o in people]
    assert len(winners) == 1 and outcomes.count("ALREADY_REDEEMED") == 99
    assert sum((ledger.get_member(program, who) or {}).get("points", 0) for who in people) \
        == 50
    assert pack_codes.batch_stats(program, "spring-packs")[1] == 1
