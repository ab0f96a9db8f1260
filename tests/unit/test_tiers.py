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
