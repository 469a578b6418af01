"""How long each counter was open and paused, per staff member and day: the other half of a
counter's utilisation (its service time over its open time), read from the events log.

A counter is open from its opening (a login, a resume) to its pause, close or logout. A
counter still open or paused at the end of its day (staff who went home without logging out)
counts until its last visit of that day ended, and one open from an earlier day from its first
call of the day. A counter whose state no event of the last month tells is open, as the site
file makes it: it counts from its first call to its last visit's end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final

from sqlalchemy import DateTime, func, select, type_coerce

from shared.domain.report import CounterTime
from shared.domain.states import CounterState, EventKind
from shared.engine.context import Context
from shared.store.tables import agencies, counters, events, tickets

STATES: Final = {
    EventKind.COUNTER_OPENED.value: CounterState.OPEN,
    EventKind.COUNTER_PAUSED.value: CounterState.PAUSED,
    EventKind.COUNTER_CLOSED.value: CounterState.CLOSED,
}
LOGIN, LOGOUT = EventKind.STAFF_LOGIN.value, EventKind.STAFF_LOGOUT.value
LOOK_BACK: Final = timedelta(days=31)  # how far back a counter's state before the days is sought
FIRST, LAST = "first", "last"  # the counter's first call or last visit's end that day, sought later
Moment = datetime | str


@dataclass
class _Desk:
    state: CounterState = CounterState.OPEN  # as the site file makes a counter
    staff: str | None = None
    since: Moment | None = None  # when the current open or paused stretch began

    @property
    def working(self) -> bool:
        return self.state in (CounterState.OPEN, CounterState.PAUSED)


Move = tuple[datetime, str, str, str | None]  # at, kind, counter, staff
Minutes = dict[tuple[str, str | None, date, CounterState], float]
Edge = tuple[str, str | None, date, CounterState, Moment, Moment]


def counter_times(ctx: Context, first: date, last: date) -> list[CounterTime]:
    """Every counter's open and paused minutes on the days `first` to `last`."""
    agency_of = {
        code: agency or "-"
        for code, agency in ctx.conn.execute(
            select(counters.c.code, agencies.c.code).outerjoin(
                agencies, agencies.c.id == counters.c.agency_id
            )
        )
    }
    # each day and kind named: the index on (day, kind) is sought, never the visits' events
    looked = [
        first - LOOK_BACK + timedelta(days=n) for n in range((last - first + LOOK_BACK).days + 1)
    ]
    # times as stored (naive UTC): only their differences count, and a year has many rows
    moves = ctx.conn.execute(
        select(
            type_coerce(events.c.at, DateTime()),
            events.c.day,
            events.c.kind,
            events.c.counter_code,
            events.c.staff,
        )
        .where(
            events.c.day.in_(looked),
            events.c.kind.in_([*STATES, LOGIN, LOGOUT]),
            events.c.counter_code.is_not(None),
        )
        .order_by(events.c.id)
    )
    desks: dict[str, _Desk] = defaultdict(_Desk, {code: _Desk() for code in agency_of})
    by_day: dict[date, list[Move]] = defaultdict(list)
    for at, day, kind, code, staff in moves:
        if day < first:
            _move(desks[code], kind, staff)
        else:
            by_day[day].append((at, kind, code, staff))
    minutes: Minutes = defaultdict(float)
    edges: list[Edge] = []

    def stretch(code: str, desk: _Desk, day: date, until: Moment) -> None:
        since, state = desk.since, desk.state
        if since is not None and desk.working:
            if isinstance(since, datetime) and isinstance(until, datetime):
                minutes[(code, desk.staff, day, state)] += _minutes(since, until)
            else:
                edges.append((code, desk.staff, day, state, since, until))
        desk.since = until

    for day in (first + timedelta(days=n) for n in range((last - first).days + 1)):
        for desk in desks.values():  # open since an earlier day: from its first call
            desk.since = FIRST if desk.working else None
        for at, kind, code, staff in by_day.get(day, ()):
            desk = desks[code]
            stretch(code, desk, day, at)
            _move(desk, kind, staff)
        for code, desk in desks.items():  # still open at the day's end: to its last visit
            stretch(code, desk, day, LAST)
    _add_edges(ctx, edges, minutes)
    return _by_staff_and_day(minutes, agency_of)


def _minutes(since: datetime, until: datetime) -> float:
    return max((until - since).total_seconds(), 0.0) / 60


def _add_edges(ctx: Context, edges: list[Edge], minutes: Minutes) -> None:
    """The stretches that begin at a counter's first call of a day or end at its last visit's
    end: a counter left open, whose days' calls are sought (none where staff log out); a day
    without a call adds nothing."""
    bounds = _bounds(ctx, {(code, day) for code, _, day, *_ in edges})
    for code, staff, day, state, since, until in edges:
        if (code, day) in bounds:
            earliest, latest = bounds[(code, day)]
            begun = earliest if since == FIRST else since
            ended = latest if until == LAST else until
            assert isinstance(begun, datetime) and isinstance(ended, datetime)
            minutes[(code, staff, day, state)] += _minutes(begun, ended)


def _move(desk: _Desk, kind: str, staff: str | None) -> None:
    if kind in STATES:
        desk.state = STATES[kind]
        desk.staff = staff or desk.staff  # a login opens the counter in its own name
    elif kind == LOGIN:  # a login opens a closed counter (a paused one stays paused)
        desk.staff = staff
        if desk.state == CounterState.CLOSED:
            desk.state = CounterState.OPEN
    else:
        desk.staff = None


def _bounds(
    ctx: Context, needed: set[tuple[str, date]]
) -> dict[tuple[str, date], tuple[datetime, datetime]]:
    """The first call and the last visit's end of each (counter, day) in `needed` that had
    one (sought through the tickets' index on day and counter: a counter that served nobody
    costs nothing)."""
    if not needed:
        return {}
    ids: dict[int, str] = {
        row.id: row.code
        for row in ctx.conn.execute(
            select(counters.c.id, counters.c.code).where(
                counters.c.code.in_(sorted({code for code, _ in needed}))
            )
        )
    }
    called = type_coerce(tickets.c.called_at, DateTime())
    ended = type_coerce(func.coalesce(tickets.c.finished_at, tickets.c.called_at), DateTime())
    found = ctx.conn.execute(
        select(tickets.c.counter_id, tickets.c.day, func.min(called), func.max(ended))
        .where(
            tickets.c.day.in_(sorted({day for _, day in needed})),
            tickets.c.counter_id.in_(sorted(ids)),
            tickets.c.called_at.is_not(None),
        )
        .group_by(tickets.c.counter_id, tickets.c.day)
    )
    bounds = {(ids[c], d): (a, b) for c, d, a, b in found}
    return {pair: bounds[pair] for pair in needed if pair in bounds}


def _by_staff_and_day(minutes: Minutes, agency_of: dict[str, str]) -> list[CounterTime]:
    keys = sorted({(c, s, d) for c, s, d, _ in minutes}, key=lambda k: (k[0], k[1] or "", k[2]))
    return [
        CounterTime(
            code,
            agency_of.get(code, "-"),
            staff,
            day,
            round(minutes.get((code, staff, day, CounterState.OPEN), 0.0), 3),
            round(minutes.get((code, staff, day, CounterState.PAUSED), 0.0), 3),
        )
        for code, staff, day in keys
    ]


def open_and_paused(times: Iterable[CounterTime]) -> tuple[float, float]:
    """Open and paused minutes of `times` together."""
    spans = list(times)
    return sum(t.open_minutes for t in spans), sum(t.paused_minutes for t in spans)
