"""Quests, each member's progress in them, and badges.

  quest     the definition: the current one and every version members may still be on
            (GSI1: the program's quests)
  progress  one per member, quest and cycle, in the member's partition, moved like a
            wallet: from the `seq` its writer read (GSI2: the quest's board, by score)
  company   per company, quest and cycle: how many of its members completed it (GSI2)
  badge     one per badge earned, with the quest and cycle that earned it (GSI1: the
            member's badges)
"""

from __future__ import annotations

from typing import Any

from kado.store import boards, codec, keys, transact
from kado.store.pages import Page, every_item, query_index
from kado.store.reads import get_many, get_one
from kado.store.tables import GSI1_PK, GSI1_SK

SEQ = "seq"


def put_quest(program: str, values: dict[str, Any], versions: dict[str, Any],
              expected_version: int | None) -> None:
    item = {**keys.quest(program, values["id"]), **codec.dump({
        **values, "type": "QUEST", "versions": versions,
        GSI1_PK: keys.quests_index(program), GSI1_SK: values["id"]})}
    if expected_version is None:
        condition, expr = "attribute_not_exists(pk)", {}
    else:
        condition = "#v = :v"
        expr = {"names": {"#v": "version"}, "values": {":v": {"N": str(expected_version)}}}
    transact.write({"quest": transact.put(item, condition, **expr)})


def get_quest(program: str, quest_id: str) -> dict[str, Any] | None:
    return get_one(keys.quest(program, quest_id))


def quests_page(program: str, first: int, after: str | None) -> Page:
    return query_index(keys.quests_index(program), first, after, newest_first=False)


def every_quest(program: str) -> list[dict[str, Any]]:
    return list(every_item(keys.quests_index(program), newest_first=False))


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
