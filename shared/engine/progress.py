"""The ticket pages' read model: where each ticket stands, by its page's token.

One function computes it from a day's rows: for every open page at once (`snapshot`, read once
per change by the web server's single follower) or for one token of any day (`by_token`).
People ahead are the waiting tickets of the same service that are called first (priority,
then the original issue time, then the id), as the README's queue rules say.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from shared.domain.estimate import average_service_minutes, estimate_wait_minutes
from shared.domain.states import CounterState, TicketSource, TicketState
from shared.domain.values import ProgressSnapshot, ServiceStandard, TicketProgress
from shared.engine.context import Context
from shared.engine.issuing import recent_minutes, standard_of
from shared.engine.reads import last_event_id
from shared.i18n import LocalText
from shared.store.tables import agencies, counter_services, counters, services, tickets

_ROWS = select(
    tickets.c.id,
    tickets.c.token,
    tickets.c.number,
    tickets.c.day,
    tickets.c.service_id,
    tickets.c.priority,
    tickets.c.state,
    tickets.c.source,
    tickets.c.call_count,
    tickets.c.original_issued_at,
    counters.c.number.label("counter_number"),
    counters.c.name.label("counter_name"),
).outerjoin(counters, counters.c.id == tickets.c.counter_id)


def snapshot(ctx: Context) -> ProgressSnapshot:
    """Today's tickets that have a page, each at its newest row (after transfers)."""
    cursor = last_event_id(ctx)
    rows = ctx.conn.execute(_ROWS.where(tickets.c.day == ctx.today, tickets.c.token.is_not(None)))
    return ProgressSnapshot(ctx.today, ctx.now, cursor, _progress(ctx, list(rows)))


def by_token(ctx: Context, token: str) -> TicketProgress | None:
    """One ticket page of any day; None for a token that names no ticket."""
    newest = ctx.conn.execute(
        select(tickets.c.day, tickets.c.service_id)
        .where(tickets.c.token == token)
        .order_by(tickets.c.id.desc())
        .limit(1)
    ).one_or_none()
    if newest is None:
        return None
    # the whole queue of its service that day: the token's rows and everyone who may be ahead
    rows = ctx.conn.execute(
        _ROWS.where(
            tickets.c.day == newest.day,
            (tickets.c.token == token)
            | (
                (tickets.c.service_id == newest.service_id)
                & (tickets.c.state == TicketState.WAITING.value)
            ),
        )
    ).all()
    return _progress(ctx, rows).get(token)


def _progress(ctx: Context, rows: Sequence[Any]) -> dict[str, TicketProgress]:
    newest: dict[str, Any] = {}
    waiting: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        if row.token is not None and (row.token not in newest or row.id > newest[row.token].id):
            newest[row.token] = row
        if row.state == TicketState.WAITING.value:
            waiting[row.service_id].append(row)
    ahead: dict[int, int] = {}
    for queue in waiting.values():
        queue.sort(key=lambda r: (not r.priority, r.original_issued_at, r.id))
        ahead.update((row.id, position) for position, row in enumerate(queue))
    service_ids = {row.service_id for row in newest.values()}
    info = _services(ctx, service_ids)
    out: dict[str, TicketProgress] = {}
    for token, row in newest.items():
        service = info[row.service_id]
        today = row.day == ctx.today
        state = TicketState(row.state)
        people = ahead.get(row.id) if today and state == TicketState.WAITING else None
        out[token] = TicketProgress(
            number=row.number,
            day=row.day,
            today=today,
            service_code=service.code,
            service_name=service.name,
            agency_name=service.agency_name,
            standard=service.standard,
            priority=bool(row.priority),
            state=state,
            transferred=row.source == TicketSource.TRANSFER.value,
            call_count=row.call_count,
            counter_number=row.counter_number,
            counter_name=row.counter_name,
            people_ahead=people,
            estimated_wait_minutes=(
                None
                if people is None
                else estimate_wait_minutes(people, service.minutes, service.open_counters)
            ),
        )
    return out


@dataclass(frozen=True, slots=True)
class _ServiceInfo:
    code: str
    name: LocalText
    agency_name: LocalText
    standard: ServiceStandard
    minutes: float  # average service time now
    open_counters: int


def _services(ctx: Context, ids: Iterable[int]) -> dict[int, _ServiceInfo]:
    """Name, agency name, standard, average minutes and open counters of each service."""
    wanted = list(ids)
    if not wanted:
        return {}
    rows = ctx.conn.execute(
        select(
            services,
            agencies.c.name_id.label("agency_name_id"),
            agencies.c.name_en.label("agency_name_en"),
        )
        .join(agencies, agencies.c.id == services.c.agency_id)
        .where(services.c.id.in_(wanted))
    ).all()
    open_counts = dict(
        ctx.conn.execute(
            select(counter_services.c.service_id, func.count())
            .join(counters, counters.c.id == counter_services.c.counter_id)
            .where(
                counters.c.state == CounterState.OPEN.value,
                counters.c.active.is_(True),
                counter_services.c.service_id.in_(wanted),
            )
            .group_by(counter_services.c.service_id)
        )
        .tuples()
        .all()
    )
    minutes = recent_minutes(ctx, None)
    return {
        row.id: _ServiceInfo(
            code=row.code,
            name=LocalText(row.name_id, row.name_en),
            agency_name=LocalText(row.agency_name_id, row.agency_name_en),
            standard=standard_of(row),
            minutes=average_service_minutes(minutes.get(row.id, []), float(row.service_minutes)),
            open_counters=int(open_counts.get(row.id, 0)),
        )
        for row in rows
    }
