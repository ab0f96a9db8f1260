from datetime import UTC, datetime

import pytest

from kado.domain.calendar import is_timezone, iso, local_day, parse_iso


@pytest.mark.parametrize(("moment", "zone", "day"), [
    # Paris in winter is UTC+1: local midnight is 23:00 UTC the day before.
    (datetime(2026, 1, 14, 22, 59, 59, tzinfo=UTC), "Europe/Paris", "2026-01-14"),
    (datetime(2026, 1, 14, 23, 0, 0, tzinfo=UTC), "Europe/Paris", "2026-01-15"),
    # Summer time: UTC+2.
    (datetime(2026, 7, 14, 21, 59, 59, tzinfo=UTC), "Europe/Paris", "2026-07-14"),
    (datetime(2026, 7, 14, 22, 0, 0, tzinfo=UTC), "Europe/Paris", "2026-07-15"),
    # West of UTC the local day lags.
    (datetime(2026, 3, 1, 7, 59, 0, tzinfo=UTC), "America/Los_Angeles", "2026-02-28"),
    # Auckland is ahead: already tomorrow.
    (datetime(2026, 6, 1, 12, 0, 0, tzinfo=UTC), "Pacific/Auckland", "2026-06-02"),
])
def test_local_day_follows_the_campaign_timezone(moment, zone, day):
    assert local_day(moment, zone) == day


def test_timezone_names_are_checked():
    assert is_timezone("Asia/Tokyo")
    assert not is_timezone("Mars/Olympus")
    assert not is_timezone("../etc/passwd")


def test_iso_round_trip_and_naive_times_are_refused():
    moment = datetime(2026, 11, 23, 10, 0, 0, 123000, tzinfo=UTC)
    assert parse_iso(iso(moment)) == moment
    with pytest.raises(ValueError):
        parse_iso("2026-11-23T10:00:00")
