"""The report's read model: one fact row per ticket of the chosen days and filters.

The figures themselves are computed by `shared.domain.report`, the same for every output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, select

from shared.domain.report import (
    GROUPINGS,
    Refusal,
    Report,
    TicketFacts,
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


@dataclass(frozen=True, slots=True)
class Loaded:
    """The raw rows of a report, fetched in one short read; turned into figures after it ends
    (a year of tickets takes minutes of Python, longer than a transaction may sit idle)."""

    tickets: Sequence[Any]
    refusals: Sequence[Any]
    now: datetime


def load(ctx: Context, query: ReportQuery, *, with_refusals: bool = True) -> Loaded:
    query.check()
    return Loaded(
        ctx.conn.execute(_tickets_statement(query)).all(),
        ctx.conn.execute(_refusals_statement(query)).all()
        if with_refusals and not (query.counter or query.staff)
        else [],
        ctx.now,
    )


def _tickets_statement(query: ReportQuery) -> Select[Any]:
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
    return statement


def _refusals_statement(query: ReportQuery) -> Select[Any]:
    """The refused tickets of the days (a refusal has no counter or staff)."""
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
    return statement


def facts(loaded: Loaded) -> list[TicketFacts]:
    zone = loaded.now.tzinfo
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
        for r in loaded.tickets
    ]


def refusals(loaded: Loaded) -> list[Refusal]:
    zone = loaded.now.tzinfo
    return [
        Refusal(r.code, r.agency, r.detail or "closed", r.at.astimezone(zone))
        for r in loaded.refusals
    ]


def build(loaded: Loaded, query: ReportQuery) -> Report:
    rows, total = group(facts(loaded), query.by, refusals(loaded))
    filters = query.filters()
    return Report(query.date_from, query.date_to, query.by, filters, rows, total, loaded.now)
