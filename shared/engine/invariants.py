"""The engine's guarantees, checked from the database and the events log after the fact.

Used by the concurrency tests and the day simulator: an empty list means every guarantee held.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

from shared.domain.states import HELD_STATES, OPEN_STATES, WALK_IN_CALL, EventKind, TicketState
from shared.store.database import Database
from shared.store.tables import counter_services, counters, events, services, tickets

# events that change a ticket's state (recall keeps it; the rest move it)
TICKET_EVENTS = frozenset(
    {
        EventKind.ISSUED,
        EventKind.CALLED,
        EventKind.RECALLED,
        EventKind.STARTED,
        EventKind.FINISHED,
        EventKind.NO_SHOW,
        EventKind.PARKED,
        EventKind.TRANSFERRED,
        EventKind.CANCELLED,
        EventKind.EXPIRED,
    }
)
COUNTER_STATE_EVENTS = (
    EventKind.COUNTER_OPENED,
    EventKind.COUNTER_PAUSED,
    EventKind.COUNTER_CLOSED,
)


def check_invariants(db: Database) -> list[str]:
    """Every broken guarantee, one line each."""
    with db.read() as conn:
        ticket_rows = conn.execute(select(tickets)).all()
        counter_rows = conn.execute(select(counters)).all()
        event_rows = conn.execute(
            select(events).where(events.c.ticket_id.is_not(None)).order_by(events.c.id)
        ).all()
        duplicates = conn.execute(
            select(tickets.c.day, tickets.c.prefix, tickets.c.seq, func.count())
            .where(tickets.c.transferred_from_id.is_(None))
            .group_by(tickets.c.day, tickets.c.prefix, tickets.c.seq)
            .having(func.count() > 1)
        ).all()
    problems = [f"number {p}{s} issued {n} times on {d}" for d, p, s, n in duplicates]
    problems += _holding(ticket_rows, counter_rows)
    problems += _replay(ticket_rows, event_rows)
    return problems


def _holding(ticket_rows: Sequence[Any], counter_rows: Sequence[Any]) -> list[str]:
    problems: list[str] = []
    held_by = Counter(c.current_ticket_id for c in counter_rows if c.current_ticket_id)
    problems += [f"ticket {tid} held by {n} counters" for tid, n in held_by.items() if n > 1]
    current = {c.current_ticket_id: c.id for c in counter_rows if c.current_ticket_id}
    for t in ticket_rows:
        state = TicketState(t.state)
        if state in HELD_STATES and current.get(t.id) != t.counter_id:
            problems.append(f"ticket {t.number} (#{t.id}) is {state}; its counter does not hold it")
        if state not in HELD_STATES and t.id in current:
            problems.append(f"ticket {t.number} (#{t.id}) is {state} yet still held by a counter")
    return problems


def _replay(ticket_rows: Sequence[Any], event_rows: Sequence[Any]) -> list[str]:
    """Replaying the log must give each ticket's state; every step must follow the last."""
    problems: list[str] = []
    history: dict[int, list[Any]] = defaultdict(list)
    for e in event_rows:
        if EventKind(e.kind) in TICKET_EVENTS:
            history[e.ticket_id].append(e)
    for t in ticket_rows:
        steps = history.get(t.id, [])
        if not steps or steps[0].kind != EventKind.ISSUED:
            problems.append(f"ticket {t.number} (#{t.id}) has no 'issued' event")
            continue
        state = None
        for e in steps:
            if e.from_state != state:
                problems.append(
                    f"ticket {t.number} (#{t.id}): event #{e.id} {e.kind} starts from "
                    f"{e.from_state}, but the log had it {state}"
                )
            state = e.to_state
        if state != t.state:
            problems.append(f"ticket {t.number} (#{t.id}) is {t.state}; its events say {state}")
    orphans = set(history) - {t.id for t in ticket_rows}
    problems += [f"events refer to missing ticket #{tid}" for tid in sorted(orphans)]
    return problems


def check_final(db: Database) -> list[str]:
    """After a day is closed: every ticket has reached exactly one final state."""
    with db.read() as conn:
        open_rows = conn.execute(
            select(tickets.c.number, tickets.c.id, tickets.c.state).where(
                tickets.c.state.in_([s.value for s in OPEN_STATES])
            )
        ).all()
    return [f"ticket {r.number} (#{r.id}) is still {r.state}" for r in open_rows]


def check_priority_order(db: Database) -> list[str]:
    """No ordinary ticket was called by "next" while a priority ticket that the same counter
    serves was waiting (call-specific is not used where this is checked; a walk-in, served at
    the counter without a ticket, is no choice among the waiting), unless that priority ticket
    was sent to another counter that was not closed (it waits for that counter alone)."""
    with db.read() as conn:
        keepers = dict(
            conn.execute(
                select(tickets.c.id, counters.c.code).join(
                    counters, counters.c.id == tickets.c.for_counter_id
                )
            )
            .tuples()
            .all()
        )
        profile_rows = conn.execute(
            select(counters.c.code, services.c.code.label("service"))
            .join(counter_services, counter_services.c.counter_id == counters.c.id)
            .join(services, services.c.id == counter_services.c.service_id)
        ).all()
        event_rows = conn.execute(
            select(
                events.c.id,
                events.c.kind,
                events.c.ticket_id,
                events.c.number,
                events.c.service_code,
                events.c.counter_code,
                events.c.priority,
                events.c.from_state,
                events.c.detail,
            )
            .where(events.c.ticket_id.is_not(None) | events.c.kind.in_(COUNTER_STATE_EVENTS))
            .order_by(events.c.id)
        ).all()
    profiles: dict[str, set[str]] = defaultdict(set)
    for row in profile_rows:
        profiles[row.code].add(row.service)
    waiting: dict[int, tuple[str, bool]] = {}
    closed: set[str] = set()
    problems = []
    for e in event_rows:
        kind = EventKind(e.kind)
        if kind in COUNTER_STATE_EVENTS:
            (closed.add if kind == EventKind.COUNTER_CLOSED else closed.discard)(e.counter_code)
        elif kind == EventKind.ISSUED:
            waiting[e.ticket_id] = (e.service_code, bool(e.priority))
        elif e.from_state == TicketState.WAITING:
            waiting.pop(e.ticket_id, None)
            if kind == EventKind.CALLED and not e.priority and e.detail != WALK_IN_CALL:
                served = profiles[e.counter_code]
                skipped = [
                    t
                    for t, (s, p) in waiting.items()
                    if p
                    and s in served
                    and keepers.get(t, e.counter_code) in closed | {e.counter_code}
                ]
                if skipped:
                    problems.append(
                        f"{e.counter_code} called ordinary {e.number} (event #{e.id}) while "
                        f"priority ticket #{skipped[0]} waited for it"
                    )
    return problems
