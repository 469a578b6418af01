"""Appointments (janji temu): a service's bookable slots, and when a booking may check in.

A service with `appointments` in the site file offers slots of `slot_minutes` from its opening
to its last-ticket time, each for `per_slot` citizens, up to `days_ahead` days ahead (holidays
and days without hours offer none). A booking checks in at the kiosk from `checkin_before`
minutes before its slot to `checkin_after` minutes after its start; its ticket then waits in the
service's queue as if it had been taken at the slot's start, so it goes before walk-ins who came
after the slot began (priority tickets still go first).

Slots follow the service's own days and hours, or the schedule named by `hours` (a
[hours.NAME] table: say, mornings only), within the service's hours.

A service with a daily quota may keep part of it for bookings: `reserved` places (or
`reserved_share` of the quota), which walk-in tickets cannot take, until `release_at` (a time of
day), when the places no booking holds go to walk-ins. Bookings of a day never pass the
reservation; a booking holds its place until its check-in window ends unused.
"""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, Final

from shared.domain.codes import new_code
from shared.domain.hours import DayHours, WeeklyHours, hours_from_json

CODE_LENGTH: Final = 8  # 30^8 ~ 6.6 x 10^11 codes: not to be walked behind a rate limit


class BookingState(StrEnum):
    BOOKED = "booked"
    CHECKED_IN = "checked_in"
    CANCELLED = "cancelled"
    NO_SHOW = "no_show"  # not checked in by the end of its window


@dataclass(frozen=True, slots=True)
class AppointmentRules:
    slot_minutes: int
    per_slot: int
    days_ahead: int = 14
    checkin_before: int = 30
    checkin_after: int = 15
    reserved: int | None = None  # places of the daily quota kept for bookings
    reserved_share: float | None = None  # or this share of it
    release_at: int | None = None  # minute of the day the unbooked reserved places go to walk-ins
    hours: dict[str, list[int]] | None = None  # the hours that take bookings (stored form)

    def weekly(self, service_hours: WeeklyHours) -> WeeklyHours:
        """The days and hours slots are offered: the rules' own, else the service's."""
        return hours_from_json(self.hours) if self.hours is not None else service_hours

    def as_json(self) -> dict[str, Any]:
        values = {field.name: getattr(self, field.name) for field in fields(self)}
        return {name: value for name, value in values.items() if value is not None}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> AppointmentRules | None:
        return None if not data else cls(**data)

    def reserved_places(self, quota: int | None) -> int | None:
        """How many of a day's `quota` places are kept for bookings (None: no reservation)."""
        if quota is None:
            return None
        if self.reserved is not None:
            return min(quota, self.reserved)
        if self.reserved_share is not None:
            return round(quota * self.reserved_share)
        return None


def walk_in_places(
    quota: int | None, rules: AppointmentRules | None, held: int, minute_of_day: int
) -> int | None:
    """How many walk-in tickets a day's `quota` allows now (None: no quota).

    `held`: the day's bookings that still hold a place (booked and inside or before their
    check-in window, or checked in). Before `release_at` the reservation is kept whole (or the
    bookings, if more); after it, only the places bookings hold."""
    if quota is None:
        return None
    if rules is None:
        return quota
    reserved = rules.reserved_places(quota) or 0
    released = rules.release_at is not None and minute_of_day >= rules.release_at
    return max(0, quota - (held if released else max(reserved, held)))


def slot_starts(hours: DayHours | None, rules: AppointmentRules) -> list[time]:
    """The slots of a day with these hours: from opening, each `slot_minutes`, the last one
    starting before the last-ticket time."""
    if hours is None:
        return []
    return [
        time(minute // 60, minute % 60)
        for minute in range(hours.opens, hours.last_ticket, rules.slot_minutes)
    ]


def bookable_day(
    day: date, today: date, rules: AppointmentRules, weekly: WeeklyHours, holidays: Container[date]
) -> bool:
    """Whether slots can be booked on `day`: today up to `days_ahead` ahead, a service day."""
    return (
        today <= day <= today + timedelta(days=rules.days_ahead)
        and day not in holidays
        and day.weekday() in weekly
    )


class CheckIn(StrEnum):
    EARLY = "early"
    OPEN = "open"
    LATE = "late"


def checkin_state(slot: datetime, now: datetime, rules: AppointmentRules) -> CheckIn:
    """Whether a booking for `slot` may check in at `now` (both aware)."""
    if now < slot - timedelta(minutes=rules.checkin_before):
        return CheckIn.EARLY
    if now > slot + timedelta(minutes=rules.checkin_after):
        return CheckIn.LATE
    return CheckIn.OPEN


def new_booking_code() -> str:
    return new_code(CODE_LENGTH)
