from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from shared.domain.hours import (
    Availability,
    DayHours,
    parse_clock,
    parse_days,
    service_window,
)

WIB = ZoneInfo("Asia/Jakarta")
WEEK = {d: DayHours(8 * 60, 16 * 60, 15 * 60) for d in range(5)}  # Mon-Fri 08-16, last 15:00


def at(day, hour, minute=0):
    return datetime(2026, 11, day, hour, minute, tzinfo=WIB)  # 30 Nov 2026 is a Monday


def test_tickets_are_issued_between_opening_and_the_last_ticket_time():
    assert service_window(WEEK, frozenset(), at(30, 8)).availability == Availability.OPEN
    assert service_window(WEEK, frozenset(), at(30, 14, 59)).availability == Availability.OPEN


def test_before_opening_the_service_says_when_it_opens_today():
    window = service_window(WEEK, frozenset(), at(30, 7, 30))
    assert window.availability == Availability.NOT_YET_OPEN
    assert window.next_open == at(30, 8)


def test_after_the_last_ticket_time_issuing_has_ended_though_the_office_is_open():
    window = service_window(WEEK, frozenset(), at(30, 15, 0))
    assert window.availability == Availability.ENDED
    assert window.next_open == datetime(2026, 12, 1, 8, 0, tzinfo=WIB)


def test_on_a_weekend_the_service_is_closed_until_monday():
    window = service_window(WEEK, frozenset(), datetime(2026, 11, 28, 10, tzinfo=WIB))
    assert window.availability == Availability.CLOSED
    assert window.next_open == at(30, 8)


def test_a_holiday_closes_a_working_day():
    window = service_window(WEEK, frozenset({date(2026, 11, 30)}), at(30, 10))
    assert window.availability == Availability.CLOSED
    assert window.next_open == datetime(2026, 12, 1, 8, 0, tzinfo=WIB)


def test_weekday_ranges_and_lists_are_read():
    assert parse_days("mon-thu") == [0, 1, 2, 3]
    assert parse_days("mon,wed, fri") == [0, 2, 4]
    for bad in ("monday", "fri-mon", "mon-"):
        with pytest.raises(ValueError):
            parse_days(bad)


def test_hours_must_run_forwards_with_the_last_ticket_inside_them():
    with pytest.raises(ValueError):
        DayHours(16 * 60, 8 * 60, 9 * 60)
    with pytest.raises(ValueError):
        DayHours(8 * 60, 16 * 60, 17 * 60)
    with pytest.raises(ValueError):
        parse_clock("24:00")
