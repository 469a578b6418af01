"""Appointments in the database: the free slots of a day, booking (a slot's count is taken in
the booking's own transaction, so its last place goes to one citizen only), cancelling, the
day's list, and check-in, which issues the ticket queued from the slot's start."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, Final

from sqlalchemy import func, insert, select, update

from shared.domain.appointments import (
    CODE_LENGTH,
    AppointmentRules,
    BookingState,
    CheckIn,
    bookable_day,
    checkin_state,
    new_booking_code,
    slot_starts,
)
from shared.domain.codes import shown_code, typed_code
from shared.domain.hours import hours_from_json
from shared.domain.states import EventKind, TicketSource
from shared.domain.values import Ticket
from shared.engine import issuing
from shared.engine.complaints import clean
from shared.engine.context import Context
from shared.engine.forecast import Forecaster
from shared.errors import UserError
from shared.i18n import LocalText
from shared.store.tables import agencies as agencies_table
from shared.store.tables import bookings, daily_counts, services, slot_counts, tickets

PHONE_RE: Final = re.compile(r"^\+?[0-9][0-9 -]{5,18}[0-9]$")
NAME_LENGTH: Final = 100
# a booking whose service has since stopped offering appointments keeps the default window
KEPT_WINDOW: Final = AppointmentRules(slot_minutes=30, per_slot=1)


@dataclass(frozen=True, slots=True)
class Slot:
    at: datetime  # its start, site-local
    free: int


@dataclass(frozen=True, slots=True)
class Booking:
    code: str
    service: str
    service_name: LocalText
    day: date
    slot_at: datetime  # site-local
    name: str
    phone: str | None  # None for those who may not see it
    state: BookingState
    ticket: str | None
    checkin_from: datetime  # its check-in window at the kiosk, site-local
    checkin_until: datetime

    @property
    def shown_code(self) -> str:
        return shown_code(self.code)


def _service(ctx: Context, code: str) -> tuple[Any, AppointmentRules]:
    row = ctx.conn.execute(select(services).where(services.c.code == code)).first()
    if row is None or not row.active:
        raise UserError("unknown_service", service=code[:32])
    rules = AppointmentRules.from_json(row.appointments)
    if rules is None:
        raise UserError("booking_not_offered", service=code)
    return row, rules


def slots(ctx: Context, service_code: str, day: date) -> list[Slot]:
    """The day's slots still to come and how many places each has left (none on a day that
    cannot be booked)."""
    row, rules = _service(ctx, service_code)
    return _open_days(ctx, row, rules, [day]).get(day, ([], 0))[0]


def days(ctx: Context, service_code: str) -> list[tuple[date, int]]:
    """The days that can be booked from today, with the places left on each (read in two
    queries however many days ahead the service books)."""
    row, rules = _service(ctx, service_code)
    ahead = [ctx.today + timedelta(days=n) for n in range(rules.days_ahead + 1)]
    return [(day, left) for day, (_slots, left) in _open_days(ctx, row, rules, ahead).items()]


def _open_days(
    ctx: Context, row: Any, rules: AppointmentRules, wanted: list[date]
) -> dict[date, tuple[list[Slot], int]]:
    """For each bookable day of `wanted` with slots still to come: its slots with their places
    left, and the day's places left (never more than the day's own limit)."""
    zone = ctx.now.tzinfo
    weekly = rules.weekly(hours_from_json(row.hours))
    starts = {
        day: [
            at
            for at in (
                datetime.combine(day, start, tzinfo=zone)
                for start in slot_starts(weekly.get(day.weekday()), rules)
            )
            if at > ctx.now
        ]
        for day in wanted
        if bookable_day(day, ctx.today, rules, weekly, ctx.site.holidays)
    }
    starts = {day: found for day, found in starts.items() if found}
    if not starts:
        return {}
    first, last = min(min(f) for f in starts.values()), max(max(f) for f in starts.values())
    taken = {
        at.astimezone(zone): int(count)
        for at, count in ctx.conn.execute(
            select(slot_counts.c.slot_at, slot_counts.c.booked).where(
                slot_counts.c.service_id == row.id, slot_counts.c.slot_at.between(first, last)
            )
        )
    }
    booked_on = dict(
        ctx.conn.execute(
            select(daily_counts.c.day, daily_counts.c.booked).where(
                daily_counts.c.service_id == row.id, daily_counts.c.day.in_(list(starts))
            )
        )
        .tuples()
        .all()
    )
    limit = _day_places(row, rules)
    out: dict[date, tuple[list[Slot], int]] = {}
    for day, found in starts.items():
        day_left = None if limit is None else max(0, limit - int(booked_on.get(day) or 0))
        free = [max(0, rules.per_slot - taken.get(at, 0)) for at in found]
        if day_left is not None:
            free = [min(f, day_left) for f in free]
        total = sum(free) if day_left is None else min(sum(free), day_left)
        out[day] = ([Slot(at, f) for at, f in zip(found, free, strict=True)], total)
    return out


def _day_places(row: Any, rules: AppointmentRules) -> int | None:
    """How many bookings a day of the service takes: the reserved places, else the quota."""
    places = rules.reserved_places(row.daily_quota)
    return row.daily_quota if places is None else places


def book(
    ctx: Context,
    service_code: str,
    day: date,
    at: time,
    name: str,
    phone: str,
    by: str | None = None,
) -> Booking:
    """Book the slot at `at` on `day` (`by`: the staff member booking for a caller); refused
    plainly when the slot is full, the day closed or the time past."""
    row, rules = _service(ctx, service_code)
    name = clean(name, NAME_LENGTH)
    if not name:
        raise UserError("booking_no_name")
    phone = " ".join(phone.split())
    if not PHONE_RE.match(phone):
        raise UserError("booking_bad_phone")
    weekly = rules.weekly(hours_from_json(row.hours))
    if not bookable_day(day, ctx.today, rules, weekly, ctx.site.holidays):
        raise UserError("booking_closed_day", service=service_code, day=day.isoformat())
    if at not in slot_starts(weekly.get(day.weekday()), rules):
        raise UserError("booking_not_a_slot", time=at.strftime("%H:%M"))
    slot_at = datetime.combine(day, at, tzinfo=ctx.now.tzinfo)
    if slot_at <= ctx.now:
        raise UserError("booking_past", time=at.strftime("%H:%M"))
    booked = ctx.upsert_increment(slot_counts, {"service_id": row.id, "slot_at": slot_at}, "booked")
    if booked > rules.per_slot:  # the transaction is undone, the count with it
        raise UserError("booking_full", service=service_code, time=at.strftime("%H:%M"))
    day_booked = ctx.upsert_increment(daily_counts, {"day": day, "service_id": row.id}, "booked")
    day_places = _day_places(row, rules)
    if day_places is not None and day_booked > day_places:
        raise UserError("booking_day_full", service=service_code, day=day.isoformat())
    # one place a day per phone and service, so no one holds slots to sell them on (the day's
    # count above serialises this check against another booking of the same day and service)
    held = ctx.conn.execute(
        select(bookings.c.phone).where(
            bookings.c.service_id == row.id,
            bookings.c.day == day,
            bookings.c.state.in_([BookingState.BOOKED.value, BookingState.CHECKED_IN.value]),
        )
    ).scalars()
    if same_phone(phone) in {same_phone(other) for other in held}:
        raise UserError("booking_phone_taken", service=service_code, day=day.isoformat())
    code = new_booking_code()
    ctx.conn.execute(
        insert(bookings).values(
            code=code,
            service_id=row.id,
            day=day,
            slot_at=slot_at,
            name=name,
            phone=phone,
            state=BookingState.BOOKED.value,
            created_at=ctx.now,
            actor=by or ctx.actor,
        )
    )
    return _one(ctx, code, with_phone=True)


def same_phone(phone: str) -> str:
    """A phone number as its digits, the country code 62 written as the leading 0."""
    digits = "".join(c for c in phone if c.isdigit())
    return "0" + digits[2:] if digits.startswith("62") else digits


def _row(ctx: Context, code: str) -> Any:
    typed = typed_code(code, CODE_LENGTH)
    found = (
        ctx.conn.execute(select(bookings).where(bookings.c.code == typed)).first()
        if typed
        else None
    )
    if found is None:
        raise UserError("booking_unknown", code=code[:20])
    return found


def cancel(ctx: Context, code: str) -> Booking:
    """Cancel a booking not yet used: its place in the slot is free again."""
    row = _row(ctx, code)
    if row.state != BookingState.BOOKED.value:
        raise UserError("booking_not_open", code=shown_code(row.code), state=row.state)
    _set_state(ctx, row.id, BookingState.CANCELLED)
    ctx.conn.execute(
        update(slot_counts)
        .where(slot_counts.c.service_id == row.service_id, slot_counts.c.slot_at == row.slot_at)
        .values(booked=slot_counts.c.booked - 1)
    )
    ctx.conn.execute(
        update(daily_counts)
        .where(daily_counts.c.service_id == row.service_id, daily_counts.c.day == row.day)
        .values(booked=daily_counts.c.booked - 1)
    )
    return _one(ctx, row.code, with_phone=True)


def _set_state(ctx: Context, booking_id: int, state: BookingState, **values: Any) -> None:
    ctx.conn.execute(
        update(bookings)
        .where(bookings.c.id == booking_id)
        .values(state=state.value, changed_at=ctx.now, **values)
    )


def check_in(ctx: Context, code: str, forecaster: Forecaster) -> tuple[Booking, Ticket]:
    """The citizen is here: inside the window, the ticket is issued (source `appointment`),
    queued from the slot's start. Too early or too late, or a used or cancelled code, is
    refused plainly (a late booking becomes a no-show)."""
    row = _row(ctx, code)
    shown = shown_code(row.code)
    if row.state == BookingState.CANCELLED.value:
        raise UserError("booking_cancelled", code=shown)
    if row.state == BookingState.CHECKED_IN.value:
        raise UserError("booking_used", code=shown)
    rules = (
        AppointmentRules.from_json(
            ctx.conn.execute(
                select(services.c.appointments).where(services.c.id == row.service_id)
            ).scalar_one()
        )
        or KEPT_WINDOW
    )
    slot_at = row.slot_at.astimezone(ctx.now.tzinfo)
    window = checkin_state(slot_at, ctx.now, rules)
    if row.state == BookingState.NO_SHOW.value or window == CheckIn.LATE:
        if row.state == BookingState.BOOKED.value:
            _set_state(ctx, row.id, BookingState.NO_SHOW)
        raise UserError("booking_too_late", code=shown, time=slot_at.strftime("%H:%M"))
    if window == CheckIn.EARLY:
        opens = slot_at - timedelta(minutes=rules.checkin_before)
        raise UserError(
            "booking_too_early",
            code=shown,
            day=slot_at.strftime("%d-%m-%Y"),
            time=opens.strftime("%H:%M"),
        )
    service_code = ctx.conn.execute(
        select(services.c.code).where(services.c.id == row.service_id)
    ).scalar_one()
    ticket = issuing.issue_ticket(
        ctx, service_code, False, TicketSource.APPOINTMENT.value, forecaster, queued_at=slot_at
    )
    _set_state(ctx, row.id, BookingState.CHECKED_IN, ticket_id=ticket.id)
    return _one(ctx, row.code, with_phone=True), ticket


def mark_no_shows(ctx: Context) -> int:
    """Bookings whose check-in window has ended unused become no-shows; how many did."""
    late = ctx.conn.execute(
        select(
            bookings.c.id,
            bookings.c.code,
            bookings.c.slot_at,
            services.c.code.label("service"),
            services.c.appointments,
        )
        .join(services, services.c.id == bookings.c.service_id)
        .where(bookings.c.state == BookingState.BOOKED.value, bookings.c.slot_at < ctx.now)
    ).all()
    marked = 0
    for r in late:
        rules = AppointmentRules.from_json(r.appointments) or KEPT_WINDOW
        if checkin_state(r.slot_at, ctx.now, rules) == CheckIn.LATE:
            _set_state(ctx, r.id, BookingState.NO_SHOW)
            ctx.append_event(EventKind.BOOKING_NO_SHOW, service_code=r.service, detail=r.code)
            marked += 1
    return marked


def listing(
    ctx: Context, day: date | None = None, with_phone: bool = False, code: str | None = None
) -> list[Booking]:
    """The bookings of a day (or one by its code), by slot."""
    query = (
        select(
            bookings,
            services.c.code.label("service_code"),
            services.c.name_id,
            services.c.name_en,
            services.c.appointments,
            tickets.c.number.label("ticket_number"),
        )
        .join(services, services.c.id == bookings.c.service_id)
        .outerjoin(tickets, tickets.c.id == bookings.c.ticket_id)
        .order_by(bookings.c.slot_at, bookings.c.id)
    )
    if day is not None:
        query = query.where(bookings.c.day == day)
    if code is not None:
        query = query.where(bookings.c.code == code)
    return [_booking(r, ctx.now.tzinfo, with_phone) for r in ctx.conn.execute(query)]


def _booking(r: Any, zone: tzinfo | None, with_phone: bool) -> Booking:
    slot_at = r.slot_at.astimezone(zone)
    rules = AppointmentRules.from_json(r.appointments) or KEPT_WINDOW
    return Booking(
        code=r.code,
        service=r.service_code,
        service_name=LocalText(r.name_id, r.name_en),
        day=r.day,
        slot_at=slot_at,
        name=r.name,
        phone=r.phone if with_phone else None,
        state=BookingState(r.state),
        ticket=r.ticket_number,
        checkin_from=slot_at - timedelta(minutes=rules.checkin_before),
        checkin_until=slot_at + timedelta(minutes=rules.checkin_after),
    )


def _one(ctx: Context, code: str, with_phone: bool) -> Booking:
    return listing(ctx, code=code, with_phone=with_phone)[0]


@dataclass(frozen=True, slots=True)
class Outcomes:
    """What became of a service's bookings for the days of a period."""

    service: str
    service_name: LocalText
    counts: dict[BookingState, int]

    @property
    def made(self) -> int:
        return sum(self.counts.values())

    @property
    def no_show_rate(self) -> float | None:
        """No-shows among the bookings whose day has come (checked in or not)."""
        due = self.counts[BookingState.CHECKED_IN] + self.counts[BookingState.NO_SHOW]
        return self.counts[BookingState.NO_SHOW] / due if due else None


def outcomes(
    ctx: Context, start: date, end: date, agencies: tuple[str, ...], service: str | None
) -> list[Outcomes]:
    """Per service, the period's bookings by what became of them (reports: online arrivals)."""
    query = (
        select(
            services.c.code,
            services.c.name_id,
            services.c.name_en,
            bookings.c.state,
            func.count().label("n"),
        )
        .join(services, services.c.id == bookings.c.service_id)
        .join(agencies_table, agencies_table.c.id == services.c.agency_id)
        .where(bookings.c.day >= start, bookings.c.day <= end)
        .group_by(services.c.code, services.c.name_id, services.c.name_en, bookings.c.state)
        .order_by(services.c.code)
    )
    if agencies:
        query = query.where(agencies_table.c.code.in_(agencies))
    if service:
        query = query.where(services.c.code == service)
    found: dict[str, Outcomes] = {}
    for r in ctx.conn.execute(query):
        row = found.setdefault(
            r.code,
            Outcomes(r.code, LocalText(r.name_id, r.name_en), dict.fromkeys(BookingState, 0)),
        )
        row.counts[BookingState(r.state)] = int(r.n)
    return list(found.values())
