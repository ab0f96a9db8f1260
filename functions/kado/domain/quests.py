"""Quests: steps a member completes with their activities, optionally as a streak.

Progress is a pure function of the activities counted, whatever order they arrive in:
each activity adds to the steps it matches in its *window* (the whole quest, or, for a
streak, the period it occurred in, counted in the quest's timezone). A window is complete
when every step reached its target; a streak is the longest run of consecutive complete
periods. So late or out-of-order activities land where they belong, and a DST change or
a year boundary moves nothing: periods are local calendar dates.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from kado.domain.activities import Activity
from kado.domain.bounds import MAX_POINTS_AT_ONCE
from kado.domain.calendar import is_timezone
from kado.domain.eligibility import Audience
from kado.domain.errors import ValidationFailed
from kado.domain.validation import ID_RULE, MAX_NAME_TEXT, is_id

MAX_STEPS = 10
# Every live quest an activity matches adds one item to the activity's transaction, and
# five more when it completes (the company's board entry, badge, spin credits, voucher and
# its ledger entry): 12 x 6 = 72, leaving room within DynamoDB's 100 items per transaction
# for the activity's own (member, wallet, ledger, caps, company progress, tier). Launching
# one more is refused (QUEST_LIMIT_REACHED).
MAX_LIVE_QUESTS = 12
MAX_STREAK = 366
ALL = "all"  # the one window of a quest without a streak
# The progress shown per mille of the targets (the leaderboard's score).
FULL_SCORE = 1000


class QuestStatus(StrEnum):
    DRAFT = "DRAFT"
    LIVE = "LIVE"
    ENDED = "ENDED"


class Enrollment(StrEnum):
    AUTO = "AUTO"  # every eligible member takes part from their first matching activity
    OPT_IN = "OPT_IN"  # only members who joined (joinQuest)


class Repeat(StrEnum):
    ONCE = "ONCE"
    PER_PERIOD = "PER_PERIOD"  # once per `period` (a new cycle each period)


class Period(StrEnum):
    DAY = "DAY"
    WEEK = "WEEK"  # ISO weeks, Monday to Sunday
    MONTH = "MONTH"


@dataclass(frozen=True)
class Step:
    id: str
    name: str
    activity_type: str
    tags: tuple[str, ...] = ()
    min_amount: int | None = None
    target_count: int | None = None  # this many matching activities
    target_amount: int | None = None  # or this much amount (minor units), summed

    @property
    def target(self) -> int:
        return self.target_count or self.target_amount or 0

    def matches(self, a: Activity) -> bool:
        if a.type != self.activity_type or not set(self.tags) <= set(a.tags):
            return False
        return self.min_amount is None or (a.amount is not None and
                                           a.amount.value >= self.min_amount)

    def credit(self, a: Activity) -> int:
        if self.target_count:
            return 1
        return a.amount.value if a.amount else 0


@dataclass(frozen=True)
class Streak:
    period: Period
    length: int  # consecutive complete periods


@dataclass(frozen=True)
class QuestReward:
    points: int = 0
    product_id: str | None = None  # a voucher of this product
    badge: str | None = None
    spin_campaign_id: str | None = None  # spin credits on this campaign
    spin_credits: int = 0


QuestEligibility = Audience  # tiers, companies, members


@dataclass(frozen=True)
class Quest:
    id: str
    name: str
    starts_at: datetime
    ends_at: datetime
    timezone: str
    steps: tuple[Step, ...]
    reward: QuestReward
    description: str = ""
    ordered: bool = False  # steps count one after another
    streak: Streak | None = None
    repeat: Repeat = Repeat.ONCE
    period: Period = Period.MONTH  # the cycle of a PER_PERIOD quest
    eligibility: QuestEligibility = field(default_factory=QuestEligibility)
    enrollment: Enrollment = Enrollment.AUTO
    version: int = 1
    status: QuestStatus = QuestStatus.DRAFT

    def open_at(self, moment: datetime) -> bool:
        return self.starts_at <= moment < self.ends_at

    def matches(self, a: Activity) -> bool:
        return self.open_at(a.occurred_at) and any(s.matches(a) for s in self.steps)

    def admits(self, member_id: str, account_id: str | None, tier: str) -> bool:
        return self.eligibility.admits(member_id, account_id, tier)

    def cycle(self, moment: datetime) -> str:
        return "once" if self.repeat is Repeat.ONCE else \
            period_key(moment, self.period, self.timezone)

    def window(self, moment: datetime) -> str:
        return ALL if self.streak is None else \
            period_key(moment, self.streak.period, self.timezone)

    def terms(self) -> tuple[object, ...]:
        """What members' progress is measured against (a change makes a new version)."""
        return (self.steps, self.ordered, self.streak, self.reward, self.repeat, self.period)


def period_key(moment: datetime, period: Period, timezone: str) -> str:
    """The local calendar period of `moment`: 2026-03-29, 2026-W13, 2026-03."""
    local = moment.astimezone(ZoneInfo(timezone)).date()
    if period is Period.DAY:
        return local.isoformat()
    if period is Period.WEEK:
        year, week, _ = local.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{local.year:04d}-{local.month:02d}"


def previous_key(key: str, period: Period) -> str:
    if period is Period.DAY:
        return (date.fromisoformat(key) - timedelta(days=1)).isoformat()
    if period is Period.WEEK:
        year, week = key.split("-W")
        monday = date.fromisocalendar(int(year), int(week), 1) - timedelta(days=7)
        iso_year, iso_week, _ = monday.isocalendar()
        return f"{iso_year}-W{iso_week:02d}"
    y, m = int(key[:4]), int(key[5:7])
    return f"{y - (m == 1):04d}-{(m - 2) % 12 + 1:02d}"


Windows = dict[str, dict[str, int]]  # window -> step id -> value


@dataclass(frozen=True)
class Credited:
    windows: Windows
    added: dict[str, int]  # step id -> what this activity added (in its window)
    window: str
    completed: bool


def complete_in(q: Quest, values: dict[str, int]) -> bool:
    return all(values.get(s.id, 0) >= s.target for s in q.steps)


def streak_run(q: Quest, windows: Windows) -> int:
    """The longest run of consecutive complete periods (keys sort in time order)."""
    if q.streak is None:
        return 1 if complete_in(q, windows.get(ALL, {})) else 0
    best = run = 0
    last = None
    for key in sorted(k for k, v in windows.items() if complete_in(q, v)):
        run = run + 1 if last is not None and previous_key(key, q.streak.period) == last else 1
        best, last = max(best, run), key
    return best


def is_complete(q: Quest, windows: Windows) -> bool:
    needed = q.streak.length if q.streak else 1
    return streak_run(q, windows) >= needed


def credit(q: Quest, windows: Windows, a: Activity) -> Credited:
    """The windows after activity `a` counts (ordered quests: only toward the first step
    not yet reached in its window)."""
    window = q.window(a.occurred_at)
    values = dict(windows.get(window, {}))
    added: dict[str, int] = {}
    for step in q.steps:
        if q.ordered and values.get(step.id, 0) < step.target:
            if step.matches(a):
                added[step.id] = step.credit(a)
            break
        if not q.ordered and step.matches(a) and values.get(step.id, 0) < step.target:
            added[step.id] = step.credit(a)
    for step_id, value in added.items():
        values[step_id] = values.get(step_id, 0) + value
    after = _kept(q, {**windows, window: values})
    return Credited(after, added, window, is_complete(q, after))


def taken_back(q: Quest, windows: Windows, window: str, taken: dict[str, int]) -> Windows:
    """The windows after a return takes back what its purchase added."""
    values = dict(windows.get(window, {}))
    for step_id, value in taken.items():
        values[step_id] = max(0, values.get(step_id, 0) - value)
    return {**windows, window: values}


def _kept(q: Quest, windows: Windows) -> Windows:
    """A streak keeps the periods that can still make a run (the item stays small)."""
    if q.streak is None:
        return windows
    keep = q.streak.length + 2
    return dict(sorted(windows.items())[-keep:])


def score(q: Quest, windows: Windows) -> int:
    """Progress per mille: the share of the targets reached (a streak: of its periods)."""
    if is_complete(q, windows):
        return FULL_SCORE
    if q.streak is not None:
        return FULL_SCORE * streak_run(q, windows) // q.streak.length
    values = windows.get(ALL, {})
    reached = sum(min(values.get(s.id, 0), s.target) / s.target for s in q.steps)
    return int(FULL_SCORE * reached / len(q.steps))


def validate(q: Quest) -> None:
    problems: list[tuple[str, str]] = []
    if not is_id(q.id):
        problems.append(("id", ID_RULE))
    if not q.name.strip() or len(q.name) > MAX_NAME_TEXT:
        problems.append(("name", f"must be 1-{MAX_NAME_TEXT} characters"))
    if not is_timezone(q.timezone):
        problems.append(("timezone", "must be an IANA timezone such as Europe/Vienna"))
    if q.ends_at <= q.starts_at:
        problems.append(("endsAt", "must be after startsAt"))
    if not 1 <= len(q.steps) <= MAX_STEPS:
        problems.append(("steps", f"1-{MAX_STEPS} steps"))
    if len({s.id for s in q.steps}) != len(q.steps):
        problems.append(("steps", "step ids must be unique"))
    for i, s in enumerate(q.steps):
        if not is_id(s.id):
            problems.append((f"steps[{i}].id", ID_RULE))
        if (s.target_count is None) == (s.target_amount is None) or s.target <= 0:
            problems.append((f"steps[{i}].target", "one of count or amount, above 0"))
        if not s.activity_type:
            problems.append((f"steps[{i}].match.activityType", "required"))
    if q.streak is not None and not 2 <= q.streak.length <= MAX_STREAK:
        problems.append(("streak.length", f"2-{MAX_STREAK} periods"))
    r = q.reward
    if not (r.points or r.product_id or r.badge or r.spin_credits) or r.points < 0:
        problems.append(("reward", "points, a voucher product, spin credits or a badge"))
    if r.points > MAX_POINTS_AT_ONCE:
        problems.append(("reward.points", f"at most {MAX_POINTS_AT_ONCE}"))
    if bool(r.spin_campaign_id) != (1 <= r.spin_credits <= 1000):
        problems.append(("reward.spinCredits", "1-1000 credits on a named campaign, or none"))
    if r.badge is not None and not is_id(r.badge):
        problems.append(("reward.badge", ID_RULE))
    if problems:
        raise ValidationFailed(problems)


def next_version(current: Quest | None, edited: Quest) -> Quest:
    """A DRAFT is edited in place; a live quest whose terms change gets a new version, for
    new enrolments only (members keep the version they started on)."""
    if current is None:
        return replace(edited, version=1, status=QuestStatus.DRAFT)
    bump = current.status is not QuestStatus.DRAFT and current.terms() != edited.terms()
    return replace(edited, version=current.version + bump, status=current.status)
