"""A budget's periods between two moments, in its own zone: what a report sums a
campaign's spending over."""

from datetime import UTC, datetime

from kado.domain.budgets import Budget, Period


def budget(period: Period, timezone: str = "Asia/Ho_Chi_Minh") -> Budget:
    return Budget(id="b", name="b", currency="VND", amount=1, period=period,
                  timezone=timezone)


def test_days_weeks_months_and_a_lifetime_between_two_moments():
    start = datetime(2026, 11, 28, 20, tzinfo=UTC)  # 29 November 03:00 in Hanoi
    end = datetime(2026, 12, 2, 1, tzinfo=UTC)  # 2 December 08:00 in Hanoi
    assert budget(Period.DAY).period_keys(start, end) == [
        "2026-11-29", "2026-11-30", "2026-12-01", "2026-12-02"]
    assert budget(Period.WEEK).period_keys(start, end) == ["2026-W48", "2026-W49"]
    assert budget(Period.MONTH).period_keys(start, end) == ["2026-11", "2026-12"]
    assert budget(Period.LIFETIME).period_keys(start, end) == ["LIFETIME"]
    assert budget(Period.DAY).period_keys(end, end) == ["2026-12-02"]


def test_days_across_a_daylight_saving_change_are_each_counted_once():
    # Europe/Paris leaves summer time on 25 October 2026.
    paris = budget(Period.DAY, "Europe/Paris")
    start, end = datetime(2026, 10, 24, 12, tzinfo=UTC), datetime(2026, 10, 26, 12, tzinfo=UTC)
    assert paris.period_keys(start, end) == ["2026-10-24", "2026-10-25", "2026-10-26"]
