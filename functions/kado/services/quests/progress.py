"""Quest progress moved by an activity, inside the activity's own transaction.

Every live quest an activity could move is one more seq-moved holder of the activity's
transaction (services/ledger/optimistic.py): its progress item goes from the `seq` the plan read
to the next. So parallel activities of one member never both count on the same state,
a resent activity (same externalId) is refused with everything it would have moved, and
the activity that completes a quest writes its reward in the same transaction: points on
the activity's own ledger entry, the badge, the voucher and spin credits. A completed cycle takes no
more progress, so a reward is written once per completion, whatever arrives in parallel,
twice or out of order.

A RETURN takes back what its purchase added to quests not yet complete; after completion
the reward stands (Quest.returnsAfterCompletion in the API says so).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from kado.domain import quests as domain
from kado.domain.activities import Activity
from kado.domain.calendar import iso
from kado.domain.quests import Enrollment
from kado.services.kernel import part_names
from kado.services.quests import definitions as quests
from kado.services.vouchers import issuing as vouchers
from kado.store import quests as store
from kado.store.campaigns import spin_credits

COMPLETED, ACTIVE = "COMPLETED", "ACTIVE"


@dataclass(frozen=True)
class Candidate:
    versions: quests.Versions
    cycle: str
    part: str


@dataclass
class QuestPlan:
    parts: dict[str, dict[str, Any]] = field(default_factory=dict)
    after: dict[str, dict[str, Any]] = field(default_factory=dict)
    points: int = 0  # quest rewards, added to the activity's own movement
    contributions: dict[str, Any] = field(default_factory=dict)  # kept on the activity
    completed: list[str] = field(default_factory=list)
    credits: dict[str, int] = field(default_factory=dict)  # spin credits by campaign


def holder(member_id: str, quest_id: str, cycle: str) -> str:
    """The name a progress item is remembered by (member ids never hold a '#')."""
    return f"{member_id}#Q#{quest_id}#{cycle}"


def candidates(live: list[quests.Versions], a: Activity,
               purchase: dict[str, Any] | None) -> list[Candidate]:
    """The live quests this activity may move: those it matches (any version members may
    be on), or, for a RETURN, those its purchase moved."""
    found = []
    for versions in live:
        q = versions.current
        if purchase is not None:
            moved = (purchase.get("quests") or {}).get(q.id)
            if moved:
                found.append(Candidate(versions, moved["cycle"], part_names.quest(q.id)))
        elif any(v.matches(a) for v in versions.by_version.values()):
            found.append(Candidate(versions, q.cycle(a.occurred_at), part_names.quest(q.id)))
    return found


@dataclass(frozen=True)
class Context:
    program: str
    activity: Activity
    account: str | None
    tier: str
    now: datetime
    not_joined: set[str]  # parts of OPT_IN quests the member has not joined
    # The member's company, read on file if need be: only a completion needs it for sure
    # (its company's place on the quest's board), and completions are rare.
    company_of: Callable[[], str | None] = lambda: None
    epoch: int = 0  # the live quests' gate epoch `found` was read at


def plan(c: Context, found: list[Candidate], items: dict[str, dict[str, Any]],
         returned: tuple[dict[str, Any], int] | None) -> QuestPlan:
    """The progress parts (and completion rewards) of the activity, from the items read."""
    # Checked in the transaction: a quest launched or ended since is never missed or moved.
    out = QuestPlan(parts={part_names.QUEST_GATE: store.gate_check_part(c.program, c.epoch)})
    for candidate in found:
        item = items.get(candidate.part) or {}
        if candidate.part in c.not_joined or item.get("status") == COMPLETED:
            continue  # not enrolled, or done this cycle: the reward stands
        q = candidate.versions.version(item.get("version"))
        windows: domain.Windows = item.get("windows") or {}
        if returned is not None:
            _take_back(c, candidate, q, item, windows, returned, out)
        elif q.matches(c.activity) and q.admits(c.activity.member_id, c.account, c.tier):
            _count(c, candidate, q, item, windows, out)
    # One grant per campaign: quests completing together may name the same campaign, and a
    # transaction may touch an item once.
    for campaign_id, count in out.credits.items():
        out.parts[f"credits:{campaign_id}"] = spin_credits.grant_part(
            c.program, c.activity.member_id, campaign_id, count, iso(c.now))
    return out


def _count(c: Context, candidate: Candidate, q: domain.Quest, item: dict[str, Any],
           windows: domain.Windows, out: QuestPlan) -> None:
    credited = domain.credit(q, windows, c.activity)
    if not credited.added:
        return
    out.contributions[q.id] = {"cycle": candidate.cycle, "window": credited.window,
                               "steps": credited.added}
    _write(c, candidate, q, item, credited.windows, credited.completed, out)
    if credited.completed:
        _reward(c, candidate, q, out)


def _take_back(c: Context, candidate: Candidate, q: domain.Quest, item: dict[str, Any],
               windows: domain.Windows, returned: tuple[dict[str, Any], int],
               out: QuestPlan) -> None:
    """A return takes back its share: amounts in proportion, a count once the purchase is
    returned in full."""
    purchase, taken = returned
    moved = (purchase.get("quests") or {}).get(q.id) or {}
    bought = purchase.get("amount") or 0
    whole = purchase.get("returnedAmount", 0) + taken >= bought
    steps = {s.id: s for s in q.steps}
    back = {}
    for step_id, added in (moved.get("steps") or {}).items():
        step = steps.get(step_id)
        if step is None:
            continue
        back[step_id] = (added if whole else 0) if step.target_count else \
            added * taken // max(bought, 1)
    if any(back.values()):
        after = domain.taken_back(q, windows, moved.get("window", domain.ALL), back)
        _write(c, candidate, q, item, after, False, out)


def _write(c: Context, candidate: Candidate, q: domain.Quest, item: dict[str, Any],
           windows: domain.Windows, completed: bool, out: QuestPlan) -> None:
    at = iso(c.now)
    values = {"version": q.version, "windows": windows,
              "status": COMPLETED if completed else ACTIVE,
              "completedAt": at if completed else None, "accountId": c.account,
              "updatedAt": at}
    seq = int(item.get(store.SEQ, 0))
    must_exist = bool(item) or q.enrollment is Enrollment.OPT_IN
    out.parts[candidate.part] = store.progress_part(
        c.program, c.activity.member_id, q.id, candidate.cycle, values, seq, must_exist,
        domain.score(q, windows), int(c.now.timestamp() * 1000))
    out.after[candidate.part] = {**item, **values, store.SEQ: seq + 1,
                                 "questId": q.id, "cycle": candidate.cycle}


def _reward(c: Context, candidate: Candidate, q: domain.Quest, out: QuestPlan) -> None:
    member, at = c.activity.member_id, iso(c.now)
    out.points += q.reward.points
    out.completed.append(q.id)
    company = c.account or c.company_of()
    if company:
        out.parts[f"company_board:{q.id}"] = store.company_completed_part(
            c.program, company, q.id, candidate.cycle, int(c.now.timestamp() * 1000))
    if q.reward.badge:
        out.parts[f"badge:{q.id}"] = store.badge_part(c.program, member, q.reward.badge, q.id,
                                                      candidate.cycle, at)
    if q.reward.spin_campaign_id and q.reward.spin_credits:
        campaign_id = q.reward.spin_campaign_id
        out.credits[campaign_id] = out.credits.get(campaign_id, 0) + q.reward.spin_credits
    if q.reward.product_id:
        product = vouchers.product(c.program, q.reward.product_id)
        issue = vouchers.prepare(c.program, product, member, c.now)
        if issue is not None:  # an empty pool: the quest completes without the voucher
            for name, part in vouchers.parts(issue, member, "member",
                                             f"quest {q.id} completed").items():
                out.parts[f"quest_voucher:{q.id}:{name}"] = part
