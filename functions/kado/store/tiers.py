"""A company's tier standing, where the ladder's level is ACCOUNT.

  progress  COMPANY_PROGRESS_SHARDS items per company. An activity ADDs its credit to one
            at random (attribute `p_<period>`), with no condition, so a big company's
            feed never queues on one item and parallel credits never conflict.
  account   the tier the company holds (`tier`, `tierUntil`) and `tierSeq`, the condition
            that lets only one writer move the tier from a given state.
  policy    every gift-policy copy carries the same three attributes, written in the
            same transaction, so a spin or a reward checks the company's tier on the one
            copy it reads anyway, and an activity pins the tier it planned with.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kado.domain.shards import ACCOUNT_POLICY_SHARDS, COMPANY_PROGRESS_SHARDS
from kado.store.kernel import item_keys as keys
from kado.store.kernel import transact
from kado.store.kernel.pages import Page, every_item, query_index
from kado.store.kernel.reads import get_many
from kado.store.kernel.tables import GSI1_PK, GSI1_SK
from kado.store.ledger import tier_record_part
from kado.store.members import COMPANY_TIER, COMPANY_TIER_SEQ, COMPANY_TIER_UNTIL, PARENT

PROGRESS_PREFIX = "p_"


@dataclass(frozen=True)
class Stored:
    tier: str | None
    until: str | None
    seq: int
    progress: dict[str, int]  # period key -> every shard's credit summed
    known: bool  # the account exists
    parent: str | None = None  # the account above it in the channel's tree


@dataclass(frozen=True)
class Change:
    """The tier change record a tier write leaves (keyed so it is written once)."""

    key: str  # the period reached in, or "lapse-<until>"
    tier: str
    previous: str
    reason: str


def progress_part(program: str, account_id: str, shard: int, period: str,
                  credit: int) -> dict[str, Any]:
    return transact.update(keys.company_progress(program, account_id, shard), "ADD #p :c",
                           names={"#p": PROGRESS_PREFIX + period},
                           values={":c": {"N": str(credit)}})


def read(program: str, account_id: str) -> Stored:
    """The account's tier and every progress shard, in one consistent batch read."""
    found = get_many([keys.account(program, account_id),
                      *(keys.company_progress(program, account_id, i)
                        for i in range(COMPANY_PROGRESS_SHARDS))])
    account = found[0] or {}
    progress: dict[str, int] = {}
    for shard in found[1:]:
        for name, value in (shard or {}).items():
            if name.startswith(PROGRESS_PREFIX):
                period = name[len(PROGRESS_PREFIX):]
                progress[period] = progress.get(period, 0) + int(value)
    return Stored(account.get(COMPANY_TIER), account.get(COMPANY_TIER_UNTIL),
                  int(account.get(COMPANY_TIER_SEQ, 0)), progress, bool(found[0]),
                  account.get(PARENT))


def tier_parts(program: str, account_id: str, expected_seq: int, tier: str,
               until: str | None, at: str, change: Change | None) -> dict[str, dict[str, Any]]:
    """Move the company's tier from `expected_seq`: the account, every policy copy and the
    change record, all or nothing."""
    names = {"#t": COMPANY_TIER, "#u": COMPANY_TIER_UNTIL, "#s": COMPANY_TIER_SEQ}
    values: dict[str, Any] = {":t": {"S": tier}, ":s": {"N": str(expected_seq + 1)}}
    expression = "SET #t = :t, #s = :s"
    if until is None:
        expression += " REMOVE #u"
    else:
        expression += ", #u = :u"
        values[":u"] = {"S": until}
    parts: dict[str, dict[str, Any]] = {}
    for shard in range(ACCOUNT_POLICY_SHARDS):
        parts[f"policy:{shard}"] = transact.update(
            keys.account_policy(program, account_id, shard), expression,
            names=names, values=values)
    account_names = {**names, "#y": "type", "#i": "id", "#n": "name", "#gp": GSI1_PK,
                     "#gs": GSI1_SK}
    account_values = {**values, ":y": {"S": "ACCOUNT"}, ":i": {"S": account_id},
                      ":gp": {"S": keys.accounts_index(program)},
                      ":was": {"N": str(expected_seq)}}
    # An account not yet upserted is created bare (its name is its id, listed with the
    # others) rather than lose its tier; upsertAccount later sets the rest.
    parts["account"] = transact.update(
        keys.account(program, account_id),
        expression.replace("SET ", "SET #y = if_not_exists(#y, :y), #i = :i, "
                                   "#n = if_not_exists(#n, :i), #gp = :gp, #gs = :i, "),
        "#s = :was" if expected_seq else "attribute_not_exists(#s)",
        names=account_names,
        values=account_values if expected_seq else {k: v for k, v in account_values.items()
                                                    if k != ":was"})
    if change is not None:
        parts["change"] = tier_record_part(
            keys.company_tier_change(program, account_id, change.key, change.tier),
            keys.company_tier_changes_index(program, account_id), change.key, change.tier,
            change.previous, at, change.reason)
    return parts


def every_account(program: str) -> Iterator[str]:
    """Every account's id, page by page."""
    for item in every_item(keys.accounts_index(program), newest_first=False):
        yield str(item["id"])


def changes_page(program: str, account_id: str, first: int, after: str | None) -> Page:
    return query_index(keys.company_tier_changes_index(program, account_id), first, after)

