"""What a simulated day is made of: its settings, the arrivals plan, each ticket's behaviour."""

from __future__ import annotations

import math
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from shared.domain.appointments import slot_starts
from shared.domain.hours import BreakTime, DayHours
from shared.errors import UserError
from shared.site_config import CounterConfig, SiteConfig

# Share of the day's arrivals per hour: the morning peak of public offices (people come early).
MORNING_PEAK: Final = {7: 3, 8: 16, 9: 20, 10: 17, 11: 12, 12: 7, 13: 10, 14: 9, 15: 5, 16: 1}
PROFILES: Final = {
    "morning": MORNING_PEAK,
    "flat": dict.fromkeys(range(8, 16), 1),
}
BOOKED_EARLY_MINUTES: Final = 20.0  # a booked citizen comes up to this long before the slot
WALK_MINUTES: Final = 1.0  # from the call to the counter
RECALL_AFTER: Final = 2.0  # minutes: a called citizen who does not come is recalled, then skipped
# A visit that finds a paper missing is parked this far into its length; the citizen comes back
# after a lognormal time around PARK_AWAY_MINUTES (fetching, copying) for the rest of it.
PARK_AT: Final = 0.3
PARK_AWAY_MINUTES: Final = 15.0
PARK_AWAY_SIGMA: Final = 0.5
# Staff serve the tickets issued before the last-ticket time even after closing, for up to this
# long; what still waits then expires at the day's close.
OVERTIME: Final = timedelta(hours=2)


@dataclass(frozen=True, slots=True)
class Settings:
    tickets: int = 800
    arrivals: Mapping[int, float] = field(default_factory=lambda: dict(MORNING_PEAK))
    priority_share: float = 0.08
    no_show_share: float = 0.05
    transfer_share: float = 0.03
    service_sigma: float = 0.45  # of the lognormal service time
    breaks: bool = True
    seed: int = 1
    counters: Mapping[str, int] | None = None  # agency -> counters open (the what-if)
    booked_share: float = 0.0  # of arrivals for services taking appointments: booked ahead
    booked_no_show: float = 0.1  # of bookings: never come
    # as many again as this share of `tickets`: people served at a counter without a ticket
    # (sent over by the information desk), each at one counter serving their service
    walk_in_share: float = 0.0
    # of visits: a paper is missing, so the visit is parked and the citizen called back later
    park_share: float = 0.0
    # of visits: the case needs a colleague (a senior officer), so at its end the number is sent
    # on to another counter serving its service, where it waits for that counter alone
    send_share: float = 0.0
    day: date | None = None
    # working days simulated first into the same database (same load, seeds derived from this
    # one), so the forecast learns from recent days as it does in use; the report is the day's
    days_before: int = 0


@dataclass(frozen=True, slots=True)
class Arrival:
    at: datetime
    service: str
    priority: bool
    slot: datetime | None = None  # a booked arrival: its slot (it comes a little before)
    comes: bool = True  # a booking's citizen may never come (a no-show)
    code: str | None = None  # the booking's code, once booked


@dataclass(frozen=True, slots=True)
class WalkIn:
    """A person who comes to one counter without a ticket and is served there once it is free."""

    at: datetime
    service: str
    counter: str


@dataclass(frozen=True, slots=True)
class Behaviour:
    """What the citizen holding one ticket does, drawn from the seed and the ticket id."""

    no_show: bool
    transfer_to: str | None
    minutes: float
    away: float | None = None  # minutes away fetching a paper, when the visit is parked
    send: bool = False  # at its end, sent on to a colleague's counter (see Settings.send_share)


def parse_arrivals(text: str) -> dict[int, float]:
    """`morning`, `flat`, or hourly weights such as `8=10,9=25,10=20`."""
    if text in PROFILES:
        return dict(PROFILES[text])
    weights: dict[int, float] = {}
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d{1,2})\s*=\s*(\d+(?:\.\d+)?)\s*", part)
        if not match or not 0 <= int(match.group(1)) <= 23:
            raise UserError("sim_bad_arrivals", value=text)
        weights[int(match.group(1))] = float(match.group(2))
    if sum(weights.values()) <= 0:
        raise UserError("sim_bad_arrivals", value=text)
    return weights


def parse_counters(text: str, site: SiteConfig) -> dict[str, int]:
    """`DUKCAPIL=4,SAMSAT=2`: how many counters each named agency opens."""
    agencies = {a.code for a in site.agencies}
    counts: dict[str, int] = {}
    for part in text.split(","):
        agency, sep, number = part.strip().partition("=")
        if not sep or not number.strip().isdigit():
            raise UserError("sim_bad_counters", value=text)
        if agency.strip() not in agencies:
            raise UserError("sim_unknown_agency", agency=agency.strip())
        counts[agency.strip()] = int(number)
    return counts


def with_counters(site: SiteConfig, counts: Mapping[str, int] | None) -> SiteConfig:
    """The site with `counts[agency]` counters for each named agency: the first ones kept,
    the rest inactive, and more added (copies of its first counter's profile) when asked."""
    if not counts:
        return site
    result: list[CounterConfig] = []
    for agency, wanted in counts.items():
        own = [c for c in site.counters if c.agency == agency]
        if wanted > 0 and not own:
            raise UserError("sim_no_counter_to_copy", agency=agency)
        extra = [
            replace(
                own[0],
                code=f"{agency}-SIM{i}",
                name=f"Loket {agency} {i}",
                number=f"{agency[:3]}{i}",
            )
            for i in range(len(own) + 1, wanted + 1)
        ]
        result += [replace(c, active=i < wanted) for i, c in enumerate(own)] + extra
    result += [c for c in site.counters if c.agency not in counts]
    return replace(site, counters=tuple(result))


def _working(site: SiteConfig, day: date) -> bool:
    """Monday to Friday, not a holiday of the site."""
    return day.weekday() < 5 and day not in site.site.holidays


def working_days_before(site: SiteConfig, day: date, count: int) -> list[date]:
    """The `count` working days before `day`, oldest first."""
    days: list[date] = []
    while len(days) < count:
        day -= timedelta(days=1)
        if _working(site, day):
            days.append(day)
    return days[::-1]


def default_day(site: SiteConfig, today: date) -> date:
    """The next working day from `today` on."""
    day = today
    while not _working(site, day):
        day += timedelta(days=1)
    return day


def plan_arrivals(site: SiteConfig, settings: Settings, day: date) -> list[Arrival]:
    """The day's arrivals, in time order: hours by the profile, services in proportion to the
    counters serving them (big agencies draw more people)."""
    rng = random.Random(settings.seed)
    draw = _Demand(site, settings, day)
    slots = {code: found for code, found in day_slots(site, day).items() if found}
    arrivals = []
    for _ in range(settings.tickets):
        at, service = draw(rng)
        arrival = Arrival(at, service, rng.random() < settings.priority_share)
        # drawn only when booking is asked for: a seed gives the same day as before
        if settings.booked_share and service in slots and rng.random() < settings.booked_share:
            arrival = _booked(arrival, slots[service], rng, settings)
        arrivals.append(arrival)
    return sorted(arrivals, key=lambda a: (a.at, a.service))


def plan_walk_ins(
    site: SiteConfig, settings: Settings, day: date, counters: Mapping[str, frozenset[str]]
) -> list[WalkIn]:
    """The day's walk-ins (`walk_in_share` of `tickets`), in time order: hours and services
    drawn as the arrivals' are (from a seed of their own, so the arrivals stay the same), each
    at one of the `counters` (code -> services) serving the service, if any does."""
    count = round(settings.tickets * settings.walk_in_share)
    if not count:
        return []
    rng = random.Random(f"{settings.seed}:walk-in")
    draw = _Demand(site, settings, day)
    walk_ins = []
    for _ in range(count):
        at, service = draw(rng)
        serving = sorted(code for code, served in counters.items() if service in served)
        if serving:
            walk_ins.append(WalkIn(at, service, rng.choice(serving)))
    return sorted(walk_ins, key=lambda w: (w.at, w.counter))


class _Demand:
    """Draws when a person comes (an hour by the profile, a moment in it) and for what (services
    weighted by the counters serving them, a counter's weight shared among its services)."""

    def __init__(self, site: SiteConfig, settings: Settings, day: date) -> None:
        weight = {s.code: 0.0 for s in site.services if s.active}
        for counter in site.counters:
            if counter.active:
                for code in counter.services:
                    if code in weight:
                        weight[code] += 1 / len(counter.services)
        self.services = [code for code, w in weight.items() if w > 0]
        if not self.services:
            raise UserError("sim_nothing_to_serve")
        self.weights = [weight[s] for s in self.services]
        self.hours = sorted(settings.arrivals)
        self.hour_weights = [settings.arrivals[h] for h in self.hours]
        self.day = day
        self.zone = ZoneInfo(site.site.timezone)

    def __call__(self, rng: random.Random) -> tuple[datetime, str]:
        hour = rng.choices(self.hours, self.hour_weights)[0]
        at = datetime.combine(self.day, time(hour), tzinfo=self.zone) + timedelta(
            seconds=rng.uniform(0, 3600)
        )
        return at, rng.choices(self.services, self.weights)[0]


def _booked(
    arrival: Arrival, slots: list[datetime], rng: random.Random, settings: Settings
) -> Arrival:
    """The arrival as a booking: the slot that had begun when they would have come (the first
    before it), and they come up to 20 minutes before that slot (not before opening), or
    never."""
    slot = max((s for s in slots if s <= arrival.at), default=slots[0])
    comes = rng.random() >= settings.booked_no_show
    early = timedelta(minutes=rng.uniform(0, BOOKED_EARLY_MINUTES))
    return replace(arrival, at=max(slots[0], slot - early), slot=slot, comes=comes)


def day_slots(site: SiteConfig, day: date) -> dict[str, list[datetime]]:
    """The slots of each service taking appointments on `day`."""
    zone = ZoneInfo(site.site.timezone)
    return {
        s.code: [
            datetime.combine(day, start, tzinfo=zone)
            for start in slot_starts(
                s.appointments.weekly(s.hours).get(day.weekday()), s.appointments
            )
        ]
        for s in site.services
        if s.active and s.appointments is not None and day not in site.site.holidays
    }


def behaviour(
    settings: Settings, ticket_id: int, minutes: float, others: Sequence[str], transferred: bool
) -> Behaviour:
    """A ticket's behaviour, the same whichever process draws it (seeded by the ticket id)."""
    rng = random.Random(f"{settings.seed}:{ticket_id}")
    no_show = not transferred and rng.random() < settings.no_show_share
    move = not transferred and others and rng.random() < settings.transfer_share
    duration = rng.lognormvariate(math.log(minutes), settings.service_sigma)
    target = rng.choice(list(others)) if move else None
    # drawn only when parking is asked for: a seed gives the same day as before
    away = None
    if settings.park_share and not no_show and rng.random() < settings.park_share:
        away = rng.lognormvariate(math.log(PARK_AWAY_MINUTES), PARK_AWAY_SIGMA)
    send = bool(settings.send_share) and not (no_show or move or transferred)
    send = send and rng.random() < settings.send_share
    return Behaviour(no_show, target, duration, away, send)


def break_start(
    settings: Settings, breaks: BreakTime | None, counter: str, day: date, zone: ZoneInfo
) -> datetime | None:
    """When a counter takes its break: once, at a random moment of the site's break window
    (none when the site file names no window, or breaks are off)."""
    if not settings.breaks or breaks is None:
        return None
    rng = random.Random(f"{settings.seed}:break:{counter}")
    midnight = datetime.combine(day, time(0), tzinfo=zone)
    minute = rng.uniform(breaks.starts, breaks.ends)
    return midnight + timedelta(minutes=minute)


def counter_hours(site: SiteConfig, counter: CounterConfig, day: date) -> DayHours | None:
    """From the earliest opening to the latest closing of the counter's services that day."""
    spans = [
        s.hours[day.weekday()]
        for s in site.services
        if s.code in counter.services and day.weekday() in s.hours
    ]
    if not spans or day in site.site.holidays:
        return None
    return DayHours(
        min(h.opens for h in spans), max(h.closes for h in spans), max(h.closes for h in spans)
    )
