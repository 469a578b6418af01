"""Read models: the waiting-room board, a counter's view, the kiosk's catalogue, the events log."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Integer, cast, func, or_, select, text, type_coerce

from shared.domain.appointments import AppointmentRules
from shared.domain.holidays import Holidays
from shared.domain.hours import hours_from_json, service_window
from shared.domain.selection import Candidate, selection_key
from shared.domain.states import (
    WALK_IN_CALL,
    CounterState,
    EventKind,
    SelectionMode,
    TicketState,
)
from shared.domain.values import (
    AgencyEntry,
    Board,
    CallRecord,
    Catalogue,
    CounterFigures,
    CounterStatus,
    CounterView,
    Event,
    ServiceEntry,
    ServiceName,
    ServiceWaiting,
    Ticket,
)
from shared.engine.context import Context, newest_event_id
from shared.engine.forecast import Forecaster
from shared.engine.issuing import standard_of
from shared.engine.kept_tickets import kept_for, open_to
from shared.engine.quota import Holds, holds_today, walk_ins_left
from shared.engine.snapshots import ticket_select, to_ticket
from shared.errors import CounterError, UserError
from shared.i18n import LocalText, both
from shared.store.models import UTCDateTime
from shared.store.tables import (
    IS_WAITING,
    agencies,
    counter_services,
    counters,
    daily_counts,
    events,
    services,
    staff,
    tickets,
)

WAITING_LIST_LIMIT = 500
# the tickets parked at a counter, and the latest no-shows of its services, that it offers to call
# back at a touch: as many of each
CALL_BACK_LIMIT = 8


def database_time(ctx: Context) -> datetime | None:
    """The database server's clock (PostgreSQL); None where it is this PC's own (SQLite)."""
    if ctx.db.is_sqlite:
        return None
    value = ctx.conn.execute(select(func.now())).scalar_one()
    return value if isinstance(value, datetime) else None


CONNECTION_USE = text(
    "SELECT (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'), "
    "current_setting('max_connections')::int "
    "- current_setting('superuser_reserved_connections')::int"
)


def connection_use(ctx: Context) -> tuple[int, int] | None:
    """How many client connections the PostgreSQL server holds now, and how many it takes at
    most (its superusers' reserve left out); None on SQLite, which has no server."""
    if ctx.db.is_sqlite:
        return None
    used, most = ctx.conn.execute(CONNECTION_USE).one()
    return int(used), int(most)


def _counter_rows(ctx: Context, zone: str | None, code: str | None = None) -> list[Any]:
    query = (
        select(counters, staff.c.username.label("staff_username"))
        .outerjoin(staff, staff.c.id == counters.c.staff_id)
        .where(counters.c.active.is_(True))
        .order_by(counters.c.position, counters.c.code)
    )
    if zone is not None:
        query = query.where(counters.c.zone == zone)
    if code is not None:
        query = query.where(counters.c.code == code)
    return list(ctx.conn.execute(query).all())


def _profiles(ctx: Context, counter_ids: Sequence[int]) -> dict[int, list[tuple[int, str]]]:
    """Each counter's active services as (id, code), in work-profile order."""
    rows = ctx.conn.execute(
        select(counter_services.c.counter_id, services.c.id, services.c.code)
        .join(services, services.c.id == counter_services.c.service_id)
        .where(counter_services.c.counter_id.in_(counter_ids), services.c.active.is_(True))
        .order_by(counter_services.c.counter_id, counter_services.c.position)
    ).all()
    out: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for row in rows:
        out[row.counter_id].append((row.id, row.code))
    return out


def _zone_exists(ctx: Context, zone: str) -> bool:
    """A zone named by any counter or agency, active or not."""
    named = (
        select(counters.c.id)
        .where(counters.c.zone == zone)
        .union_all(select(agencies.c.id).where(agencies.c.zone == zone))
    )
    return ctx.conn.execute(named.limit(1)).first() is not None


def _statuses(ctx: Context, rows: Sequence[Any]) -> list[CounterStatus]:
    current_ids = [r.current_ticket_id for r in rows if r.current_ticket_id is not None]
    current = (
        {
            row.id: to_ticket(row)
            # a counter's ticket of an earlier day is not shown, even before the first write
            # of the new day rolls it over
            for row in ctx.conn.execute(
                ticket_select().where(tickets.c.id.in_(current_ids), tickets.c.day == ctx.today)
            )
        }
        if current_ids
        else {}
    )
    agency_codes = dict(ctx.conn.execute(select(agencies.c.id, agencies.c.code)).tuples().all())
    profiles = _profiles(ctx, [r.id for r in rows])
    parked = dict(
        ctx.conn.execute(
            select(tickets.c.counter_id, func.count())
            .where(tickets.c.day == ctx.today, tickets.c.state == TicketState.PARKED.value)
            .group_by(tickets.c.counter_id)
        )
        .tuples()
        .all()
    )
    sent_here = dict(
        ctx.conn.execute(
            select(tickets.c.for_counter_id, func.count())
            .where(
                tickets.c.day == ctx.today,
                IS_WAITING,
                tickets.c.for_counter_id.is_not(None),
                kept_for("code").is_not(None),
            )
            .group_by(tickets.c.for_counter_id)
        )
        .tuples()
        .all()
    )
    return [
        CounterStatus(
            code=r.code,
            name=r.name,
            number=r.number,
            agency_code=agency_codes.get(r.agency_id),
            zone=r.zone,
            state=CounterState(r.state),
            selection=SelectionMode(r.selection),
            services=tuple(code for _, code in profiles.get(r.id, [])),
            staff=r.staff_username,
            current=current.get(r.current_ticket_id),
            parked=parked.get(r.id, 0),
            sent_here=sent_here.get(r.id, 0),
        )
        for r in rows
    ]


def board(ctx: Context, zone: str | None, recent: int, forecaster: Forecaster) -> Board:
    rows = _counter_rows(ctx, zone)
    if zone is not None and not rows and not _zone_exists(ctx, zone):
        raise UserError("unknown_zone", zone=zone)
    statuses = _statuses(ctx, rows)
    by_code = {r.code: r for r in rows}
    calls = ctx.conn.execute(
        select(events)
        .where(
            events.c.day == ctx.today,
            events.c.kind.in_([EventKind.CALLED.value, EventKind.RECALLED.value]),
            or_(events.c.detail.is_(None), events.c.detail != WALK_IN_CALL),  # fold.announced
            *([events.c.counter_code.in_(list(by_code))] if zone is not None else []),
        )
        .order_by(events.c.id.desc())
        .limit(recent)
    ).all()
    waiting_query = (
        select(
            services.c.code,
            services.c.name_id,
            services.c.name_en,
            agencies.c.code.label("agency_code"),
            func.count(tickets.c.id).label("waiting"),
            func.sum(cast(tickets.c.priority, Integer)).label("prio"),
            type_coerce(func.min(tickets.c.original_issued_at), UTCDateTime()).label("oldest"),
        )
        .join(services, services.c.id == tickets.c.service_id)
        .join(agencies, agencies.c.id == services.c.agency_id)
        .where(tickets.c.day == ctx.today, IS_WAITING)
        .group_by(
            services.c.code,
            services.c.name_id,
            services.c.name_en,
            agencies.c.code,
            services.c.position,
        )
        .order_by(services.c.position, services.c.code)
    )
    if zone is not None:
        waiting_query = waiting_query.where(agencies.c.zone == zone)
    queues = ctx.conn.execute(waiting_query).all()
    waits = {}
    if queues:
        with forecaster.using(ctx) as forecast:
            waits = {w.code: forecast.wait_for_new(w.code, False, ctx.now)[1] for w in queues}
    return Board(
        day=ctx.today,
        generated_at=ctx.now,
        counters=tuple(statuses),
        recent_calls=tuple(
            CallRecord(
                event_id=e.id,
                at=e.at,
                number=e.number,
                counter_code=e.counter_code,
                counter_name=by_code[e.counter_code].name if e.counter_code in by_code else "",
                counter_number=by_code[e.counter_code].number if e.counter_code in by_code else "",
                service_code=e.service_code,
                priority=bool(e.priority),
                recall=e.kind == EventKind.RECALLED,
            )
            for e in calls
        ),
        waiting=tuple(
            ServiceWaiting(
                w.code,
                LocalText(w.name_id, w.name_en),
                w.agency_code,
                int(w.waiting),
                int(w.prio or 0),
                w.oldest,
                waits[w.code],
            )
            for w in queues
        ),
        open_counters=sum(1 for s in statuses if s.state == CounterState.OPEN),
        ticker=ctx.site.ticker,
        site_name=ctx.site.name,
        last_event_id=newest_event_id(ctx.conn),
    )


def counter_view(ctx: Context, code: str) -> CounterView:
    rows = _counter_rows(ctx, None, code)
    if not rows:
        raise CounterError("unknown_counter", counter=code)
    status = _statuses(ctx, rows)[0]
    counter = rows[0]
    profile = _profiles(ctx, [counter.id]).get(counter.id, [])
    service_ids = [sid for sid, _ in profile]
    waiting_rows = ctx.conn.execute(
        ticket_select()
        .where(
            tickets.c.day == ctx.today,
            IS_WAITING,
            tickets.c.service_id.in_(service_ids),
            open_to(counter.id),
        )
        .limit(WAITING_LIST_LIMIT)
    ).all()
    codes = [c for _, c in profile]
    mode = SelectionMode(counter.selection)
    ordered = sorted(
        waiting_rows,
        key=lambda r: selection_key(
            Candidate(r.id, r.service_code, bool(r.priority), r.original_issued_at), codes, mode
        ),
    )
    skipped_rows = ctx.conn.execute(
        ticket_select()
        .where(
            tickets.c.day == ctx.today,
            tickets.c.state == TicketState.NO_SHOW.value,
            tickets.c.service_id.in_(service_ids),
        )
        .order_by(tickets.c.finished_at.desc(), tickets.c.id.desc())
        .limit(CALL_BACK_LIMIT)
    ).all()
    parked_rows = ctx.conn.execute(
        ticket_select()
        .where(
            tickets.c.day == ctx.today,
            tickets.c.state == TicketState.PARKED.value,
            tickets.c.counter_id == counter.id,
        )
        .order_by(tickets.c.finished_at, tickets.c.id)
        .limit(CALL_BACK_LIMIT)
    ).all()
    return CounterView(
        counter=status,
        waiting=tuple(to_ticket(r) for r in ordered),
        skipped=tuple(to_ticket(r) for r in skipped_rows),
        parked=tuple(to_ticket(r) for r in parked_rows),
        kept=frozenset(r.number for r in waiting_rows if r.for_counter_id == counter.id),
        figures=_figures(ctx, counter.id),
        last_event_id=newest_event_id(ctx.conn),
        colleagues=_colleagues(ctx, counter.id),
        services=_service_names(ctx),
    )


def _colleagues(ctx: Context, counter_id: int) -> dict[str, tuple[str, tuple[str, ...]]]:
    """The other active counters that are not closed, with their names and services."""
    rows = _counter_rows(ctx, None)
    open_rows = [r for r in rows if r.id != counter_id and r.state != CounterState.CLOSED.value]
    profiles = _profiles(ctx, [r.id for r in open_rows])
    return {r.code: (r.name, tuple(code for _, code in profiles.get(r.id, []))) for r in open_rows}


def _figures(ctx: Context, counter_id: int) -> CounterFigures:
    rows = ctx.conn.execute(
        select(
            tickets.c.state,
            tickets.c.called_at,
            tickets.c.started_at,
            tickets.c.finished_at,
            tickets.c.served_before_park,
            services.c.completion_minutes,
        )
        .join(services, services.c.id == tickets.c.service_id)
        .where(tickets.c.day == ctx.today, tickets.c.counter_id == counter_id)
    ).all()
    done = [r for r in rows if r.state == TicketState.DONE]
    durations = [
        (r.finished_at - (r.started_at or r.called_at)).total_seconds() / 60 + r.served_before_park
        for r in done
        if r.finished_at and (r.started_at or r.called_at)
    ]
    return CounterFigures(
        served=len(done),
        no_shows=sum(1 for r in rows if r.state == TicketState.NO_SHOW),
        transferred=sum(1 for r in rows if r.state == TicketState.TRANSFERRED),
        average_service_minutes=sum(durations) / len(durations) if durations else None,
        standard_minutes=sum(r.completion_minutes for r in done) / len(done) if done else None,
    )


def _active_services(*columns: Any) -> Any:
    """`columns` of the active services of active agencies, in the catalogue's order."""
    return (
        select(*columns)
        .join(agencies, agencies.c.id == services.c.agency_id)
        .where(services.c.active.is_(True), agencies.c.active.is_(True))
        .order_by(agencies.c.position, agencies.c.code, services.c.position, services.c.code)
    )


def _service_names(ctx: Context) -> tuple[ServiceName, ...]:
    rows = ctx.conn.execute(
        _active_services(
            services.c.code,
            services.c.name_id,
            services.c.name_en,
            agencies.c.code.label("agency_code"),
        )
    )
    return tuple(ServiceName(r.code, LocalText(r.name_id, r.name_en), r.agency_code) for r in rows)


def catalogue(
    ctx: Context, agency_codes: Sequence[str] | None, forecaster: Forecaster
) -> Catalogue:
    """Agencies and their active services: open or not, quota left, how many wait, how long."""
    query = _active_services(
        services,
        agencies.c.code.label("agency_code"),
        agencies.c.name_id.label("agency_name_id"),
        agencies.c.name_en.label("agency_name_en"),
        agencies.c.zone.label("agency_zone"),
    )
    if agency_codes is not None:
        query = query.where(agencies.c.code.in_(list(agency_codes)))
    rows = ctx.conn.execute(query).all()
    with forecaster.using(ctx) as forecast:
        new = {row.code: forecast.wait_for_new(row.code, False, ctx.now) for row in rows}
    waiting = dict(
        ctx.conn.execute(
            select(tickets.c.service_id, func.count())
            .where(tickets.c.day == ctx.today, IS_WAITING)
            .group_by(tickets.c.service_id)
        )
        .tuples()
        .all()
    )
    issued = dict(
        ctx.conn.execute(
            select(daily_counts.c.service_id, daily_counts.c.issued).where(
                daily_counts.c.day == ctx.today
            )
        )
        .tuples()
        .all()
    )
    rules = {row.id: AppointmentRules.from_json(row.appointments) for row in rows}
    holds = holds_today(ctx, rules, rules)
    agencies_out: dict[str, tuple[Any, list[ServiceEntry]]] = {}
    for row in rows:
        weekly = hours_from_json(row.hours)
        window = service_window(weekly, ctx.site.holidays, ctx.now)
        count = int(waiting.get(row.id, 0))
        quota_left = walk_ins_left(
            ctx,
            row.daily_quota,
            rules[row.id],
            int(issued.get(row.id, 0)),
            holds.get(row.id, Holds()),
        )
        entry = ServiceEntry(
            code=row.code,
            agency_code=row.agency_code,
            prefix=row.prefix,
            name=LocalText(row.name_id, row.name_en),
            standard=standard_of(row),
            priority_allowed=bool(row.priority_allowed),
            availability=window.availability,
            next_open=window.next_open,
            daily_quota=row.daily_quota,
            quota_left=quota_left,
            waiting=count,
            ahead=new[row.code][0],
            wait=new[row.code][1],
            hours=tuple(sorted(weekly.items())),
            service_minutes=float(row.service_minutes),
            wait_target_minutes=int(row.wait_target_minutes),
            appointments=rules[row.id],
        )
        agencies_out.setdefault(row.agency_code, (row, []))[1].append(entry)
    return Catalogue(
        day=ctx.today,
        generated_at=ctx.now,
        site_name=ctx.site.name,
        public_url=ctx.site.public_url,
        day_off=_day_off(ctx.site.holidays, ctx.today),
        agencies=tuple(
            AgencyEntry(
                code=code,
                name=LocalText(first.agency_name_id, first.agency_name_en),
                zone=first.agency_zone,
                waiting=sum(s.waiting for s in entries),
                services=tuple(entries),
            )
            for code, (first, entries) in agencies_out.items()
        ),
    )


def events_after(conn: Connection, cursor: int, limit: int) -> list[Event]:
    rows = conn.execute(
        select(events).where(events.c.id > cursor).order_by(events.c.id).limit(limit)
    ).all()
    return [to_event(r) for r in rows]


def to_event(r: Any) -> Event:
    return Event(
        id=r.id,
        at=r.at,
        day=r.day,
        kind=EventKind(r.kind),
        actor=r.actor,
        ticket_id=r.ticket_id,
        number=r.number,
        service_code=r.service_code,
        counter_code=r.counter_code,
        staff=r.staff,
        priority=bool(r.priority),
        from_state=r.from_state,
        to_state=r.to_state,
        related_ticket_id=r.related_ticket_id,
        detail=r.detail,
    )


def ticket_by_number(ctx: Context, number: str) -> Ticket | None:
    row = ctx.conn.execute(
        ticket_select()
        .where(tickets.c.day == ctx.today, tickets.c.number == number)
        .order_by(tickets.c.id.desc())
        .limit(1)
    ).one_or_none()
    return to_ticket(row) if row is not None else None


def _day_off(holidays: Holidays, today: date) -> LocalText | None:
    if today not in holidays:
        return None
    return holidays.national_name(today) or both("day_off_own")
