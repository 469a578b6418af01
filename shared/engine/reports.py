"""The report: the query (days, filters, grouping) and its figures, counted by the database
(`shared.engine.report_sql` writes each definition of `shared.domain.report` once as SQL), the
same for every output."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import Select, Table, func, insert, select, text

from shared.domain.report import (
    GROUPINGS,
    KEYS,
    REFUSAL_REASONS,
    SOURCES,
    Refusal,
    Report,
    ReportRow,
    Spread,
)
from shared.domain.states import EventKind
from shared.engine.context import Context
from shared.engine.report_sql import (
    Dialect,
    aggregates,
    facts_select,
    facts_table,
    histogram,
    nearest_ranks,
    stretches,
)
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
T = TypeVar("T")


def compute(ctx: Context, query: ReportQuery, groupings: Sequence[str]) -> dict[str, Report]:
    """The query's report in each of `groupings` (its own first), counted by the database."""
    refused = _refusals(ctx, query)
    return _with_facts(
        ctx,
        query,
        lambda f, dialect: {
            by: _report(ctx, f, dialect.key(f, by), query, by, refused) for by in groupings
        },
    )


def arrival_grid(ctx: Context, query: ReportQuery) -> dict[tuple[int, int], int]:
    """Arrivals by (ISO weekday, hour of day): the heatmap of when citizens come."""

    def grid(f: Table, dialect: Dialect) -> dict[tuple[int, int], int]:
        weekday, hour = dialect.key(f, "weekday"), dialect.key(f, "hour")
        statement = (
            select(weekday, hour, func.count()).where(f.c.arrival == 1).group_by(weekday, hour)
        )
        return {(int(w), int(h)): int(n) for w, h, n in ctx.conn.execute(statement)}

    return _with_facts(ctx, query, grid)


def _with_facts(ctx: Context, query: ReportQuery, work: Callable[[Table, Dialect], T]) -> T:
    """`work` over the query's tickets copied into a temporary table of plain values."""
    query.check()
    parts = stretches(ctx.now.tzinfo, query.date_from, query.date_to)
    dialect = Dialect(ctx.conn.dialect.name, parts, tickets.c.day)
    f = facts_table()
    # a report that failed on this pooled connection may have left its table (SQLite; on
    # PostgreSQL the table goes with the transaction)
    ctx.conn.execute(text(f"DROP TABLE IF EXISTS {f.name}"))
    f.create(ctx.conn)
    rows = _filtered(facts_select(dialect, tickets.c, COLUMNS).select_from(JOINED), query)
    ctx.conn.execute(insert(f).from_select([c.name for c in f.c], rows))
    result = work(f, dialect)
    f.drop(ctx.conn)
    return result


def _filtered(statement: Select[Any], query: ReportQuery) -> Select[Any]:
    statement = statement.where(tickets.c.day >= query.date_from, tickets.c.day <= query.date_to)
    if query.agencies:
        statement = statement.where(agencies.c.code.in_(list(query.agencies)))
    if query.service:
        statement = statement.where(services.c.code == query.service)
    if query.counter:
        statement = statement.where(counters.c.code == query.counter)
    if query.staff:
        statement = statement.where(staff.c.username == query.staff)
    return statement


def _report(
    ctx: Context, f: Table, key: Any, query: ReportQuery, by: str, refused: list[Refusal]
) -> Report:
    statement = select(key.label("key"), *aggregates(f)).group_by(key)
    grouped = {r.key: dict(r._mapping) for r in ctx.conn.execute(statement)}
    total = _summed(grouped.values())
    waits = _counts(ctx, f, f.c.wait, key)
    served = _counts(ctx, f, f.c.service_time, key)
    by_key: dict[str, list[Refusal]] = {}
    for refusal in refused:
        by_key.setdefault(KEYS[by](refusal), []).append(refusal)
    rows = tuple(
        _row(k, grouped.get(k), waits.get(k, []), served.get(k, []), by_key.get(k, []))
        for k in sorted(set(grouped) | set(by_key))
    )
    everything = _row("total", total, _merged(waits), _merged(served), refused)
    return Report(query.date_from, query.date_to, by, query.filters(), rows, everything, ctx.now)


def _summed(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The whole period's aggregate row from its groups' (sums add up; maxima take the most)."""
    total: dict[str, Any] = {}
    for r in rows:
        for name, value in r.items():
            if name == "key" or value is None:
                continue
            if name.endswith("_max"):
                total[name] = max(total.get(name, value), value)
            else:
                total[name] = total.get(name, 0) + value
    return total


Counts = list[tuple[float, int]]  # (value to the tenth of a minute, how many), by value


def _counts(ctx: Context, f: Table, value: Any, key: Any) -> dict[str, Counts]:
    found: dict[str, Counts] = {}
    for group, tenth, n in ctx.conn.execute(histogram(f, value, key)):
        found.setdefault(group, []).append((float(tenth), int(n)))
    return found


def _merged(per_key: dict[str, Counts]) -> Counts:
    merged: dict[float, int] = {}
    for counts in per_key.values():
        for value, n in counts:
            merged[value] = merged.get(value, 0) + n
    return sorted(merged.items())


def _row(
    key: str, r: dict[str, Any] | None, waits: Counts, served: Counts, refused: list[Refusal]
) -> ReportRow:
    """A group's figures from its aggregate row (None: only refusals fell in the group)."""

    values = r or {}

    def whole(name: str) -> int:
        return int(values.get(name) or 0)

    def measured(count: int, name: str, counts: Counts) -> Spread:
        ranks = nearest_ranks(counts)
        if not count or ranks is None:
            return Spread(0, None, None, None, None)
        total, most = values[f"{name}_sum"], values[f"{name}_max"]
        return Spread(count, float(total) / count, ranks[0], ranks[1], float(most))

    called, no_show, within = whole("called"), whole("no_show"), whole("within_target")
    return ReportRow(
        key=key,
        arrived=whole("arrived"),
        by_source={s: whole(f"source_{s}") for s in SOURCES},
        refused={
            reason: sum(1 for f in refused if f.reason == reason) for reason in REFUSAL_REASONS
        },
        called=called,
        served=whole("served"),
        no_show=no_show,
        transferred=whole("transferred"),
        expired=whole("expired"),
        wait=measured(called, "wait", waits),
        service=measured(whole("served"), "service", served),
        within_target=within,
        service_level=within / called if called else None,
        no_show_rate=no_show / called if called else None,
        over_service_minutes=whole("over_service_minutes"),
    )


def _refusals(ctx: Context, query: ReportQuery) -> list[Refusal]:
    """The refused tickets of the days (none when a counter or staff is asked: a refusal has
    neither)."""
    if query.counter or query.staff:
        return []
    zone = ctx.now.tzinfo
    return [
        Refusal(r.code, r.agency, r.detail or "closed", r.at.astimezone(zone))
        for r in ctx.conn.execute(_refusals_statement(query))
    ]


def _refusals_statement(query: ReportQuery) -> Select[Any]:
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
