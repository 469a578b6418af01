"""What a counter does: call next, recall, start, finish, skip, park, transfer, call a number,
serve someone without a ticket, pause.

A counter holds at most one ticket (its current one). Every action locks the counter's row first
(PostgreSQL `FOR UPDATE`; SQLite writers are serialised by `BEGIN IMMEDIATE`), so a desk button and
the app pressing at once are applied one after the other, never interleaved.

The rule for "next" while a ticket is still held: a ticket being served becomes done; a ticket that
was called but never started becomes done too, or a no-show when the site sets
`unstarted_on_next = "no_show"` (for sites where staff always press "start").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, or_, select, update

from shared.domain.numbering import parse_number
from shared.domain.states import (
    ACTION_EVENT,
    HELD_STATES,
    WALK_IN_CALL,
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
from shared.engine.issuing import count_issued, insert_ticket, service_row
from shared.engine.kept_tickets import open_to
from shared.engine.snapshots import load_ticket, ticket_select
from shared.errors import AuthError, CounterError, TicketError
from shared.i18n import both
from shared.store.tables import (
    IS_WAITING,
    counter_services,
    counters,
    services,
    staff,
    staff_agencies,
    tickets,
)

# Built once and reused (the hot path of every counter action).
_held = tickets.alias("held")
_held_service = services.alias("held_service")
_held_staff = staff.alias("held_staff")
# The counter, locked, with what the events need of the ticket it holds (if any).
COUNTER_FOR_UPDATE = (
    select(
        counters,
        _held.c.number.label("held_number"),
        _held.c.state.label("held_state"),
        _held.c.priority.label("held_priority"),
        _held_service.c.code.label("held_service_code"),
        _held_staff.c.username.label("held_staff"),
        _held.c.called_at.label("held_called_at"),
        _held.c.started_at.label("held_started_at"),
        _held.c.visit_called_at.label("held_visit_called_at"),
        _held.c.served_before_park.label("held_served_before_park"),
    )
    .outerjoin(_held, _held.c.id == counters.c.current_ticket_id)
    .outerjoin(_held_service, _held_service.c.id == _held.c.service_id)
    .outerjoin(_held_staff, _held_staff.c.id == _held.c.staff_id)
    .where(counters.c.code == bindparam("code"), counters.c.active.is_(True))
    .with_for_update(of=counters)
)
# An active account, and whether it may work at the counter's agency now (an account of some
# agencies only: one of them), so an admin's change of its agencies holds from its next call.
_AGENCY_LINKS = select(staff_agencies.c.agency_id).where(staff_agencies.c.staff_id == staff.c.id)
STAFF_BY_NAME = select(
    staff.c.id,
    or_(
        ~_AGENCY_LINKS.exists(),
        _AGENCY_LINKS.where(staff_agencies.c.agency_id == bindparam("agency_id")).exists(),
    ).label("allowed"),
).where(staff.c.username == bindparam("username"), staff.c.active.is_(True))
TICKET_FOR_UPDATE = (
    ticket_select().where(tickets.c.id == bindparam("ticket_id")).with_for_update(of=tickets)
)
SET_CURRENT = (
    update(counters)
    .where(counters.c.id == bindparam("counter_id"))
    .values(current_ticket_id=bindparam("current"))
)
TAKE_TICKET = (
    update(counters)
    .where(counters.c.id == bindparam("counter_id"))
    .values(current_ticket_id=bindparam("current"), staff_id=bindparam("staff"))
)
# Moves a ticket only from the state the counter saw: a change made elsewhere meanwhile (the
# day rollover) makes it miss, and the action is refused instead of overwriting it.
MOVE_TICKET = update(tickets).where(
    tickets.c.id == bindparam("ticket_id"), tickets.c.state == bindparam("expected")
)
RECALL_TICKET = MOVE_TICKET.values(call_count=tickets.c.call_count + 1)
CALL_TICKET = (
    update(tickets)
    .where(tickets.c.id == bindparam("ticket_id"), tickets.c.state == bindparam("before"))
    .values(
        state=TicketState.CALLED.value,
        counter_id=bindparam("counter_id"),
        staff_id=bindparam("staff"),
        called_at=bindparam("now"),
        started_at=None,
        finished_at=None,
        call_count=tickets.c.call_count + 1,
    )
)
# The next ticket for a counter, by the policy of shared.domain.selection: priority first, then
# [the service's place in the work profile,] the original issue time, the id. The profile is an
# IN-subquery so both databases walk the small index of today's waiting tickets per service.
_PROFILE = (
    select(counter_services.c.service_id)
    .join(services, services.c.id == counter_services.c.service_id)
    .where(counter_services.c.counter_id == bindparam("counter_id"), services.c.active.is_(True))
)
_PROFILE_POSITION = (
    select(counter_services.c.position)
    .where(
        counter_services.c.counter_id == bindparam("counter_id"),
        counter_services.c.service_id == tickets.c.service_id,
    )
    .scalar_subquery()
)
_NEXT = (
    select(tickets.c.id, tickets.c.state)
    .where(
        tickets.c.day == bindparam("day"),
        IS_WAITING,
        tickets.c.service_id.in_(_PROFILE),
        open_to(bindparam("counter_id")),
    )
    .limit(1)
    .with_for_update(skip_locked=True)
)
NEXT_BY_MODE = {
    SelectionMode.OLDEST: _NEXT.order_by(
        tickets.c.priority.desc(), tickets.c.original_issued_at, tickets.c.id
    ),
    SelectionMode.STRICT: _NEXT.order_by(
        tickets.c.priority.desc(), _PROFILE_POSITION, tickets.c.original_issued_at, tickets.c.id
    ),
}


def lock_counter(ctx: Context, code: str) -> Any:
    row = ctx.conn.execute(COUNTER_FOR_UPDATE, {"code": code}).one_or_none()
    if row is None:
        raise CounterError("unknown_counter", counter=code)
    return row


def require_open(row: Any) -> None:
    if row.state != CounterState.OPEN:
        raise CounterError("counter_not_open", counter=row.code, state=both(f"state_{row.state}"))


def staff_id(ctx: Context, username: str | None, counter: Any) -> int | None:
    """The acting staff member: the one named (refused at a counter of an agency no longer
    theirs), else whoever is logged in at the counter."""
    if username is None:
        return counter.staff_id  # type: ignore[no-any-return]
    found = ctx.conn.execute(
        STAFF_BY_NAME, {"username": username, "agency_id": counter.agency_id}
    ).one_or_none()
    if found is None:
        raise AuthError("unknown_user", username=username)
    if not found.allowed:
        raise AuthError("not_your_agency", counter=counter.name)
    return int(found.id)


@dataclass(frozen=True, slots=True)
class Held:
    """The ticket a counter holds, as read with the counter's row."""

    id: int
    number: str
    state: str
    priority: bool
    service_code: str
    staff_username: str | None
    # what a parked visit keeps for its call back (_parked_visit_values)
    called_at: datetime | None = None
    started_at: datetime | None = None
    visit_called_at: datetime | None = None
    served_before_park: float = 0.0


def held_ticket(counter: Any) -> Held | None:
    """The counter's current ticket; None when it holds nothing."""
    if counter.current_ticket_id is None:
        return None
    return Held(
        counter.current_ticket_id,
        counter.held_number,
        counter.held_state,
        bool(counter.held_priority),
        counter.held_service_code,
        counter.held_staff,
        counter.held_called_at,
        counter.held_started_at,
        counter.held_visit_called_at,
        counter.held_served_before_park or 0.0,
    )


def apply(
    ctx: Context,
    counter: Any,
    ticket: Any,
    action: Action,
    related_ticket_id: int | None = None,
    release: bool = True,
) -> TicketState:
    """Move `ticket` by `action`, stamp the time, log the event; when the ticket's visit ends,
    the counter lets go of it (unless `release` is False: the caller gives it another)."""
    state = TicketState(ticket.state)
    target = next_state(state, action)
    if target is None:
        raise TicketError(
            "invalid_action",
            number=ticket.number,
            state=both(f"ticket_{state}"),
            action=action.value,
        )
    values: dict[str, Any] = {
        "ticket_id": ticket.id,
        "expected": state.value,
        "state": target.value,
    }
    statement = MOVE_TICKET
    if action == Action.START:
        values["started_at"] = ctx.now
    elif action == Action.RECALL:
        statement = RECALL_TICKET
    elif target not in HELD_STATES:
        values["finished_at"] = ctx.now
        if action == Action.PARK:
            values.update(_parked_visit_values(ticket, ctx.now))
    if ctx.conn.execute(statement, values).rowcount != 1:
        raise TicketError("ticket_changed", number=ticket.number)
    if release and target not in HELD_STATES:
        ctx.conn.execute(SET_CURRENT, {"counter_id": counter.id, "current": None})
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


def _parked_visit_values(ticket: Held, now: datetime) -> dict[str, Any]:
    """What a parked visit keeps for when it is called back: the call it began with (its wait
    ended there) and its service so far (added to what it gets after the call back)."""
    began = ticket.started_at or ticket.called_at or now
    return {
        "visit_called_at": ticket.visit_called_at or ticket.called_at,
        "served_before_park": ticket.served_before_park
        + max(0.0, (now - began).total_seconds() / 60),
    }


def end_current(ctx: Context, counter: Any) -> bool:
    """Before calling another ticket: end the one the counter still holds (see module doc).

    The counter keeps pointing at it until the caller gives it the next one or clears it;
    returns whether there was one."""
    ticket = held_ticket(counter)
    if ticket is None:
        return False
    unstarted = ticket.state == TicketState.CALLED and ctx.site.unstarted_on_next == "no_show"
    apply(ctx, counter, ticket, Action.SKIP if unstarted else Action.FINISH, release=False)
    return True


def in_profile(ctx: Context, counter_id: int, service_id: int) -> bool:
    return (
        ctx.conn.execute(
            select(counter_services.c.position).where(
                counter_services.c.counter_id == counter_id,
                counter_services.c.service_id == service_id,
            )
        ).first()
        is not None
    )


def call(
    ctx: Context,
    counter: Any,
    ticket_id: int,
    before: str,
    staff: int | None,
    detail: str | None = None,
) -> Ticket:
    """Give the waiting (or skipped, or parked) ticket, locked by the caller, to the counter."""
    changed = ctx.conn.execute(
        CALL_TICKET,
        {
            "ticket_id": ticket_id,
            "before": before,
            "counter_id": counter.id,
            "staff": staff,
            "now": ctx.now,
        },
    ).rowcount
    assert changed == 1, "a locked ticket changed under us"
    ctx.conn.execute(TAKE_TICKET, {"counter_id": counter.id, "current": ticket_id, "staff": staff})
    ticket = load_ticket(ctx.conn, ticket_id)
    ctx.append_event(
        EventKind.CALLED,
        ticket=ticket,
        counter_code=counter.code,
        staff=ticket.staff,
        from_state=before,
        to_state=TicketState.CALLED.value,
        detail=detail,
    )
    return ticket


def call_next(ctx: Context, counter_code: str, username: str | None) -> Ticket | None:
    counter = lock_counter(ctx, counter_code)
    require_open(counter)
    actor = staff_id(ctx, username, counter)
    ended = end_current(ctx, counter)
    ctx.lock_events()  # the log then orders the choices as they were made (see invariants)
    chosen = ctx.conn.execute(
        NEXT_BY_MODE[SelectionMode(counter.selection)],
        {"counter_id": counter.id, "day": ctx.today},
    ).one_or_none()
    if chosen is None:
        if ended:
            ctx.conn.execute(SET_CURRENT, {"counter_id": counter.id, "current": None})
        return None
    return call(ctx, counter, chosen.id, chosen.state, actor)


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
    if not in_profile(ctx, counter.id, found.service_id):
        raise TicketError(
            "ticket_not_for_counter", number=label, service=found.service_code, counter=counter.code
        )
    end_current(ctx, counter)
    return call(ctx, counter, found.id, found.state, actor)


def serve_walk_in(
    ctx: Context, counter_code: str, service_code: str, username: str | None
) -> Ticket:
    """Serve someone who stands at the counter without a ticket (Qmatic's walk-in): a number
    of the service is issued, called here and started, in one transaction, after the ticket
    the counter held is ended as "next" would. The service must be one the counter serves; its
    hours and quota do not refuse a person already there (the visit still counts in the
    quota). The call is logged as a walk-in's, which the board neither lists nor announces."""
    counter = lock_counter(ctx, counter_code)
    require_open(counter)
    actor = staff_id(ctx, username, counter)
    row = service_row(ctx.conn, service_code)
    if not in_profile(ctx, counter.id, row.id):
        raise CounterError("service_not_for_counter", service=row.code, counter=counter.code)
    ctx.check_day()
    end_current(ctx, counter)
    count_issued(ctx, row)
    ticket_id, *_ = insert_ticket(ctx, row, False, TicketSource.WALK_IN.value, ctx.now)
    called = call(ctx, counter, ticket_id, TicketState.WAITING.value, actor, WALK_IN_CALL)
    held = Held(ticket_id, called.number, TicketState.CALLED.value, False, row.code, called.staff)
    apply(ctx, counter, held, Action.START)
    return load_ticket(ctx.conn, ticket_id)


def act(ctx: Context, counter_code: str, action: Action) -> Ticket:
    """Recall, start, finish, skip or park the counter's current ticket."""
    counter = lock_counter(ctx, counter_code)
    ticket = held_ticket(counter)
    if ticket is None:
        raise CounterError("no_current_ticket", counter=counter_code)
    apply(ctx, counter, ticket, action)
    return load_ticket(ctx.conn, ticket.id)


def transfer(ctx: Context, counter_code: str, to_service: str) -> Ticket:
    """End the current ticket here; the same number waits in `to_service`, keeping its place
    in time (its original issue time). Returns the new waiting ticket."""
    counter, ticket = _held_to_send_on(ctx, counter_code)
    target = service_row(ctx.conn, to_service)
    if target.id == ticket.service_id:
        raise TicketError("transfer_same_service", number=ticket.number, service=to_service)
    return _send_on(ctx, counter, ticket, target.id, None)


def transfer_to_counter(ctx: Context, counter_code: str, to_counter: str) -> Ticket:
    """End the current ticket here; the same number waits in its service for `to_counter`
    only (a colleague's desk), keeping its place in time (see shared.engine.kept_tickets).
    The other counter must be open or paused and serve the service."""
    counter, ticket = _held_to_send_on(ctx, counter_code)
    target = ctx.conn.execute(
        select(counters.c.id, counters.c.code, counters.c.name, counters.c.state).where(
            counters.c.code == to_counter, counters.c.active.is_(True)
        )
    ).one_or_none()
    if target is None:
        raise CounterError("unknown_counter", counter=to_counter[:40])
    if target.id == counter.id:
        raise TicketError("transfer_same_counter", number=ticket.number, counter=target.name)
    if target.state == CounterState.CLOSED:
        raise CounterError("transfer_counter_closed", counter=target.name)
    if not in_profile(ctx, target.id, ticket.service_id):
        raise TicketError(
            "transfer_counter_other_services", number=ticket.number, counter=target.name
        )
    return _send_on(ctx, counter, ticket, ticket.service_id, target)


def _held_to_send_on(ctx: Context, counter_code: str) -> tuple[Any, Any]:
    """The counter, locked, and the ticket it holds, locked."""
    counter = lock_counter(ctx, counter_code)
    if counter.current_ticket_id is None:
        raise CounterError("no_current_ticket", counter=counter_code)
    return counter, ctx.conn.execute(
        TICKET_FOR_UPDATE, {"ticket_id": counter.current_ticket_id}
    ).one()


def _send_on(ctx: Context, counter: Any, ticket: Any, service_id: int, to_counter: Any) -> Ticket:
    """End `ticket` as transferred; the same number waits in `service_id` (for `to_counter`
    only, when given). Returns the new waiting ticket."""
    new_id = int(
        ctx.conn.execute(
            insert(tickets)
            .values(
                day=ticket.day,
                service_id=service_id,
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
                for_counter_id=None if to_counter is None else to_counter.id,
                token=ticket.token,  # the citizen's page follows the number to its new service
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
        detail=None if to_counter is None else f"for {to_counter.code}",
    )
    return moved


def set_state(
    ctx: Context, counter_code: str, state: CounterState, by: str | None = None
) -> CounterState:
    """Pause, resume (open) or close a counter; not while it holds a ticket. `by`: the
    supervisor who did it from elsewhere (the console), kept in the event's detail."""
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
        kind,
        counter_code=counter_code,
        from_state=counter.state,
        to_state=state.value,
        detail=f"by {by}" if by else None,
    )
    return state
