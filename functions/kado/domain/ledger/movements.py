"""A movement of points on a wallet (a member's, or one shard of a company's), as planned:
the wallet it expects, the ledger line it writes, and what it leaves.

Pure: the store renders a movement into an update of the holder item and its condition
from the numbers computed here (store/ledger.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC

from kado.domain.bounds import MAX_BALANCE
from kado.domain.calendar import parse_iso
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.ledger.lots import ExpiryRule, Lots, Settled, settle
from kado.domain.ledger.pending import (
    Pending,
    added,
    released,
    taken_back,
    total,
    without_held,
)
from kado.domain.shards import COMPANY_WALLET_SHARDS
from kado.domain.tiers import Standing


@dataclass(frozen=True)
class Wallet:
    seq: int = 0
    balance: int = 0
    earned: int = 0
    lots: Lots = field(default_factory=dict)  # the expiry schedule, when points expire
    pending: Pending = field(default_factory=dict)  # held, not yet spendable, by day


@dataclass(frozen=True)
class Entry:
    """One ledger line: what moved, why, and on whose word."""

    delta: int
    reason: str
    source: str  # ACTIVITY | RETURN | ADJUSTMENT | REWARD | SPIN
    source_ref: str
    actor: str
    at: str


@dataclass(frozen=True)
class Movement:
    program: str
    member_id: str
    expected: Wallet
    entry: Entry
    earned: int = 0  # added to lifetime earnings (returns take it back)
    standing: Standing | None = None  # the tier standing to write, if a ladder is in force
    base_tier: str = ""
    expected_tier: str | None = None  # the raw tier the plan read (an admin may set it)
    check_tier: bool = False  # hold the tier to expected_tier even if not writing it
    floor: int | None = 0  # the balance may not go below this; None: it may (a debt)
    shard: tuple[str, int] | None = None  # (account, shard): a company wallet, not the member
    write_entry: bool = True  # False: only the standing moves (no points, no ledger line)
    expiry: ExpiryRule | None = None  # points expire: lots move with the balance
    arriving: Lots | None = None  # a transfer in: the lots keep the months they had
    pending_in: Pending | None = None  # of a positive delta: the points not spendable yet
    returns_pending: bool = False  # a negative delta takes back pending points first
    settles_debt: bool = False  # a company shard's part in settling the company's debt
    on_file_only: bool = False  # a first movement needs the member on file already
    releases_held: bool = False  # points held for want of budget become spendable

    def still_pending(self) -> Pending:
        """What is pending after this movement: due points released, new ones added."""
        today = parse_iso(self.entry.at).astimezone(UTC).date().isoformat()
        left = released(self.expected.pending, today)
        if self.releases_held:
            left = without_held(left)
        if self.entry.delta > 0 and self.pending_in:
            return added(left, released(self.pending_in, today))
        if self.entry.delta < 0 and self.returns_pending:
            return taken_back(left, -self.entry.delta)
        return left

    def settled(self) -> Settled:
        """The balance after this movement, and the lots and lapsed points, if they expire."""
        if self.expiry is None:
            return Settled({}, 0, self.expected.balance + self.entry.delta)
        return settle(self.expiry, self.expected.lots, self.expected.balance, self.entry.delta,
                      parse_iso(self.entry.at), self.arriving)

    def needed_to_spend(self, settled: Settled, pending: Pending) -> int:
        """What the holder must still hold for this spend to leave it at its floor: the
        floor, the amount, the points lapsing now and those still pending (none of which
        can pay)."""
        return (self.floor or 0) - self.entry.delta + settled.expired + total(pending)

    def check_within_bounds(self, balance: int) -> None:
        """Nothing is written that the API could not read back. The movement is conditioned
        on the seq it was planned from, so the balance checked here is the one it moves. A
        company wallet's shards are summed when read, so each holds at most its share."""
        ceiling = MAX_BALANCE // COMPANY_WALLET_SHARDS if self.shard else MAX_BALANCE
        if balance > ceiling or self.expected.earned + self.earned > ceiling:
            raise DomainError(ErrorCode.POINTS_LIMIT_REACHED, "this would take the points "
                              f"past the largest balance a wallet holds ({ceiling:,})", None)
