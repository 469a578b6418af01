"""Tables of the store, as SQLAlchemy 2 typed models that run on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    false,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a 64-bit identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime, stored as naive UTC so both databases compare and sort it alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # raw SQLite text, e.g. from an aggregate
            value = datetime.fromisoformat(value)
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    pass


class Site(Base):
    """The one site this database serves (id 1)."""

    __tablename__ = "site"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64))
    holidays: Mapped[list[str]] = mapped_column(JSON, default=list)
    # none, public (national holidays) or all (with cuti bersama): see shared/domain/holidays.py
    national_holidays: Mapped[str] = mapped_column(String(6), server_default="none")
    ticker: Mapped[list[list[str]]] = mapped_column(JSON, default=list)
    unstarted_on_next: Mapped[str] = mapped_column(String(16), default="done")
    public_url: Mapped[str | None] = mapped_column(String(300))
    # the break window and length ([starts, ends, minutes]): the wait forecast expects it
    breaks: Mapped[list[int] | None] = mapped_column(JSON)
    # {"publish": bool, "questions": {"U1": [id, en], ...}}: the site's SKM choices
    skm: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    current_day: Mapped[date | None] = mapped_column(Date)
    config_version: Mapped[int] = mapped_column(Integer, default=0)
    # days a booking's name and phone and a closed complaint's contact are kept
    personal_data_days: Mapped[int] = mapped_column(Integer, server_default="90")


class Agency(Base):
    __tablename__ = "agencies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_id: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    zone: Mapped[str | None] = mapped_column(String(64))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Service(Base):
    __tablename__ = "services"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    prefix: Mapped[str] = mapped_column(String(3))
    name_id: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    # texts of the six standard components: {"requirements": [[id, en]...], "procedure": [id, en]}
    standard: Mapped[dict[str, Any]] = mapped_column(JSON)
    completion_minutes: Mapped[int] = mapped_column(Integer)
    fee_rupiah: Mapped[int] = mapped_column(Integer, default=0)
    daily_quota: Mapped[int | None] = mapped_column(Integer)
    hours: Mapped[dict[str, list[int]]] = mapped_column(JSON)
    priority_allowed: Mapped[bool] = mapped_column(Boolean, default=True)
    service_minutes: Mapped[float] = mapped_column(Float, default=10.0)
    wait_target_minutes: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    # bookable slots: {"slot_minutes", "per_slot", "days_ahead", "checkin_before", ...}
    appointments: Mapped[dict[str, int] | None] = mapped_column(JSON)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Counter(Base):
    __tablename__ = "counters"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    number: Mapped[str] = mapped_column(String(16))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    zone: Mapped[str | None] = mapped_column(String(64))
    selection: Mapped[str] = mapped_column(String(16), default="oldest")
    state: Mapped[str] = mapped_column(String(16), default="open")
    # the ticket it calls or serves now (no foreign key: tickets refer to counters already)
    current_ticket_id: Mapped[int | None] = mapped_column(BigId)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CounterService(Base):
    """A counter's work profile: the services it serves, in order."""

    __tablename__ = "counter_services"
    counter_id: Mapped[int] = mapped_column(ForeignKey("counters.id"), primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)

    __table_args__ = (Index("ix_counter_services_service", "service_id"),)


class Staff(Base):
    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # the last login, anywhere, and the counter it was at (none: the console or the CLI)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_counter: Mapped[str | None] = mapped_column(String(32))
    # set by someone else (an admin in the console): it serves only to choose one's own
    password_temporary: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class StaffAgency(Base):
    """The agencies whose counters a staff member may work at (none: every agency)."""

    __tablename__ = "staff_agencies"
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), primary_key=True)


class StaffSession(Base):
    """A staff member's browser session in the console: the token's hash (never the token),
    the form token against cross-site requests, and when it was last used (idle timeout)."""

    __tablename__ = "staff_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    place: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)


class LoginFailure(Base):
    """Wrong passwords or PINs in a row, per account and per place (PC, address), and the
    time until which every try is refused: kept in the database, so every client obeys one
    rule and a restart forgets nothing. A row is forgotten a day after its last wrong try."""

    __tablename__ = "login_failures"
    scope: Mapped[str] = mapped_column(String(16), primary_key=True)  # account, place, pin
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class NumberSequence(Base):
    """The last number issued per prefix per business day."""

    __tablename__ = "number_sequences"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    prefix: Mapped[str] = mapped_column(String(3), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class DailyCount(Base):
    """Tickets issued, and bookings made (less those cancelled), per service per business day:
    the quota's atomic counters."""

    __tablename__ = "daily_counts"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    issued: Mapped[int] = mapped_column(Integer, server_default="0")
    booked: Mapped[int] = mapped_column(Integer, server_default="0")


class Ticket(Base):
    __tablename__ = "tickets"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    prefix: Mapped[str] = mapped_column(String(3))
    seq: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(12))
    priority: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    original_issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # a visit parked and called back (Tunda): the call it began with, and its service minutes
    # before its park(s), for the reports' waiting and service times
    visit_called_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    served_before_park: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    call_count: Mapped[int] = mapped_column(Integer, default=0)
    transferred_from_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("tickets.id"))
    # waiting for this counter only (sent to a colleague's desk), while it is open and serves
    # the ticket's service; no foreign key, as counters.current_ticket_id
    for_counter_id: Mapped[int | None] = mapped_column(Integer)
    # the ticket page's secret (/t/<token>): random, shared by the rows of a transfer chain
    token: Mapped[str | None] = mapped_column(String(32), index=True)

    __table_args__ = (
        # the net under numbering: an issued number exists once per prefix and day
        Index(
            "uq_tickets_issued_number",
            "day",
            "prefix",
            "seq",
            unique=True,
            sqlite_where=text("transferred_from_id IS NULL"),
            postgresql_where=text("transferred_from_id IS NULL"),
        ),
        # "next" reads only waiting tickets: a small partial index, however long the history
        Index(
            "ix_tickets_waiting",
            "day",
            "service_id",
            "priority",
            "original_issued_at",
            sqlite_where=text("state = 'waiting'"),
            postgresql_where=text("state = 'waiting'"),
        ),
        Index("ix_tickets_day_number", "day", "number"),
        Index("ix_tickets_day_counter", "day", "counter_id"),
        # today's service times (the wait estimate); partial, so "next" never prefers it
        Index(
            "ix_tickets_done",
            "day",
            "service_id",
            "finished_at",
            sqlite_where=text("state = 'done'"),
            postgresql_where=text("state = 'done'"),
        ),
    )


class EventRow(Base):
    """The append-only events log; ids increase strictly in commit order."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    day: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(24))
    actor: Mapped[str] = mapped_column(String(100))
    ticket_id: Mapped[int | None] = mapped_column(BigId)
    number: Mapped[str | None] = mapped_column(String(12))
    service_code: Mapped[str | None] = mapped_column(String(32))
    counter_code: Mapped[str | None] = mapped_column(String(32))
    staff: Mapped[str | None] = mapped_column(String(64))
    priority: Mapped[bool] = mapped_column(Boolean, default=False)
    from_state: Mapped[str | None] = mapped_column(String(16))
    to_state: Mapped[str | None] = mapped_column(String(16))
    related_ticket_id: Mapped[int | None] = mapped_column(BigId)
    detail: Mapped[str | None] = mapped_column(String(200))  # what an account change changed

    __table_args__ = (
        Index("ix_events_day_kind", "day", "kind"),
        Index("ix_events_ticket", "ticket_id"),
    )


class SurveyResponse(Base):
    """One answered SKM questionnaire, tied to the visit it rates: once per finished ticket
    (the unique ticket is the net under two answers sent at the same instant)."""

    __tablename__ = "survey_responses"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(BigId, ForeignKey("tickets.id"), unique=True)
    day: Mapped[date] = mapped_column(Date, index=True)  # the visit's day
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    channel: Mapped[str] = mapped_column(String(16))  # phone, tablet, paper
    a1: Mapped[int] = mapped_column(Integer)
    a2: Mapped[int] = mapped_column(Integer)
    a3: Mapped[int] = mapped_column(Integer)
    a4: Mapped[int] = mapped_column(Integer)
    a5: Mapped[int] = mapped_column(Integer)
    a6: Mapped[int] = mapped_column(Integer)
    a7: Mapped[int] = mapped_column(Integer)
    a8: Mapped[int] = mapped_column(Integer)
    a9: Mapped[int] = mapped_column(Integer)
    age_band: Mapped[str | None] = mapped_column(String(16))
    sex: Mapped[str | None] = mapped_column(String(16))
    education: Mapped[str | None] = mapped_column(String(16))
    occupation: Mapped[str | None] = mapped_column(String(16))
    suggestion: Mapped[str | None] = mapped_column(String(1000))
    entered_by: Mapped[str | None] = mapped_column(String(64))  # who typed in a paper form
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ComplaintRow(Base):
    """A complaint (pengaduan) and where it stands; its steps are in complaint_steps."""

    __tablename__ = "complaints"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True)  # the citizen's code
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_day: Mapped[date] = mapped_column(Date, index=True)
    channel: Mapped[str] = mapped_column(String(16))
    lapor_id: Mapped[str | None] = mapped_column(String(40))  # SP4N-LAPOR!'s tracking number
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    service_id: Mapped[int | None] = mapped_column(ForeignKey("services.id"))
    ticket_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("tickets.id"))
    category: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(String(4000))
    contact: Mapped[str | None] = mapped_column(String(200))  # complaint officers and admins
    status: Mapped[str] = mapped_column(String(16))
    answer: Mapped[str | None] = mapped_column(String(4000))  # public, on the status page
    reason: Mapped[str | None] = mapped_column(String(1000))  # why it was rejected, public
    response_due: Mapped[date] = mapped_column(Date)
    resolution_due: Mapped[date] = mapped_column(Date)
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class ComplaintStep(Base):
    """One change of a complaint: who, when, to what status, with what note."""

    __tablename__ = "complaint_steps"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(String(4000))


class Booking(Base):
    """An appointment: a citizen's slot at a service, its code, and what became of it."""

    __tablename__ = "bookings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"))
    day: Mapped[date] = mapped_column(Date, index=True)
    slot_at: Mapped[datetime] = mapped_column(UTCDateTime)  # the slot's start
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(32))  # staff only
    state: Mapped[str] = mapped_column(String(16))  # booked, checked_in, cancelled, no_show
    ticket_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("tickets.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(64))  # who booked: web, a staff member, cli


class SlotCount(Base):
    """How many bookings a slot holds: incremented in the booking's own transaction, so two
    citizens pressing at the same instant cannot both take its last place."""

    __tablename__ = "slot_counts"
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), primary_key=True)
    slot_at: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    booked: Mapped[int] = mapped_column(Integer, default=0)


class ReportMonth(Base):
    """A closed month whose report figures are kept in `report_rollups` and `report_counts`,
    and the site's definitions they were counted with (`basis`: services' agencies and targets,
    counters' and staff's names, the zone): a month counted under other definitions is counted
    again."""

    __tablename__ = "report_months"
    month: Mapped[str] = mapped_column(String(7), primary_key=True)  # YYYY-MM
    basis: Mapped[str] = mapped_column(String(64))
    built_at: Mapped[datetime] = mapped_column(UTCDateTime)


class _KeptMonthRow:
    """The keys every kept row of a month carries (`report_rollups`, `report_counts`)."""

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    month: Mapped[str] = mapped_column(String(7), index=True)
    service: Mapped[str] = mapped_column(String(32))
    agency: Mapped[str] = mapped_column(String(32))
    counter: Mapped[str] = mapped_column(String(32))
    staff: Mapped[str] = mapped_column(String(64))


class ReportRollup(_KeptMonthRow, Base):
    """A closed month's additive report figures per local hour, service, counter and staff
    (the labels of `shared.engine.report_sql.aggregates`)."""

    __tablename__ = "report_rollups"
    local: Mapped[str] = mapped_column(String(13))  # local date and hour: YYYY-MM-DD HH
    tickets: Mapped[int] = mapped_column(Integer)
    arrived: Mapped[int] = mapped_column(Integer)
    source_kiosk: Mapped[int] = mapped_column(Integer)
    source_appointment: Mapped[int] = mapped_column(Integer)
    source_walk_in: Mapped[int] = mapped_column(Integer)
    called: Mapped[int] = mapped_column(Integer)
    served: Mapped[int] = mapped_column(Integer)
    no_show: Mapped[int] = mapped_column(Integer)
    transferred: Mapped[int] = mapped_column(Integer)
    expired: Mapped[int] = mapped_column(Integer)
    within_target: Mapped[int] = mapped_column(Integer)
    over_service_minutes: Mapped[int] = mapped_column(Integer)
    wait_sum: Mapped[float | None] = mapped_column(Float)
    wait_max: Mapped[float | None] = mapped_column(Float)
    service_sum: Mapped[float | None] = mapped_column(Float)
    service_max: Mapped[float | None] = mapped_column(Float)


class ReportCount(_KeptMonthRow, Base):
    """A closed month's waiting (`wait`) or service (`service`) minutes to the tenth, and how
    many tickets took them, per service, counter and staff: the percentiles' source."""

    __tablename__ = "report_counts"
    measure: Mapped[str] = mapped_column(String(8))
    tenth: Mapped[float] = mapped_column(Float)
    n: Mapped[int] = mapped_column(Integer)
