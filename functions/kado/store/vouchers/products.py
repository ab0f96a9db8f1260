"""Voucher products and merchants: the catalogue marketing maintains."""

from __future__ import annotations

from typing import Any

from kado.domain.calendar import iso, parse_iso
from kado.domain.vouchers.products import CodeSource, VoucherKind, VoucherProduct
from kado.store.kernel import codec
from kado.store.kernel import item_keys as keys
from kado.store.kernel.client import dynamodb, table
from kado.store.kernel.pages import Page, query_index
from kado.store.kernel.reads import get_one
from kado.store.kernel.tables import GSI1_PK, GSI1_SK


def put_product(program: str, p: VoucherProduct, now: str) -> None:
    values = {
        "type": "VOUCHER_PRODUCT", "id": p.id, "name": p.name, "kind": p.kind.value,
        "value": p.value, "currency": p.currency, "merchantIds": list(p.merchant_ids),
        "expiresAt": iso(p.expires_at) if p.expires_at else None,
        "validForDays": p.valid_for_days, "codeSource": p.code_source.value,
        "partialRedemption": p.partial_redemption,
        "reversalWindowMinutes": p.reversal_window_minutes,
        "lowStockThreshold": p.low_stock_threshold, "updatedAt": now,
        GSI1_PK: keys.voucher_products_index(program), GSI1_SK: p.id,
    }
    dynamodb().put_item(TableName=table(), Item={**keys.voucher_product(program, p.id),
                                                 **codec.dump(values)})


def product_from_item(item: dict[str, Any]) -> VoucherProduct:
    return VoucherProduct(
        id=item["id"], name=item["name"], kind=VoucherKind(item["kind"]), value=item["value"],
        currency=item.get("currency"), merchant_ids=tuple(item.get("merchantIds", ())),
        expires_at=parse_iso(item["expiresAt"]) if item.get("expiresAt") else None,
        valid_for_days=item.get("validForDays"), code_source=CodeSource(item["codeSource"]),
        partial_redemption=item.get("partialRedemption", False),
        reversal_window_minutes=item.get("reversalWindowMinutes", 0),
        low_stock_threshold=item.get("lowStockThreshold", 0))


def get_product(program: str, product_id: str) -> VoucherProduct | None:
    item = get_one(keys.voucher_product(program, product_id))
    return product_from_item(item) if item else None


def list_products(program: str, first: int, after: str | None) -> Page:
    return query_index(keys.voucher_products_index(program), first, after, newest_first=False)


def put_merchant(program: str, merchant_id: str, name: str, now: str) -> None:
    # An update, not a put: the item also carries the merchant's failed-lookup counter.
    dynamodb().update_item(
        TableName=table(), Key=keys.merchant(program, merchant_id),
        UpdateExpression="SET #t = :t, #i = :i, #n = :n, #u = :u, #gp = :gp, #gs = :i",
        ExpressionAttributeNames={"#t": "type", "#i": "id", "#n": "name", "#u": "updatedAt",
                                  "#gp": GSI1_PK, "#gs": GSI1_SK},
        ExpressionAttributeValues=codec.dump({":t": "MERCHANT", ":i": merchant_id, ":n": name,
                                              ":u": now,
                                              ":gp": keys.merchants_index(program)}))

