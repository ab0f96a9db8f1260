"""Activity records: each partner activity once, by its external id, and what a return took back."""

from __future__ import annotations

from typing import Any

from kado.store.kernel import codec, transact
from kado.store.kernel import item_keys as keys
from kado.store.kernel.reads import get_one


def activity_part(program: str, external_id: str, values: dict[str, Any]) -> dict[str, Any]:
    item = {**keys.activity(program, external_id), **codec.dump({"type": "ACTIVITY", **values})}
    return transact.put(item, "attribute_not_exists(pk)")


def return_part(program: str, purchase_id: str, amount: int, purchased: int) -> dict[str, Any]:
    """Count `amount` as returned on the purchase, never past what was bought."""
    return transact.update(
        keys.activity(program, purchase_id), "ADD #r :amount",
        "attribute_exists(pk) AND (attribute_not_exists(#r) OR #r <= :limit)",
        names={"#r": "returnedAmount"},
        values=codec.dump({":amount": amount, ":limit": purchased - amount}))


def get_activity(program: str, external_id: str) -> dict[str, Any] | None:
    return get_one(keys.activity(program, external_id))
