"""What the console's live monitor shows: the day at a glance, the queues that need someone
first, and every counter, within the agencies a person may see.

A queue needs someone when its longest wait passed the service's target, or when people wait
for a service that no open counter calls (every counter serving it paused or closed): they
would wait until the end of the day. Those come first, then the longest waits.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from shared.domain.states import CounterState
from shared.domain.values import (
    Board,
    Catalogue,
    CounterStatus,
    ServiceEntry,
    ServiceWaiting,
    Ticket,
)
from shared.i18n import LocalText

SLOW_VISIT_FACTOR: Final = 2  # a visit is "far longer" at twice the service's minutes


@dataclass(frozen=True, slots=True)
class CounterRow:
    counter: CounterStatus
    minutes: int | None  # since its ticket was called, or since its visit started
    slow: bool  # a visit far longer than its service's minutes


@dataclass(frozen=True, slots=True)
class QueueRow:
    line: ServiceWaiting
    agency: LocalText | None
    minutes: int | None  # the longest wait now
    target: int | None  # the service's waiting-time target
    late: bool  # the longest wait passed the target
    unserved: bool  # no open counter calls this service
    entry: ServiceEntry | None

    @property
    def needs_someone(self) -> bool:
        return self.late or self.unserved


@dataclass(frozen=True, slots=True)
class Glance:
    """The counts at the top of the monitor."""

    waiting: int
    priority: int
    late: int  # services past their target
    unserved: int  # services waited for with no open counter
    slow: int  # visits far longer than their service's minutes
    at_work: int  # open counters with a ticket called or being served
    free: int  # open counters with none
    paused: int
    closed: int


@dataclass(frozen=True, slots=True)
class MonitorView:
    glance: Glance
    queues: tuple[QueueRow, ...]
    counters: tuple[CounterRow, ...]


def monitor_view(
    board: Board, catalogue: Catalogue, now: datetime, agencies: Collection[str] | None
) -> MonitorView:
    """The monitor of `board` at `now`; `agencies`, when given, are all a person may see."""
    entries = {s.code: s for a in catalogue.agencies for s in a.services}
    agency_names = {a.code: a.name for a in catalogue.agencies}
    called = {code for c in board.counters if c.state == CounterState.OPEN for code in c.services}

    def seen(agency_code: str | None) -> bool:
        return agencies is None or agency_code in agencies

    counters = tuple(
        _counter_row(c, entries.get(c.current.service_code) if c.current else None, now)
        for c in board.counters
        if seen(c.agency_code)
    )
    queues = sorted(
        (
            _queue_row(w, entries.get(w.service_code), agency_names, called, now)
            for w in board.waiting
            if seen(w.agency_code)
        ),
        key=lambda q: (not q.needs_someone, -(q.minutes or 0)),
    )
    states = [row.counter.state for row in counters]
    at_work = sum(
        1 for row in counters if row.counter.state == CounterState.OPEN and row.counter.current
    )
    glance = Glance(
        waiting=sum(q.line.waiting for q in queues),
        priority=sum(q.line.priority_waiting for q in queues),
        late=sum(1 for q in queues if q.late),
        unserved=sum(1 for q in queues if q.unserved),
        slow=sum(1 for row in counters if row.slow),
        at_work=at_work,
        free=states.count(CounterState.OPEN) - at_work,
        paused=states.count(CounterState.PAUSED),
        closed=states.count(CounterState.CLOSED),
    )
    return MonitorView(glance, tuple(queues), counters)


def _counter_row(counter: CounterStatus, entry: ServiceEntry | None, now: datetime) -> CounterRow:
    minutes = _minutes_since(_since(counter.current), now)
    slow = (
        minutes is not None
        and entry is not None
        and counter.current is not None
        and counter.current.started_at is not None
        and minutes > SLOW_VISIT_FACTOR * entry.service_minutes
    )
    return CounterRow(counter, minutes, slow)


def _queue_row(
    line: ServiceWaiting,
    entry: ServiceEntry | None,
    agency_names: dict[str, LocalText],
    called: set[str],
    now: datetime,
) -> QueueRow:
    minutes = _minutes_since(line.waiting_since, now)
    target = entry.wait_target_minutes if entry else None
    return QueueRow(
        line=line,
        agency=agency_names.get(line.agency_code),
        minutes=minutes,
        target=target,
        late=minutes is not None and target is not None and minutes > target,
        unserved=line.waiting > 0 and line.service_code not in called,
        entry=entry,
    )


def _since(ticket: Ticket | None) -> datetime | None:
    if ticket is None:
        return None
    return ticket.started_at or ticket.called_at


def _minutes_since(moment: datetime | None, now: datetime) -> int | None:
    return None if moment is None else max(0, int((now - moment).total_seconds() // 60))
