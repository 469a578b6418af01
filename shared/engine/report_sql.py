"""The report's figures computed in the database, each definition of `shared.domain.report`
written once as SQL.

A report first copies its tickets into a temporary table of plain values (its grouping keys,
its state, its waiting and service minutes), reading each stored time once; every grouping is
then one aggregate over that table, and the percentiles come from counts of values to the tenth
of a minute (the precision the reports print; the nearest rank of rounded values is the rounded
nearest rank). Times are stored as naive UTC; the site's local date, weekday and hour come from
adding the zone's offset, taken per stretch of days (a zone with daylight saving gets a stretch
per offset; Indonesia's zones have one); the weekday is the local date's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import (
    Column,
    Date,
    Float,
    Integer,
    MetaData,
    Numeric,
    String,
    Table,
    case,
    cast,
    func,
    literal,
    literal_column,
    null,
    select,
)
from sqlalchemy.sql.elements import ColumnElement

from shared.domain.report import SOURCES
from shared.domain.states import TicketState

Expr = ColumnElement[Any]
PRECISION = 1  # decimals of a minute the percentiles are counted to


@dataclass(frozen=True, slots=True)
class Stretch:
    """Days from `first` to `last` on which the zone is `minutes` ahead of UTC."""

    first: date
    last: date
    minutes: int


def stretches(zone: tzinfo | None, first: date, last: date) -> list[Stretch]:
    """The period cut where the zone's offset changes (checked at each local noon)."""

    def offset(day: date) -> int:
        delta = datetime.combine(day, time(12), tzinfo=zone).utcoffset() or timedelta(0)
        return int(delta.total_seconds() // 60)

    out: list[Stretch] = []
    day = first
    while day <= last:
        minutes = offset(day)
        if out and out[-1].minutes == minutes:
            out[-1] = Stretch(out[-1].first, day, minutes)
        else:
            out.append(Stretch(day, day, minutes))
        day += timedelta(days=1)
    return out


class Dialect:
    """The few expressions the two databases write differently."""

    def __init__(self, name: str, parts: list[Stretch], day: Expr) -> None:
        self.sqlite = name == "sqlite"
        self._parts = parts
        self._day = day  # the ticket's business day: picks the stretch

    def minutes(self, later: Expr, earlier: Expr) -> Expr:
        """`later - earlier` in minutes, never below 0 (NULL when either is NULL)."""
        raw: Expr
        if self.sqlite:  # rounded to 60 microseconds: julianday's float noise, not a second
            raw = func.round((func.julianday(later) - func.julianday(earlier)) * 1440.0, 6)
        else:
            raw = cast(func.extract("epoch", later - earlier), Float) / 60.0
        return case((raw < 0, literal(0.0)), else_=raw)

    def local_hour(self, moment: Expr) -> Expr:
        """The local date and hour of `moment` (UTC) as text, "YYYY-MM-DD HH"."""

        def one(minutes: int) -> Expr:
            if self.sqlite:
                shift: Expr = literal_column(f"'{minutes:+d} minutes'")
                return func.strftime("%Y-%m-%d %H", moment, shift)
            shifted = moment + literal_column(f"interval '{minutes} minutes'")
            return func.to_char(shifted, "YYYY-MM-DD HH24")

        if len(self._parts) == 1:
            return one(self._parts[0].minutes)
        return case(
            *((self._day.between(p.first, p.last), one(p.minutes)) for p in self._parts),
            else_=one(self._parts[-1].minutes),
        )

    def key(self, f: Table, by: str) -> Expr:
        """The grouping key of the facts' rows, as text (as `shared.domain.report.KEYS`)."""
        if by in ("service", "agency", "counter", "staff"):
            return f.c[by]
        if by == "day":
            return func.substr(f.c.local, 1, 10)
        if by == "hour":
            return func.substr(f.c.local, 12, 2)
        day = func.substr(f.c.local, 1, 10)
        if self.sqlite:  # %w: 0 = Sunday
            sunday_first = cast(func.strftime("%w", day), Integer)
            return cast(case((sunday_first == 0, 7), else_=sunday_first), String)
        return func.to_char(cast(day, Date), "ID")


def facts_table() -> Table:
    """A report's tickets as plain values, for the length of its transaction."""
    return Table(
        "report_facts",
        MetaData(),
        *(Column(key, String) for key in ("service", "agency", "counter", "staff")),
        Column("local", String),  # the local date and hour of its (original) issue
        Column("arrival", Integer),  # a new arrival (not made by a transfer): 1, else 0
        Column("source", String),
        Column("state", String),
        Column("called", Integer),
        Column("wait", Float),  # minutes from the original issue to the call (see facts_select)
        Column("service_time", Float),  # minutes of service, for a served ticket
        Column("target", Float),  # the service's waiting-time target, minutes
        Column("service_minutes", Float),
        prefixes=["TEMPORARY"],
        postgresql_on_commit="DROP",
    )


def facts_select(dialect: Dialect, t: Any, columns: Mapping[str, Expr]) -> Any:
    """One row of plain values per ticket, in the columns of `facts_table` (from `t`, the
    tickets, joined to the tables `columns` names). The wait ends at the (last) call, or at
    the call a parked visit began with; a parked visit's service counts its part before the
    park."""
    issued = t.original_issued_at
    served = (t.state == TicketState.DONE.value) & t.finished_at.is_not(None)
    service_time = (
        func.coalesce(dialect.minutes(t.finished_at, func.coalesce(t.started_at, t.called_at)), 0.0)
        + t.served_before_park
    )
    return select(
        columns["service"],
        columns["agency"],
        func.coalesce(columns["counter"], "-"),
        func.coalesce(columns["staff"], "-"),
        dialect.local_hour(issued),
        case((t.transferred_from_id.is_(None), 1), else_=0),
        t.source,
        t.state,
        case((t.called_at.is_not(None), 1), else_=0),
        dialect.minutes(func.coalesce(t.visit_called_at, t.called_at), issued),
        case((served, service_time), else_=null()),
        columns["target"],
        columns["service_minutes"],
    )


def _count(condition: Expr) -> Expr:
    return func.sum(case((condition, 1), else_=0))


def aggregates(f: Table) -> list[Expr]:
    """The additive figures of a group of facts, labelled (ReportRow's fields, and the sums
    and maxima its means and maxima come from)."""
    arrival, state = f.c.arrival == 1, f.c.state
    served = f.c.service_time.is_not(None)
    return [
        func.count().label("tickets"),
        _count(arrival).label("arrived"),
        *(_count(arrival & (f.c.source == s)).label(f"source_{s}") for s in SOURCES),
        func.sum(f.c.called).label("called"),
        _count(served).label("served"),
        _count(state == TicketState.NO_SHOW.value).label("no_show"),
        _count(state == TicketState.TRANSFERRED.value).label("transferred"),
        _count(state == TicketState.EXPIRED.value).label("expired"),
        _count((f.c.called == 1) & (f.c.wait <= f.c.target)).label("within_target"),
        _count(served & (f.c.service_time > f.c.service_minutes)).label("over_service_minutes"),
        func.sum(f.c.wait).label("wait_sum"),
        func.max(f.c.wait).label("wait_max"),
        func.sum(f.c.service_time).label("service_sum"),
        func.max(f.c.service_time).label("service_max"),
    ]


def tenths(value: Any) -> Expr:
    """`value` rounded to the tenth of a minute, the precision the percentiles are counted to."""
    return func.round(cast(value, Numeric), PRECISION)


def histogram(f: Table, value: Any, key: Any) -> Any:
    """How many values fall on each tenth of a minute, per key."""
    tenth = tenths(value)
    return select(key, tenth, func.count()).where(value.is_not(None)).group_by(key, tenth)


def nearest_ranks(counts: list[tuple[float, int]]) -> tuple[float, float] | None:
    """The nearest-rank 50th and 90th percentiles of values given as (value, how many),
    sorted by value (None: no values)."""
    total = sum(n for _, n in counts)
    if not total:
        return None
    wanted = [-(-total * tenths // 10) for tenths in (5, 9)]  # ceil(total x share)
    found: list[float] = []
    seen = 0
    for value, n in counts:
        seen += n
        while len(found) < len(wanted) and seen >= wanted[len(found)]:
            found.append(float(value))
    return found[0], found[1]
