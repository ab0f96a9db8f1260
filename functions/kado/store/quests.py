"""Quests, each member's progress in them, and badges.

  quest     the definition: the current one and every version members may still be on
            (GSI1: the program's quests)
  progress  one per member, quest and cycle, in the member's partition, moved like a
            wallet: from the `seq` its writer read (GSI2: the quest's board, by score)
  company   per company, quest and cycle: how many of its members completed it (GSI2)
  badge     one per badge earned, with the quest and cycle that earned it (GSI1: the
            member's badges)
  gate      the program's live quests (ids) and an epoch, on identical copies that every
            launch, end or live edit moves together; every activity's transaction checks
            the epoch it planned with on one copy, so no instance counts on a stale list
"""

from __future__ import annotations

from typing import Any

from kado.domain.shards import QUEST_GATE_COPIES, pick_shard
from kado.store import leaderboards as boards
from kado.store.kernel import codec, transact
from kado.store.kernel import item_keys as keys
from kado.store.kernel.pages import Page, query_index
from kado.store.kernel.reads import get_many, get_one
from kado.store.kernel.tables import GSI1_PK, GSI1_SK

SEQ = "seq"


def put_quest(program: str, values: dict[str, Any], versions: dict[str, Any],
              expected_version: int | None,
              gate: dict[str, dict[str, Any]] | None = None) -> None:
    item = {**keys.quest(program, values["id"]), **codec.dump({
        **values, "type": "QUEST", "versions": versions,
        GSI1_PK: keys.quests_index(program), GSI1_SK: values["id"]})}
    if expected_version is None:
        condition, expr = "attribute_not_exists(pk)", {}
    else:
        condition = "#v = :v"
        expr = {"names": {"#v": "version"}, "values": {":v": {"N": str(expected_version)}}}
    transact.write({"quest": transact.put(item, condition, **expr), **(gate or {})})


EPOCH, LIVE = "epoch", "live"


def gate_parts(program: str, quest_id: str, live: bool | None) -> dict[str, dict[str, Any]]:
    """Move the epoch on every copy of the gate; with `live`, add the quest to the live set
    (True) or take it out (False)."""
    expression = "ADD #epoch :one"
    names, values = {"#epoch": EPOCH}, {":one": {"N": "1"}, ":id": {"SS": [quest_id]}}
    if live is not None:
        names["#live"] = LIVE
        expression += ", #live :id" if live else " DELETE #live :id"
    else:
        del values[":id"]
    return {f"gate{i}": transact.update(keys.quest_gate(program, i), expression,
                                        names=names, values=values)
            for i in range(QUEST_GATE_COPIES)}


def read_gate(program: str) -> tuple[int, list[str]] | None:
    """The epoch and the live quests' ids, read consistently; None if no quest ever went
    live in this program."""
    found = get_one(keys.quest_gate(program, pick_shard(QUEST_GATE_COPIES)))
    if found is None:
        return None
    return int(found.get(EPOCH, 0)), sorted(found.get(LIVE) or ())


def gate_check_part(program: str, epoch: int) -> dict[str, Any]:
    """That the live quests are still those of `epoch` (on one random copy of the gate)."""
    gate = keys.quest_gate(program, pick_shard(QUEST_GATE_COPIES))
    if not epoch:
        return transact.check(gate, "attribute_not_exists(#epoch)", names={"#epoch": EPOCH})
    return transact.check(gate, "#epoch = :epoch", names={"#epoch": EPOCH},
                          values={":epoch": {"N": str(epoch)}})


def quests_by_id(program: str, quest_ids: list[str]) -> list[dict[str, Any]]:
    return [item for item in get_many([keys.quest(program, q) for q in quest_ids]) if item]


def get_quest(program: str, quest_id: str) -> dict[str, Any] | None:
    return get_one(keys.quest(program, quest_id))


def quests_page(program: str, first: int, after: str | None) -> Page:
    return query_index(keys.quests_index(program), first, after, newest_first=False)


def progress_part(program: str, member_id: str, quest_id: str, cycle: str,
                  values: dict[str, Any], expected_seq: int, must_exist: bool,
                  board_score: int, at_ms: int) -> dict[str, Any]:
    """The member's progress, moved from `expected_seq` to the next (a first move of an
    AUTO quest creates it; an OPT_IN one needs the member to have joined)."""
    item = {**keys.quest_progress(program, member_id, quest_id, cycle), **codec.dump({
        **values, "type": "QUEST_PROGRESS", "questId": quest_id, "memberId": member_id,
        "cycle": cycle, SEQ: expected_seq + 1, "score": board_score,
        **boards.fields(boards.quest_members(program, quest_id, cycle), member_id,
                        board_score, at_ms)})}
    if expected_seq or must_exist:
        return transact.put(item, "attribute_exists(pk) AND #s = :s",
                            names={"#s": SEQ}, values={":s": {"N": str(expected_seq)}})
    return transact.put(item, "attribute_not_exists(pk)")


def join_part(program: str, member_id: str, quest_id: str, cycle: str, version: int,
              at: str) -> dict[str, Any]:
    item = {**keys.quest_progress(program, member_id, quest_id, cycle), **codec.dump({
        "type": "QUEST_PROGRESS", "questId": quest_id, "memberId": member_id, "cycle": cycle,
        "version": version, "status": "ACTIVE", "windows": {}, "joinedAt": at, SEQ: 0})}
    return transact.put(item, "attribute_not_exists(pk)")


def progress_of(program: str, member_id: str, quest_cycles: list[tuple[str, str]]
                ) -> list[dict[str, Any] | None]:
    return get_many([keys.quest_progress(program, member_id, q, c) for q, c in quest_cycles])


def badge_part(program: str, member_id: str, badge_id: str, quest_id: str, cycle: str,
               at: str) -> dict[str, Any]:
    item = {**keys.badge(program, member_id, badge_id, f"{quest_id}#{cycle}"), **codec.dump({
        "type": "BADGE", "badge": badge_id, "questId": quest_id, "cycle": cycle,
        "earnedAt": at, "memberId": member_id,
        GSI1_PK: keys.badges_index(program, member_id), GSI1_SK: f"{at}#{badge_id}"})}
    return transact.put(item, "attribute_not_exists(pk)")


def badges_page(program: str, member_id: str, first: int, after: str | None) -> Page:
    return query_index(keys.badges_index(program, member_id), first, after)


def company_completed_part(program: str, account_id: str, quest_id: str, cycle: str,
                           at_ms: int) -> dict[str, Any]:
    """One more of the company's members completed the quest this cycle (its place on the
    quest's company board)."""
    return boards.counted_part(keys.quest_company_entry(program, account_id, quest_id, cycle),
                               boards.quest_companies(program, quest_id, cycle), account_id,
                               at_ms)
