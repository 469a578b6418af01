"""The engine's guarantees, checked from the database and the events log after the fact.

Used by the concurrency tests and the day simulator: an empty list means every guarantee held.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select

from shared.domain.states import HELD_STATES, EventKind, TicketState
from shared.store.database import Database
from shared.store.tables import counters, events, tickets

# events that change a ticket's state (recall keeps it; the rest move it)
TICKET_EVENTS = frozenset(
    {
        EventKind.ISSUED,
        EventKind.CALLED,
        EventKind.RECALLED,
        EventKind.STARTED,
        EventKind.FINISHED,
        EventKind.NO_SHOW,
        EventKind.TRANSFERRED,
        EventKind.CANCELLED,
        EventKind.EXPIRED,
    }
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
