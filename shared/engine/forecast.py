"""Today's waits: the queue's projection, read once per change and shared by every estimate.

`Forecaster.using` reads the counters, the waiting tickets and the day's pace and replays them
(shared.domain.projection) only when the events log has moved since the last read; the kiosk's
catalogue, the issue of a ticket, the ticket pages and the board all ask the same projection. A
ticket this process issues is added to it in place (`issued`), so a kiosk issuing several
tickets in a row does not replay the queue for each.
"""

from __future__ import annotations

import statistics
import threading
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Final

from sqlalchemy import case, func, or_, select

from shared.domain.estimate import WaitEstimate, shown_wait
from shared.domain.hours import hours_from_json
from shared.domain.projection import Desk, Pace, Projection, Slot, Waiting
from shared.domain.states import CounterState, EventKind, SelectionMode, TicketSource, TicketState
from shared.domain.visit_pace import Line, learned_minutes, prior_weight, site_line
from shared.engine.context import Context, newest_event_id
from shared.engine.kept_tickets import kept_for
from shared.store.tables import IS_WAITING, counter_services, counters, events, services, tickets

RECENT: Final = 50  # today's newest visits per service that make its pace
HISTORY_DAYS: Final = 7  # the days before today whose visits make the prior pace
QUARTER: Final = 15  # minutes: recent days' arrivals are counted by the quarter hour
RATIO_SAMPLES: Final = 5  # below this many visits today, none is taken to end in a transfer
SPREAD_SAMPLES: Final = 10  # below this, the spread of counter times is assumed
ASSUMED_SPREAD: Final = 0.5  # coefficient of variation of one visit at the counter
ARRIVALS_WINDOW: Final = timedelta(hours=1)  # a service's arrival rate: over the last hour
ARRIVALS_AT_LEAST: Final = timedelta(minutes=10)  # or since opening, but never less than this
BREAK_MINUTES: Final = 30.0  # a paused counter is expected back after this long, unless the
# site file gives its break's length
LEFT_AT_LEAST: Final = 0.3  # a visit already past its usual length has this share of it left
# a visit parked this recently is expected back at its counter, the rest of it served before the
# counter calls the queue again; one parked longer ago is not counted on (the citizen may be gone)
PARKED_BACK_WITHIN: Final = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Forecast:
    """The projection made at `built_at`, with what turns its slots into shown waits."""

    built_at: datetime
    projection: Projection
    closes: dict[str, datetime]  # per service: today's closing time
    spread: float  # coefficient of variation of one visit

    def wait_of(self, ticket_id: int, service: str, now: datetime) -> tuple[int, WaitEstimate]:
        """People ahead and the wait of a ticket in the queue (its own service's desks)."""
        return self.shown(self.projection.slot_of(ticket_id, service), service, now)

    def wait_for_new(self, service: str, priority: bool, now: datetime) -> tuple[int, WaitEstimate]:
        return self.shown(self.projection.new_ticket(service, priority), service, now)

    def shown(self, slot: Slot | None, service: str, now: datetime) -> tuple[int, WaitEstimate]:
        if slot is None:  # no counter serves it today: no honest figure but "not now"
            return 0, WaitEstimate(0, 0, 0, past_closing=True)
        passed = (now - self.built_at).total_seconds() / 60
        call_in = max(0.0, slot.call_in - passed)
        closes = self.closes.get(service)
        closes_in = None if closes is None else (closes - now).total_seconds() / 60
        wait = shown_wait(
            call_in,
            slot.ahead,
            slot.desks,
            slot.visit,
            self.spread,
            closes_in,
            slot.cut_in,
        )
        return slot.ahead, wait


class Forecaster:
    """One process's cached forecast, keyed by the day and the last event it has seen.

    Threads share it (a kiosk reloads its catalogue in the background while it issues): the
    lock covers every use, and only `issued` changes a forecast."""

    def __init__(self) -> None:
        self._version: tuple[Any, int] | None = None
        self._forecast: Forecast | None = None
        self._history: tuple[date, History] | None = None
        self._lock = threading.Lock()

    @contextmanager
    def using(self, ctx: Context) -> Iterator[Forecast]:
        """Today's forecast, current as of `ctx`'s transaction, held while in use."""
        with self._lock:
            yield self._refreshed(ctx)

    def prepare(self, ctx: Context) -> None:
        """Bring the forecast up to `ctx`'s transaction before it issues a ticket."""
        with self._lock:
            self._refreshed(ctx)

    def _refreshed(self, ctx: Context) -> Forecast:
        version = (ctx.today, newest_event_id(ctx.conn))
        if self._forecast is None or version != self._version:
            if self._history is None or self._history[0] != ctx.today:
                self._history = (ctx.today, read_history(ctx))
            self._forecast, self._version = build(ctx, self._history[1]), version
        return self._forecast

    def issued(self, ctx: Context, ticket: Waiting, event_id: int) -> tuple[int, WaitEstimate]:
        """Add a ticket this process has just issued (its 'issued' event is `event_id`, the
        forecast was taken before it) and return its place; the cached forecast stays current
        only when no other event came in between."""
        with self._lock:
            forecast = self._forecast
            if forecast is None or self._version is None:
                raise RuntimeError("issued() before prepare() in this transaction")
            slot = forecast.projection.add(ticket)
            day, seen = self._version
            self._version = (day, event_id) if event_id == seen + 1 else None
            return forecast.shown(slot, ticket.service, ctx.now)


def _active_services(ctx: Context) -> Sequence[Any]:
    return ctx.conn.execute(
        select(services.c.id, services.c.code, services.c.service_minutes, services.c.hours).where(
            services.c.active.is_(True)
        )
    ).all()


def build(ctx: Context, history: History) -> Forecast:
    """Read today's queue and pace and replay it."""
    now, today = ctx.now, ctx.today
    rows = _active_services(ctx)
    code_of = {r.id: r.code for r in rows}
    configured = {r.code: float(r.service_minutes) for r in rows}
    closes: dict[str, datetime] = {}
    issued_until: dict[str, float] = {}
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    opened = now
    for r in rows:
        hours = hours_from_json(r.hours).get(today.weekday())
        if hours is not None and today not in ctx.site.holidays:
            opened = min(opened, midnight + timedelta(minutes=hours.opens))
            closes[r.code] = midnight + timedelta(minutes=hours.closes)
            last = midnight + timedelta(minutes=hours.last_ticket)
            issued_until[r.code] = (last - now).total_seconds() / 60
    minutes, spread = _pace(ctx, code_of, configured, history)
    queue = [
        Waiting(t.id, code_of[t.service_id], bool(t.priority), t.original_issued_at, t.kept_for)
        for t in ctx.conn.execute(
            select(
                tickets.c.id,
                tickets.c.service_id,
                tickets.c.priority,
                tickets.c.original_issued_at,
                kept_for("code").label("kept_for"),
            ).where(tickets.c.day == today, IS_WAITING)
        )
        if t.service_id in code_of
    ]
    priority_rate, ordinary_rate, transfer_share = _cut_ins(ctx, code_of, opened)
    pace = Pace(
        minutes=minutes,
        priority_rate=priority_rate,
        ordinary_rate=ordinary_rate,
        transfer_share=transfer_share,
        issued_until=issued_until,
        break_minutes=_break_minutes(ctx),
        arrival_shape=history.arrival_shape(now, arrivals_window(now, opened)),
    )
    desks = _desks(ctx, code_of, minutes, closes)
    return Forecast(now, Projection(desks, queue, pace), closes, spread)


@dataclass(frozen=True, slots=True)
class History:
    """The last days: the site's line of visit lengths, each service's pace (minutes per
    visit, for the services with visits), and when the tickets were issued."""

    line: Line = field(default_factory=Line)
    minutes: dict[str, float] = field(default_factory=dict)
    # tickets issued per day in each quarter hour of the day (local time), on average
    arrivals: tuple[float, ...] = ()

    def arrival_shape(self, now: datetime, window: timedelta) -> tuple[tuple[float, float], ...]:
        """Steps of the arrival rate from `now` on (minutes from now, multiple of the rate over
        the `window` before now), as it went on recent days; none without them."""
        minute = now.hour * 60 + now.minute + now.second / 60
        start = minute - window.total_seconds() / 60
        past = sum(
            self.arrivals[q] * _overlap(q, start, minute) / QUARTER
            for q in range(len(self.arrivals))
        )
        if past <= 0:
            return ()
        per_minute = past / (minute - start)
        first = int(minute // QUARTER)
        return tuple(
            (max(0.0, q * QUARTER - minute), self.arrivals[q] / QUARTER / per_minute)
            for q in range(first, len(self.arrivals))
        )


def _overlap(quarter: int, start: float, end: float) -> float:
    """Minutes of the quarter hour `quarter` between minutes `start` and `end` of the day."""
    return max(0.0, min(end, (quarter + 1) * QUARTER) - max(start, quarter * QUARTER))


def read_history(ctx: Context) -> History:
    """The last HISTORY_DAYS days before today (read once a day per process)."""
    rows = _active_services(ctx)
    code_of = {r.id: r.code for r in rows}
    configured = {r.code: float(r.service_minutes) for r in rows}
    first = ctx.today - timedelta(days=HISTORY_DAYS)
    visits = _visits(ctx, code_of, first, ctx.today - timedelta(days=1), None)
    line = site_line(visits, configured, Line())
    priors = {c: line.minutes(configured[c]) for c in visits}
    minutes = learned_minutes(visits, priors, prior_weight(visits, priors))
    return History(line, minutes, _arrivals(ctx, first))


def _arrivals(ctx: Context, first: date) -> tuple[float, ...]:
    """Tickets issued per day by the quarter hour (local time) from `first` to yesterday."""
    zone = ctx.now.tzinfo
    counts = [0] * (24 * 60 // QUARTER)
    days = set()
    for r in ctx.conn.execute(
        select(tickets.c.day, tickets.c.issued_at).where(
            tickets.c.day >= first,
            tickets.c.day < ctx.today,
            tickets.c.transferred_from_id.is_(None),
        )
    ):
        local = r.issued_at.astimezone(zone)
        counts[(local.hour * 60 + local.minute) // QUARTER] += 1
        days.add(r.day)
    return tuple(c / len(days) for c in counts) if days else ()


def _visits(
    ctx: Context, code_of: dict[int, str], first: date, last: date, newest: int | None
) -> dict[str, list[float]]:
    """Visit lengths in minutes (call to finish, and a parked visit's part before its park)
    per service from `first` to `last`, the `newest` of each service only when given."""
    query = (
        select(
            tickets.c.service_id,
            tickets.c.called_at,
            tickets.c.finished_at,
            tickets.c.served_before_park,
        )
        .where(
            tickets.c.day >= first,
            tickets.c.day <= last,
            tickets.c.finished_at.is_not(None),
            tickets.c.called_at.is_not(None),
            tickets.c.state != TicketState.PARKED.value,  # not over: the rest of it comes later
        )
        .order_by(tickets.c.finished_at.desc())
    )
    if newest is not None:
        query = query.limit(newest * max(1, len(code_of)))
    samples: dict[str, list[float]] = defaultdict(list)
    for r in ctx.conn.execute(query):
        code = code_of.get(r.service_id)
        if code is not None and (newest is None or len(samples[code]) < newest):
            held = (r.finished_at - r.called_at).total_seconds() / 60 + r.served_before_park
            samples[code].append(max(0.0, held))
    return samples


def _pace(
    ctx: Context, code_of: dict[int, str], configured: dict[str, float], history: History
) -> tuple[dict[str, float], float]:
    """Counter minutes per ticket per service (call to finish, no-shows and transfers included),
    from today's newest visits, drawn towards the service's pace of the last days, or else the
    line through the site's visits today (of the last days before it has enough)
    (shared.domain.visit_pace); and the spread of one visit."""
    samples = _visits(ctx, code_of, ctx.today, ctx.today, RECENT)
    line = site_line(samples, configured, history.line)
    priors = {c: history.minutes.get(c, line.minutes(m)) for c, m in configured.items()}
    minutes = learned_minutes(samples, priors, prior_weight(samples, priors))
    scaled = [v / minutes[c] for c, vs in samples.items() for v in vs if minutes[c] > 0]
    spread = statistics.pstdev(scaled) if len(scaled) >= SPREAD_SAMPLES else ASSUMED_SPREAD
    return minutes, spread


def _cut_ins(
    ctx: Context, code_of: dict[int, str], opened: datetime
) -> tuple[dict[str, float], dict[str, float], float]:
    """What will go ahead of the ordinary tickets already waiting. Priority tickets (and
    walk-ins) and ordinary tickets expected per minute, per service (the ordinary ones go first
    only at a strict counter that ranks their service higher): the site's arrivals over the
    last hour (or since the site opened today, when that is shorter), times the service's share
    of the day's tickets, times the day's share of priority (or ordinary) tickets (day-long and
    site-wide shares are steadier than one service's few tickets of the last hour). And
    transfers, which keep their first issue time: the day's share of visits that ended in one.
    """
    window = arrivals_window(ctx.now, opened)
    since = ctx.now - window
    rows = ctx.conn.execute(
        select(
            tickets.c.service_id,
            # a walk-in, served at the counter at once, goes ahead as a priority ticket does
            or_(tickets.c.priority, tickets.c.source == TicketSource.WALK_IN.value).label("ahead"),
            tickets.c.transferred_from_id.is_not(None).label("moved"),
            func.count().label("tickets"),
            func.sum(case((tickets.c.issued_at >= since, 1), else_=0)).label("recent"),
            func.sum(case((tickets.c.finished_at.is_not(None), 1), else_=0)).label("visits"),
        )
        .where(tickets.c.day == ctx.today)
        .group_by(tickets.c.service_id, "ahead", "moved")
    ).all()
    originals = [r for r in rows if not r.moved]
    issued = sum(r.tickets for r in originals)
    visits = sum(int(r.visits or 0) for r in rows)
    transfers = sum(r.tickets for r in rows if r.moved)
    transfer_share = transfers / visits if visits >= RATIO_SAMPLES else 0.0
    if not issued:
        return {}, {}, transfer_share
    share = sum(r.tickets for r in originals if r.ahead) / issued
    per_minute = sum(int(r.recent or 0) for r in originals) / (window.total_seconds() / 60)
    of_service: dict[str, int] = defaultdict(int)
    for r in originals:
        if r.service_id in code_of:
            of_service[code_of[r.service_id]] += r.tickets
    priority = {code: per_minute * share * n / issued for code, n in of_service.items()}
    ordinary = {code: per_minute * (1 - share) * n / issued for code, n in of_service.items()}
    return priority, ordinary, transfer_share


def arrivals_window(now: datetime, opened: datetime) -> timedelta:
    """The time before `now` over which today's arrival rate is counted."""
    return max(min(ARRIVALS_WINDOW, now - opened), ARRIVALS_AT_LEAST)


def _break_minutes(ctx: Context) -> float:
    return float(ctx.site.breaks.minutes) if ctx.site.breaks else BREAK_MINUTES


def _desks(
    ctx: Context, code_of: dict[int, str], minutes: dict[str, float], closes: dict[str, datetime]
) -> list[Desk]:
    """The counters that will call today: open ones when their current visit, and the rest of
    the visits parked there lately, end; paused ones when their break is over; a service no such
    counter serves counts on its closed counters opening now."""
    now = ctx.now
    profiles: dict[int, list[str]] = defaultdict(list)
    for link in ctx.conn.execute(
        select(counter_services.c.counter_id, counter_services.c.service_id).order_by(
            counter_services.c.counter_id, counter_services.c.position
        )
    ):
        if link.service_id in code_of:
            profiles[link.counter_id].append(code_of[link.service_id])
    current = tickets.alias("current")
    rows = ctx.conn.execute(
        select(
            counters.c.id,
            counters.c.code,
            counters.c.state,
            counters.c.selection,
            current.c.service_id.label("current_service"),
            current.c.called_at.label("current_called_at"),
        )
        .outerjoin(current, current.c.id == counters.c.current_ticket_id)
        .where(counters.c.active.is_(True))
        .order_by(counters.c.position, counters.c.code)
    ).all()
    paused_at = dict(
        ctx.conn.execute(
            select(events.c.counter_code, func.max(events.c.at))
            .where(events.c.day == ctx.today, events.c.kind == EventKind.COUNTER_PAUSED.value)
            .group_by(events.c.counter_code)
        )
        .tuples()
        .all()
    )

    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    breaks = ctx.site.breaks

    def break_between(code: str) -> tuple[float, float] | None:
        """Minutes from now between which the counter's break may start: the rest of the
        site's break window, unless it has paused today already or the window is over."""
        if breaks is None or code in paused_at:
            return None
        minute = (now - midnight).total_seconds() / 60
        if minute >= breaks.ends:
            return None
        return max(0.0, breaks.starts - minute), breaks.ends - minute

    def desk(row: Any, free_in: float) -> Desk:
        return Desk(
            row.code,
            tuple(profiles[row.id]),
            SelectionMode(row.selection),
            free_in,
            break_between(row.code),
        )

    def left(service_id: int, held: float) -> float:
        """Minutes left of a visit of the service that has had `held` minutes so far."""
        usual = minutes[code_of[service_id]]
        return max(usual - held, LEFT_AT_LEAST * usual)

    parked: dict[int, float] = defaultdict(float)  # counter id -> the rest of its parked visits
    for visit in ctx.conn.execute(
        select(tickets.c.counter_id, tickets.c.service_id, tickets.c.served_before_park).where(
            tickets.c.day == ctx.today,
            tickets.c.state == TicketState.PARKED.value,
            tickets.c.finished_at >= now - PARKED_BACK_WITHIN,
        )
    ):
        if visit.service_id in code_of:
            parked[visit.counter_id] += left(visit.service_id, visit.served_before_park)

    working: list[Desk] = []
    for row in rows:
        if not profiles[row.id] or row.state == CounterState.CLOSED.value:
            continue
        free_in = 0.0
        if row.current_service in code_of and row.current_called_at is not None:
            held = (now - row.current_called_at).total_seconds() / 60
            free_in = left(row.current_service, held)
        if row.state == CounterState.PAUSED.value:
            since = paused_at.get(row.code)
            away = 0.0 if since is None else (now - since).total_seconds() / 60
            free_in = max(free_in, _break_minutes(ctx) - away, 1.0)
        working.append(desk(row, free_in + parked[row.id]))
    served = {s for d in working for s in d.profile}
    for row in rows:
        if row.state == CounterState.CLOSED.value and any(
            s not in served and s in closes for s in profiles[row.id]
        ):
            working.append(desk(row, 0.0))
    return working
