"""The complaints register in the database: filing, each step with who and when, the lists staff
work from, and what a citizen may see by the reference code."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from shared.domain.complaints import (
    CATEGORIES,
    CHANNELS,
    CLOSED,
    CONTACT_LENGTH,
    TEXT_LENGTH,
    Complaint,
    ComplaintStep,
    MonthFigures,
    Status,
    can_move,
    deadlines,
    month_figures,
    new_reference,
    typed_reference,
)
from shared.engine.context import Context, zone
from shared.engine.reports import MAX_DAYS
from shared.errors import UserError
from shared.i18n import LocalText
from shared.store.tables import agencies, complaint_steps, complaints, services, tickets


@dataclass(frozen=True, slots=True)
class NewComplaint:
    agency: str
    category: str
    channel: str
    text: str
    lapor_id: str | None = None
    service: str | None = None
    ticket: str | None = None  # today's number (staff) ...
    token: str | None = None  # ... or the ticket page it was filed from (citizen)
    contact: str | None = None


@dataclass(frozen=True, slots=True)
class PublicComplaint:
    """What the citizen's status page shows: never the text's author or contact."""

    reference: str
    received_day: date
    agency_name: LocalText
    status: Status
    answer: str | None
    reason: str | None
    resolution_due: date
    steps: tuple[tuple[date, Status], ...]


def clean(text: str | None, length: int) -> str:
    """A text as stored: printable characters (and line breaks), trimmed, at most `length`."""
    kept = "".join(c for c in text or "" if c in "\n\t" or unicodedata.category(c)[0] != "C")
    return kept.strip()[:length]


def file(ctx: Context, new: NewComplaint) -> Complaint:
    """Record a complaint with its deadlines; returns it with its reference code."""
    if new.category not in CATEGORIES:
        raise UserError("complaint_bad_value", key="category", value=new.category[:20])
    if new.channel not in CHANNELS:
        raise UserError("complaint_bad_value", key="channel", value=new.channel[:20])
    text = clean(new.text, TEXT_LENGTH)
    if not text:
        raise UserError("complaint_no_text")
    agency = ctx.conn.execute(select(agencies.c.id).where(agencies.c.code == new.agency)).first()
    if agency is None:
        raise UserError("unknown_agency", agency=new.agency[:32])
    service_id = None
    if new.service:
        service = ctx.conn.execute(
            select(services.c.id, services.c.agency_id).where(services.c.code == new.service)
        ).first()
        if service is None or service.agency_id != agency.id:
            raise UserError("unknown_service", service=new.service[:32])
        service_id = service.id
    ticket_id = _ticket_id(ctx, new)
    due = deadlines(ctx.today, new.category, ctx.site.holidays)
    values: dict[str, Any] = {
        "received_at": ctx.now,
        "received_day": ctx.today,
        "channel": new.channel,
        "lapor_id": clean(new.lapor_id, 40) or None,
        "agency_id": agency.id,
        "service_id": service_id,
        "ticket_id": ticket_id,
        "category": new.category,
        "text": text,
        "contact": clean(new.contact, CONTACT_LENGTH) or None,
        "status": Status.RECEIVED.value,
        "response_due": due.response,
        "resolution_due": due.resolution,
    }
    for _ in range(3):  # a code already taken is a one-in-10^17 event: draw again
        reference = new_reference()
        try:
            with ctx.conn.begin_nested():
                complaint_id = ctx.conn.execute(
                    insert(complaints)
                    .values(reference=reference, **values)
                    .returning(complaints.c.id)
                ).scalar_one()
            break
        except IntegrityError:
            continue
    else:
        raise AssertionError("no free complaint reference in three draws")
    _step(ctx, complaint_id, Status.RECEIVED, None)
    found = listing(ctx, reference=reference, with_contact=True)
    return found[0]


def _ticket_id(ctx: Context, new: NewComplaint) -> int | None:
    if new.token:
        query = select(tickets.c.id).where(tickets.c.token == new.token)
    elif new.ticket:
        number = new.ticket.strip().upper()
        query = select(tickets.c.id).where(tickets.c.day == ctx.today, tickets.c.number == number)
    else:
        return None
    row = ctx.conn.execute(query.order_by(tickets.c.id.desc()).limit(1)).first()
    if row is None:
        raise UserError("skm_unknown_ticket", ticket=(new.ticket or "?")[:12])
    return int(row.id)


def _step(
    ctx: Context, complaint_id: int, status: Status, note: str | None, by: str | None = None
) -> None:
    ctx.conn.execute(
        insert(complaint_steps).values(
            complaint_id=complaint_id,
            at=ctx.now,
            actor=by or ctx.actor,
            status=status.value,
            note=note,
        )
    )


def move(
    ctx: Context,
    reference: str,
    to: Status,
    note: str | None,
    agencies_of: tuple[str, ...] | None = None,
    by: str | None = None,
) -> Complaint:
    """Move a complaint one step (its steps' log says who, `by` or the engine's actor, and
    when). Answering needs the public answer, rejecting its reason; `agencies_of` limits it to
    their complaints."""
    found = listing(ctx, reference=reference, agencies_of=agencies_of, with_contact=True)
    if not found:
        raise UserError("complaint_unknown", reference=reference[:20])
    complaint = found[0]
    if not can_move(complaint.status, to):
        raise UserError(
            "complaint_bad_step", reference=reference, status=complaint.status.value, to=to.value
        )
    text = clean(note, TEXT_LENGTH) or None
    if to in (Status.ANSWERED, Status.REJECTED) and not text:
        raise UserError("complaint_needs_text", to=to.value)
    values: dict[str, Any] = {"status": to.value}
    if to == Status.ANSWERED:
        values["answer"] = text
    if to == Status.REJECTED:
        values["reason"] = text
    if complaint.responded_at is None:
        values["responded_at"] = ctx.now
    if to in CLOSED:
        values["closed_at"] = ctx.now
    ctx.conn.execute(
        update(complaints).where(complaints.c.reference == complaint.reference).values(**values)
    )
    row_id = ctx.conn.execute(
        select(complaints.c.id).where(complaints.c.reference == complaint.reference)
    ).scalar_one()
    _step(ctx, row_id, to, text, by)
    return listing(ctx, reference=complaint.reference, with_contact=True)[0]


def listing(
    ctx: Context,
    *,
    reference: str | None = None,
    agencies_of: tuple[str, ...] | None = None,
    with_contact: bool = False,
    open_only: bool = False,
    received: tuple[date, date] | None = None,
) -> list[Complaint]:
    """Complaints, oldest deadline first; the contact only `with_contact`; `received` keeps
    those received from one day to another."""
    query = (
        select(
            complaints,
            agencies.c.code.label("agency_code"),
            agencies.c.name_id,
            agencies.c.name_en,
            services.c.code.label("service_code"),
            tickets.c.number.label("ticket_number"),
        )
        .join(agencies, agencies.c.id == complaints.c.agency_id)
        .outerjoin(services, services.c.id == complaints.c.service_id)
        .outerjoin(tickets, tickets.c.id == complaints.c.ticket_id)
        .order_by(complaints.c.resolution_due, complaints.c.id)
    )
    if reference is not None:
        code = typed_reference(reference)
        if code is None:
            return []
        query = query.where(complaints.c.reference == code)
    if agencies_of is not None:
        query = query.where(agencies.c.code.in_(agencies_of))
    if open_only:
        query = query.where(complaints.c.status.not_in([s.value for s in CLOSED]))
    if received is not None:
        query = query.where(
            complaints.c.received_day >= received[0], complaints.c.received_day <= received[1]
        )
    return [_complaint(row, with_contact) for row in ctx.conn.execute(query)]


def _complaint(row: Any, with_contact: bool) -> Complaint:
    return Complaint(
        reference=row.reference,
        received_at=row.received_at,
        channel=row.channel,
        lapor_id=row.lapor_id,
        agency=row.agency_code,
        agency_name=LocalText(row.name_id, row.name_en),
        service=row.service_code,
        ticket=row.ticket_number,
        category=row.category,
        text=row.text,
        contact=row.contact if with_contact else None,
        status=Status(row.status),
        answer=row.answer,
        reason=row.reason,
        response_due=row.response_due,
        resolution_due=row.resolution_due,
        responded_at=row.responded_at,
        closed_at=row.closed_at,
    )


def steps(ctx: Context, reference: str) -> list[ComplaintStep]:
    code = typed_reference(reference)
    rows = ctx.conn.execute(
        select(complaint_steps)
        .join(complaints, complaints.c.id == complaint_steps.c.complaint_id)
        .where(complaints.c.reference == (code or ""))
        .order_by(complaint_steps.c.id)
    )
    return [ComplaintStep(r.at, r.actor, Status(r.status), r.note) for r in rows]


def public(ctx: Context, reference: str) -> PublicComplaint | None:
    """The status page of a reference code, or None: no names, no contact, no staff."""
    found = listing(ctx, reference=reference)
    if not found:
        return None
    complaint = found[0]
    local = zone(ctx.site.timezone)
    return PublicComplaint(
        complaint.reference,
        complaint.received_at.astimezone(local).date(),
        complaint.agency_name,
        complaint.status,
        complaint.answer,
        complaint.reason,
        complaint.resolution_due,
        tuple((s.at.astimezone(local).date(), s.status) for s in steps(ctx, reference)),
    )


def monthly(
    ctx: Context, start: date, end: date, agencies_of: tuple[str, ...] | None = None
) -> list[MonthFigures]:
    """Complaints received from `start` to `end`, per month, agency and category."""
    if end < start or (end - start).days > MAX_DAYS:
        raise UserError("report_bad_range", max=MAX_DAYS)
    found = listing(ctx, agencies_of=agencies_of, received=(start, end))
    return month_figures(found, ctx.today, zone(ctx.site.timezone))
