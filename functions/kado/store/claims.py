"""Claims as items: the claim, its invoice's program-wide document item, and a seller's line
per claimed invoice (the reviewer's near-duplicates).

A PENDING claim carries GSI1 keys in the review queue's partition (oldest first) and drops
them when decided: the queue is a sparse index, so nothing else is written to keep it. A
member's claims are GSI2, newest first.
"""

from __future__ import annotations

from typing import Any

from kado.domain.pages import Page
from kado.store.kernel import codec, transact
from kado.store.kernel import item_keys as keys
from kado.store.kernel.pages import query_index
from kado.store.kernel.reads import get_many, get_one, partition_items
from kado.store.kernel.tables import GSI1_PK, GSI1_SK, GSI2, GSI2_PK, GSI2_SK

PENDING = "PENDING"


def _queued(program: str, since: str, claim_id: str) -> dict[str, Any]:
    return {GSI1_PK: keys.claim_queue(program), GSI1_SK: f"{since}#{claim_id}"}


def submit_parts(program: str, claim: dict[str, Any], submitted_ms: int,
                 queued: bool = True) -> dict[str, dict[str, Any]]:
    """The claim (new: its id is derived from the member and the request's key), its
    invoice (new across the program) and the seller's line; in the review queue unless
    `queued` is False (a claim the program's rule approves as it arrives)."""
    claim_id, at = claim["id"], claim["submittedAt"]
    item = {"type": "CLAIM", **claim, **(_queued(program, at, claim_id) if queued else {}),
            GSI2_PK: keys.member_claims(program, claim["memberId"]), GSI2_SK: submitted_ms}
    seller = f"{claim['invoiceDate']}#{claim['amount']:020d}#{claim_id}"
    return {
        "claim": transact.put({**keys.claim(program, claim_id), **codec.dump(item)},
                              "attribute_not_exists(pk)"),
        "document": transact.put({**keys.claim_document(program, claim["documentKey"]),
                                  **codec.dump({"type": "CLAIM_DOC", "claimId": claim_id,
                                                "at": at})}, "attribute_not_exists(pk)"),
        "seller": transact.put({**keys.key(keys.seller_claims(program, claim["sellerTaxId"]),
                                           seller),
                                **codec.dump({"type": "CLAIM_SELLER", "claimId": claim_id,
                                              "memberId": claim["memberId"], "at": at})}),
    }


def decision_part(program: str, claim_id: str, expected: str, changes: dict[str, Any],
                  entry: dict[str, Any], requeue_since: str | None = None) -> dict[str, Any]:
    """The claim moved from `expected` (the condition) with `changes` set and `entry` added
    to its history; out of the review queue, or back into it since `requeue_since`."""
    sets = {k: v for k, v in changes.items() if v is not None}
    # A change to None removes the attribute (an earlier note, a reason); out of the queue
    # the claim's index keys go too, back in it they are set again.
    removes = [k for k, v in changes.items() if v is None]
    if requeue_since is None:
        removes += [GSI1_PK, GSI1_SK]
    else:
        sets |= _queued(program, requeue_since, claim_id)
    expression, names, values = transact.assignments(
        sets, tuple(removes), ("#h = list_append(if_not_exists(#h, :none), :entry)",))
    names |= {"#s": "status", "#h": "history"}
    values |= codec.dump({":expected": expected, ":entry": [entry], ":none": []})
    return transact.update(keys.claim(program, claim_id), expression, "#s = :expected",
                           names=names, values=values)


def get_claim(program: str, claim_id: str) -> dict[str, Any] | None:
    return get_one(keys.claim(program, claim_id))


def get_claims(program: str, claim_ids: list[str]) -> list[dict[str, Any] | None]:
    return get_many([keys.claim(program, c) for c in claim_ids])


def get_document(program: str, document: str) -> dict[str, Any] | None:
    return get_one(keys.claim_document(program, document))


def queue(program: str, first: int, after: str | None) -> Page:
    return query_index(keys.claim_queue(program), first, after, newest_first=False)


def of_member(program: str, member_id: str, first: int, after: str | None) -> Page:
    return query_index(keys.member_claims(program, member_id), first, after, index=GSI2)


def near(program: str, tax_id: str, invoice_date: str, amount: int) -> list[str]:
    """Ids of the seller's claims of the same day and amount (whatever their number)."""
    return [i["claimId"] for i in partition_items(keys.seller_claims(program, tax_id),
                                                  f"{invoice_date}#{amount:020d}#")]


def get_rules(program: str) -> dict[str, Any] | None:
    return get_one(keys.claim_rules(program), consistent=False)


def put_rules(program: str, values: dict[str, Any]) -> None:
    transact.write({"rules": transact.put({**keys.claim_rules(program),
                                           **codec.dump({"type": "CLAIM_RULES", **values})})})
