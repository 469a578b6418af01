"""The one read of the tickets that every report and every month's roll-up makes: the tickets of
some days, joined to their service, agency, counter and staff, copied into the temporary table
of plain values of `shared.engine.report_sql.facts_table`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Select, Table, insert, or_, text

from shared.engine.context import Context
from shared.engine.report_sql import Dialect, facts_select, facts_table, stretches
from shared.store.tables import agencies, counters, services, staff, tickets

Days = Sequence[tuple[date, date]]  # stretches of days, first and last included
T = TypeVar("T")

JOINED = (
    tickets.join(services, services.c.id == tickets.c.service_id)
    .join(agencies, agencies.c.id == services.c.agency_id)
    .outerjoin(counters, counters.c.id == tickets.c.counter_id)
    .outerjoin(staff, staff.c.id == tickets.c.staff_id)
)
COLUMNS = {
    "service": services.c.code,
    "agency": agencies.c.code,
    "counter": counters.c.code,
    "staff": staff.c.username,
    "target": services.c.wait_target_minutes,
    "service_minutes": services.c.service_minutes,
}


def with_facts(
    ctx: Context,
    days: Days,
    narrow: Callable[[Select[Any]], Select[Any]],
    work: Callable[[Table, Dialect], T],
) -> T:
    """`work` over the tickets of `days` (as `narrow` filters them), copied into a temporary
    table of plain values (empty when there are no days)."""
    first = min((d for d, _ in days), default=ctx.today)
    last = max((d for _, d in days), default=ctx.today)
    dialect = Dialect(ctx.conn.dialect.name, stretches(ctx.now.tzinfo, first, last), tickets.c.day)
    f = facts_table()
    # a report that failed on this pooled connection may have left its table (SQLite; on
    # PostgreSQL the table goes with the transaction)
    ctx.conn.execute(text(f"DROP TABLE IF EXISTS {f.name}"))
    f.create(ctx.conn)
    if days:
        rows = narrow(facts_select(dialect, tickets.c, COLUMNS).select_from(JOINED)).where(
            or_(*(tickets.c.day.between(a, b) for a, b in days))
        )
        ctx.conn.execute(insert(f).from_select([c.name for c in f.c], rows))
    result = work(f, dialect)
    f.drop(ctx.conn)
    return result
