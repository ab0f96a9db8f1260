"""Tier periods are bounded at local midnight, across DST and the year boundary."""

from datetime import UTC, datetime

from kado.domain import tiers

VIENNA = "Europe/Vienna"


def test_quarters_start_at_local_midnight_on_either_side_of_dst():
    winter = tiers.period_of(datetime(2026, 2, 10, tzinfo=UTC), tiers.Window.CALENDAR_QUARTER,
                             VIENNA)
    assert (winter.key, winter.starts_at, winter.ends_at) == (
        "2026-Q1", datetime(2025, 12, 31, 23, tzinfo=UTC), datetime(2026, 3, 31, 22, tzinfo=UTC))
    summer = tiers.period_of(datetime(2026, 7, 1, tzinfo=UTC), tiers.Window.CALENDAR_QUARTER,
                             VIENNA)
    assert (summer.key, summer.starts_at) == ("2026-Q3", datetime(2026, 6, 30, 22, tzinfo=UTC))


def test_new_years_eve_belongs_to_the_local_year():
    eve = datetime(2026, 12, 31, 22, 59, tzinfo=UTC)  # 23:59 in Vienna
    assert tiers.period_of(eve, tiers.Window.CALENDAR_YEAR, VIENNA).key == "2026"
    assert tiers.period_of(eve, tiers.Window.CALENDAR_YEAR, "UTC").key == "2026"
    assert tiers.period_of(datetime(2026, 12, 31, 23, tzinfo=UTC), tiers.Window.CALENDAR_YEAR,
                           VIENNA).key == "2027"
    q4 = tiers.period_of(eve, tiers.Window.CALENDAR_QUARTER, VIENNA)
    assert tiers.following(q4, tiers.Window.CALENDAR_QUARTER, VIENNA).key == "2027-Q1"


def test_grace_days_count_on_the_local_calendar_across_a_dst_change():
    ladder = tiers.Ladder(tiers.Metric.POINTS_EARNED, tiers.Window.CALENDAR_QUARTER, VIENNA,
                          (tiers.Tier("base", "Base", 0), tiers.Tier("top", "Top", 10)),
                          tiers.Downgrade.AT_PERIOD_END_WITH_GRACE, grace_days=40)
    q4 = tiers.period_of(datetime(2025, 11, 1, tzinfo=UTC), ladder.window, VIENNA)
    # Held through 2026-Q1 (ends 1 April, after the March DST change) and 40 local days more.
    assert ladder.lapse_of(q4) == datetime(2026, 5, 10, 22, tzinfo=UTC)  # 11 May, 00:00 CEST


ROLLING = tiers.Ladder(tiers.Metric.POINTS_EARNED, tiers.Window.ROLLING_12_MONTHS, "UTC",
                       (tiers.Tier("base", "Base", 0), tiers.Tier("silver", "Silver", 100),
                        tiers.Tier("gold", "Gold", 300)))


def _credit(standing, at, points):
    return tiers.credited(ROLLING, standing, at, points, at)


def test_a_rolling_window_upgrades_at_once_and_lapses_as_months_roll_out():
    s = tiers.Standing(None, None)
    s, up = _credit(s, datetime(2026, 1, 10, tzinfo=UTC), 120)
    assert up.id == "silver" and s.tier == "silver"
    s, up = _credit(s, datetime(2026, 6, 10, tzinfo=UTC), 200)
    assert up.id == "gold"
    # January's 120 leaves the window at the end of December 2026; gold (320) holds through
    # the month after the window it was reached in, so it lapses at 1 February 2027.
    assert s.until == datetime(2027, 2, 1, tzinfo=UTC)
    assert tiers.effective(ROLLING, s, datetime(2027, 1, 31, tzinfo=UTC)).tier == "gold"
    later = tiers.effective(ROLLING, s, datetime(2027, 2, 1, tzinfo=UTC))
    # June's 200 is in every window ending June 2026 to May 2027, held one month more.
    assert later.tier == "silver" and later.until == datetime(2027, 7, 1, tzinfo=UTC)
    assert tiers.effective(ROLLING, s, datetime(2027, 7, 1, tzinfo=UTC)).tier is None


def test_a_rolling_window_keeps_thirteen_monthly_buckets():
    s = tiers.Standing(None, None)
    for month in range(1, 13):
        s, _ = _credit(s, datetime(2026, month, 5, tzinfo=UTC), 10)
    s, _ = _credit(s, datetime(2027, 1, 5, tzinfo=UTC), 10)
    s, _ = _credit(s, datetime(2027, 2, 5, tzinfo=UTC), 10)
    assert s.progress[0][0] == "2026-02" and len(s.progress) == 13
