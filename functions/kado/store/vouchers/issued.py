"""Voucher items, their ledger, and pools of partner codes.

A voucher item is keyed by the HMAC of its code. Issuing writes the member's
copy of the product's terms onto it in one conditional update:
  generated code  the item must not exist yet;
  pool code       the item was created at import and must not be issued yet.
Unissued pool items sit in a sparse, sharded index; issuing moves the item out
of it and into the member's list in the same write.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from kado.domain.vouchers.products import VoucherProduct
from kado.store.kernel import codec, transact
from kado.store.kernel import item_keys as keys
from kado.store.kernel.client import dynamodb, table
from kado.store.kernel.pages import Page, every_item, query_index
from kado.store.kernel.reads import every_shard, get_one, query_pages
from kado.store.kernel.tables import GSI1, GSI1_PK, GSI1_SK

POOL_SHARDS = 16


@dataclass(frozen=True)
class Issue:
    """One voucher going to one member, as the database will record it."""

    program: str
    lookup: str
    voucher_id: str
    product: VoucherProduct
    member_id: str
    issued_at: str
    expires_at: str
    sealed_code: str | None  # None: a pool code, sealed at import


@dataclass(frozen=True)
class VoucherEntry:
    """A ledger line: what happened to a voucher, who did it and why."""

    event: str  # ISSUED | REDEEMED | REVERSED
    actor: str
    actor_role: str
    reason: str
    at: str
    amount: int | None = None
    ref: str | None = None


def issue_part(issue: Issue) -> dict[str, Any]:
    p = issue.product
    face = p.face_balance()
    values: dict[str, Any] = {
        "type": "VOUCHER", "id": issue.voucher_id, "productId": p.id,
        "product": {"name": p.name, "kind": p.kind.value, "value": p.value,
                    **({"currency": p.currency} if p.currency else {})},
        "face": face, "balance": face, "partial": p.partial_redemption,
        "reversalWindowMinutes": p.reversal_window_minutes, "memberId": issue.member_id,
        "issuedAt": issue.issued_at, "expiresAt": issue.expires_at,
        GSI1_PK: keys.member_vouchers_index(issue.program, issue.member_id),
        GSI1_SK: f"{issue.issued_at}#{issue.voucher_id}",
    }
    if p.merchant_ids:
        values["merchants"] = set(p.merchant_ids)
    if issue.sealed_code is not None:
        values["sealedCode"] = issue.sealed_code
        condition = "attribute_not_exists(pk)"
        extra_names: dict[str, str] = {}
        extra: dict[str, Any] = {}
    else:
        condition = "attribute_exists(pk) AND attribute_not_exists(#member) AND #pid = :pid"
        extra_names, extra = {"#member": "memberId", "#pid": "productId"}, {":pid": p.id}
    names = {f"#a{i}": name for i, name in enumerate(values)}
    sets = ", ".join(f"#a{i} = :a{i}" for i in range(len(values)))
    dumped = codec.dump({f":a{i}": v for i, v in enumerate(values.values())} | extra)
    return transact.update(keys.voucher(issue.program, issue.lookup), "SET " + sets, condition,
                           names=names | extra_names, values=dumped)


def id_part(issue: Issue) -> dict[str, Any]:
    return transact.put({**keys.voucher_by_id(issue.program, issue.voucher_id), **codec.dump(
        {"type": "VOUCHER_ID", "lookup": issue.lookup})}, "attribute_not_exists(pk)")


def lookup_of_id(program: str, voucher_id: str) -> str | None:
    found = get_one(keys.voucher_by_id(program, voucher_id))
    return found["lookup"] if found else None


def ledger_part(program: str, lookup: str, entry: VoucherEntry) -> dict[str, Any]:
    # Under the voucher's own partition: its history is one Query away.
    values = {"type": "LEDGER", "event": entry.event,
              "actor": entry.actor, "actorRole": entry.actor_role, "reason": entry.reason,
              "at": entry.at, "amount": entry.amount, "ref": entry.ref}
    item_key = keys.voucher_ledger(program, lookup, entry.at, secrets.token_hex(6))
    return transact.put({**item_key, **codec.dump(values)})


def get(program: str, lookup: str) -> dict[str, Any] | None:
    return get_one(keys.voucher(program, lookup))


def ledger(program: str, lookup: str) -> list[dict[str, Any]]:
    response = dynamodb().query(
        TableName=table(), KeyConditionExpression="pk = :pk AND begins_with(sk, :l)",
        ExpressionAttributeValues={":pk": keys.voucher(program, lookup)["pk"],
                                   ":l": {"S": "LEDGER#"}}, ConsistentRead=True)
    return [codec.load(i) or {} for i in response.get("Items", [])]


def list_for_member(program: str, member_id: str, first: int, after: str | None,
                    keep: Any = lambda _: True) -> Page:
    return query_index(keys.member_vouchers_index(program, member_id), first, after, keep=keep)


def pool_part(program: str, product_id: str, lookup: str, voucher_id: str, sealed: str,
              now: str) -> dict[str, Any]:
    """An unissued pool code; a code already in this program is refused by the condition."""
    values = {"type": "VOUCHER", "id": voucher_id, "productId": product_id, "pool": True,
              "sealedCode": sealed, "importedAt": now,
              GSI1_PK: keys.pool_index(program, product_id, secrets.randbelow(POOL_SHARDS)),
              GSI1_SK: secrets.token_hex(8)}
    return transact.put({**keys.voucher(program, lookup), **codec.dump(values)},
                        "attribute_not_exists(pk)")


def pool_candidates(program: str, product_id: str, shard: int, limit: int) -> list[
        tuple[str, str]]:
    """Up to `limit` unissued codes (lookup, voucher id) from one shard, from a random point."""
    found: list[tuple[str, str]] = []
    start = secrets.token_hex(8)
    for condition in ("#p = :p AND #s >= :s", "#p = :p AND #s < :s"):
        response = dynamodb().query(
            TableName=table(), IndexName=GSI1, KeyConditionExpression=condition,
            ExpressionAttributeNames={"#p": GSI1_PK, "#s": GSI1_SK},
            ExpressionAttributeValues={":p": {"S": keys.pool_index(program, product_id, shard)},
                                       ":s": {"S": start}},
            Limit=limit - len(found))
        found += [(keys.lookup_in_pk(i["pk"]["S"]), i["id"]["S"]) for i in response["Items"]]
        if len(found) >= limit:
            break
    return found


def pool_left(program: str, product_id: str) -> int:
    """Unissued codes, counted over the pool shards at once (admin stats, not the spin
    path)."""
    def count(shard: int) -> int:
        request: dict[str, Any] = {
            "TableName": table(), "IndexName": GSI1, "Select": "COUNT",
            "KeyConditionExpression": "#p = :p", "ExpressionAttributeNames": {"#p": GSI1_PK},
            "ExpressionAttributeValues": {":p": {"S": keys.pool_index(program, product_id,
                                                                      shard)}}}
        return sum(page["Count"] for page in query_pages(request))

    return sum(every_shard(POOL_SHARDS, count))


def issuance_part(program: str, member_id: str, idempotency_key: str, issue: Issue,
                  reason: str) -> dict[str, Any]:
    """The direct issue's idempotency record: a retry finds it and issues nothing new."""
    values = {"type": "ISSUANCE", "voucherId": issue.voucher_id, "lookup": issue.lookup,
              "productId": issue.product.id, "reason": reason, "issuedAt": issue.issued_at}
    return transact.put({**keys.issuance(program, member_id, idempotency_key),
                         **codec.dump(values)}, "attribute_not_exists(pk)")


def get_issuance(program: str, member_id: str, idempotency_key: str) -> dict[str, Any] | None:
    return get_one(keys.issuance(program, member_id, idempotency_key))


def find_for_member(program: str, member_id: str, voucher_id: str) -> dict[str, Any] | None:
    """A member's voucher by id (admin path: walks the member's list, which is short)."""
    return next(every_item(keys.member_vouchers_index(program, member_id),
                           lambda item: item.get("id") == voucher_id), None)


def revoke(program: str, item: dict[str, Any], entry: VoucherEntry) -> None:
    """Mark a voucher revoked, once; redemption conditions refuse it from then on."""
    lookup = keys.lookup_in_pk(item["pk"])
    transact.write({
        "voucher": transact.update(
            keys.voucher(program, lookup), "SET #r = :at",
            "attribute_exists(pk) AND attribute_not_exists(#r) AND #m = :member",
            names={"#r": "revokedAt", "#m": "memberId"},
            values=codec.dump({":at": entry.at, ":member": item["memberId"]})),
        "ledger": ledger_part(program, lookup, entry),
    })
