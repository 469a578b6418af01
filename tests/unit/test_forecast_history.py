"""Recent days' arrivals by the quarter hour shape the rate the forecast expects later today."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from shared.engine.forecast import History

JAKARTA = ZoneInfo("Asia/Jakarta")


def history(per_quarter: dict[int, float]) -> History:
    """Arrivals per day in the quarter hours given (by hour: all four quarters of it)."""
    arrivals = [0.0] * 96
    for hour, count in per_quarter.items():
        arrivals[hour * 4 : hour * 4 + 4] = [count] * 4
    return History(arrivals=tuple(arrivals))


def test_the_rate_later_is_a_multiple_of_the_rate_of_the_window_before_now():
    days = history({8: 4.0, 9: 8.0, 10: 2.0})
    shape = days.arrival_shape(datetime(2026, 11, 30, 8, 30, tzinfo=JAKARTA), timedelta(minutes=30))
    steps = dict(shape)
    assert steps[0.0] == pytest.approx(1.0)  # 08:30, as busy as 08:00-08:30
    assert steps[30.0] == pytest.approx(2.0)  # from 09:00 twice as many
    assert steps[90.0] == pytest.approx(0.5)  # from 10:00 half as many
    assert steps[150.0] == 0.0  # nobody came after 11:00
    assert [at for at, _ in shape] == sorted(at for at, _ in shape)


def test_a_quarter_hour_begun_counts_from_now():
    days = history({8: 4.0, 9: 8.0})
    shape = days.arrival_shape(datetime(2026, 11, 30, 8, 50, tzinfo=JAKARTA), timedelta(hours=1))
    # the window 07:50-08:50: ten minutes of nothing and fifty of 4 per quarter
    assert shape[0] == (0.0, pytest.approx(4 / 15 / (4 / 15 * 50 / 60)))
    assert shape[1] == (10.0, pytest.approx(8 / 15 / (4 / 15 * 50 / 60)))


def test_without_recent_days_or_arrivals_before_now_the_rate_stays_as_it_is():
    now = datetime(2026, 11, 30, 8, 30, tzinfo=JAKARTA)
    assert History().arrival_shape(now, timedelta(hours=1)) == ()
    assert history({12: 5.0}).arrival_shape(now, timedelta(hours=1)) == ()
