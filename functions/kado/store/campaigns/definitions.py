"""Campaign items, their stock shards and their statistics shards."""

from __future__ import annotations

from typing import Any

from kado.domain.budgets import BudgetLink
from kado.domain.calendar import iso, parse_iso
from kado.domain.campaigns.rules import (
    Campaign,
    CampaignStatus,
    Eligibility,
    Limits,
    Prize,
    PrizeKind,
    StockPlan,
)
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.shards import STAT_SHARDS, split_stock
from kado.store.kernel import codec, transact
from kado.store.kernel import item_keys as keys
from kado.store.kernel.pages import Page, query_index
from kado.store.kernel.reads import get_many, get_one
from kado.store.kernel.tables import GSI1_PK, GSI1_SK

STOCK_LEFT = "left"
# Set on every statistics shard while a campaign is paused or ended. Every spin
# updates one shard on the condition that it is absent, so a halt binds all
# instances the moment it commits, whatever definition they still cache.
HALTED = "halted"


def to_item(program: str, c: Campaign) -> dict[str, Any]:
    values: dict[str, Any] = {
        "type": "CAMPAIGN",
        "program": program,
        "id": c.id,
        "name": c.name,
        "startsAt": iso(c.starts_at),
        "endsAt": iso(c.ends_at),
        "timezone": c.timezone,
        "status": c.status.value,
        "costPoints": c.cost_points,
        "requiresCredit": c.requires_credit,
        "limits": {k: v for k, v in (("perMemberPerDay", c.limits.per_member_per_day),
                                     ("perMemberTotal", c.limits.per_member_total)) if v},
        "eligibility": {"tiers": list(c.eligibility.tiers),
                        "memberIds": list(c.eligibility.member_ids),
                        "accountIds": list(c.eligibility.account_ids)},
        "prizes": [{"id": p.id, "name": p.name, "kind": p.kind.value, "weight": p.weight,
                    **({"stock": p.stock} if p.stock is not None else {}),
                    **({"productId": p.product_id} if p.product_id else {}),
                    **({"cost": p.cost} if p.cost else {})}
                   for p in c.prizes],
        "budgets": [{"budgetId": b.budget_id, "percent": b.percent} for b in c.budgets],
        "holdoutPercent": c.holdout_percent or None,
        "serverSeed": c.server_seed,
        "serverSeedHash": c.server_seed_hash,
        "stockPlan": [{"prizeId": s.prize_id, "shards": list(s.shards)} for s in c.stock_plan],
        "version": c.version,
        "createdAt": c.created_at,
        GSI1_PK: keys.campaigns_index(program),
        GSI1_SK: f"{c.created_at}#{c.id}",
    }
    return {**keys.campaign(program, c.id), **codec.dump(values)}


def from_item(item: dict[str, Any]) -> Campaign:
    limits = item.get("limits") or {}
    rules = item.get("eligibility") or {}
    return Campaign(
        id=item["id"],
        name=item["name"],
        starts_at=parse_iso(item["startsAt"]),
        ends_at=parse_iso(item["endsAt"]),
        timezone=item["timezone"],
        status=CampaignStatus(item["status"]),
        limits=Limits(limits.get("perMemberPerDay"), limits.get("perMemberTotal")),
        eligibility=Eligibility(tuple(rules.get("tiers", ())), tuple(rules.get("memberIds", ())),
                                tuple(rules.get("accountIds", ()))),
        prizes=tuple(Prize(p["id"], p["name"], PrizeKind(p["kind"]), p["weight"], p.get("stock"),
                           p.get("productId"), p.get("cost", 0)) for p in item["prizes"]),
        budgets=tuple(BudgetLink(b["budgetId"], b["percent"]) for b in item.get("budgets", [])),
        holdout_percent=item.get("holdoutPercent", 0),
        server_seed=item.get("serverSeed"),
        server_seed_hash=item.get("serverSeedHash"),
        stock_plan=tuple(StockPlan(s["prizeId"], tuple(s["shards"]))
                         for s in item.get("stockPlan", [])),
        version=item.get("version", 0),
        created_at=item.get("createdAt"),
        cost_points=item.get("costPoints"),
        requires_credit=item.get("requiresCredit", False),
    )


def get(program: str, campaign_id: str) -> Campaign | None:
    item = get_one(keys.campaign(program, campaign_id))
    return from_item(item) if item else None


def _versioned(program: str, c: Campaign, expected_version: int | None) -> dict[str, Any]:
    """Optimistic locking: a write lands only on the version it was based on."""
    if expected_version is None:
        return transact.put(to_item(program, c), "attribute_not_exists(pk)")
    return transact.put(to_item(program, c), "version = :v",
                        values={":v": {"N": str(expected_version)}})


def save(program: str, c: Campaign, expected_version: int | None,
         extra_parts: dict[str, dict[str, Any]] | None = None) -> None:
    try:
        transact.write({"campaign": _versioned(program, c, expected_version),
                        **(extra_parts or {})})
    except transact.Cancelled as exc:
        if exc.failed("campaign"):
            raise DomainError(ErrorCode.BUSY, "the campaign changed meanwhile; read and retry",
                              "id") from exc
        raise


def stock_parts(program: str, c: Campaign) -> dict[str, dict[str, Any]]:
    """Fresh shard items at launch, each created only if it does not exist yet."""
    parts = {}
    for plan in c.stock_plan:
        for shard, units in enumerate(plan.shards):
            item = {**keys.stock_shard(program, c.id, plan.prize_id, shard),
                    **codec.dump({STOCK_LEFT: units})}
            parts[f"stock:{plan.prize_id}:{shard}"] = transact.put(
                item, "attribute_not_exists(pk)")
    return parts


def restock_parts(program: str, c: Campaign, added: dict[str, int]) -> dict[str, dict[str, Any]]:
    """Spread added units over a prize's existing shards."""
    parts = {}
    counts = c.shard_counts()
    for prize_id, units in added.items():
        for shard, extra in enumerate(split_stock(units, counts[prize_id])):
            if extra:
                parts[f"stock:{prize_id}:{shard}"] = transact.update(
                    keys.stock_shard(program, c.id, prize_id, shard), "ADD #l :n",
                    names={"#l": STOCK_LEFT}, values={":n": {"N": str(extra)}})
    return parts


def stock_left(program: str, c: Campaign, prize_id: str) -> list[int]:
    """Units left in each shard of a prize (strongly consistent)."""
    count = c.shard_counts().get(prize_id, 0)
    wanted = [keys.stock_shard(program, c.id, prize_id, i) for i in range(count)]
    return [int((item or {}).get(STOCK_LEFT, 0)) for item in get_many(wanted)]


def gate_parts(program: str, c: Campaign) -> dict[str, dict[str, Any]]:
    """Open (LIVE) or close (PAUSED, ENDED) every statistics shard to spins."""
    parts = {}
    for shard in range(STAT_SHARDS):
        key = keys.stat_shard(program, c.id, shard)
        parts[f"gate:{shard}"] = (
            transact.update(key, "REMOVE #h", names={"#h": HALTED})
            if c.status is CampaignStatus.LIVE else
            transact.update(key, "SET #h = :status", names={"#h": HALTED},
                            values={":status": {"S": c.status.value}}))
    return parts


def stats(program: str, c: Campaign) -> dict[str, int]:
    """Campaign counters summed over their shards: spins, wins, won#<prize>, outOfStock."""
    wanted = [keys.stat_shard(program, c.id, i) for i in range(STAT_SHARDS)]
    totals: dict[str, int] = {}
    for item in filter(None, get_many(wanted)):
        for name, value in item.items():
            if isinstance(value, int) and name not in ("pk", "sk"):
                totals[name] = totals.get(name, 0) + value
    return totals


def list_page(program: str, first: int, after: str | None, keep=lambda _: True) -> Page:
    return query_index(keys.campaigns_index(program), first, after,
                       keep=lambda item: item.get("type") == "CAMPAIGN" and keep(item))
