"""The spin ledger and the one transaction that records a spin.

A spin is a single TransactWriteItems of up to seven parts:
  spin     the ledger entry, keyed by member + idempotency key (attribute_not_exists)
  member   the member's eligibility and account, checked (the profile is created lazily)
  day      the member's spins in this campaign today (limited if there is a daily
           limit); its index entry makes the member one of the day's players
  total    the member's spins in this campaign, if there is a total limit
  account  a ConditionCheck that the member's company accepts gifts (one policy copy),
           and holds an admitted tier where members take their company's
  stock    the conditional decrement of one stock shard (won limited prizes only)
  voucher  a won voucher: a new code, or the claim of an unissued pool code
  ledger   the voucher's ledger line
  entry    the points ledger entry, when the campaign has a costPoints (the price is
           taken on the member item, in the same update as its conditions)
  credit   one of the member's spin credits, on a campaign that requires one
  stats    the campaign's counters, on one of several shards, if the campaign is not
           halted (paused or ended) there
  dayStats the same shard's counters for the campaign's local day
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from kado.domain.ledger.movements import Movement
from kado.domain.shards import stable_shard_by_first_byte
from kado.store.campaigns.definitions import HALTED
from kado.store.kernel import codec, transact
from kado.store.kernel import item_keys as keys
from kado.store.kernel.pages import Page, every_item, query_index
from kado.store.kernel.reads import get_one
from kado.store.kernel.tables import GSI1_PK, GSI1_SK, GSI2, GSI2_PK, GSI2_SK, TTL_ATTRIBUTE
from kado.store.ledger import entry_part, member_update
from kado.store.members import TierRule, gift_check_part

PLAYED = "played"
# A day counter outlives its day by this much, then TTL removes it: it is also the record
# that the member played that day (the campaign's daily unique players), kept a year.
DAY_COUNTER_KEPT = timedelta(days=400)
# A campaign's players are indexed over this many partitions (by member): every spin
# rewrites its member's entry, and one index partition takes about 1,000 writes a second,
# so a campaign takes about 16,000 spins a second before its players index throttles.
PLAYER_SHARDS = 16


@dataclass(frozen=True)
class MemberRules:
    """What the member item must satisfy, as the database will check it."""

    account_id: str | None
    tiers: tuple[str, ...]
    default_tier: str
    per_day: int | None
    per_total: int | None
    now: str = ""  # a tier whose tierUntil has passed has lapsed: it no longer qualifies
    # A lapsed tier the service judged from the item as it was: (tier, until) as read,
    # then the tier in force and its new until. Written only if the item is still so.
    roll: tuple[str | None, str | None, str, str | None] | None = None
    # Where members take their company's tier: the campaign's tiers, checked on the
    # company's policy copy instead of the member item.
    company_tier: TierRule | None = None


@dataclass(frozen=True)
class SpinRecord:
    program: str
    spin_id: str
    campaign_id: str
    member_id: str
    idempotency_key: str
    created_at: str
    day: str
    drawn_prize_id: str
    won_prize_id: str | None
    outcome: str
    stock_shard: int | None
    stat_shard: int
    voucher_id: str | None = None
    # The drawn prize's kind and what a win of it costs the budgets (the facts' awards by
    # kind and cost, reports/campaign_awards_per_day.sql).
    drawn_kind: str | None = None
    drawn_cost: int = 0


def record(spin: SpinRecord, rules: MemberRules,
           prize_parts: dict[str, dict[str, Any]] | None = None,
           cost: Movement | None = None) -> None:
    """Write the spin and everything it consumes, atomically. Raises transact.Cancelled.

    `prize_parts` are what the prize itself writes (a voucher and its ledger line).
    """
    parts = {"spin": _spin_part(spin), "member": _member_part(spin, rules, cost),
             **(prize_parts or {})}
    if cost is not None:
        parts["entry"] = entry_part(cost)
    parts["day"] = _count_part(
        keys.spins_played_on(spin.program, spin.member_id, spin.campaign_id, spin.day),
        rules.per_day, expires=_day_counter_expiry(spin.day),
        player=(keys.campaign_players(spin.program, spin.campaign_id,
                                      player_shard(spin.member_id)),
                f"{spin.day}#{spin.member_id}"))
    if rules.per_total is not None:
        parts["total"] = _count_part(
            keys.spins_played(spin.program, spin.member_id, spin.campaign_id), rules.per_total)
    if rules.account_id:
        parts["account"] = gift_check_part(spin.program, rules.account_id,
                                           tier=rules.company_tier)
    if spin.won_prize_id is not None and spin.stock_shard is not None:
        parts["stock"] = transact.update(
            keys.stock_shard(spin.program, spin.campaign_id, spin.won_prize_id, spin.stock_shard),
            "SET #l = #l - :one", "#l > :zero",
            names={"#l": "left"}, values={":one": {"N": "1"}, ":zero": {"N": "0"}})
    parts["stats"] = _stats_part(spin)
    parts["dayStats"] = _day_stats_part(spin)
    transact.write(parts)


def _spin_part(spin: SpinRecord) -> dict[str, Any]:
    values = {
        "type": "SPIN",
        "id": spin.spin_id,
        "campaignId": spin.campaign_id,
        "memberId": spin.member_id,
        "idempotencyKey": spin.idempotency_key,
        "createdAt": spin.created_at,
        "day": spin.day,
        "drawnPrizeId": spin.drawn_prize_id,
        "prizeId": spin.won_prize_id,
        "won": spin.won_prize_id is not None,
        "outcome": spin.outcome,
        "stockShard": spin.stock_shard,
        "voucherId": spin.voucher_id,
        "prizeKind": spin.drawn_kind if spin.won_prize_id else None,
        "prizeCost": spin.drawn_cost if spin.won_prize_id else None,
        GSI1_PK: keys.member_spins_index(spin.program, spin.member_id, spin.campaign_id),
        GSI1_SK: f"{spin.created_at}#{spin.spin_id}",
        # Every campaign's spins of the member, by time (GSI2 sorts numbers).
        GSI2_PK: keys.member_all_spins_index(spin.program, spin.member_id),
        GSI2_SK: int(datetime.fromisoformat(spin.created_at).timestamp() * 1000),
    }
    item = {**keys.spin(spin.program, spin.member_id, spin.idempotency_key), **codec.dump(values)}
    return transact.put(item, "attribute_not_exists(pk)")


def _count_part(key: dict[str, Any], limit: int | None, expires: int | None = None,
                player: tuple[str, str] | None = None) -> dict[str, Any]:
    """One more spin, if the count is still below the limit (any count, with no limit)."""
    names, values = {"#n": PLAYED}, {":one": {"N": "1"}}
    expression, sets = "ADD #n :one", []
    if expires is not None:
        names["#ttl"] = TTL_ATTRIBUTE
        values[":ttl"] = {"N": str(expires)}
        sets.append("#ttl = :ttl")
    if player is not None:
        names |= {"#gp": GSI1_PK, "#gs": GSI1_SK}
        values |= {":gp": {"S": player[0]}, ":gs": {"S": player[1]}}
        sets += ["#gp = :gp", "#gs = :gs"]
    if sets:
        expression += " SET " + ", ".join(sets)
    if limit is None:
        return transact.update(key, expression, names=names, values=values)
    values[":limit"] = {"N": str(limit)}
    return transact.update(key, expression, "attribute_not_exists(#n) OR #n < :limit",
                           names=names, values=values)


def player_shard(member_id: str) -> int:
    return stable_shard_by_first_byte(member_id, PLAYER_SHARDS)


def _day_counter_expiry(day: str) -> int:
    return int((datetime.fromisoformat(day).replace(tzinfo=UTC) + DAY_COUNTER_KEPT).timestamp())


def _member_part(spin: SpinRecord, rules: MemberRules,
                 cost: Movement | None = None) -> dict[str, Any]:
    """Eligibility on the profile; nothing here grows with campaigns or days."""
    names = {"#tier": "tier", "#acct": "accountId", "#created": "createdAt", "#id": "id",
             "#type": "type"}
    values: dict[str, Any] = {":deftier": {"S": rules.default_tier},
                              ":now": {"S": spin.created_at}, ":id": {"S": spin.member_id},
                              ":type": {"S": "MEMBER"}}
    sets = ["#tier = if_not_exists(#tier, :deftier)", "#created = if_not_exists(#created, :now)",
            "#id = :id", "#type = :type"]
    removes: list[str] = []
    # The spin was judged for this company (or none): it must be the one on file at commit.
    if rules.account_id:
        values[":acct"] = {"S": rules.account_id}
        conditions = ["#acct = :acct"]
    else:
        conditions = ["attribute_not_exists(#acct)"]
    if rules.roll is not None:
        old_tier, old_until, new_tier, new_until = rules.roll
        names["#until"] = "tierUntil"
        values.update({":oldtier": {"S": old_tier or ""}, ":olduntil": {"S": old_until or ""},
                       ":newtier": {"S": new_tier}})
        conditions.append("#tier = :oldtier AND #until = :olduntil")
        sets.remove("#tier = if_not_exists(#tier, :deftier)")
        del values[":deftier"]
        sets.append("#tier = :newtier")
        if new_until:
            values[":newuntil"] = {"S": new_until}
            sets.append("#until = :newuntil")
        else:
            removes.append("#until")
    elif rules.tiers:
        placeholders = []
        for i, tier in enumerate(rules.tiers):
            values[f":tier{i}"] = {"S": tier}
            placeholders.append(f":tier{i}")
        allowed = f"#tier IN ({', '.join(placeholders)})"
        if rules.default_tier in rules.tiers:
            allowed = f"({allowed} OR attribute_not_exists(#tier))"
        names["#until"] = "tierUntil"
        values[":tiernow"] = {"S": rules.now}
        conditions.append(f"{allowed} AND (attribute_not_exists(#until) OR #until > :tiernow)")
    if cost is not None:  # the spin's price, on the same item: one update, both conditions
        paid = member_update(cost)
        names |= paid.names
        values |= codec.dump(paid.values)
        sets = list(dict.fromkeys(sets + paid.sets))
        removes += paid.removes
        conditions.append(paid.condition)
    expression = "SET " + ", ".join(sets) + (" REMOVE " + ", ".join(removes) if removes else "")
    return transact.update(keys.member(spin.program, spin.member_id), expression,
                           " AND ".join(conditions), names=names, values=values)


# A drawn prize that could not be given, counted by why (the campaign's stats show both).
NO_WIN_COUNTERS = {"OUT_OF_STOCK": "outOfStock", "OUT_OF_BUDGET": "outOfBudget"}


def _stats_part(spin: SpinRecord) -> dict[str, Any]:
    names = {"#spins": "spins", "#halted": HALTED}
    expression = "ADD #spins :one"
    if spin.won_prize_id is not None:
        names["#wins"], names["#prize"] = "wins", f"won#{spin.won_prize_id}"
        expression += ", #wins :one, #prize :one"
    elif spin.outcome in NO_WIN_COUNTERS:
        names["#nowin"] = NO_WIN_COUNTERS[spin.outcome]
        expression += ", #nowin :one"
    # The campaign gate: a pause or end written after our definition was cached
    # still refuses this spin (see campaigns.gate_parts).
    return transact.update(keys.stat_shard(spin.program, spin.campaign_id, spin.stat_shard),
                           expression, "attribute_not_exists(#halted)", names=names,
                           values={":one": {"N": "1"}})


def _day_stats_part(spin: SpinRecord) -> dict[str, Any]:
    names = {"#spins": "spins", "#day": "day"}
    expression = "ADD #spins :one"
    if spin.won_prize_id is not None:
        names["#wins"] = "wins"
        expression += ", #wins :one"
    elif spin.outcome in NO_WIN_COUNTERS:
        names["#nowin"] = NO_WIN_COUNTERS[spin.outcome]
        expression += ", #nowin :one"
    return transact.update(
        keys.stat_day(spin.program, spin.campaign_id, spin.stat_shard, spin.day),
        expression + " SET #day = :day", names=names,
        values={":one": {"N": "1"}, ":day": {"S": spin.day}})


def get(program: str, member_id: str, idempotency_key: str) -> dict[str, Any] | None:
    return get_one(keys.spin(program, member_id, idempotency_key))


def list_page(program: str, member_id: str, campaign_id: str, first: int,
              after: str | None) -> Page:
    return query_index(keys.member_spins_index(program, member_id, campaign_id), first, after)


def every_campaign_page(program: str, member_id: str, first: int, after: str | None) -> Page:
    """The member's spins in every campaign, newest first."""
    return query_index(keys.member_all_spins_index(program, member_id), first, after,
                       index=GSI2)


def list_all(program: str, member_id: str, campaign_id: str) -> list[dict[str, Any]]:
    """Every spin of a member in a campaign, oldest first (audits and verification)."""
    return list(every_item(keys.member_spins_index(program, member_id, campaign_id),
                           newest_first=False))
