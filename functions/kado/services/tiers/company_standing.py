"""A company's tier: climbed on all its staff's activity, taken by its staff.

Where the ladder's level is ACCOUNT, an activity of a member with a company adds its tier
credit to one of the company's progress shards, in the activity's own transaction
(store/tiers.py). The tier the company holds is written by `settle`: it reads
every shard and writes what `tiers.effective` says is in force, on the condition that
no one moved the tier since (tierSeq), with a change record keyed so it exists once.

Settling happens
- after an activity, when this instance's view of the company plus the credit it just
  added says the tier in force is not the stored one;
- when a spin or a reward is refused on the company's tier, so a crossing that no
  instance noticed is found where it matters: eligibility never trails progress;
- in the hourly tidy-up, for every company.
Settled tiers and the tidy-up also post the company's progress on the ladder's company
leaderboard (services/quests/leaderboards.py).
A downgrade needs none of them: the stored tier carries its lapse moment, and every
check compares it with the clock.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from kado.domain import account_tree, tiers
from kado.domain.calendar import iso, parse_iso
from kado.domain.errors import DomainError, ErrorCode
from kado.services.kernel import part_names
from kado.services.kernel.loyalty_definitions import cached
from kado.services.kernel.ttl_cache import TtlCache
from kado.store import leaderboards as boards
from kado.store import tiers as store
from kado.store.kernel import item_keys as keys
from kado.store.kernel import transact
from kado.store.kernel.pages import Page
from kado.store.members import TierRule, gift_check_part

# A settle is lost only to another settle of the same company, which did the work.
SETTLE_ATTEMPTS = 4
_adding = threading.Lock()
# The credits this instance made lately (when, period, credit), for reads under way.
RECENT_S = 60.0
_recent: dict[tuple[str, str], list[tuple[float, str, int]]] = {}


@dataclass(frozen=True)
class Company:
    account_id: str
    standing: tiers.Standing  # the stored tier, with every shard's progress summed
    seq: int
    known: bool = True  # the account exists (activities for unknown ones are refused)
    parent: str | None = None  # the account above it in the channel's tree, as read


def applies(ladder: tiers.Ladder | None, account_id: str | None) -> bool:
    """Whether a member with this company takes the company's tier."""
    return ladder is not None and ladder.level is tiers.Level.ACCOUNT and bool(account_id)


def read(program: str, account_id: str) -> Company:
    """The company as stored now (one batch read); this instance's view is refreshed with
    it, plus every credit this instance made since the read began (one committed while
    the read was on its way may be missing from it; counting one twice only makes a
    needless settle)."""
    ladder = _ladder(program)
    began = time.monotonic()
    stored = store.read(program, account_id)
    company = Company(account_id, tiers.Standing(
        tier=None if stored.tier in (None, ladder.base.id) else stored.tier,
        until=parse_iso(stored.until) if stored.until else None,
        progress=tiers.kept(ladder, stored.progress)), stored.seq, stored.known, stored.parent)
    with _adding:
        since = [(period, credit) for at, period, credit in
                 _recent.get((program, account_id), []) if at >= began]
        viewed = _with_credits(ladder, company, since)
        _views.put((program, account_id), viewed)
    return viewed


def _with_credits(ladder: tiers.Ladder, company: Company,
                  credits: list[tuple[str, int]]) -> Company:
    if not credits:
        return company
    progress = dict(company.standing.progress)
    for period, credit in credits:
        progress[period] = progress.get(period, 0) + credit
    return replace(company, standing=replace(company.standing,
                                             progress=tiers.kept(ladder, progress)))


_views: TtlCache[tuple[str, str], Company] = TtlCache(lambda key: read(*key))


def view(program: str, account_id: str) -> Company:
    """This instance's recent view of the company (no invariant rests on it: spins and
    rewards check the stored tier in their transaction, activities pin it)."""
    found = _views.get((program, account_id))
    assert found is not None  # read always answers
    return found


def forget(program: str, account_id: str) -> None:
    _views.forget((program, account_id))


def forget_moved(program: str, account_id: str, cancelled: transact.Cancelled) -> None:
    """After a refused activity: forget the view of a company whose tier or place in the
    tree moved (its tier pin checks both), and of each step above it that moved, so the
    next plan reads them again."""
    if cancelled.failed(part_names.COMPANY_TIER) is not None:
        forget(program, account_id)
    for name in cancelled.failures:
        if part_names.is_tree_step(name):
            forget(program, part_names.tree_step_account(name))


def above(program: str, company: Company | None) -> list[Company] | None:
    """Where the ladder counts subtrees, the accounts above `company` in the channel's tree,
    nearest first, from this instance's views: an activity credits each of them and pins
    every step it took (a move made meanwhile cancels it and it reads again). None where
    the ladder counts a company's own activity."""
    ladder = cached(program).ladder
    if company is None or ladder is None or ladder.counts is not tiers.Counts.SUBTREE:
        return None
    chain: list[Company] = []
    parent = company.parent
    while parent is not None and len(chain) < account_tree.MAX_DEPTH - 1:
        chain.append(view(program, parent))
        parent = chain[-1].parent
    return chain


def in_force(program: str, company: Company, now: datetime) -> tiers.Standing:
    return tiers.effective(_ladder(program), company.standing, now)


def tier_in_force(program: str, account_id: str, now: datetime) -> str:
    ladder = _ladder(program)
    return in_force(program, view(program, account_id), now).tier or ladder.base.id


@dataclass(frozen=True)
class Settled:
    standing: tiers.Standing  # in force now, as now stored
    moved: bool  # the stored tier was rewritten
    rose_to: tiers.Tier | None = None


def settle(program: str, account_id: str, now: datetime) -> Settled:
    """Write the tier in force now where the stored one differs."""
    ladder = _ladder(program)
    for _ in range(SETTLE_ATTEMPTS):
        company = read(program, account_id)
        was, target = company.standing, in_force(program, company, now)
        if (target.tier, target.until) == (was.tier, was.until):
            return Settled(target, False)
        try:
            transact.write(store.tier_parts(
                program, account_id, company.seq, target.tier or ladder.base.id,
                iso(target.until) if target.until else None, iso(now),
                _change(ladder, was, target, now)))
        except transact.Cancelled:
            continue  # another settle moved it first: read again
        post_to_board(program, account_id, now)
        forget(program, account_id)
        rose = ladder.rank(target.tier) > ladder.rank(was.tier)
        return Settled(target, True, ladder.tier(target.tier) if rose else None)
    raise DomainError(ErrorCode.BUSY, "this company's tier is busy; retry", None)


def post_to_board(program: str, account_id: str, now: datetime) -> None:
    """The company's progress in each period it holds, on the ladder's company boards and
    on its parent's board (from this instance's view, which a settle has just refreshed);
    a company at the top of the tree leaves any parent's board it was on."""
    company = view(program, account_id)
    at_ms = int(now.timestamp() * 1000)
    for period, value in company.standing.progress:
        boards.place(keys.ladder_company_entry(program, account_id, period),
                     boards.ladder_companies(program, period), account_id, value, at_ms)
        under = keys.ladder_child_entry(program, account_id, period)
        if company.parent is not None:
            boards.place(under, boards.ladder_children(program, company.parent, period),
                         account_id, value, at_ms)
        else:
            boards.leave(under)


def moved(program: str, account_id: str, now: datetime) -> None:
    """An account moved in the tree: its place on the parents' boards follows at once."""
    forget(program, account_id)
    if applies(cached(program).ladder, account_id):
        read(program, account_id)
        post_to_board(program, account_id, now)


def credited(program: str, account_id: str, period: str, credit: int,
             now: datetime) -> tiers.Tier | None:
    """After an activity's credit committed: add it to this instance's view, and settle
    when the view says the tier in force moved. The tier it rose to, if it rose.

    The view sums every credit this instance made since it last read the company, so one
    instance alone never misses a crossing; credits made by other instances are seen when
    the view is next read (or where the tier is used, or by the tidy-up)."""
    ladder = _ladder(program)
    with _adding:
        now_mono = time.monotonic()
        kept = [c for c in _recent.get((program, account_id), [])
                if c[0] > now_mono - RECENT_S]
        _recent[(program, account_id)] = [*kept, (now_mono, period, credit)]
        held = _views.peek((program, account_id))
        if held is not None:
            held = _with_credits(ladder, held, [(period, credit)])
            _views.put((program, account_id), held)
    estimate = held or read(program, account_id)  # a fresh read already holds the credit
    target = in_force(program, estimate, now)
    if (target.tier, target.until) == (estimate.standing.tier, estimate.standing.until):
        return None
    try:
        return settle(program, account_id, now).rose_to
    except DomainError as busy:  # the activity stands; a later settle finds the crossing
        if busy.code is not ErrorCode.BUSY:
            raise
        return None


@dataclass
class TierGate:
    """For a spend by a member who takes the company's tier: the check its transaction
    makes on the company's stored tier, and one settle of the company when that tier
    refuses (the stored tier may trail the company's progress)."""

    program: str
    account_id: str
    base: str
    settled: bool = False

    def check_part(self, allowed: tuple[str, ...], at: str) -> dict[str, Any]:
        return gift_check_part(self.program, self.account_id, gifts=False,
                               tier=TierRule(allowed, self.base, at))

    def settle_once(self, now: datetime) -> tiers.Standing | None:
        """The standing in force once settled; None if it was settled already."""
        if self.settled:
            return None
        self.settled = True
        return settle(self.program, self.account_id, now).standing


def gate(ladder: tiers.Ladder | None, program: str, account_id: str | None) -> TierGate | None:
    if ladder is None or account_id is None or not applies(ladder, account_id):
        return None
    return TierGate(program, account_id, ladder.base.id)


def _change(ladder: tiers.Ladder, was: tiers.Standing, target: tiers.Standing,
            now: datetime) -> store.Change | None:
    """The record a move leaves: an upgrade keyed by the period it was reached in, a lapse
    by the moment it lapsed; a renewal (same tier, later lapse) leaves none."""
    previous = was.tier or ladder.base.id
    rank_was, rank_now = ladder.rank(was.tier), ladder.rank(target.tier)
    tier = target.tier or ladder.base.id
    if rank_now > rank_was:
        return store.Change(_reached_in(ladder, target, now), tier, previous,
                            "reached by the company's activity")
    if rank_now < rank_was:
        return store.Change(f"lapse-{iso(was.until) if was.until else 'none'}", tier,
                            previous, "lapsed at the end of its period")
    return None


def _reached_in(ladder: tiers.Ladder, target: tiers.Standing, now: datetime) -> str:
    """The latest period whose own progress reaches the target tier (late activity can
    reach it in the period before); a rolling window's sum is the current month's."""
    if ladder.window is not tiers.Window.ROLLING_12_MONTHS:
        rank = ladder.rank(target.tier)
        for key, value in reversed(target.progress):
            if ladder.rank(ladder.qualified(value).id) >= rank:
                return key
    return tiers.period_of(now, ladder.window, ladder.timezone).key


def _ladder(program: str) -> tiers.Ladder:
    ladder = cached(program).ladder
    if ladder is None:
        raise DomainError(ErrorCode.NOT_FOUND, "this program has no tier ladder", None)
    return ladder


def changes_page(program: str, account_id: str, first: int, after: str | None) -> Page:
    """The company's tier changes, newest first."""
    return store.changes_page(program, account_id, first, after)
