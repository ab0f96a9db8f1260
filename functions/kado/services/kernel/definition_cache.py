"""Campaign and voucher-product definitions, cached per Lambda instance (see ttl_cache)."""

from __future__ import annotations

from kado.domain.campaigns.rules import Campaign
from kado.domain.vouchers.products import VoucherProduct
from kado.services.kernel.ttl_cache import TtlCache
from kado.store.campaigns import definitions as store
from kado.store.vouchers import products as product_store

_campaigns: TtlCache[tuple[str, str], Campaign] = TtlCache(lambda k: store.get(*k))
_products: TtlCache[tuple[str, str], VoucherProduct] = TtlCache(
    lambda k: product_store.get_product(*k))


def get(program: str, campaign_id: str) -> Campaign | None:
    return _campaigns.get((program, campaign_id))


def held(program: str, campaign_id: str) -> Campaign | None:
    """The campaign if this instance holds it; never loads (so never caches a state that
    was read for a side purpose, such as a refusal's bookkeeping)."""
    return _campaigns.peek((program, campaign_id))


def forget(program: str, campaign_id: str) -> None:
    _campaigns.forget((program, campaign_id))


def product(program: str, product_id: str) -> VoucherProduct | None:
    return _products.get((program, product_id))


def forget_product(program: str, product_id: str) -> None:
    _products.forget((program, product_id))


def clear() -> None:
    _campaigns.clear()
    _products.clear()
