"""Recording partner activities: each one transaction, with its points and tier credit.

One activity is one TransactWriteItems:
  activity  the activity, keyed by externalId (attribute_not_exists): a resend finds it
  member    the member's wallet and tier standing, from the seq the plan read
  entry     the points ledger entry numbered by that seq, with the balance it leaves
  tier      an upgrade's entry, one per member, period and tier (attribute_not_exists)
  purchase  a RETURN: the returned amount counted on its purchase, never past it
  wallet    with company wallets, one shard of the company's wallet takes the points
  progress  with an ACCOUNT ladder, one of the company's progress shards takes the credit
  companyTier  with an ACCOUNT ladder, a pin on the company tier the multiplier came from
  quest:<id>   the member's progress in each live quest it moves (and, when it completes
               one, the reward: points on this entry, a badge, a voucher)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from kado.domain import activities as domain
from kado.domain import tiers
from kado.domain.budgets import BudgetLink
from kado.domain.calendar import iso, local_day, parse_iso, utcnow
from kado.domain.errors import DomainError, ErrorCode, ValidationFailed
from kado.domain.ledger.movements import Entry, Movement
from kado.domain.ledger.pending import HELD, Pending, added
from kado.domain.loyalty import crediting, earning
from kado.domain.principal import Principal
from kado.domain.quests import QuestEligibility
from kado.domain.shards import COMPANY_PROGRESS_SHARDS, COMPANY_WALLET_SHARDS, pick_shard
from kado.services import budgets, members, referrals
from kado.services.kernel import part_names
from kado.services.kernel.loyalty_definitions import (
    Definitions,
    UnknownMembers,
    WalletMode,
    cached,
)
from kado.services.ledger import holders, movements, optimistic
from kado.services.quests import definitions as quests
from kado.services.quests import progress as quest_progress
from kado.services.tiers import company_standing
from kado.services.tiers.member_standing import tier_in_force
from kado.store import activities as activity_store
from kado.store import leaderboards as boards
from kado.store import ledger as store
from kado.store.kernel import item_keys as keys
from kado.store.kernel.transact import Cancelled
from kado.store.loyalty import earning_caps
from kado.store.members import parent_pin, tier_pin_part
from kado.store.tiers import progress_part


class Outcome(StrEnum):
    RECORDED = "RECORDED"
    DUPLICATE = "DUPLICATE"  # the same externalId and content: nothing changed
    CONFLICT = "CONFLICT"  # the same externalId, other content: refused, nothing changed


RECORDED, DUPLICATE, CONFLICT = Outcome.RECORDED, Outcome.DUPLICATE, Outcome.CONFLICT


@dataclass(frozen=True)
class Recorded:
    external_id: str
    outcome: Outcome | None  # None when refused (see error)
    points: int = 0
    balance_after: int | None = None
    upgraded_to: str | None = None
    error: DomainError | None = None


@dataclass(frozen=True)
class _Return:
    purchase: dict[str, Any]
    amount: int  # minor units returned
    points: int  # points taken back

    def share(self) -> crediting.Returned:
        return crediting.Returned(self.amount, self.points,
                                  parse_iso(self.purchase["occurredAt"]))


def record(admin: Principal, batch: list[domain.Activity]) -> list[Recorded]:
    """One result per activity, in order; a refused one does not stop the others."""
    if not 1 <= len(batch) <= domain.MAX_BATCH:
        raise DomainError(ErrorCode.INVALID_INPUT, f"1-{domain.MAX_BATCH} activities per call",
                          "activities")
    definitions = cached(admin.program)
    results = []
    for i, activity in enumerate(batch):
        try:
            results.append(record_one(admin, activity, definitions, utcnow()))
        except DomainError as refusal:
            results.append(Recorded(activity.external_id, None, error=_at(i, refusal)))
    return results


def _at(index: int, refusal: DomainError) -> DomainError:
    """The refusal with its fields named from the batch: activities[3].occurredAt."""
    def where(name: str | None) -> str:
        return f"activities[{index}].{name}" if name else f"activities[{index}]"

    refusal.field = where(refusal.field)
    if isinstance(refusal, ValidationFailed):
        refusal.problems = [(where(name), message) for name, message in refusal.problems]
    return refusal


@dataclass(frozen=True)
class Rider:
    """What another use case writes with an activity, in its transaction: a bonus on its
    points (with the reason) and parts of its own (a survey's answers)."""

    points: int
    reason: str
    parts: dict[str, dict[str, Any]]
    # Raises if one of `parts` was refused (the activity's own refusals come first).
    refused: Callable[[Cancelled], None] | None = None


class _QuestsMoved(Exception):
    """A quest went live or ended after this instance read the live quests."""


def record_one(admin: Principal, a: domain.Activity, d: Definitions,
               now: datetime, rider: Rider | None = None) -> Recorded:
    for _ in range(3):
        try:
            return _record_one(admin, a, d, now, rider)
        except _QuestsMoved:
            quests.forget_live(admin.program)
    raise DomainError(ErrorCode.BUSY, "the program's quests are changing; retry", None)


def _record_one(admin: Principal, a: domain.Activity, d: Definitions,
                now: datetime, rider: Rider | None) -> Recorded:
    program = admin.program
    domain.validate(a, d.settings.custom_activity_types, now)
    _require_in_time(a, d, now)
    returned = _returned(program, a) if a.type == domain.ActivityType.RETURN else None
    fingerprint = a.fingerprint()
    used: dict[str, int] = {}  # cap part -> points already earned under it, once known
    account = _account_of(program, a, d)
    company = (account, pick_shard(COMPANY_WALLET_SHARDS)) \
        if account and d.settings.wallet is WalletMode.ACCOUNT else None
    climbs = account if company_standing.applies(d.ladder, account) else None
    moved = {"member": a.member_id}  # part -> the seq-moved item it writes
    if company is not None:
        moved["wallet"] = holders.shard_holder(*company)
    live = quests.live_now(program)
    moving = quest_progress.candidates(live.versions, a,
                                       returned.purchase if returned else None)
    if any(c.versions.current.eligibility != QuestEligibility() for c in moving):
        # Quest eligibility is judged on the member's tier and company: read the member
        # rather than judge an unknown one (an activity that earns nothing would not be
        # refused on a stale copy, so it would never be judged again).
        holders.on_file(program, a.member_id)
    moved |= {c.part: quest_progress.holder(a.member_id, c.versions.current.id, c.cycle)
              for c in moving}
    not_joined: set[str] = set()
    climbed: list[_Climb] = []  # what the plan last written credited the company with
    # A member's own act (a rider: a survey, a check-in) enrols them whatever the rule.
    extras = _Extras(program, a, members.FirstSight(
        program, a.member_id, UnknownMembers.ENROL if rider else d.settings.unknown_members,
        a.account_id), referrals.part_of(program, a, a.account_id or account,
                                         returned.purchase if returned else None,
                                         returned.amount if returned else 0, now))

    # Points cost money only where a budget pays for them now (0: nothing to charge).
    links = d.settings.points_paid_at(now)
    paying = bool(links or d.settings.program_paid_at(now))
    paid = _PointsPaid(program, links, (d.settings.point_value or 0) if paying else 0)
    viewed = company_standing.view(program, climbs) if climbs else None
    if viewed is not None and not viewed.known:
        raise DomainError(ErrorCode.NOT_FOUND, f"no account {climbs!r}: upsert it first",
                          "accountId")

    def plan_for(items: dict[str, dict[str, Any]]) -> optimistic.Plan[Recorded]:
        viewed = company_standing.view(program, climbs) if climbs else None
        plan = _plan(_Target(program, admin.subject, a, d, returned, fingerprint, now, used,
                             company, viewed, company_standing.above(program, viewed),
                             climbed, moving, live.epoch, not_joined, rider, paid), items)
        plan.parts.update(extras.parts(items["member"], plan.parts))
        return plan

    def explain(cancelled: Cancelled) -> Recorded | None:
        if climbs:
            company_standing.forget_moved(program, climbs, cancelled)
        for name, failure in cancelled.failures.items():
            if part_names.is_quest(name) and not failure.item:
                not_joined.add(name)  # an OPT_IN quest the member has not joined
            if part_names.is_cap(name):  # nearer the cap than we planned: earn what is left
                used[name] = (failure.item or {}).get("points", 0)
        earlier = cancelled.failed("activity")
        if earlier is not None:
            stored = earlier.item or activity_store.get_activity(program, a.external_id) or {}
            outcome = DUPLICATE if stored.get("fingerprint") == fingerprint else CONFLICT
            return Recorded(a.external_id, outcome, stored.get("points", 0),
                            stored.get("balanceAfter"))
        if cancelled.failed(part_names.QUEST_GATE) is not None:
            raise _QuestsMoved
        if rider is not None and rider.refused is not None:
            rider.refused(cancelled)
        paid.explain(cancelled)
        extras.explain(cancelled)
        if cancelled.failed("purchase") is not None:
            raise DomainError(ErrorCode.RETURN_EXCEEDS_PURCHASE,
                              "more than is left of that purchase was returned", "returns")
        return None  # the member item moved on: plan again from its current state

    recorded = optimistic.commit(program, moved, plan_for, explain)
    return _afterwards(program, a, a.account_id or account, recorded,
                       extras.referral is not None, climbed, now)


@dataclass
class _Extras:
    """What an activity's transaction carries besides its own movement: the referral it
    qualifies or rejects, and what the program's rule for members not on file asks."""

    program: str
    activity: domain.Activity
    first_sight: members.FirstSight
    referral: dict[str, Any] | None

    def parts(self, member: dict[str, Any], planned: dict[str, dict[str, Any]]
              ) -> dict[str, dict[str, Any]]:
        found = {"referral": self.referral} if self.referral else {}
        return found | self.first_sight.parts(member, planned, iso(self.activity.occurred_at))

    def explain(self, cancelled: Cancelled) -> None:
        if cancelled.failed("referral") is not None:
            self.referral = None  # it moved on meanwhile: nothing left for this one to do
        self.first_sight.explain(cancelled)


def _afterwards(program: str, a: domain.Activity, account: str | None, recorded: Recorded,
                with_referral: bool, climbed: list[_Climb], now: datetime) -> Recorded:
    """What follows the commit; each is also completed by something that cannot be skipped
    (docs/architecture.md, "After the commit"): the referred member's points, by this
    activity's retry or the program timers; the company's tier, from the progress the
    transaction wrote, by the next spend it gates or the hourly tidy-up."""
    if a.type == domain.ActivityType.PURCHASE and (
            recorded.outcome is DUPLICATE or (recorded.outcome is RECORDED and with_referral)):
        referrals.after_qualifying(program, a, account)
    if recorded.outcome is RECORDED and climbed and climbed[-1].credit:
        last = climbed[-1]
        rose = company_standing.credited(program, last.account_id, last.period, last.credit,
                                         now)
        for account_id in last.above:  # the channel above climbs on the same credit
            company_standing.credited(program, account_id, last.period, last.credit, now)
        return replace(recorded, upgraded_to=rose.id if rose else None)
    return recorded


def _account_of(program: str, a: domain.Activity, d: Definitions) -> str | None:
    """The member's company, where it matters: for company wallets or an ACCOUNT ladder
    (the activity names it, or the member item on file does)."""
    ladder_level = d.ladder.level if d.ladder else None
    if d.settings.wallet is not WalletMode.ACCOUNT and ladder_level is not tiers.Level.ACCOUNT:
        return None
    # The record's, read now: another instance may have moved the member to another company.
    return a.account_id or holders.record(program, a.member_id).get("accountId")


@dataclass(frozen=True)
class _Climb:
    """A company's progress credited by an activity."""

    account_id: str
    period: str
    credit: int
    above: tuple[str, ...] = ()  # the accounts above it credited too (SUBTREE ladders)


@dataclass(frozen=True)
class _Target:
    """What a plan is for: the activity and everything fixed before the first attempt."""

    program: str
    actor: str
    activity: domain.Activity
    definitions: Definitions
    returned: _Return | None
    fingerprint: str
    now: datetime
    used: dict[str, int]
    company: tuple[str, int] | None  # the company wallet shard paid into
    climbs: company_standing.Company | None  # the company whose tier the activity lifts
    # SUBTREE ladders: the accounts above `climbs`, lifted too (None: the ladder counts OWN).
    above: list[company_standing.Company] | None
    climbed: list[_Climb]
    quests: list[quest_progress.Candidate]  # live quests the activity may move
    quests_epoch: int  # the live quests' gate epoch they were read at
    not_joined: set[str]
    rider: Rider | None
    paid: _PointsPaid


@dataclass
class _PointsPaid:
    """What the points an activity gives cost the program's points budgets: planned once,
    moved to other shards when one refuses, and, when a budget cannot pay, the points are
    held (pending with no day) until an admin releases them (services/loyalty/held.py)."""

    program: str
    links: tuple[BudgetLink, ...]
    point_value: int
    charges: list[budgets.Charge] | None = None
    charged_for: int = 0  # the points the charges pay for (a cap may lower them on replan)
    held_by: str | None = None  # the budget that could not pay

    def parts(self, points: int, now: datetime) -> dict[str, dict[str, Any]]:
        if points <= 0 or not self.point_value or self.held_by:
            return {}
        if self.charges is None or self.charged_for != points:
            self.charged_for = points
            self.charges = budgets.charges_for(self.program, self.links,
                                               points * self.point_value, now, budgets.POINTS)
            if self.charges is None:  # a budget is closed
                self.held_by = budgets.closed_budget(self.program, self.links)
                return {}
        return budgets.parts(self.program, self.charges)

    def explain(self, cancelled: Cancelled) -> None:
        for charge in budgets.refused(cancelled, self.charges or []):
            again = budgets.recharge(self.program, charge)
            if again is None:
                self.held_by, self.charges = charge.budget.id, None
                return
            self.charges = [again if c.budget.id == charge.budget.id else c
                            for c in self.charges or []]

    def held(self, points: int) -> Pending:
        return {HELD: points} if self.held_by and points > 0 else {}


def _require_in_time(a: domain.Activity, d: Definitions, now: datetime) -> None:
    if d.ladder is None:
        return
    period = tiers.period_of(a.occurred_at, d.ladder.window, d.ladder.timezone)
    if now > period.ends_at + timedelta(days=d.settings.late_grace_days):
        raise DomainError(ErrorCode.LATE_ACTIVITY,
                          f"period {period.key} closed {d.settings.late_grace_days} days after "
                          "it ended", "occurredAt")


def _returned(program: str, a: domain.Activity) -> _Return:
    assert a.returns is not None and a.amount is not None  # validated
    purchase = activity_store.get_activity(program, a.returns)
    if purchase is None or purchase.get("activityType") != domain.ActivityType.PURCHASE:
        raise DomainError(ErrorCode.NOT_FOUND, f"no purchase {a.returns!r}", "returns")
    if purchase["memberId"] != a.member_id:
        raise DomainError(ErrorCode.INVALID_INPUT, "that purchase is another member's",
                          "returns")
    bought = purchase.get("amount") or 0
    taken, _ = domain.returned_share(bought, purchase.get("returnedAmount", 0), a.amount.value)
    if taken < a.amount.value:
        raise DomainError(ErrorCode.RETURN_EXCEEDS_PURCHASE,
                          f"only {bought - purchase.get('returnedAmount', 0)} of that purchase "
                          "is left to return", "amount")
    return _Return(purchase, taken,
                   domain.points_taken_back(purchase.get("rulePoints", purchase.get(
                       "points", 0)), bought, taken))


def _plan(t: _Target, items: dict[str, dict[str, Any]]) -> optimistic.Plan[Recorded]:
    a, d, member, returned = t.activity, t.definitions, items["member"], t.returned
    purse = items.get("wallet", member)  # where the points go: the member's, or a shard
    # A member who climbs with their company keeps no standing of their own.
    standing = store.standing_of(member, d.base_tier()) if d.ladder and not t.climbs else None
    tier_now = company_standing.in_force(t.program, t.climbs, t.now).tier or d.base_tier() \
        if t.climbs else tier_in_force(t.program, d, member, t.now)
    rule_ids: list[str] = []
    held_back: dict[str, int] = {}
    parts: dict[str, dict[str, Any]] = {}
    if returned is not None:
        delta = -returned.points
    else:
        percent = d.ladder.multiplier(tier_now) if d.ladder else 100
        earned = earning.by_rule(list(d.rules), a, tier_now, percent)
        earned = _within_caps(t.program, a, d, earned, t.used, parts)
        delta, rule_ids = sum(earned.values()), [r for r, p in earned.items() if p > 0]
        held_back = crediting.held_back(a, d.rules, earned)
    quest = quest_progress.plan(quest_progress.Context(
        t.program, a, member.get("accountId") or a.account_id, tier_now, t.now, t.not_joined,
        lambda: holders.on_file(t.program, a.member_id).get("accountId"), t.quests_epoch),
        t.quests, items, (returned.purchase, returned.amount) if returned else None)
    delta += quest.points + (t.rider.points if t.rider else 0)
    parts |= t.paid.parts(delta, t.now)
    held_back = added(held_back, t.paid.held(delta))
    at = iso(t.now)
    new_standing, upgraded, period = standing, None, None
    if d.ladder is not None and standing is not None:
        new_standing, upgraded, period = crediting.credited(
            d.ladder, standing, a, delta, returned.share() if returned else None, t.now)
    reason = _reason(t, rule_ids, quest.completed, delta)
    entry = Entry(delta, reason, "RETURN" if returned else "ACTIVITY", a.external_id,
                  t.actor, at)
    after: dict[str, dict[str, Any]] = {}
    balance_after = None  # known only when a wallet is written on the seq it was planned at
    if t.company is not None and delta:
        paid = Movement(t.program, a.member_id, store.wallet_of(purse), entry,
                        earned=delta, floor=None, shard=t.company, expiry=d.expiry(),
                        pending_in=held_back, returns_pending=returned is not None)
        parts.update(store.movement_parts(paid, "wallet"))
        after["wallet"] = movements.member_after(purse, paid)
    if (t.company is None and delta) or new_standing != standing:
        moved = Movement(
            t.program, a.member_id, store.wallet_of(member),
            entry if t.company is None else replace(entry, delta=0),
            earned=0 if t.company else delta, standing=new_standing, base_tier=d.base_tier(),
            expected_tier=member.get(store.TIER), floor=None,
            write_entry=t.company is None, expiry=d.expiry() if t.company is None else None,
            pending_in=held_back if t.company is None else None,
            returns_pending=returned is not None and t.company is None,
            on_file_only=d.settings.unknown_members is UnknownMembers.REFUSE and not t.rider)
        parts.update(store.movement_parts(moved))
        after["member"] = movements.member_after(member, moved)
        if t.company is None:
            balance_after = moved.settled().balance
    parts["activity"] = activity_store.activity_part(t.program, a.external_id, {
        "fingerprint": t.fingerprint, "externalId": a.external_id, "memberId": a.member_id,
        "accountId": a.account_id,
        # The member's company on record, where this transaction knows it (read for company
        # wallets and ladders, or on the member copy it writes): reports count by it, and
        # by the partner's accountId above where it is unknown.
        "companyId": (t.company[0] if t.company else None) or (
            t.climbs.account_id if t.climbs else None) or (
            member.get("accountId") if store.seen(member) else None),
        "activityType": a.type, "occurredAt": iso(a.occurred_at), "recordedAt": at,
        "amount": a.amount.value if a.amount else None,
        "currency": a.amount.currency if a.amount else None, "quantity": a.quantity,
        "tags": list(a.tags), "attributes": dict(a.attributes), "returns": a.returns,
        "points": delta, "rulePoints": delta - quest.points - (t.rider.points if t.rider else 0),
        "balanceAfter": balance_after,
        "rules": rule_ids,
        "companyWallet": t.company[0] if t.company else None,
        "quests": quest.contributions or None})
    parts |= quest.parts | (t.rider.parts if t.rider else {})
    after |= quest.after
    t.climbed.clear()
    if t.climbs is not None and d.ladder is not None:
        parts.update(_company_credit(t, d.ladder, delta))
    if period is not None and new_standing is not None and \
            new_standing.value_in(period) != (standing.value_in(period) if standing else 0):
        parts["ladderBoard"] = boards.placed_part(
            keys.ladder_member_entry(t.program, a.member_id, period),
            boards.ladder_members(t.program, period), a.member_id,
            new_standing.value_in(period), int(t.now.timestamp() * 1000))
    if upgraded is not None and period is not None:
        parts["tier"] = store.tier_change_part(t.program, a.member_id, period, upgraded.id,
                                               tier_now, at,
                                               f"reached by activity {a.external_id}")
    if returned is not None:
        parts["purchase"] = activity_store.return_part(t.program, a.returns or "", returned.amount,
                                                       returned.purchase.get("amount") or 0)
    result = Recorded(a.external_id, RECORDED, delta, balance_after,
                      upgraded.id if upgraded else None)
    return optimistic.Plan(parts, after, result)


def _reason(t: _Target, rule_ids: list[str], completed: list[str], delta: int) -> str:
    """The ledger line's why: the rules, the quests completed, the rider's, and points
    held for want of budget."""
    reason = crediting.ledger_reason(t.activity, rule_ids) + "".join(
        f"; quest {q} completed" for q in completed)
    if t.rider and t.rider.points:
        reason += f"; {t.rider.reason}"
    if t.paid.held(delta):
        reason += (f"; held: points budget {t.paid.held_by!r} cannot pay for them "
                   "(an admin releases them)")
    return reason


def _within_caps(program: str, a: domain.Activity, d: Definitions, earned: dict[str, int],
                 used: dict[str, int], parts: dict[str, dict[str, Any]]) -> dict[str, int]:
    """Each rule's points cut to what its caps leave, and the cap counters' parts."""
    zone = d.ladder.timezone if d.ladder else "UTC"
    day = local_day(a.occurred_at, zone)
    rules = {r.id: r for r in d.rules}
    kept = {}
    for rule_id, points_earned in earned.items():
        caps = earning.caps(rules[rule_id], day)
        names = {cap: part_names.cap(rule_id, cap.window) for cap in caps}
        award = earning.capped(points_earned, [(cap, used.get(names[cap], 0)) for cap in caps])
        kept[rule_id] = award
        for cap in caps if award else ():
            parts[names[cap]] = earning_caps.cap_part(program, a.member_id, rule_id, cap.window,
                                                      cap.period, award, cap.limit,
                                                      cap.expires_at())
    return kept


def _company_credit(t: _Target, ladder: tiers.Ladder, delta: int) -> dict[str, dict[str, Any]]:
    """The credit on one of the company's progress shards, and a pin on the company tier
    the plan's multiplier came from (so a tier another instance moved means a new plan).
    Where the ladder counts subtrees, the same credit on a progress shard of each account
    above it, and every step up pinned as this instance read it: a retailer moved to
    another distributor credits the new one from the moment of the move, whatever any
    instance had cached (the pins are on random policy copies, so a distributor above
    twenty thousand retailers is no hot key)."""
    assert t.climbs is not None
    credit, occurred = crediting.tier_credit(ladder, t.activity, delta,
                                             t.returned.share() if t.returned else None)
    period = tiers.period_of(occurred, ladder.window, ladder.timezone).key
    above = t.above or []
    t.climbed.append(_Climb(t.climbs.account_id, period, credit,
                            tuple(c.account_id for c in above)))
    account = t.climbs.account_id
    parts = {part_names.COMPANY_TIER: tier_pin_part(
        t.program, account, t.climbs.seq, pin_parent=t.above is not None,
        parent_id=t.climbs.parent)}
    for step in above:
        parts[part_names.tree_step(step.account_id)] = parent_pin(t.program, step.account_id,
                                                                  step.parent)
    for holder in [t.climbs, *above] if credit else []:
        parts[f"progress:{holder.account_id}"] = progress_part(
            t.program, holder.account_id, pick_shard(COMPANY_PROGRESS_SHARDS), period, credit)
    return parts
