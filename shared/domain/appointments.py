"""Appointments (janji temu): a service's bookable slots, and when a booking may check in.

A service with `appointments` in the site file offers slots of `slot_minutes` from its opening
to its last-ticket time, each for `per_slot` citizens, up to `days_ahead` days ahead (holidays
and days without hours offer none). A booking checks in at the kiosk from `checkin_before`
minutes before its slot to `checkin_after` minutes after its start; its ticket then waits in the
service's queue as if it had been taken at the slot's start, so it goes before walk-ins who came
after the slot began (priority tickets still go first).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, Final

from shared.domain.codes import new_code
from shared.domain.hours import DayHours, WeeklyHours

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

    def as_json(self) -> dict[str, int]:
        return {
            "slot_minutes": self.slot_minutes,
            "per_slot": self.per_slot,
            "days_ahead": self.days_ahead,
            "checkin_before": self.checkin_before,
            "checkin_after": self.checkin_after,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> AppointmentRules | None:
        return None if not data else cls(**{k: int(v) for k, v in data.items()})


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
    day: date, today: date, rules: AppointmentRules, weekly: WeeklyHours, holidays: frozenset[date]
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
