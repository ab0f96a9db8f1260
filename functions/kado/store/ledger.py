"""A member's loyalty state (points wallet and tier standing, on the member item) and the
points ledger.

Every movement is one transaction in which the holder's `seq` (a member item, or a
company wallet shard) goes from the value the writer expected to the next, with the
ledger entry keyed by that next value. So entries are numbered in commit order (a gap
where only a tier standing moved), each knows the balance it left, and two movements can
never both be applied on the same old state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kado.domain.calendar import iso, parse_iso
from kado.domain.ledger.movements import Movement, Wallet
from kado.domain.ledger.pending import total
from kado.domain.shards import COMPANY_WALLET_SHARDS, stable_shard
from kado.domain.tiers import Standing
from kado.store.kernel import codec, transact
from kado.store.kernel import item_keys as keys
from kado.store.kernel.pages import Page, every_item, query_index
from kado.store.kernel.reads import get_many, get_one
from kado.store.kernel.tables import GSI1_PK, GSI1_SK

SEQ, POINTS, EARNED, LOTS, PENDING = "seq", "points", "pointsEarned", "lots", "pending"
# On every shard of a company wallet while any shard is below zero (ADR 0008): a spend
# from a shard is conditioned on its absence, so a company's debt binds every spend.
IN_DEBT = "inDebt"
TIER, TIER_UNTIL, PROGRESS, FIXED_UNTIL = "tier", "tierUntil", "progress", "tierFixedUntil"


def wallet_of(member: dict[str, Any]) -> Wallet:
    return Wallet(member.get(SEQ, 0), member.get(POINTS, 0), member.get(EARNED, 0),
                  dict(member.get(LOTS) or {}), dict(member.get(PENDING) or {}))


def standing_of(member: dict[str, Any], base_tier: str) -> Standing:
    tier = member.get(TIER)
    until = member.get(TIER_UNTIL)
    fixed = member.get(FIXED_UNTIL)
    return Standing(tier=None if tier in (None, base_tier) else tier,
                    until=parse_iso(until) if until else None,
                    progress=tuple(sorted((member.get(PROGRESS) or {}).items())),
                    fixed_until=parse_iso(fixed) if fixed else None)


def holder_key(m: Movement) -> dict[str, Any]:
    if m.shard is not None:
        return keys.wallet_shard(m.program, *m.shard)
    return keys.member(m.program, m.member_id)

def entry_key(m: Movement, seq: int) -> tuple[dict[str, Any], str, str]:
    """The ledger entry's key, and its index partition and sort key."""
    if m.shard is not None:
        account, shard = m.shard
        return (keys.wallet_ledger(m.program, account, shard, seq),
                keys.wallet_ledger_index(m.program, account),
                f"{m.entry.at}#{shard}#{seq:010d}")
    return (keys.points_ledger(m.program, m.member_id, seq),
            keys.points_ledger_index(m.program, m.member_id), f"{seq:010d}")


@dataclass(frozen=True)
class MemberUpdate:
    """A movement's share of an UpdateItem on the member item, to write alone or merged into
    another update of that item (a spin's), since one transaction touches an item once."""

    sets: list[str]
    removes: list[str]
    condition: str
    names: dict[str, str]
    values: dict[str, Any]  # plain values, dumped by whoever writes them


def member_update(m: Movement) -> MemberUpdate:
    """The member item moved from `expected` to the next seq."""
    settled = m.settled()
    seq, balance = m.expected.seq + 1, settled.balance
    m.check_within_bounds(balance)
    names = {"#seq": SEQ, "#pts": POINTS, "#earned": EARNED, "#id": "id", "#type": "type"}
    values: dict[str, Any] = {":seq": seq, ":balance": balance,
                              ":earned": m.expected.earned + m.earned,
                              ":id": m.shard[0] if m.shard else m.member_id,
                              ":type": "COMPANY_WALLET" if m.shard else "MEMBER"}
    sets = ["#seq = :seq", "#pts = :balance", "#earned = :earned", "#id = :id",
            "#type = :type"]
    removes: list[str] = []
    if m.expiry is not None:
        names["#lots"] = LOTS
        values[":lots"] = settled.lots
        sets.append("#lots = :lots")
    pending = m.still_pending()
    if pending or m.expected.pending:
        names["#pending"] = PENDING
        values[":pending"] = pending
        sets.append("#pending = :pending")
    if m.standing is not None:
        _write_standing(m, m.standing, names, values, sets, removes)
    if m.shard is not None and balance < 0:
        names["#debt"] = IN_DEBT
        values[":debt"] = True
        sets.append("#debt = :debt")
    elif m.settles_debt:
        names["#debt"] = IN_DEBT
        removes.append("#debt")
    below_floor = m.floor is not None and balance - total(pending) < m.floor
    if m.expected.seq == 0 and below_floor:
        # A new wallet cannot pay. The plan may be stale, though, so it is sent with a
        # condition that cannot hold: the item comes back in the cancellation, and the
        # caller either re-plans from it or, if there is no wallet, refuses.
        condition = "attribute_exists(#seq) AND attribute_not_exists(#seq)"
    elif m.expected.seq == 0:
        condition = "attribute_not_exists(#seq)"
        if m.on_file_only:
            condition = "attribute_exists(#type) AND " + condition
    else:
        condition = "#seq = :expected"
        values[":expected"] = m.expected.seq
        if m.entry.delta < 0 and m.floor is not None:
            # Stated to the database too: a spend never takes the balance below the floor
            # (lapsed points are gone first).
            condition += " AND #pts >= :needed"
            values[":needed"] = m.needed_to_spend(settled, pending)
            if m.shard is not None and not m.settles_debt:  # none pays while in debt
                names["#debt"] = IN_DEBT
                condition += " AND attribute_not_exists(#debt)"
    if m.standing is not None or m.check_tier:  # a tier set meanwhile is never overwritten
        names["#tier"] = TIER
        if m.expected_tier is None:
            condition += " AND attribute_not_exists(#tier)"
        else:
            condition += " AND #tier = :oldtier"
            values[":oldtier"] = m.expected_tier
    return MemberUpdate(sets, removes, condition, names, values)


def _write_standing(m: Movement, standing: Standing, names: dict[str, str],
                    values: dict[str, Any], sets: list[str], removes: list[str]) -> None:
    """The tier standing's share of the member item's update."""
    names.update({"#tier": TIER, "#until": TIER_UNTIL, "#progress": PROGRESS,
                  "#fixed": FIXED_UNTIL, "#lpk": GSI1_PK, "#lsk": GSI1_SK})
    values[":tier"] = standing.tier or m.base_tier
    values[":progress"] = dict(standing.progress)
    sets += ["#tier = :tier", "#progress = :progress"]
    for name, moment in (("until", standing.until), ("fixed", standing.fixed_until)):
        if moment is None:
            removes.append(f"#{name}")
        else:
            values[f":{name}"] = iso(moment)
            sets.append(f"#{name} = :{name}")
    # Listed under the day its tier lapses, for the tidy-up job (services/tiers/lapses).
    if standing.until is None:
        removes += ["#lpk", "#lsk"]
    else:
        values[":lpk"] = lapse_listing(m.program, m.member_id, standing.until)
        values[":lsk"] = m.member_id
        sets += ["#lpk = :lpk", "#lsk = :lsk"]


LAPSE_SHARDS = 16


def lapse_listing(program: str, member_id: str, until: datetime) -> str:
    shard = stable_shard(member_id, LAPSE_SHARDS)
    return keys.tier_lapses_index(program, until.astimezone(UTC).date().isoformat(), shard)


def lapsing(program: str, day: str) -> list[dict[str, Any]]:
    """Members listed as lapsing on `day`, every shard."""
    return [item for shard in range(LAPSE_SHARDS)
            for item in every_item(keys.tier_lapses_index(program, day, shard))]


def entry_part(m: Movement) -> dict[str, Any]:
    """The ledger entry numbered by the seq the movement takes the member item to."""
    settled = m.settled()
    seq, balance = m.expected.seq + 1, settled.balance
    key, index, order = entry_key(m, seq)
    line = {"type": "POINTS_ENTRY", "seq": seq, "delta": m.entry.delta,
            "balanceAfter": balance, "expired": settled.expired, "reason": m.entry.reason,
            "source": m.entry.source,
            "sourceRef": m.entry.source_ref, "actor": m.entry.actor, "at": m.entry.at,
            "memberId": m.member_id, "shard": m.shard[1] if m.shard else None,
            GSI1_PK: index, GSI1_SK: order}
    return transact.put({**key, **codec.dump(line)}, "attribute_not_exists(pk)")


def movement_parts(m: Movement, name: str = "member") -> dict[str, dict[str, Any]]:
    """The moved item (the member's, or a company wallet shard) and its ledger entry, as
    parts `name` and `name`_entry of one transaction."""
    u = member_update(m)
    expression = "SET " + ", ".join(u.sets) + (" REMOVE " + ", ".join(u.removes)
                                               if u.removes else "")
    moved = transact.update(holder_key(m), expression, u.condition, names=u.names,
                            values=codec.dump(u.values))
    parts = {name: moved}
    if m.shard is not None and m.settled().balance < 0:
        # Into debt (a return): no shard of the company may pay until it is settled.
        parts.update(_debt_mark_parts(m.program, *m.shard))
    if m.write_entry:
        parts["entry" if name == "member" else f"{name}_entry"] = entry_part(m)
    return parts


def seen(member: dict[str, Any]) -> bool:
    """The copy a plan starts from is of a member on file: read from the table (it has its
    type), or left by a movement this instance wrote (it has a seq)."""
    return "type" in member or member.get(SEQ, 0) > 0


def on_file_part(program: str, member_id: str) -> dict[str, Any]:
    """That the member is on file, for a transaction that does not write the member."""
    return transact.check(keys.member(program, member_id), "attribute_exists(#type)",
                          names={"#type": "type"})


def _debt_mark_parts(program: str, account_id: str, moved: int) -> dict[str, dict[str, Any]]:
    """Mark every shard but `moved` (whose movement marks itself) as in debt: written in the
    transaction that takes a shard below zero, so from its commit no shard can pay."""
    return {f"debt{i}": transact.update(keys.wallet_shard(program, account_id, i),
                                        "SET #debt = :debt", names={"#debt": IN_DEBT},
                                        values={":debt": {"BOOL": True}})
            for i in range(COMPANY_WALLET_SHARDS) if i != moved}


def debt_cleared_part(program: str, account_id: str, shard: int,
                      seq: int) -> dict[str, Any]:
    """Clear the mark from a shard the settlement does not move, if it is still at `seq`."""
    condition = "#seq = :seq" if seq else "attribute_not_exists(#seq)"
    return transact.update(keys.wallet_shard(program, account_id, shard), "REMOVE #debt",
                           condition, names={"#debt": IN_DEBT, "#seq": SEQ},
                           values={":seq": {"N": str(seq)}} if seq else None)


def member_and_wallet(program: str, member_id: str, account_id: str,
                      shards: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The member item and every shard of the company wallet, in one consistent batch read."""
    found = get_many([keys.member(program, member_id),
                      *(keys.wallet_shard(program, account_id, i) for i in range(shards))])
    return found[0] or {}, [item or {} for item in found[1:]]


def tier_change_part(program: str, member_id: str, period: str, tier: str, previous: str,
                     at: str, reason: str) -> dict[str, Any]:
    return tier_record_part(keys.tier_change(program, member_id, period, tier),
                            keys.tier_changes_index(program, member_id), period, tier,
                            previous, at, reason)


def tier_record_part(key: dict[str, Any], index: str, period: str, tier: str, previous: str,
                     at: str, reason: str) -> dict[str, Any]:
    """A tier change, written once (a member's or a company's: `key` and `index` say)."""
    item = {**key, **codec.dump({"type": "TIER_CHANGE", "tier": tier, "previous": previous,
                                 "period": period, "at": at, "reason": reason,
                                 GSI1_PK: index, GSI1_SK: f"{at}#{tier}"})}
    return transact.put(item, "attribute_not_exists(pk)")


def ledger_page(program: str, member_id: str, first: int, after: str | None) -> Page:
    return query_index(keys.points_ledger_index(program, member_id), first, after)


def tier_changes(program: str, member_id: str) -> list[dict[str, Any]]:
    """Every tier change of a member, oldest first."""
    return list(every_item(keys.tier_changes_index(program, member_id), newest_first=False))


def get_member(program: str, member_id: str) -> dict[str, Any] | None:
    return get_one(keys.member(program, member_id))


def get_members(program: str, member_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Member items by id, in batches (BatchGetItem); a member never seen is left out."""
    found = get_many([keys.member(program, m) for m in member_ids])
    return {str(item["id"]): item for item in found if item and item.get("id")}
