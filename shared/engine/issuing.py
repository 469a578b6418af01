"""Issuing a ticket: the service's checks, the quota, the daily number, the wait estimate."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any, Final

from sqlalchemy import Connection, bindparam, insert, select

from shared.domain.appointments import AppointmentRules
from shared.domain.hours import Availability, hours_from_json, service_window
from shared.domain.numbering import format_number
from shared.domain.projection import Waiting
from shared.domain.states import EventKind, TicketSource, TicketState
from shared.domain.values import ServiceStandard, Ticket, page_url
from shared.engine.context import Context
from shared.engine.forecast import Forecaster
from shared.engine.quota import Holds, holds_today, walk_ins_left
from shared.errors import ServiceError, UserError
from shared.i18n import LocalText, when_text
from shared.store.tables import (
    agencies,
    daily_counts,
    number_sequences,
    services,
    tickets,
)

SERVICE_BY_CODE = (
    select(
        services,
        agencies.c.code.label("agency_code"),
        agencies.c.name_id.label("agency_name_id"),
        agencies.c.name_en.label("agency_name_en"),
        agencies.c.active.label("agency_active"),
    )
    .join(agencies, agencies.c.id == services.c.agency_id)
    .where(services.c.code == bindparam("code"))
)
INSERT_TICKET = insert(tickets).returning(tickets.c.id)


def service_row(conn: Connection, code: str) -> Any:
    """The service with its agency; a ServiceError when it is unknown or inactive."""
    row = conn.execute(SERVICE_BY_CODE, {"code": code}).one_or_none()
    if row is None:
        raise ServiceError("unknown_service", service=code)
    if not (row.active and row.agency_active):
        raise ServiceError("inactive_service", service=code)
    return row


def standard_of(row: Any) -> ServiceStandard:
    """The stored standard texts of a service row as a ServiceStandard."""
    texts = row.standard
    return ServiceStandard(
        requirements=tuple(LocalText(i, e) for i, e in texts["requirements"]),
        procedure=LocalText(*texts["procedure"]),
        completion=LocalText(*texts["completion"]),
        completion_minutes=row.completion_minutes,
        fee=LocalText(*texts["fee"]),
        fee_rupiah=row.fee_rupiah,
        product=LocalText(*texts["product"]),
        complaints=LocalText(*texts["complaints"]),
    )


REFUSALS: Final = {  # why a citizen was turned away, as the reports count it
    "issuing_ended": "closed",
    "service_closed": "closed",
    "service_closed_until": "closed",
    "quota_reached": "quota",
}


def record_refusal(ctx: Context, service_code: str, reason: str) -> None:
    """Log a refused ticket (in its own transaction: the refused one was rolled back)."""
    service_row(ctx.conn, service_code)  # a real service only: no junk in the log
    ctx.append_event(EventKind.REFUSED, service_code=service_code, detail=reason)


def check_open(ctx: Context, row: Any) -> None:
    """Refuse when the service is not issuing tickets at this moment."""
    window = service_window(hours_from_json(row.hours), ctx.site.holidays, ctx.now)
    if window.availability == Availability.OPEN:
        return
    if window.availability == Availability.ENDED:
        raise ServiceError("issuing_ended", service=row.code)
    when = when_text(window.next_open, ctx.today)
    if when is None:
        raise ServiceError("service_closed", service=row.code)
    raise ServiceError("service_closed_until", service=row.code, when=when)


def issue_ticket(
    ctx: Context,
    service_code: str,
    priority: bool,
    source: str,
    forecaster: Forecaster,
    queued_at: datetime | None = None,
) -> Ticket:
    """A new waiting ticket. `queued_at`: when it joins the queue, if not now (an appointment
    queues from its slot's start; its place was taken at booking, so no quota refuses it)."""
    joined = queued_at or ctx.now
    if source not in (TicketSource.KIOSK, TicketSource.APPOINTMENT):  # walk-ins: calling.py
        raise UserError("bad_source", source=source)
    row = service_row(ctx.conn, service_code)
    if priority and not row.priority_allowed:
        raise ServiceError("priority_not_allowed", service=service_code)
    check_open(ctx, row)
    ctx.check_day()
    forecaster.prepare(ctx)  # the queue before this ticket: issued() below adds it
    issued_today = count_issued(ctx, row)
    if source != TicketSource.APPOINTMENT and _walk_ins_left(ctx, row, issued_today - 1) == 0:
        raise ServiceError("quota_reached", service=service_code, quota=row.daily_quota)
    ticket_id, number, token, event_id = insert_ticket(ctx, row, priority, source, joined)
    ahead, wait = forecaster.issued(ctx, Waiting(ticket_id, row.code, priority, joined), event_id)
    standard = standard_of(row)
    return Ticket(
        id=ticket_id,
        number=number,
        day=ctx.today,
        service_code=row.code,
        service_name=LocalText(row.name_id, row.name_en),
        agency_code=row.agency_code,
        agency_name=LocalText(row.agency_name_id, row.agency_name_en),
        priority=priority,
        source=source,
        state=TicketState.WAITING,
        issued_at=ctx.now,
        original_issued_at=joined,
        people_ahead=ahead,
        wait=wait,
        standard=standard.summary(),
        token=token,
        url=page_url(ctx.site.public_url, token),
    )


def count_issued(ctx: Context, row: Any) -> int:
    """Count one more ticket of service `row` today (the quota's count); today's count."""
    return ctx.upsert_increment(daily_counts, {"day": ctx.today, "service_id": row.id}, "issued")


def insert_ticket(
    ctx: Context, row: Any, priority: bool, source: str, joined: datetime
) -> tuple[int, str, str, int]:
    """Give a new waiting ticket of service `row` the day's next number of its prefix, store
    it and log its 'issued' event: its id, number, token and the event's id."""
    seq = ctx.upsert_increment(
        number_sequences, {"day": ctx.today, "prefix": row.prefix}, "last_number"
    )
    number = format_number(row.prefix, seq)
    token = new_token()
    values = {
        "day": ctx.today,
        "service_id": row.id,
        "prefix": row.prefix,
        "seq": seq,
        "number": number,
        "priority": priority,
        "source": source,
        "state": TicketState.WAITING.value,
        "issued_at": ctx.now,
        "original_issued_at": joined,
        "call_count": 0,
        "token": token,
    }
    ticket_id = int(ctx.conn.execute(INSERT_TICKET, values).scalar_one())
    event_id = ctx.append_event(
        EventKind.ISSUED,
        ticket=_EventTicket(ticket_id, number, priority, row.code),
        to_state=TicketState.WAITING.value,
    )
    return ticket_id, number, token, event_id


def _walk_ins_left(ctx: Context, row: Any, issued: int) -> int | None:
    """Walk-in tickets the service's quota still allows, `issued` having been issued today."""
    rules = AppointmentRules.from_json(row.appointments)
    holds = holds_today(ctx, [row.id], {row.id: rules}).get(row.id, Holds())
    return walk_ins_left(ctx, row.daily_quota, rules, issued, holds)


def new_token() -> str:
    """A ticket page's secret: 128 random bits, URL-safe (22 characters)."""
    return secrets.token_urlsafe(16)


class _EventTicket:
    """The four facts of a new ticket that its 'issued' event records."""

    __slots__ = ("id", "number", "priority", "service_code")

    def __init__(self, id: int, number: str, priority: bool, service_code: str) -> None:
        self.id, self.number, self.priority, self.service_code = id, number, priority, service_code
