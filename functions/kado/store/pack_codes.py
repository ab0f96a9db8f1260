"""Pack codes as items: the batch, each code by its keyed hash, and the batch's claims
counted on shards. A claim is parts of the member's movement transaction."""

from __future__ import annotations

from typing import Any

from kado.store.kernel import codec, throttle, transact
from kado.store.kernel import item_keys as keys
from kado.store.kernel.client import dynamodb, table
from kado.store.kernel.pages import Page, query_index
from kado.store.kernel.reads import get_many, get_one
from kado.store.kernel.tables import GSI1_PK, GSI1_SK

STAT_SHARDS = 8
TRANSACTION = 100  # TransactWriteItems' limit


def put_batch(program: str, values: dict[str, Any], lookups: list[str]) -> bool:
    """The batch, then its codes, 100 to a transaction, each on the condition that no code
    has its key (the APIs never BatchWriteItem; a collision of 80-bit codes would fail
    loudly rather than overwrite). False, and nothing written, if the batch exists."""
    try:
        dynamodb().put_item(TableName=table(), Item={
            **keys.pack_batch(program, values["id"]), **codec.dump({
                "type": "PACK_BATCH", **values, GSI1_PK: keys.pack_batches(program),
                GSI1_SK: f"{values['createdAt']}#{values['id']}"})},
            ConditionExpression="attribute_not_exists(pk)")
    except dynamodb().exceptions.ConditionalCheckFailedException:
        return False
    code_values = codec.dump({"type": "PACK_CODE", "batchId": values["id"],
                              "points": values["points"], "expiresAt": values["expiresAt"]})
    for start in range(0, len(lookups), TRANSACTION):
        transact.write({f"code{n}": transact.put({**keys.pack_code(program, lookup),
                                                  **code_values}, "attribute_not_exists(pk)")
                        for n, lookup in enumerate(lookups[start:start + TRANSACTION])})
    return True


def get_batch(program: str, batch_id: str) -> dict[str, Any] | None:
    return get_one(keys.pack_batch(program, batch_id))


def get_code(program: str, lookup: str) -> dict[str, Any] | None:
    return get_one(keys.pack_code(program, lookup))


def code_and_guesses(program: str, lookup: str, guessers: list[str]
                     ) -> tuple[dict[str, Any] | None, list[dict[str, Any] | None]]:
    """The code and each guesser's failures, in one consistent batch read."""
    code, *guesses = get_many([keys.pack_code(program, lookup),
                               *(keys.pack_guesses(program, g) for g in guessers)])
    return code, guesses


def count_guess(program: str, guesser: str, minute: str, limit: int) -> bool:
    return throttle.count_failure(keys.pack_guesses(program, guesser), minute, limit,
                                  existing_only=False)


def claim_part(program: str, lookup: str, member_id: str, key: str, at: str,
               balance_after: int) -> dict[str, Any]:
    """The code, once: it exists, is not claimed and has not expired (the claim keeps its
    answer, for a retry of the same request)."""
    return transact.update(
        keys.pack_code(program, lookup), "SET #c = :at, #m = :m, #k = :k, #b = :b",
        "attribute_exists(pk) AND attribute_not_exists(#c) AND #e > :at",
        names={"#c": "claimedAt", "#m": "memberId", "#k": "idempotencyKey",
               "#e": "expiresAt", "#b": "balanceAfter"},
        values=codec.dump({":at": at, ":m": member_id, ":k": key, ":b": balance_after}))


def stat_part(program: str, batch_id: str, shard: int) -> dict[str, Any]:
    return transact.update(keys.pack_batch_stat(program, batch_id, shard), "ADD #n :one",
                           names={"#n": "claimed"}, values={":one": {"N": "1"}})


def claimed(program: str, batch_id: str) -> int:
    return claimed_each(program, [batch_id])[batch_id]


def claimed_each(program: str, batch_ids: list[str]) -> dict[str, int]:
    """Each batch's claims, every batch's shards in one read (not one read a batch)."""
    items = get_many([keys.pack_batch_stat(program, b, s) for b in batch_ids
                      for s in range(STAT_SHARDS)])
    return {b: sum(int((item or {}).get("claimed", 0))
                   for item in items[n * STAT_SHARDS:(n + 1) * STAT_SHARDS])
            for n, b in enumerate(batch_ids)}


def batches(program: str, first: int, after: str | None) -> Page:
    return query_index(keys.pack_batches(program), first, after)
