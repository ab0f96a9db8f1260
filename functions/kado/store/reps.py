"""Reps and their awards as items. An award's transaction carries, besides the member's
movement: the award (new, by its id), a check that the rep is active with the member's
company in scope, the rep's and the member's points this period under their limits, and
the rep's budget's debit."""

from __future__ import annotations

from typing import Any

from kado.domain.pages import Page
from kado.store.kernel import codec, transact
from kado.store.kernel import item_keys as keys
from kado.store.kernel.pages import query_index
from kado.store.kernel.reads import get_one
from kado.store.kernel.tables import GSI1_PK, GSI1_SK


def put_rep(program: str, values: dict[str, Any]) -> None:
    transact.write({"rep": transact.put({**keys.rep(program, values["id"]),
                                         **codec.dump({"type": "REP", **values})})})


def get_rep(program: str, rep_id: str) -> dict[str, Any] | None:
    return get_one(keys.rep(program, rep_id))


def scope_part(program: str, rep_id: str, account_id: str) -> dict[str, Any]:
    """The rep is active and the company is in their scope, when the award commits: a rep
    taken off a company an instant before awards nothing there."""
    return transact.check(keys.rep(program, rep_id), "#act = :yes AND contains(#acc, :a)",
                          names={"#act": "active", "#acc": "accounts"},
                          values={":yes": {"BOOL": True}, ":a": {"S": account_id}})


def cap_part(program: str, who: str, period: str, points: int, most: int) -> dict[str, Any]:
    """`points` more under `most` for the period, or refused."""
    return transact.update(
        keys.rep_cap(program, who, period), "ADD #p :p",
        "attribute_not_exists(#p) OR #p <= :room", names={"#p": "points"},
        values={":p": {"N": str(points)}, ":room": {"N": str(most - points)}})


def given(program: str, who: str, period: str) -> int:
    return int((get_one(keys.rep_cap(program, who, period)) or {}).get("points", 0))


def award_part(program: str, award: dict[str, Any]) -> dict[str, Any]:
    item = {"type": "REP_AWARD", **award, GSI1_PK: keys.rep_awards(program, award["repId"]),
            GSI1_SK: f"{award['at']}#{award['id']}"}
    return transact.put({**keys.rep_award(program, award["id"]), **codec.dump(item)},
                        "attribute_not_exists(pk)")


def get_award(program: str, award_id: str) -> dict[str, Any] | None:
    return get_one(keys.rep_award(program, award_id))


def awards(program: str, rep_id: str, first: int, after: str | None) -> Page:
    return query_index(keys.rep_awards(program, rep_id), first, after)


def reversal_part(program: str, award_id: str, at: str, by: str, key: str) -> dict[str, Any]:
    """Once: an award not reversed before."""
    return transact.update(keys.rep_award(program, award_id),
                           "SET #r = :at, #b = :by, #k = :k",
                           "attribute_exists(pk) AND attribute_not_exists(#r)",
                           names={"#r": "reversedAt", "#b": "reversedBy", "#k": "reversalKey"},
                           values=codec.dump({":at": at, ":by": by, ":k": key}))


def uncounted_parts(program: str, award: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A reversed award's points taken off the rep's and the member's counts for its
    period (no condition: a count only ever goes down by what was added)."""
    less = {":p": {"N": str(-int(award["points"]))}}
    return {part: transact.update(keys.rep_cap(program, who, award["period"]), "ADD #p :p",
                                  names={"#p": "points"}, values=less)
            for part, who in (("repUncount", f"R#{award['repId']}"),
                              ("memberUncount", f"M#{award['memberId']}"))}
