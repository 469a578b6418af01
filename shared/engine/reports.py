"""The report's read model: one fact row per ticket of the chosen days and filters.

The figures themselves are computed by `shared.domain.report`, the same for every output.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from shared.domain.report import (
    GROUPINGS,
    Refusal,
    Report,
    TicketFacts,
    arrival_grid,
    group,
)
from shared.domain.states import EventKind, TicketState
from shared.engine.context import Context
from shared.errors import UserError
from shared.store.tables import agencies, counters, events, services, staff, tickets

MAX_DAYS = 400  # a year and a little: a report over more is a mistake, not a wish


@dataclass(frozen=True, slots=True)
class ReportQuery:
    date_from: date
    date_to: date
    by: str = "service"
    agencies: tuple[str, ...] = ()  # empty: every agency
    service: str | None = None
    counter: str | None = None
    staff: str | None = None

    def check(self) -> None:
        if self.by not in GROUPINGS:
            raise UserError("report_bad_grouping", by=self.by[:20], choices=", ".join(GROUPINGS))
        if self.date_to < self.date_from or (self.date_to - self.date_from).days > MAX_DAYS:
            raise UserError("report_bad_range", max=MAX_DAYS)

    def filters(self) -> dict[str, str]:
        shown = {
            "agency": ",".join(self.agencies),
            "service": self.service or "",
            "counter": self.counter or "",
            "staff": self.staff or "",
        }
        return {k: v for k, v in shown.items() if v}


def facts(ctx: Context, query: ReportQuery) -> list[TicketFacts]:
    statement = (
        select(
            tickets.c.source,
            tickets.c.state,
            tickets.c.transferred_from_id,
            tickets.c.original_issued_at,
            tickets.c.called_at,
            tickets.c.started_at,
            tickets.c.finished_at,
            services.c.code.label("service_code"),
            services.c.wait_target_minutes,
            services.c.service_minutes,
            agencies.c.code.label("agency_code"),
            counters.c.code.label("counter_code"),
            staff.c.username.label("staff_username"),
        )
        .join(services, services.c.id == tickets.c.service_id)
        .join(agencies, agencies.c.id == services.c.agency_id)
        .outerjoin(counters, counters.c.id == tickets.c.counter_id)
        .outerjoin(staff, staff.c.id == tickets.c.staff_id)
        .where(tickets.c.day >= query.date_from, tickets.c.day <= query.date_to)
    )
    if query.agencies:
        statement = statement.where(agencies.c.code.in_(list(query.agencies)))
    if query.service:
        statement = statement.where(services.c.code == query.service)
    if query.counter:
        statement = statement.where(counters.c.code == query.counter)
    if query.staff:
        statement = statement.where(staff.c.username == query.staff)
    zone = ctx.now.tzinfo
    return [
        TicketFacts(
            service_code=r.service_code,
            agency_code=r.agency_code,
            counter_code=r.counter_code,
            staff=r.staff_username,
            source=r.source,
            state=TicketState(r.state),
            transferred_in=r.transferred_from_id is not None,
            local_issue=r.original_issued_at.astimezone(zone),
            original_issued_at=r.original_issued_at,
            called_at=r.called_at,
            started_at=r.started_at,
            finished_at=r.finished_at,
            wait_target_minutes=int(r.wait_target_minutes),
            service_minutes=float(r.service_minutes),
        )
        for r in ctx.conn.execute(statement)
    ]


def refusals(ctx: Context, query: ReportQuery) -> list[Refusal]:
    """The refused tickets of the days (none when the query names a counter or staff)."""
    if query.counter or query.staff:
        return []
    statement = (
        select(events.c.at, events.c.detail, services.c.code, agencies.c.code.label("agency"))
        .join(services, services.c.code == events.c.service_code)
        .join(agencies, agencies.c.id == services.c.agency_id)
        .where(
            events.c.kind == EventKind.REFUSED.value,
            events.c.day >= query.date_from,
            events.c.day <= query.date_to,
        )
    )
    if query.agencies:
        statement = statement.where(agencies.c.code.in_(list(query.agencies)))
    if query.service:
        statement = statement.where(services.c.code == query.service)
    zone = ctx.now.tzinfo
    return [
        Refusal(r.code, r.agency, r.detail or "closed", r.at.astimezone(zone))
        for r in ctx.conn.execute(statement)
    ]


def report(ctx: Context, query: ReportQuery) -> Report:
    query.check()
    rows, total = group(facts(ctx, query), query.by, refusals(ctx, query))
    return Report(query.date_from, query.date_to, query.by, query.filters(), rows, total, ctx.now)


def grid(ctx: Context, query: ReportQuery) -> dict[tuple[int, int], int]:
    query.check()
    return arrival_grid(facts(ctx, query))
