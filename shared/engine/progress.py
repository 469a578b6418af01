"""The ticket pages' read model: where each ticket stands, by its page's token.

One function computes it from a day's rows: for every open page at once (`snapshot`, read once
per change by the web server's single follower) or for one token of any day (`by_token`).
A waiting ticket's people ahead and wait come from today's forecast (shared.engine.forecast):
the calls the counters serving its service will make before it, whatever their service.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from shared.domain.estimate import WaitEstimate
from shared.domain.states import TicketSource, TicketState
from shared.domain.values import ProgressSnapshot, ServiceStandard, TicketProgress
from shared.engine.context import Context, newest_event_id
from shared.engine.forecast import Forecaster
from shared.engine.issuing import standard_of
from shared.engine.kept_tickets import kept_for
from shared.i18n import LocalText
from shared.store.tables import agencies, counters, services, tickets

_sent_to = counters.alias("sent_to")
_ROWS = (
    select(
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
        _sent_to.c.number.label("sent_to"),
        kept_for("number").label("waits_for"),
    )
    .outerjoin(counters, counters.c.id == tickets.c.counter_id)
    .outerjoin(_sent_to, _sent_to.c.id == tickets.c.for_counter_id)
)


def snapshot(ctx: Context, forecaster: Forecaster) -> ProgressSnapshot:
    """Today's tickets that have a page, each at its newest row (after transfers)."""
    cursor = newest_event_id(ctx.conn)
    rows = ctx.conn.execute(_ROWS.where(tickets.c.day == ctx.today, tickets.c.token.is_not(None)))
    pages = _progress(ctx, list(rows), forecaster)
    return ProgressSnapshot(ctx.today, ctx.now, cursor, pages, ctx.site.name)


def by_token(ctx: Context, token: str, forecaster: Forecaster) -> TicketProgress | None:
    """One ticket page of any day; None for a token that names no ticket."""
    rows = ctx.conn.execute(_ROWS.where(tickets.c.token == token)).all()
    return _progress(ctx, rows, forecaster).get(token) if rows else None


def _progress(
    ctx: Context, rows: Sequence[Any], forecaster: Forecaster
) -> dict[str, TicketProgress]:
    newest: dict[str, Any] = {}
    for row in rows:
        if row.token is not None and (row.token not in newest or row.id > newest[row.token].id):
            newest[row.token] = row
    info = _services(ctx, {row.service_id for row in newest.values()})
    places: dict[int, tuple[int, WaitEstimate]] = {}
    waiting = [
        r for r in newest.values() if r.day == ctx.today and r.state == TicketState.WAITING.value
    ]
    if waiting:
        with forecaster.using(ctx) as forecast:
            for r in waiting:
                places[r.id] = forecast.wait_of(r.id, info[r.service_id].code, ctx.now)
    out: dict[str, TicketProgress] = {}
    for token, row in newest.items():
        service = info[row.service_id]
        place = places.get(row.id)
        out[token] = TicketProgress(
            number=row.number,
            day=row.day,
            today=row.day == ctx.today,
            service_code=service.code,
            service_name=service.name,
            agency_name=service.agency_name,
            standard=service.standard,
            priority=bool(row.priority),
            state=TicketState(row.state),
            transferred=row.source == TicketSource.TRANSFER.value,
            call_count=row.call_count,
            counter_number=row.counter_number,
            counter_name=row.counter_name,
            people_ahead=None if place is None else place[0],
            wait=None if place is None else place[1],
            sent_to=row.sent_to,
            waits_for=row.waits_for,
        )
    return out


@dataclass(frozen=True, slots=True)
class _ServiceInfo:
    code: str
    name: LocalText
    agency_name: LocalText
    standard: ServiceStandard


def _services(ctx: Context, ids: Iterable[int]) -> dict[int, _ServiceInfo]:
    """Name, agency name and standard of each service."""
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
    return {
        row.id: _ServiceInfo(
            code=row.code,
            name=LocalText(row.name_id, row.name_en),
            agency_name=LocalText(row.agency_name_id, row.agency_name_en),
            standard=standard_of(row),
        )
        for row in rows
    }
