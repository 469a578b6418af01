"""Opening hours per weekday, the last-ticket time, holidays: is a service issuing tickets now?"""

from __future__ import annotations

import re
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Final

WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CLOCK_RE: Final = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def parse_clock(text: str) -> int:
    """'07:30' -> minutes after midnight; ValueError when it is not a time of day."""
    match = _CLOCK_RE.match(text.strip())
    if not match:
        raise ValueError(f"not a time of day (HH:MM): {text!r}")
    return int(match.group(1)) * 60 + int(match.group(2))


def format_clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def parse_days(text: str) -> list[int]:
    """'mon-thu' or 'fri' or 'mon,wed' -> weekday numbers (Monday = 0)."""
    days: list[int] = []
    for part in text.lower().replace(" ", "").split(","):
        first, dash, last = part.partition("-")
        if first not in WEEKDAYS or (dash and last not in WEEKDAYS):
            raise ValueError(f"not a weekday or range of weekdays: {part!r}")
        start, end = WEEKDAYS.index(first), WEEKDAYS.index(last or first)
        if end < start:
            raise ValueError(f"weekday range runs backwards: {part!r}")
        days.extend(range(start, end + 1))
    return days


@dataclass(frozen=True, slots=True)
class DayHours:
    """Open from `opens` to `closes`; tickets until `last_ticket` (minutes after midnight)."""

    opens: int
    closes: int
    last_ticket: int

    def __post_init__(self) -> None:
        if not self.opens < self.closes:
            raise ValueError("opening time must be before closing time")
        if not self.opens < self.last_ticket <= self.closes:
            raise ValueError("last-ticket time must be after opening and not after closing")

    def as_list(self) -> list[int]:
        return [self.opens, self.closes, self.last_ticket]


WeeklyHours = Mapping[int, DayHours]


@dataclass(frozen=True, slots=True)
class BreakTime:
    """The site's break (istirahat): each counter pauses once for `minutes`, starting some time
    between `starts` and `ends` (minutes after midnight), staggered as staff arrange it."""

    starts: int
    ends: int
    minutes: int

    def __post_init__(self) -> None:
        if not self.starts < self.ends:
            raise ValueError("a break window must start before it ends")
        if not 0 < self.minutes <= 240:
            raise ValueError("a break lasts 1 to 240 minutes")

    def as_list(self) -> list[int]:
        return [self.starts, self.ends, self.minutes]


def parse_break_window(text: str, minutes: int) -> BreakTime:
    """'11:30-13:00' and a length -> BreakTime; ValueError when it is not such a window."""
    first, dash, last = text.partition("-")
    if not dash:
        raise ValueError(f"not a window of time (HH:MM-HH:MM): {text!r}")
    return BreakTime(parse_clock(first), parse_clock(last), minutes)


def hours_from_json(data: Mapping[str, Iterable[int]]) -> dict[int, DayHours]:
    """The stored form {"0": [opens, closes, last_ticket], ...} back to DayHours."""
    return {int(day): DayHours(*values) for day, values in data.items()}


def hours_to_json(hours: WeeklyHours) -> dict[str, list[int]]:
    return {str(day): hours[day].as_list() for day in sorted(hours)}


class Availability(StrEnum):
    OPEN = "open"
    NOT_YET_OPEN = "not_yet_open"  # opens later today
    ENDED = "ended"  # ticket issuing has ended for today
    CLOSED = "closed"  # no service today (weekday off or holiday)


@dataclass(frozen=True, slots=True)
class ServiceWindow:
    availability: Availability
    next_open: datetime | None  # the next moment tickets can be taken, when not open now


def service_window(
    hours: WeeklyHours, holidays: Container[date], local_now: datetime
) -> ServiceWindow:
    """Whether tickets can be taken at `local_now` (site-local, aware), and if not, from when."""
    today = local_now.date()
    minute = local_now.hour * 60 + local_now.minute
    day_hours = None if today in holidays else hours.get(today.weekday())
    if day_hours is not None and day_hours.opens <= minute < day_hours.last_ticket:
        return ServiceWindow(Availability.OPEN, None)
    next_open = _next_opening(hours, holidays, local_now)
    if day_hours is None:
        return ServiceWindow(Availability.CLOSED, next_open)
    if minute < day_hours.opens:
        return ServiceWindow(Availability.NOT_YET_OPEN, next_open)
    return ServiceWindow(Availability.ENDED, next_open)


def _next_opening(
    hours: WeeklyHours, holidays: Container[date], local_now: datetime
) -> datetime | None:
    minute = local_now.hour * 60 + local_now.minute
    for offset in range(0, 15):
        day = local_now.date() + timedelta(days=offset)
        day_hours = None if day in holidays else hours.get(day.weekday())
        if day_hours is None or (offset == 0 and minute >= day_hours.opens):
            continue
        opens = time(day_hours.opens // 60, day_hours.opens % 60)
        return datetime.combine(day, opens, tzinfo=local_now.tzinfo)
    return None
