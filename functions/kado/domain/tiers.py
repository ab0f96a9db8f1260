"""Tier ladders: what a member's activity in a period earns them, and when it lapses.

A tier reached during period P is held for the rest of P and all of the next period.
At that moment it lapses to the best tier qualified in the period that just ended (or
the ladder's base). The moment is stored on the member (`tierUntil`) and checked
wherever a tier is enforced, so a downgrade holds at 00:00 in the ladder's timezone
whether or not a job has run; jobs only tidy up.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from kado.domain.calendar import is_timezone
from kado.domain.errors import ValidationFailed
from kado.domain.validation import ID_RULE, MAX_NAME_TEXT, is_id

MAX_TIERS = 10


class Metric(StrEnum):
    POINTS_EARNED = "POINTS_EARNED"
    PURCHASE_AMOUNT = "PURCHASE_AMOUNT"
    ACTIVITY_COUNT = "ACTIVITY_COUNT"


class Window(StrEnum):
    CALENDAR_YEAR = "CALENDAR_YEAR"
    CALENDAR_QUARTER = "CALENDAR_QUARTER"
    # The last twelve months, counted in monthly buckets; a month's tier holds one more month.
    ROLLING_12_MONTHS = "ROLLING_12_MONTHS"


ROLLING_MONTHS = 12


class Level(StrEnum):
    MEMBER = "MEMBER"  # each member climbs on their own activity
    # A company climbs on all its members' activity, and its members take its tier;
    # a member without a company climbs alone.
    ACCOUNT = "ACCOUNT"


class Counts(StrEnum):
    """What an ACCOUNT ladder's company climbs on."""

    OWN = "OWN"  # its own staff's activity
    # Its staff's and every account's below it in the channel's tree: a distributor climbs
    # on its retailers' purchases (each activity also credits the accounts above its own).
    SUBTREE = "SUBTREE"


class Downgrade(StrEnum):
    AT_PERIOD_END = "AT_PERIOD_END"
    AT_PERIOD_END_WITH_GRACE = "AT_PERIOD_END_WITH_GRACE"  # held grace_days longer
    NEVER = "NEVER"


@dataclass(frozen=True)
class Tier:
    id: str
    name: str
    threshold: int
    points_multiplier: int = 100  # percent, applied to everything the member earns


@dataclass(frozen=True)
class Ladder:
    metric: Metric
    window: Window
    timezone: str
    tiers: tuple[Tier, ...]  # ascending thresholds; the first is the base (threshold 0)
    downgrade: Downgrade = Downgrade.AT_PERIOD_END
    activity_type: str | None = None  # ACTIVITY_COUNT counts activities of this type
    version: int = 0
    grace_days: int = 0  # AT_PERIOD_END_WITH_GRACE: how long past the period end a tier holds
    level: Level = Level.MEMBER
    counts: Counts = Counts.OWN

    @property
    def grace(self) -> timedelta:
        return timedelta(days=self.grace_days)

    def lapse_of(self, period: Period) -> datetime:
        """When a tier reached in `period` lapses: the end of the next period, plus grace
        days counted on the local calendar (so a DST change inside them moves nothing)."""
        return self.with_grace(following(period, self.window, self.timezone).ends_at)

    def with_grace(self, moment: datetime) -> datetime:
        return (moment.astimezone(ZoneInfo(self.timezone)) + self.grace).astimezone(UTC)

    @property
    def base(self) -> Tier:
        return self.tiers[0]

    def tier(self, tier_id: str | None) -> Tier | None:
        return next((t for t in self.tiers if t.id == tier_id), None)

    def rank(self, tier_id: str | None) -> int:
        return next((i for i, t in enumerate(self.tiers) if t.id == tier_id), 0)

    def qualified(self, value: int) -> Tier:
        reached = [t for t in self.tiers if value >= t.threshold]
        return reached[-1] if reached else self.base

    def next_tier(self, tier_id: str | None) -> Tier | None:
        rank = self.rank(tier_id)
        return self.tiers[rank + 1] if rank + 1 < len(self.tiers) else None

    def multiplier(self, tier_id: str | None) -> int:
        found = self.tier(tier_id)
        return found.points_multiplier if found else 100

    def credit(self, activity_type: str, amount: int | None, points: int) -> int:
        """What one activity adds to the ladder's metric."""
        if self.metric is Metric.POINTS_EARNED:
            return points
        if self.metric is Metric.PURCHASE_AMOUNT:
            return amount or 0 if activity_type == "PURCHASE" else 0
        return 1 if activity_type == self.activity_type else 0


@dataclass(frozen=True)
class Period:
    key: str
    starts_at: datetime
    ends_at: datetime


def period_of(moment: datetime, window: Window, timezone: str) -> Period:
    """The window's period containing `moment`, bounded at local midnight in `timezone`."""
    zone = ZoneInfo(timezone)
    local = moment.astimezone(zone)
    if window is Window.CALENDAR_YEAR:
        start, end, key = (datetime(local.year, 1, 1, tzinfo=zone),
                           datetime(local.year + 1, 1, 1, tzinfo=zone), f"{local.year}")
    elif window is Window.ROLLING_12_MONTHS:  # the buckets are calendar months
        start = datetime(local.year, local.month, 1, tzinfo=zone)
        end = datetime(local.year + (local.month == 12), local.month % 12 + 1, 1, tzinfo=zone)
        key = f"{local.year:04d}-{local.month:02d}"
    else:
        quarter = (local.month - 1) // 3
        start = datetime(local.year, quarter * 3 + 1, 1, tzinfo=zone)
        end = datetime(local.year + (quarter == 3), (quarter + 1) % 4 * 3 + 1, 1, tzinfo=zone)
        key = f"{local.year}-Q{quarter + 1}"
    return Period(key, start.astimezone(UTC), end.astimezone(UTC))


def following(period: Period, window: Window, timezone: str) -> Period:
    return period_of(period.ends_at, window, timezone)


@dataclass(frozen=True)
class Standing:
    """A member's tier state, as stored on the member item."""

    tier: str | None  # None: the ladder's base
    until: datetime | None  # when `tier` lapses; None: it does not
    progress: tuple[tuple[str, int], ...] = ()  # (period key, metric value), newest last
    fixed_until: datetime | None = None  # an admin fixed the tier: activity moves nothing

    def value_in(self, period_key: str) -> int:
        return dict(self.progress).get(period_key, 0)


def effective(ladder: Ladder, s: Standing, now: datetime) -> Standing:
    """The standing in force at `now`, from what is stored and the clock alone.

    A tier reached in period P holds until `lapse_of(P)`; the stored progress (the last
    three periods) says what each period reached. A stored tier that is higher (a floor an
    admin set) holds until its own `until`; a fixed tier holds until `fixed_until`."""
    if s.fixed_until is not None and now < s.fixed_until:
        return s
    if ladder.window is Window.ROLLING_12_MONTHS:
        best, best_until = _rolling(ladder, s, now)
    else:
        best, best_until = _by_period(ladder, s, now)
    stored_holds = s.tier is not None and (s.until is None or now < s.until)
    if stored_holds and ladder.rank(s.tier) > ladder.rank(best.id):
        return replace(s, fixed_until=None)
    return replace(s, tier=None if best.id == ladder.base.id else best.id, until=best_until,
                   fixed_until=None)


def _by_period(ladder: Ladder, s: Standing, now: datetime) -> tuple[Tier, datetime | None]:
    """Calendar windows: each period's tier holds until its lapse; the best one in force."""
    best, best_until = ladder.base, None
    for key, value in s.progress:
        reached = ladder.qualified(value)
        lapse = None if ladder.downgrade is Downgrade.NEVER else \
            ladder.lapse_of(period_named(key, ladder.window, ladder.timezone))
        if reached.id == ladder.base.id or (lapse is not None and now >= lapse):
            continue
        higher = ladder.rank(reached.id) > ladder.rank(best.id)
        longer = ladder.rank(reached.id) == ladder.rank(best.id) and \
            (lapse is None or (best_until is not None and lapse > best_until))
        if higher or longer:
            best, best_until = reached, lapse
    return best, best_until


def _rolling(ladder: Ladder, s: Standing, now: datetime) -> tuple[Tier, datetime | None]:
    """The rolling window: in a month, the best of the twelve months ending with it and the
    twelve ending the month before; it lapses at the first month start that holds less."""
    values = dict(s.progress)

    def held(month: Period) -> Tier:
        def total(end_key: str) -> int:
            return sum(values.get(k, 0) for k in _months_ending(end_key, ROLLING_MONTHS))
        earlier = period_of(month.starts_at - _MOMENT, ladder.window, ladder.timezone)
        return max(ladder.qualified(total(month.key)), ladder.qualified(total(earlier.key)),
                   key=lambda t: ladder.rank(t.id))

    month = period_of(now, ladder.window, ladder.timezone)
    best = held(month)
    if best.id == ladder.base.id or ladder.downgrade is Downgrade.NEVER:
        return best, None
    ahead = month
    for _ in range(ROLLING_MONTHS + 2):
        ahead = following(ahead, ladder.window, ladder.timezone)
        if ladder.rank(held(ahead).id) < ladder.rank(best.id):
            return best, ladder.with_grace(ahead.starts_at)
    return best, None


def _months_ending(key: str, count: int) -> list[str]:
    index = int(key[:4]) * 12 + int(key[5:7]) - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count + 1, index + 1)]


_MOMENT = timedelta(microseconds=1)


def period_named(key: str, window: Window, timezone: str) -> Period:
    """The period a progress key names ("2026", "2026-Q3")."""
    year, _, quarter = key.partition("-Q")
    month = (int(quarter) - 1) * 3 + 1 if quarter else 1
    return period_of(datetime(int(year), month, 15, tzinfo=ZoneInfo(timezone)), window,
                     timezone)


def kept(ladder: Ladder, progress: dict[str, int]) -> tuple[tuple[str, int], ...]:
    """Only the last periods that can still decide a lapse ("2026" < "2027", "2026-Q4" <
    "2027-Q1", "2026-12" < "2027-01" as strings), so a standing stays small."""
    count = ROLLING_MONTHS + 1 if ladder.window is Window.ROLLING_12_MONTHS else 3
    return tuple(sorted(progress.items())[-count:])


def credited(ladder: Ladder, s: Standing, occurred_at: datetime, credit: int,
             now: datetime) -> tuple[Standing, Tier | None]:
    """The standing after `credit` counts in the period of `occurred_at` (late activity
    counts where it happened), and the tier it upgraded to, if any."""
    current = effective(ladder, s, now)
    period = period_of(occurred_at, ladder.window, ladder.timezone)
    progress = dict(current.progress)
    value = progress.get(period.key, 0) + credit
    progress[period.key] = value
    rolling = ladder.window is Window.ROLLING_12_MONTHS
    after = replace(current, progress=kept(ladder, progress))
    if current.fixed_until is not None:  # fixed by an admin: progress counts, the tier holds
        return after, None
    if rolling:  # the tier follows the window's sum: whatever it now holds, and how long
        moved = effective(ladder, replace(after, tier=None, until=None), now)
        if ladder.rank(moved.tier) < ladder.rank(current.tier):
            return after, None  # a return mid-window never downgrades before the lapse
        went_up = ladder.rank(moved.tier) > ladder.rank(current.tier)
        return moved, ladder.tier(moved.tier) if went_up else None
    reached, held = ladder.qualified(value), ladder.rank(current.tier)
    until = None if ladder.downgrade is Downgrade.NEVER else ladder.lapse_of(period)
    if ladder.rank(reached.id) > held:
        raised = effective(ladder, replace(after, tier=reached.id, until=until), now)
        return raised, reached if raised.tier == reached.id else None
    renews = held > 0 and ladder.rank(reached.id) == held and until is not None and \
        current.until is not None and until > current.until
    return (replace(after, until=until) if renews else after), None


class Override(StrEnum):
    FLOOR = "FLOOR"  # at least this tier until the expiry; earned upgrades still apply
    FIXED = "FIXED"  # exactly this tier until the expiry, whatever activity does


def overridden(ladder: Ladder, s: Standing, mode: Override, tier: Tier, until: datetime,
               now: datetime) -> Standing:
    """The standing an admin's override makes. When it expires, the tier falls to what the
    member's own progress keeps, by the ladder's usual lapse."""
    current = effective(ladder, s, now)
    if mode is Override.FIXED:
        return replace(current, tier=tier.id, until=until, fixed_until=until)
    if ladder.rank(tier.id) <= ladder.rank(current.tier):
        return current  # already at or above the floor
    return replace(current, tier=tier.id, until=until)



def validate(ladder: Ladder) -> None:
    problems: list[tuple[str, str]] = []
    if not is_timezone(ladder.timezone):
        problems.append(("timezone", "must be an IANA timezone such as Europe/Vienna"))
    if not 1 <= len(ladder.tiers) <= MAX_TIERS:
        problems.append(("tiers", f"1-{MAX_TIERS} tiers"))
    if ladder.tiers and ladder.tiers[0].threshold != 0:
        problems.append(("tiers[0].threshold", "the first tier is the base: threshold 0"))
    for i, t in enumerate(ladder.tiers):
        if not is_id(t.id):
            problems.append((f"tiers[{i}].id", ID_RULE))
        if not t.name.strip() or len(t.name) > MAX_NAME_TEXT:
            problems.append((f"tiers[{i}].name", f"must be 1-{MAX_NAME_TEXT} characters"))
        if i and t.threshold <= ladder.tiers[i - 1].threshold:
            problems.append((f"tiers[{i}].threshold", "must be above the tier before"))
        if not 0 <= t.points_multiplier <= 1000:
            problems.append((f"tiers[{i}].pointsMultiplier", "must be a percent 0-1000"))
    if len({t.id for t in ladder.tiers}) != len(ladder.tiers):
        problems.append(("tiers", "tier ids must be unique"))
    with_grace = ladder.downgrade is Downgrade.AT_PERIOD_END_WITH_GRACE
    if (with_grace and not 1 <= ladder.grace_days <= 366) or (not with_grace and ladder.grace_days):
        problems.append(("graceDays", "1-366 days with AT_PERIOD_END_WITH_GRACE, else none"))
    if ladder.counts is Counts.SUBTREE and ladder.level is not Level.ACCOUNT:
        problems.append(("counts", "SUBTREE counts a company's tree: a ladder of level ACCOUNT"))
    if ladder.metric is Metric.ACTIVITY_COUNT and not ladder.activity_type:
        problems.append(("activityType", "ACTIVITY_COUNT counts activities of one type"))
    if problems:
        raise ValidationFailed(problems)
