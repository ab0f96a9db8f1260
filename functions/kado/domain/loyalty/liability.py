"""What a program owes, and what it will never have to pay: from the holders' items, the
vouchers and their redemptions, at one moment.

Points are a debt: each member's (and each company wallet's) balance, with lots that have
lapsed by then taken off as they would be at the holder's next movement. Vouchers issued
and neither fully used, revoked nor expired are owed at their balance. Breakage is what
lapsed unused: points by the month their lapse was written to the ledger (lots lapsed since
a holder's last movement count in the report's month), voucher balances by the month the
voucher expired. Every figure is a sum of the same items the ledgers move, so a test can
add the ledgers up and find the report's numbers to the unit.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kado.domain.calendar import parse_iso
from kado.domain.ledger.lots import ExpiryRule, settle
from kado.domain.ledger.pending import released, total

NEVER = "NEVER"  # points no lot covers (earned before expiry was switched on)


@dataclass
class VoucherMoney:
    """One currency's (or, for item and percent vouchers, uses') vouchers."""

    issued: int = 0
    redeemed: int = 0  # vouchers with at least one redemption that stands
    outstanding_count: int = 0
    outstanding: int = 0  # balance owed, minor units (uses for non-money vouchers)
    outstanding_by_expiry: Counter[str] = field(default_factory=Counter)
    breakage_by_month: Counter[str] = field(default_factory=Counter)


@dataclass
class Liability:
    as_of: str
    points_outstanding: int = 0
    points_by_expiry: Counter[str] = field(default_factory=Counter)
    points_pending: int = 0
    points_owed_by_holders: int = 0  # balances below zero: returns of points already spent
    points_breakage_by_month: Counter[str] = field(default_factory=Counter)
    vouchers: dict[str, VoucherMoney] = field(default_factory=dict)
    days_to_redeem: list[float] = field(default_factory=list)

    def redemption_rate(self, unit: str) -> float | None:
        money = self.vouchers.get(unit)
        return round(money.redeemed / money.issued, 4) if money and money.issued else None

    @property
    def average_days_to_redeem(self) -> float | None:
        return round(statistics.fmean(self.days_to_redeem), 2) if self.days_to_redeem else None


def report(items: list[dict[str, Any]], rule: ExpiryRule | None, at: datetime) -> Liability:
    """The liability at `at` from every holder, points line, voucher and redemption of a
    program (any order)."""
    out = Liability(as_of=at.isoformat())
    issued_at: dict[str, str] = {}
    first_use: dict[str, str] = {}
    for item in items:
        kind = item.get("type")
        if kind in ("MEMBER", "COMPANY_WALLET"):
            _holder(out, item, rule, at)
        elif kind == "POINTS_ENTRY" and item.get("expired"):
            out.points_breakage_by_month[str(item["at"])[:7]] += int(item["expired"])
        elif kind == "VOUCHER" and item.get("memberId"):
            issued_at[_lookup(item)] = str(item["issuedAt"])
            _voucher(out, item, at)
        elif kind == "REDEMPTION" and not item.get("reversedAt"):
            lookup = str(item["voucherLookup"])
            first_use[lookup] = min(first_use.get(lookup, item["redeemedAt"]),
                                    item["redeemedAt"])
    for lookup, used in first_use.items():
        if lookup in issued_at:
            waited = parse_iso(used) - parse_iso(issued_at[lookup])
            out.days_to_redeem.append(waited.total_seconds() / 86400)
    return out


def _holder(out: Liability, item: dict[str, Any], rule: ExpiryRule | None,
            at: datetime) -> None:
    balance = int(item.get("points", 0))
    lots = {m: int(p) for m, p in (item.get("lots") or {}).items()}
    if rule is not None and lots:
        settled = settle(rule, lots, balance, 0, at)
        # Lapsed since the holder was last written: the next movement will write it down
        # as expired; until then it is this month's breakage.
        if settled.expired:
            out.points_breakage_by_month[rule.month_of(at)] += settled.expired
        balance, lots = settled.balance, settled.lots
    if balance < 0:
        out.points_owed_by_holders += -balance
        return
    out.points_outstanding += balance
    covered = min(balance, sum(lots.values()))
    for month, points in sorted(lots.items()):
        take = min(points, covered)
        out.points_by_expiry[month] += take
        covered -= take
    out.points_by_expiry[NEVER] += balance - min(balance, sum(lots.values()))
    out.points_pending += total(released(dict(item.get("pending") or {}),
                                         at.date().isoformat()))
    if not out.points_by_expiry[NEVER]:
        del out.points_by_expiry[NEVER]


def _lookup(voucher: dict[str, Any]) -> str:
    return str(voucher["pk"]).rsplit("#V#", 1)[-1]


def _voucher(out: Liability, v: dict[str, Any], at: datetime) -> None:
    product = v.get("product") or {}
    unit = product.get("currency") or "USES"  # item and percent vouchers count uses
    money = out.vouchers.setdefault(unit, VoucherMoney())
    money.issued += 1
    balance, face = int(v.get("balance", 0)), int(v.get("face", 0))
    if balance < face:
        money.redeemed += 1
    if v.get("revokedAt") or balance <= 0:
        return
    expires = parse_iso(str(v["expiresAt"]))
    if expires <= at:
        money.breakage_by_month[expires.date().isoformat()[:7]] += balance
        return
    money.outstanding_count += 1
    money.outstanding += balance
    money.outstanding_by_expiry[expires.date().isoformat()[:7]] += balance
