"""The report: the query (days, filters, grouping) and its figures, counted by the database
(`shared.engine.report_sql` writes each definition of `shared.domain.report` once as SQL), the
same for every output."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, TypeVar

from sqlalchemy import Select, Table, func, select

from shared.domain.report import (
    GROUPINGS,
    KEYS,
    REFUSAL_REASONS,
    SOURCES,
    TIME_KEYS,
    CounterTime,
    Refusal,
    Report,
    ReportRow,
    Spread,
)
from shared.domain.states import EventKind
from shared.engine.context import Context
from shared.engine.counter_time import counter_times, open_and_paused
from shared.engine.report_facts import COLUMNS, with_facts
from shared.engine.report_names import TOTAL_KEY, filter_names, row_names
from shared.engine.report_rollups import (
    MEASURES,
    PERCENTILE_KEYS,
    counted,
    kept,
    summed,
    whole_months,
)
from shared.engine.report_sql import Dialect, Expr, aggregates, histogram, nearest_ranks
from shared.errors import UserError
from shared.store.tables import agencies, events, report_counts, report_rollups, services

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

    def conditions(self, columns: Any) -> list[Expr]:
        """The filters as conditions on `columns` (agency, service, counter, staff by name)."""
        found = [columns["agency"].in_(list(self.agencies))] if self.agencies else []
        found += [
            columns[name] == value
            for name, value in (
                ("service", self.service),
                ("counter", self.counter),
                ("staff", self.staff),
            )
            if value
        ]
        return found

    def filters(self) -> dict[str, str]:
        shown = {
            "agency": ",".join(self.agencies),
            "service": self.service or "",
            "counter": self.counter or "",
            "staff": self.staff or "",
        }
        return {k: v for k, v in shown.items() if v}


T = TypeVar("T")


def compute(
    ctx: Context,
    query: ReportQuery,
    groupings: Sequence[str],
    spread: Sequence[str] | None = None,
) -> dict[str, Report]:
    """The query's report in each of `groupings` (its own first), counted by the database; the
    percentiles only for the groupings in `spread` (all of them when None)."""
    spread = groupings if spread is None else spread
    rolled = Rolled.of(ctx, query, serves=set(spread) <= set(PERCENTILE_KEYS))
    refused = _refusals(ctx, query)
    times = _open_times(ctx, query)
    return _with_facts(
        ctx,
        query,
        rolled,
        lambda f, dialect: {
            by: _report(ctx, f, rolled, dialect.key, query, by, by in spread, refused, times)
            for by in groupings
        },
    )


def _open_times(ctx: Context, query: ReportQuery) -> list[CounterTime] | None:
    """The counters' open time that the query's tickets were served in (None for one service:
    its counters served others too)."""
    if query.service:
        return None
    return [
        t
        for t in counter_times(ctx, query.date_from, query.date_to)
        if (not query.agencies or t.agency in query.agencies)
        and query.counter in (None, t.counter)
        and query.staff in (None, t.staff)
    ]


def arrival_grid(ctx: Context, query: ReportQuery) -> dict[tuple[int, int], int]:
    """Arrivals by (ISO weekday, hour of day): the heatmap of when citizens come."""
    rolled = Rolled.of(ctx, query, serves=True)

    def grid(f: Table, dialect: Dialect) -> dict[tuple[int, int], int]:
        found: dict[tuple[int, int], int] = {}
        weekday, hour = dialect.key(f, "weekday"), dialect.key(f, "hour")
        statements = [
            select(weekday, hour, func.count()).where(f.c.arrival == 1).group_by(weekday, hour)
        ]
        if rolled.months:
            r = report_rollups
            weekday, hour = dialect.key(r, "weekday"), dialect.key(r, "hour")
            statements.append(
                select(weekday, hour, func.sum(r.c.arrived))
                .where(*rolled.where(r))
                .group_by(weekday, hour)
            )
        for statement in statements:
            for w, h, n in ctx.conn.execute(statement):
                found[(int(w), int(h))] = found.get((int(w), int(h)), 0) + int(n)
        return found

    return _with_facts(ctx, query, rolled, grid)


@dataclass(frozen=True, slots=True)
class Rolled:
    """The query's whole months read from their kept figures (`report_rollups`), and the days
    left to read from the tickets."""

    query: ReportQuery
    months: tuple[str, ...]
    days: tuple[tuple[date, date], ...]

    @classmethod
    def of(cls, ctx: Context, query: ReportQuery, *, serves: bool) -> Rolled:
        """`serves`: the kept months hold what the report needs (they keep percentiles only
        per service, agency, counter and staff)."""
        query.check()
        whole = whole_months(query.date_from, query.date_to, ctx.today)
        usable = kept(ctx, [m for m, _, _ in whole]) if serves else set()
        days, day = [], query.date_from
        for month, first, last in whole:
            if month in usable:
                if day < first:
                    days.append((day, first - timedelta(days=1)))
                day = last + timedelta(days=1)
        if day <= query.date_to:
            days.append((day, query.date_to))
        return cls(query, tuple(sorted(usable)), tuple(days))

    def where(self, table: Table) -> list[Expr]:
        """The kept rows of the months and the query's filters, in `table`."""
        return [table.c.month.in_(self.months), *self.query.conditions(table.c)]


def _with_facts(
    ctx: Context, query: ReportQuery, rolled: Rolled, work: Callable[[Table, Dialect], T]
) -> T:
    def narrow(statement: Select[Any]) -> Select[Any]:
        return statement.where(*query.conditions(COLUMNS))

    return with_facts(ctx, rolled.days, narrow, work)


def _report(
    ctx: Context,
    f: Table,
    rolled: Rolled,
    key_of: Callable[[Table, str], Expr],
    query: ReportQuery,
    by: str,
    spread: bool,
    refused: list[Refusal],
    times: list[CounterTime] | None,
) -> Report:
    """The report grouped `by`: the tickets' facts and the kept months added up, with the
    counters' open time where the grouping has it."""
    found: dict[str, list[dict[str, Any]]] = {}
    key = key_of(f, by)
    statements = [select(key.label("key"), *aggregates(f)).group_by(key)]
    if rolled.months:
        statements.append(summed(key_of(report_rollups, by), rolled.where(report_rollups)))
    for statement in statements:
        for row in ctx.conn.execute(statement):
            found.setdefault(row.key, []).append(dict(row._mapping))
    grouped = {k: _summed(rows) for k, rows in found.items()}
    total = _summed(grouped.values())
    waits = served = None
    if spread:
        waits, served = (_counts(ctx, f, rolled, key_of, by, measure) for measure in MEASURES)
    by_key: dict[str, list[Refusal]] = {}
    for refusal in refused:
        by_key.setdefault(KEYS[by](refusal), []).append(refusal)

    opened: dict[str, list[CounterTime]] | None = None
    if times is not None and by in TIME_KEYS:
        opened = {}
        for t in times:
            opened.setdefault(TIME_KEYS[by](t), []).append(t)

    def part(counts: dict[str, Counts] | None, k: str) -> Counts | None:
        return None if counts is None else counts.get(k, [])

    def open_time(k: str) -> tuple[float, float] | None:
        return None if opened is None else open_and_paused(opened.get(k, []))

    rows = tuple(
        _row(k, grouped.get(k), part(waits, k), part(served, k), by_key.get(k, []), open_time(k))
        for k in sorted(set(grouped) | set(by_key) | set(opened or {}))
    )
    everything = _row(
        TOTAL_KEY,
        total,
        None if waits is None else _merged(waits),
        None if served is None else _merged(served),
        refused,
        None if times is None else open_and_paused(times),
    )
    filters = query.filters()
    return Report(
        query.date_from,
        query.date_to,
        by,
        filters,
        rows,
        everything,
        ctx.now,
        names=row_names(ctx, by, [row.key for row in rows]),
        filter_names=filter_names(ctx, filters),
    )


def _summed(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """One aggregate row from several (sums add up; maxima take the most)."""
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


def _counts(
    ctx: Context,
    f: Table,
    rolled: Rolled,
    key_of: Callable[[Table, str], Expr],
    by: str,
    measure: str,
) -> dict[str, Counts]:
    """Per key, how many of the tickets' and the kept months' values fell on each tenth."""
    statements = [histogram(f, f.c[MEASURES[measure]], key_of(f, by))]
    if rolled.months:
        c = report_counts
        statements.append(counted(measure, key_of(c, by), rolled.where(c)))
    found: dict[str, dict[float, int]] = {}
    for statement in statements:
        for group, tenth, n in ctx.conn.execute(statement):
            per = found.setdefault(group, {})
            per[float(tenth)] = per.get(float(tenth), 0) + int(n)
    return {group: sorted(per.items()) for group, per in found.items()}


def _merged(per_key: dict[str, Counts]) -> Counts:
    merged: dict[float, int] = {}
    for counts in per_key.values():
        for value, n in counts:
            merged[value] = merged.get(value, 0) + n
    return sorted(merged.items())


def _row(
    key: str,
    r: dict[str, Any] | None,
    waits: Counts | None,
    served: Counts | None,
    refused: list[Refusal],
    open_time: tuple[float, float] | None,
) -> ReportRow:
    """A group's figures from its aggregate row (None: only refusals or open time fell in the
    group), with percentiles from the counts of its values (None: not asked for), and the
    counters' open and paused minutes (None: not for this grouping)."""

    values = r or {}

    def whole(name: str) -> int:
        return int(values.get(name) or 0)

    def measured(count: int, name: str, counts: Counts | None) -> Spread:
        ranks = None if counts is None else nearest_ranks(counts)
        if not count or (ranks is None and counts is not None):
            return Spread(0, None, None, None, None)
        total, most = values[f"{name}_sum"], values[f"{name}_max"]
        p50, p90 = ranks or (None, None)
        return Spread(count, float(total) / count, p50, p90, float(most))

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
        open_minutes=None if open_time is None else open_time[0],
        paused_minutes=None if open_time is None else open_time[1],
        utilisation=(
            float(values.get("service_sum") or 0) / open_time[0]
            if open_time is not None and open_time[0] > 0
            else None
        ),
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
