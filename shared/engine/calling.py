"""What a counter does: call next, recall, start, finish, skip, transfer, call a number, pause.

A counter holds at most one ticket (its current one). Every action locks the counter's row first
(PostgreSQL `FOR UPDATE`; SQLite writers are serialised by `BEGIN IMMEDIATE`), so a desk button and
the app pressing at once are applied one after the other, never interleaved.

The rule for "next" while a ticket is still held: a ticket being served becomes done; a ticket that
was called but never started becomes done too, or a no-show when the site sets
`unstarted_on_next = "no_show"` (for sites where staff always press "start").
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, insert, select, update

from shared.domain.numbering import parse_number
from shared.domain.states import (
    ACTION_EVENT,
    HELD_STATES,
    Action,
    CounterState,
    EventKind,
    SelectionMode,
    TicketSource,
    TicketState,
    next_state,
)
from shared.domain.values import Ticket
from shared.engine.context import Context
from shared.engine.issuing import service_row
from shared.engine.snapshots import load_ticket, ticket_select
from shared.errors import AuthError, CounterError, TicketError
from shared.i18n import both
from shared.store.tables import counter_services, counters, services, staff, tickets


def lock_counter(ctx: Context, code: str) -> Any:
    row = ctx.conn.execute(
        select(counters)
        .where(counters.c.code == code, counters.c.active.is_(True))
        .with_for_update()
    ).one_or_none()
    if row is None:
        raise CounterError("unknown_counter", counter=code)
    return row


def require_open(row: Any) -> None:
    if row.state != CounterState.OPEN:
        raise CounterError("counter_not_open", counter=row.code, state=both(f"state_{row.state}"))


def staff_id(ctx: Context, username: str | None, counter: Any) -> int | None:
    """The acting staff member: the one named, else whoever is logged in at the counter."""
    if username is None:
        return counter.staff_id  # type: ignore[no-any-return]
    found = ctx.conn.execute(
        select(staff.c.id).where(staff.c.username == username, staff.c.active.is_(True))
    ).scalar_one_or_none()
    if found is None:
        raise AuthError("unknown_user", username=username)
    return int(found)


def held_ticket(ctx: Context, counter: Any) -> Any:
    """The counter's current ticket row, locked; None when it holds nothing."""
    if counter.current_ticket_id is None:
        return None
    return ctx.conn.execute(
        ticket_select().where(tickets.c.id == counter.current_ticket_id).with_for_update(of=tickets)
    ).one()


def apply(
    ctx: Context, counter: Any, ticket: Any, action: Action, related_ticket_id: int | None = None
) -> TicketState:
    """Move `ticket` by `action`, stamp the time, log the event; release it when it ends."""
    state = TicketState(ticket.state)
    target = next_state(state, action)
    if target is None:
        raise TicketError(
            "invalid_action",
            number=ticket.number,
            state=both(f"ticket_{state}"),
            action=action.value,
        )
    stamps: dict[str, Any] = {}
    if action == Action.START:
        stamps["started_at"] = ctx.now
    elif action == Action.RECALL:
        stamps["call_count"] = tickets.c.call_count + 1
    elif target not in HELD_STATES:
        stamps["finished_at"] = ctx.now
    ctx.conn.execute(
        update(tickets).where(tickets.c.id == ticket.id).values(state=target.value, **stamps)
    )
    if target not in HELD_STATES:
        ctx.conn.execute(
            update(counters).where(counters.c.id == counter.id).values(current_ticket_id=None)
        )
    ctx.append_event(
        ACTION_EVENT[action],
        ticket=ticket,
        counter_code=counter.code,
        staff=ticket.staff_username,
        from_state=state.value,
        to_state=target.value,
        related_ticket_id=related_ticket_id,
    )
    return target


def release_current(ctx: Context, counter: Any) -> None:
    """Before calling another ticket: end the one the counter still holds (see module doc)."""
    ticket = held_ticket(ctx, counter)
    if ticket is None:
        return
    if ticket.state == TicketState.CALLED and ctx.site.unstarted_on_next == "no_show":
        apply(ctx, counter, ticket, Action.SKIP)
    else:
        apply(ctx, counter, ticket, Action.FINISH)


def profile(ctx: Context, counter_id: int) -> list[int]:
    """The counter's active services, in work-profile order."""
    return list(
        ctx.conn.execute(
            select(counter_services.c.service_id)
            .join(services, services.c.id == counter_services.c.service_id)
            .where(counter_services.c.counter_id == counter_id, services.c.active.is_(True))
            .order_by(counter_services.c.position)
        ).scalars()
    )


def call(ctx: Context, counter: Any, ticket_id: int, staff_id: int | None) -> Ticket:
    """Give the waiting (or skipped) ticket to the counter."""
    before = ctx.conn.execute(select(tickets.c.state).where(tickets.c.id == ticket_id)).scalar_one()
    changed = ctx.conn.execute(
        update(tickets)
        .where(tickets.c.id == ticket_id, tickets.c.state == before)
        .values(
            state=TicketState.CALLED.value,
            counter_id=counter.id,
            staff_id=staff_id,
            called_at=ctx.now,
            started_at=None,
            finished_at=None,
            call_count=tickets.c.call_count + 1,
        )
    ).rowcount
    assert changed == 1, "a locked ticket changed under us"
    ctx.conn.execute(
        update(counters)
        .where(counters.c.id == counter.id)
        .values(current_ticket_id=ticket_id, staff_id=staff_id)
    )
    ticket = load_ticket(ctx.conn, ticket_id)
    ctx.append_event(
        EventKind.CALLED,
        ticket=ticket,
        counter_code=counter.code,
        staff=ticket.staff,
        from_state=before,
        to_state=TicketState.CALLED.value,
    )
    return ticket


def call_next(ctx: Context, counter_code: str, username: str | None) -> Ticket | None:
    counter = lock_counter(ctx, counter_code)
    require_open(counter)
    actor = staff_id(ctx, username, counter)
    release_current(ctx, counter)
    service_ids = profile(ctx, counter.id)
    if not service_ids:
        return None
    order: list[Any] = [tickets.c.priority.desc()]
    if counter.selection == SelectionMode.STRICT:
        order.append(
            case({sid: rank for rank, sid in enumerate(service_ids)}, value=tickets.c.service_id)
        )
    order += [tickets.c.original_issued_at, tickets.c.id]
    chosen = ctx.conn.execute(
        select(tickets.c.id)
        .where(
            tickets.c.day == ctx.today,
            tickets.c.state == TicketState.WAITING.value,
            tickets.c.service_id.in_(service_ids),
        )
        .order_by(*order)
        .limit(1)
        .with_for_update(skip_locked=True)
    ).scalar_one_or_none()
    if chosen is None:
        return None
    return call(ctx, counter, int(chosen), actor)


def call_specific(ctx: Context, counter_code: str, number: str, username: str | None) -> Ticket:
    counter = lock_counter(ctx, counter_code)
    require_open(counter)
    actor = staff_id(ctx, username, counter)
    parsed = parse_number(number)
    if parsed is None:
        raise TicketError("bad_number", number=number)
    label = f"{parsed[0]}{parsed[1]:03d}"
    found = ctx.conn.execute(
        ticket_select()
        .where(tickets.c.day == ctx.today, tickets.c.number == label)
        .order_by(tickets.c.id.desc())
        .limit(1)
        .with_for_update(of=tickets)
    ).one_or_none()
    if found is None:
        raise TicketError("ticket_not_found", number=label)
    state = TicketState(found.state)
    if state in HELD_STATES and found.counter_id != counter.id:
        raise TicketError("ticket_held_elsewhere", number=label, counter=found.counter_code)
    if next_state(state, Action.CALL) is None:
        raise TicketError("ticket_not_callable", number=label, state=both(f"ticket_{state}"))
    if found.service_id not in profile(ctx, counter.id):
        raise TicketError(
            "ticket_not_for_counter", number=label, service=found.service_code, counter=counter.code
        )
    release_current(ctx, counter)
    return call(ctx, counter, found.id, actor)


def act(ctx: Context, counter_code: str, action: Action) -> Ticket:
    """Recall, start, finish or skip the counter's current ticket."""
    counter = lock_counter(ctx, counter_code)
    ticket = held_ticket(ctx, counter)
    if ticket is None:
        raise CounterError("no_current_ticket", counter=counter_code)
    apply(ctx, counter, ticket, action)
    return load_ticket(ctx.conn, ticket.id)


def transfer(ctx: Context, counter_code: str, to_service: str) -> Ticket:
    """End the current ticket here; the same number waits in `to_service`, keeping its place
    in time (its original issue time). Returns the new waiting ticket."""
    counter = lock_counter(ctx, counter_code)
    ticket = held_ticket(ctx, counter)
    if ticket is None:
        raise CounterError("no_current_ticket", counter=counter_code)
    target = service_row(ctx.conn, to_service)
    if target.id == ticket.service_id:
        raise TicketError("transfer_same_service", number=ticket.number, service=to_service)
    new_id = int(
        ctx.conn.execute(
            insert(tickets)
            .values(
                day=ticket.day,
                service_id=target.id,
                prefix=ticket.prefix,
                seq=ticket.seq,
                number=ticket.number,
                priority=ticket.priority,
                source=TicketSource.TRANSFER.value,
                state=TicketState.WAITING.value,
                issued_at=ctx.now,
                original_issued_at=ticket.original_issued_at,
                call_count=0,
                transferred_from_id=ticket.id,
            )
            .returning(tickets.c.id)
        ).scalar_one()
    )
    apply(ctx, counter, ticket, Action.TRANSFER, related_ticket_id=new_id)
    moved = load_ticket(ctx.conn, new_id)
    ctx.append_event(
        EventKind.ISSUED,
        ticket=moved,
        counter_code=counter.code,
        to_state=TicketState.WAITING.value,
        related_ticket_id=ticket.id,
    )
    return moved


def set_state(ctx: Context, counter_code: str, state: CounterState) -> CounterState:
    """Pause, resume (open) or close a counter; not while it holds a ticket."""
    counter = lock_counter(ctx, counter_code)
    if counter.state == state:
        return state
    if counter.current_ticket_id is not None and state != CounterState.OPEN:
        number = ctx.conn.execute(
            select(tickets.c.number).where(tickets.c.id == counter.current_ticket_id)
        ).scalar_one()
        raise CounterError("counter_busy", counter=counter_code, number=number)
    ctx.conn.execute(update(counters).where(counters.c.id == counter.id).values(state=state.value))
    kind = {
        CounterState.OPEN: EventKind.COUNTER_OPENED,
        CounterState.PAUSED: EventKind.COUNTER_PAUSED,
        CounterState.CLOSED: EventKind.COUNTER_CLOSED,
    }[state]
    ctx.append_event(
        kind, counter_code=counter_code, from_state=counter.state, to_state=state.value
    )
    return state
