"""Hot keys: which item a flash campaign would write most often.

2,000 spins on one campaign by distinct members of one company (the worst case
for anything shared), recording every item each transaction writes or
condition-checks (a ConditionCheck is billed and throttled like a write).
Scaled to 10,000 spins/s, the busiest item must stay under ~500 writes/s.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import timedelta
from typing import Any

from kado.domain.budgets import BudgetLink
from kado.domain.calendar import utcnow
from kado.domain.campaigns.rules import Campaign, Prize, PrizeKind
from kado.domain.principal import Principal, Role
from kado.domain.shards import FLASH_SPINS_PER_S, ITEM_TRANSACT_WRITES_PER_S
from kado.local.bench.operations import ACCOUNT, BUDGETS, COMPANY_PROGRAM, PROGRAM
from kado.local.meter import Meter
from kado.services import members
from kado.services.campaigns import definitions as campaigns
from kado.services.campaigns import spins
from kado.services.ledger import holders
from kado.services.loyalty import rewards
from kado.store.kernel.client import dynamodb

CAMPAIGN = "flash"
GOAL_PER_S = ITEM_TRANSACT_WRITES_PER_S


def written_keys(params: dict[str, Any]) -> list[str]:
    """Every item a transaction writes or checks."""
    found = []
    for part in params.get("TransactItems", []):
        body = next(iter(part.values()))
        item = body.get("Item") or body.get("Key")
        found.append(f"{item['pk']['S']} | {item['sk']['S']}")
    return found


def _pattern(key: str) -> str:
    """The kind of item, with per-member and per-spin ids folded away."""
    key = re.sub(r"#M#[^#| ]+", "#M#<member>", key)
    return re.sub(r"(SPIN|LEDGER)#\S+", r"\1#<id>", key)


def measure(spin_count: int) -> dict[str, Any]:
    now = utcnow()
    # Every win is paid from the flash campaign's own budget and a sponsor's (ADR 0009).
    campaigns.upsert(PROGRAM, Campaign(
        id=CAMPAIGN, name="Flash", starts_at=now - timedelta(minutes=1),
        ends_at=now + timedelta(days=1), timezone="UTC",
        prizes=(Prize("mug", "Mug", PrizeKind.ITEM, 5, 1_000_000, cost=50_000),
                Prize("voucher", "Voucher", PrizeKind.VOUCHER, 15, 1_000_000, "gen",
                      cost=100_000),
                Prize("none", "No luck", PrizeKind.NONE, 80, None)),
        budgets=(BudgetLink(BUDGETS[0]), BudgetLink(BUDGETS[1], 70))))
    campaigns.launch(PROGRAM, CAMPAIGN)
    for i in range(spin_count):
        # The program placed them in the company, and their apps opened (`me`) on this
        # instance: a spin is then one transaction, whose writes are what is counted.
        members.upsert_member(PROGRAM, f"flash-{i}", ACCOUNT, "STANDARD")
        holders.on_file(PROGRAM, f"flash-{i}")
    writes: Counter[str] = Counter()
    with Meter(dynamodb()) as meter:
        for i in range(spin_count):
            spins.play(Principal(Role.MEMBER, PROGRAM, f"flash-{i}"), CAMPAIGN,
                       f"flash-spin-{i:06d}")
            for call in meter.reset():
                writes.update(written_keys(call.params))
    scale = FLASH_SPINS_PER_S / spin_count
    busiest = [{"item": _pattern(k), "writes_in_run": n, "writes_per_s": round(n * scale, 1)}
               for k, n in writes.most_common(5)]
    return {"spins": spin_count, "flash_spins_per_s": FLASH_SPINS_PER_S,
            "method": f"each item's share of the writes of {spin_count} spins sent one after "
                      f"another, times {FLASH_SPINS_PER_S} spins/s: how evenly the keys spread, "
                      "not a load test of DynamoDB at that rate",
            "distinct_items_written": len(writes),
            "max_item_writes_per_s": busiest[0]["writes_per_s"],
            "max_item": busiest[0]["item"], "busiest": busiest, "goal_per_s": GOAL_PER_S}


COMPANY_SPENDS_PER_S = 100


def company_spends(spend_count: int) -> dict[str, Any]:
    """One company's staff spending its wallet: each item's share of the writes of
    `spend_count` spends, scaled to COMPANY_SPENDS_PER_S. A spend pays from the richest
    shard, so that shard takes them all until another is richer."""
    staff = [f"co-{i}" for i in range(20)]  # on file in the company (operations.py)
    writes: Counter[str] = Counter()
    with Meter(dynamodb()) as meter:
        for i in range(spend_count):
            rewards.redeem(Principal(Role.MEMBER, COMPANY_PROGRAM, staff[i % len(staff)]),
                           "mug", f"hot-co-{i:06d}")
            for call in meter.reset():
                if call.operation == "TransactWriteItems":
                    writes.update(written_keys(call.params))
    scale = COMPANY_SPENDS_PER_S / spend_count
    busiest = [{"item": _pattern(k), "writes_in_run": n, "writes_per_s": round(n * scale, 1)}
               for k, n in writes.most_common(3)]
    return {"spends": spend_count, "company_spends_per_s": COMPANY_SPENDS_PER_S,
            "max_item_writes_per_s": busiest[0]["writes_per_s"],
            "max_item": busiest[0]["item"], "busiest": busiest,
            "item_limit_per_s": ITEM_TRANSACT_WRITES_PER_S}
