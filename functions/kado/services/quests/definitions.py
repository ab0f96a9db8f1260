"""Quests as marketing defines them, their lifecycle, and what members and boards see.

Live quests are read on every activity, so cached per instance (like earning rules), with
the gate epoch they were read at. No rule rests on the cached copy: every activity's
transaction checks that epoch on the gate (store/quests.py), which every launch, end and
live edit moves in its own transaction, so from the moment `launchQuest` or `endQuest`
returns no instance counts an activity on the list before it. Progress and rewards are
conditions on each member's progress item, and a quest's terms never change under a
member (an edit of a live quest is a new version, for new enrolments only).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from kado.domain import quests as domain
from kado.domain.calendar import iso, parse_iso, utcnow
from kado.domain.errors import DomainError, ErrorCode
from kado.domain.principal import Principal
from kado.domain.quests import (
    Enrollment,
    Period,
    Quest,
    QuestEligibility,
    QuestReward,
    QuestStatus,
    Repeat,
    Step,
    Streak,
)
from kado.domain.validation import require_id, require_idempotency_key
from kado.services.kernel import references
from kado.services.kernel.loyalty_definitions import cached
from kado.services.kernel.ttl_cache import TtlCache
from kado.services.tiers.member_standing import tier_in_force
from kado.services.vouchers import issuing as vouchers
from kado.store import quests as store
from kado.store.kernel import transact
from kado.store.kernel.pages import Page
from kado.store.ledger import get_member

MOVES = {QuestStatus.DRAFT: {QuestStatus.LIVE}, QuestStatus.LIVE: {QuestStatus.ENDED},
         QuestStatus.ENDED: set()}


def to_item(q: Quest) -> dict[str, Any]:
    return {
        "id": q.id, "name": q.name, "description": q.description, "startsAt": iso(q.starts_at),
        "endsAt": iso(q.ends_at), "timezone": q.timezone, "ordered": q.ordered,
        "steps": [{"id": s.id, "name": s.name, "activityType": s.activity_type,
                   "tags": list(s.tags), "minAmount": s.min_amount,
                   "targetCount": s.target_count, "targetAmount": s.target_amount}
                  for s in q.steps],
        "streak": {"period": q.streak.period.value, "length": q.streak.length}
        if q.streak else None,
        "reward": {"points": q.reward.points, "productId": q.reward.product_id,
                   "badge": q.reward.badge, "spinCampaignId": q.reward.spin_campaign_id,
                   "spinCredits": q.reward.spin_credits},
        "repeat": q.repeat.value, "period": q.period.value,
        "eligibility": {"tiers": list(q.eligibility.tiers),
                        "accountIds": list(q.eligibility.account_ids),
                        "memberIds": list(q.eligibility.member_ids)},
        "enrollment": q.enrollment.value, "version": q.version, "status": q.status.value}


def from_item(item: dict[str, Any]) -> Quest:
    streak, reward, rules = item.get("streak"), item["reward"], item.get("eligibility") or {}
    return Quest(
        id=item["id"], name=item["name"], description=item.get("description", ""),
        starts_at=parse_iso(item["startsAt"]), ends_at=parse_iso(item["endsAt"]),
        timezone=item["timezone"], ordered=item.get("ordered", False),
        steps=tuple(Step(s["id"], s["name"], s["activityType"], tuple(s.get("tags", ())),
                         s.get("minAmount"), s.get("targetCount"), s.get("targetAmount"))
                    for s in item["steps"]),
        streak=Streak(Period(streak["period"]), streak["length"]) if streak else None,
        reward=QuestReward(reward.get("points", 0), reward.get("productId"),
                           reward.get("badge"), reward.get("spinCampaignId"),
                           reward.get("spinCredits", 0)),
        repeat=Repeat(item.get("repeat", Repeat.ONCE)),
        period=Period(item.get("period", Period.MONTH)),
        eligibility=QuestEligibility(tuple(rules.get("tiers", ())),
                                     tuple(rules.get("accountIds", ())),
                                     tuple(rules.get("memberIds", ()))),
        enrollment=Enrollment(item.get("enrollment", Enrollment.AUTO)),
        version=item.get("version", 1), status=QuestStatus(item["status"]))


@dataclass(frozen=True)
class Versions:
    """A quest as it is now, and every version members may still be on."""

    current: Quest
    by_version: dict[int, Quest]

    def version(self, number: int | None) -> Quest:
        found = self.by_version.get(number or self.current.version, self.current)
        return replace(found, status=self.current.status)


def _versions(item: dict[str, Any]) -> Versions:
    current = from_item(item)
    by_version = {int(v): from_item({**d, "status": current.status.value})
                  for v, d in (item.get("versions") or {}).items()}
    return Versions(current, {**by_version, current.version: current})


@dataclass(frozen=True)
class LiveQuests:
    epoch: int  # the gate's epoch these were read at (0: no quest ever went live)
    versions: list[Versions]


def _load_live(program: str) -> LiveQuests:
    # The gate first, then the quests it names: a launch between the two reads shows as a
    # newer epoch at the activity's check, never as a quest missed.
    gate = store.read_gate(program)
    if gate is None:
        return LiveQuests(0, [])
    epoch, ids = gate
    return LiveQuests(epoch, [_versions(i) for i in store.quests_by_id(program, ids)
                              if i.get("status") == QuestStatus.LIVE])


_live: TtlCache[str, LiveQuests] = TtlCache(_load_live)


def live_now(program: str) -> LiveQuests:
    return _live.get(program) or LiveQuests(0, [])


def live(program: str) -> list[Versions]:
    return live_now(program).versions


def forget_live(program: str) -> None:
    """A transaction found the gate moved on: read the live quests again."""
    _live.forget(program)


def get(program: str, quest_id: str) -> Versions:
    item = store.get_quest(program, require_id(quest_id, "questId"))
    if item is None:
        raise DomainError(ErrorCode.NOT_FOUND, f"no quest {quest_id!r}", "questId")
    return _versions(item)


def upsert(program: str, q: Quest) -> Quest:
    domain.validate(q)
    references.require_audience(program, q.eligibility.tiers, q.eligibility.account_ids)
    if q.reward.product_id:
        vouchers.product(program, q.reward.product_id, "reward.productId")
    if q.reward.spin_campaign_id:
        references.require_campaign(program, q.reward.spin_campaign_id,
                                    "reward.spinCampaignId")
    found = store.get_quest(program, q.id)
    current = _versions(found) if found else None
    saved = domain.next_version(current.current if current else None, q)
    versions = {str(v): to_item(d) for v, d in (current.by_version if current else {}).items()
                if v != saved.version}
    # An edit of a live quest moves the gate, so every instance plans with the new terms.
    gate = store.gate_parts(program, saved.id, None) \
        if current and current.current.status is QuestStatus.LIVE else None
    try:
        store.put_quest(program, to_item(saved), versions,
                        current.current.version if current else None, gate)
    except transact.Cancelled:
        raise DomainError(ErrorCode.BUSY, "the quest changed meanwhile; retry", "id") from None
    _live.forget(program)
    return saved


def move(program: str, quest_id: str, to: QuestStatus) -> Quest:
    found = get(program, quest_id)
    q = found.current
    if to not in MOVES[q.status]:
        raise DomainError(ErrorCode.INVALID_TRANSITION,
                          f"a {q.status.value} quest cannot become {to.value}", "id")
    if to is QuestStatus.LIVE and len(_load_live(program).versions) >= domain.MAX_LIVE_QUESTS:
        raise DomainError(ErrorCode.QUEST_LIMIT_REACHED, f"a program runs at most "
                          f"{domain.MAX_LIVE_QUESTS} live quests; end one first", "id")
    moved = replace(q, status=to)
    versions = {str(v): to_item(d) for v, d in found.by_version.items() if v != q.version}
    try:
        store.put_quest(program, to_item(moved), versions, q.version,
                        store.gate_parts(program, q.id, to is QuestStatus.LIVE))
    except transact.Cancelled:
        raise DomainError(ErrorCode.BUSY, "the quest changed meanwhile; retry", "id") from None
    _live.forget(program)
    return moved


def join(principal: Principal, quest_id: str, idempotency_key: str) -> Quest:
    """Enrol in an OPT_IN quest (on its current version); joining again changes nothing."""
    require_idempotency_key(idempotency_key)
    q = get(principal.program, quest_id).current
    now = utcnow()
    if q.status is not QuestStatus.LIVE or not q.open_at(now):
        raise DomainError(ErrorCode.NOT_ELIGIBLE, "this quest is not open", "questId")
    if not q.admits(principal.subject, *_standing(principal, now)):
        raise DomainError(ErrorCode.NOT_ELIGIBLE, "this quest is not open to you", "questId")
    with contextlib.suppress(transact.Cancelled):  # joined already: the same enrolment
        transact.write({"progress": store.join_part(principal.program, principal.subject, q.id,
                                                    q.cycle(now), q.version, iso(now))})
    return q


def _standing(principal: Principal, now: datetime) -> tuple[str | None, str]:
    """The member's company and tier in force, as on file now (never from the token)."""
    member = get_member(principal.program, principal.subject) or {}
    account = member.get("accountId")
    return account, tier_in_force(principal.program, cached(principal.program), member, now,
                                  account)


@dataclass(frozen=True)
class MemberQuest:
    quest: Quest  # the version the member is on (or would start on)
    cycle: str
    windows: domain.Windows
    status: str  # NOT_STARTED, ACTIVE, COMPLETED
    joined: bool
    completed_at: datetime | None
    streak_run: int


def for_member(principal: Principal, now: datetime | None = None) -> list[MemberQuest]:
    """The live quests open to the member now, with their progress in the current cycle."""
    moment = now or utcnow()
    account, tier = _standing(principal, moment)
    open_now = [v for v in live(principal.program) if v.current.open_at(moment)
                and v.current.admits(principal.subject, account, tier)]
    found = store.progress_of(principal.program, principal.subject,
                              [(v.current.id, v.current.cycle(moment)) for v in open_now])
    shown = []
    for versions, item in zip(open_now, found, strict=True):
        q = versions.version(item.get("version") if item else None)
        windows = (item or {}).get("windows") or {}
        shown.append(MemberQuest(
            q, q.cycle(moment), windows, (item or {}).get("status", "NOT_STARTED"),
            item is not None,
            parse_iso(item["completedAt"]) if item and item.get("completedAt") else None,
            domain.streak_run(q, windows)))
    return shown


def quests_page(program: str, first: int, after: str | None) -> Page:
    return store.quests_page(program, first, after)


def badges_page(program: str, member_id: str, first: int, after: str | None) -> Page:
    return store.badges_page(program, member_id, first, after)
