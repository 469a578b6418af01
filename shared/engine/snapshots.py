"""Reading tickets back as immutable `Ticket` values: one joined SELECT, one converter."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, FromClause, Row, Select, bindparam, select

from shared.domain.states import TicketState
from shared.domain.values import Ticket
from shared.i18n import LocalText
from shared.store.tables import agencies, counters, services, staff, tickets


def ticket_from() -> FromClause:
    return (
        tickets.join(services, services.c.id == tickets.c.service_id)
        .join(agencies, agencies.c.id == services.c.agency_id)
        .outerjoin(counters, counters.c.id == tickets.c.counter_id)
        .outerjoin(staff, staff.c.id == tickets.c.staff_id)
    )


def ticket_select() -> Select[Any]:
    return select(
        tickets,
        services.c.code.label("service_code"),
        services.c.name_id.label("service_name_id"),
        services.c.name_en.label("service_name_en"),
        agencies.c.code.label("agency_code"),
        agencies.c.name_id.label("agency_name_id"),
        agencies.c.name_en.label("agency_name_en"),
        counters.c.code.label("counter_code"),
        counters.c.name.label("counter_name"),
        staff.c.username.label("staff_username"),
    ).select_from(ticket_from())


def to_ticket(row: Row[Any], **extra: Any) -> Ticket:
    return Ticket(
        id=row.id,
        number=row.number,
        day=row.day,
        service_code=row.service_code,
        service_name=LocalText(row.service_name_id, row.service_name_en),
        agency_code=row.agency_code,
        agency_name=LocalText(row.agency_name_id, row.agency_name_en),
        priority=bool(row.priority),
        source=row.source,
        state=TicketState(row.state),
        issued_at=row.issued_at,
        original_issued_at=row.original_issued_at,
        called_at=row.called_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        counter_code=row.counter_code,
        counter_name=row.counter_name,
        staff=row.staff_username,
        call_count=row.call_count,
        token=row.token,
        **extra,
    )


TICKET_BY_ID = ticket_select().where(tickets.c.id == bindparam("ticket_id"))


def load_ticket(conn: Connection, ticket_id: int) -> Ticket:
    return to_ticket(conn.execute(TICKET_BY_ID, {"ticket_id": ticket_id}).one())
