"""Closed months' report figures, counted once and kept, so that a long period's report reads
sums per month instead of every ticket (a year at a busy MPP is millions of tickets).

A month is kept once every one of its days has ended and been closed (its open tickets expired):
nothing of it changes after that. It keeps the additive figures (`report_sql.aggregates`) per
local hour, service, counter and staff, which serve every grouping, and how many waits and
service times fell on each tenth of a minute per service, counter and staff, which give exact
percentiles when a report is grouped by service, agency, counter or staff (by day, weekday or
hour the percentiles need the tickets themselves). What a month was counted with (services'
agencies and targets, counters' and staff's names, the zone) is its `basis`: when the site
changes one of them, the month is read from the tickets again until it is counted anew.
"""

from __future__ import annotations

import hashlib
import json
from calendar import monthrange
from datetime import date, timedelta
from typing import Any, Final

from sqlalchemy import Select, Table, delete, func, insert, literal, select

from shared.engine.context import Context
from shared.engine.report_facts import with_facts
from shared.engine.report_sql import Dialect, Expr, aggregates, tenths
from shared.store.tables import (
    agencies,
    counters,
    report_counts,
    report_months,
    report_rollups,
    services,
    staff,
)

PERCENTILE_KEYS: Final = ("service", "agency", "counter", "staff")  # what report_counts keeps
MEASURES: Final = {"wait": "wait", "service": "service_time"}  # measure -> facts column


def whole_months(first: date, last: date, today: date) -> list[tuple[str, date, date]]:
    """The months lying wholly within `first`..`last` that ended before `today`, as
    ("YYYY-MM", first day, last day)."""
    found: list[tuple[str, date, date]] = []
    day = first if first.day == 1 else (first.replace(day=1) + timedelta(days=32)).replace(day=1)
    while True:
        end = day.replace(day=monthrange(day.year, day.month)[1])
        if end > last or end >= today:
            return found
        found.append((f"{day:%Y-%m}", day, end))
        day = end + timedelta(days=1)


def basis(ctx: Context) -> str:
    """A digest of what a month's figures were counted with."""
    named = [
        ctx.conn.execute(
            select(
                services.c.id,
                services.c.code,
                agencies.c.code,
                services.c.wait_target_minutes,
                services.c.service_minutes,
            )
            .join(agencies, agencies.c.id == services.c.agency_id)
            .order_by(services.c.id)
        ).all(),
        ctx.conn.execute(select(counters.c.id, counters.c.code).order_by(counters.c.id)).all(),
        ctx.conn.execute(select(staff.c.id, staff.c.username).order_by(staff.c.id)).all(),
    ]
    text = json.dumps([[list(row) for row in rows] for rows in named] + [str(ctx.now.tzinfo)])
    return hashlib.sha256(text.encode()).hexdigest()


def kept(ctx: Context, months: list[str]) -> set[str]:
    """Those of `months` whose kept figures were counted with today's definitions."""
    if not months:
        return set()
    now = basis(ctx)
    rows = ctx.conn.execute(
        select(report_months.c.month, report_months.c.basis).where(
            report_months.c.month.in_(months)
        )
    )
    return {month for month, counted in rows if counted == now}


def keep(ctx: Context, month: tuple[str, date, date]) -> None:
    """Count a month ("YYYY-MM", its first and last day) from its tickets and keep it
    (replacing what was kept)."""
    name, first, last = month
    if last >= ctx.today:
        raise ValueError(f"{name} has not ended")
    for table in (report_counts, report_rollups, report_months):
        ctx.conn.execute(delete(table).where(table.c.month == name))

    def count(f: Table, dialect: Dialect) -> None:
        keys = [f.c[k] for k in PERCENTILE_KEYS]
        hourly = [f.c.local, *keys]
        figures = aggregates(f)
        ctx.conn.execute(
            insert(report_rollups).from_select(
                ["month", *(k.name for k in hourly), *(a.name for a in figures)],
                select(literal(name), *hourly, *figures).group_by(*hourly),
            )
        )
        for measure, column in MEASURES.items():
            value, tenth = f.c[column], tenths(f.c[column])
            ctx.conn.execute(
                insert(report_counts).from_select(
                    ["month", *(k.name for k in keys), "measure", "tenth", "n"],
                    select(literal(name), *keys, literal(measure), tenth, func.count())
                    .where(value.is_not(None))
                    .group_by(*keys, tenth),
                )
            )

    with_facts(ctx, [(first, last)], lambda statement: statement, count)
    ctx.conn.execute(insert(report_months).values(month=name, basis=basis(ctx), built_at=ctx.now))


def summed(key: Expr, where: list[Expr]) -> Select[Any]:
    """The kept additive figures per key (sums, and the most of the maxima), labelled as
    `report_sql.aggregates`."""
    r = report_rollups
    figures = [c for c in r.c if c.name not in ("id", "month", "local", *PERCENTILE_KEYS)]
    return (
        select(
            key.label("key"),
            *(
                (func.max(c) if c.name.endswith("_max") else func.sum(c)).label(c.name)
                for c in figures
            ),
        )
        .where(*where)
        .group_by(key)
    )


def counted(measure: str, key: Expr, where: list[Expr]) -> Select[Any]:
    """How many of the kept values of `measure` fell on each tenth of a minute, per key."""
    c = report_counts
    return (
        select(key, c.c.tenth, func.sum(c.c.n))
        .where(c.c.measure == measure, *where)
        .group_by(key, c.c.tenth)
    )
