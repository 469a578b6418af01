"""Closed months kept as sums (`shared.engine.report_rollups`): a report that reads them gives
the figures the tickets give, in every grouping and filter, and a month is kept only once it
has ended and read again when the site's definitions change.

The history: five weeks of scripted days around November 2026 on the small site (issues,
calls by several counters and staff, served with and without start, no-shows, transfers,
tickets left open that expire), so the whole of November is kept and October's and December's
days are read from the tickets.
"""

from __future__ import annotations

import random
import threading
from dataclasses import asdict, replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from shared.clock import ManualClock
from shared.domain.report import GROUPINGS, Report
from shared.engine import QueueEngine, reports
from shared.engine.report_rollups import PERCENTILE_KEYS, whole_months
from shared.engine.reports import ReportQuery
from shared.site_config import load_site_file
from shared.store.tables import report_months, report_rollups
from tests.conftest import JAKARTA, SMALL_SITE

FIRST, LAST = date(2026, 10, 26), date(2026, 12, 2)
TODAY = datetime(2026, 12, 3, 9, 0, tzinfo=JAKARTA)
TIME_GROUPINGS = tuple(g for g in GROUPINGS if g not in PERCENTILE_KEYS)
FILTERS = [
    {},
    {"agencies": ("SAMSAT",)},
    {"service": "KTP"},
    {"counter": "L1"},
    {"staff": "sari"},
]


def play_day(engine: QueueEngine, clock: ManualClock, day: date, rng: random.Random) -> None:
    """Tickets through the day: every ending a ticket can have, at random minutes."""
    at = datetime(day.year, day.month, day.day, 9, 0, tzinfo=JAKARTA)
    for _ in range(rng.randint(4, 9)):
        at += timedelta(minutes=rng.randint(0, 12), seconds=rng.randint(0, 59))
        clock.set(at)
        engine.issue_ticket(rng.choice(("KTP", "KTP", "AKTA", "PKB")))
    for _ in range(rng.randint(5, 10)):
        at += timedelta(minutes=rng.randint(1, 25), seconds=rng.randint(0, 59))
        clock.set(at)
        counter = rng.choice(("L1", "L2", "L3", "S1"))
        called = engine.call_next(counter, staff=rng.choice(("sari", "budi", None)))
        if called is None:
            continue
        clock.set(at := at + timedelta(minutes=rng.randint(0, 3), seconds=rng.randint(1, 59)))
        ending = rng.random()
        if ending < 0.45:
            engine.start(counter)
            clock.set(at := at + timedelta(minutes=rng.randint(2, 15)))
            engine.finish(counter)
        elif ending < 0.6:
            clock.set(at := at + timedelta(minutes=rng.randint(2, 15)))
            engine.finish(counter)  # never started: served from the call
        elif ending < 0.75:
            engine.skip(counter)
        elif ending < 0.9 and called.service_code in ("KTP", "AKTA"):
            engine.transfer(counter, "KK")
        # else: left called at its counter, or waiting: expired when the day is closed


@pytest.fixture
def history(db_url: str) -> QueueEngine:
    clock = ManualClock(datetime(2026, 10, 26, 8, 0, tzinfo=JAKARTA))
    with QueueEngine.open(db_url, clock=clock, actor="test") as engine:
        engine.load_site(load_site_file(SMALL_SITE))
        engine.add_user("sari", "rahasia123")
        engine.add_user("budi", "rahasia123")
        rng = random.Random(11)
        day = FIRST
        while day <= LAST:
            if day.weekday() < 5:
                play_day(engine, clock, day, rng)
            day += timedelta(days=1)
        clock.set(TODAY)
        engine.close_day()
        yield engine


def from_tickets(engine: QueueEngine, query: ReportQuery) -> dict[str, Report]:
    """The report read from the tickets alone (no month kept is read)."""
    return engine._read(lambda ctx: reports.compute(ctx, query, GROUPINGS))


def plain(report: Report, percentiles: bool = True) -> dict[str, object]:
    """The report's figures, means to 9 decimals (sums added in another order), and without
    the percentiles when they were not asked for."""

    def rounded(value: object) -> object:
        if isinstance(value, float):
            return round(value, 9)
        if isinstance(value, dict):
            if not percentiles and "p50" in value:
                value = {**value, "p50": None, "p90": None}
            return {k: rounded(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [rounded(v) for v in value]
        return value

    return rounded(asdict(report))  # type: ignore[return-value]


@pytest.mark.parametrize("narrow", FILTERS, ids=lambda f: ",".join(f) or "all")
def test_a_report_over_kept_months_gives_the_tickets_figures(history, narrow):
    query = ReportQuery(FIRST, LAST, **narrow)
    expected = from_tickets(history, query)
    grid = history.arrival_grid(query)
    assert history.keep_report_months(query) == ["2026-11"]
    kept = history.grouped_reports(query, PERCENTILE_KEYS)
    for by in PERCENTILE_KEYS:
        assert plain(kept[by]) == plain(expected[by]), by
    over_time = history.grouped_reports(query, TIME_GROUPINGS, spread=())
    for by in TIME_GROUPINGS:
        assert plain(over_time[by]) == plain(expected[by], percentiles=False), by
        assert all(r.wait.p50 is None for r in over_time[by].rows)
    assert history.arrival_grid(query) == grid
    total = expected["service"].total
    assert total.called > 10  # the history is not empty
    if not narrow:  # and holds every ending
        assert min(total.served, total.no_show, total.transferred, total.expired) > 0


def test_the_kept_figures_are_what_the_report_reads(history):
    """(Not the tickets again: a change to the kept rows shows in the report.)"""
    query = ReportQuery(FIRST, LAST, by="agency")
    before = history.report(query).total.arrived
    with history.db.engine.begin() as conn:
        rows = conn.execute(select(func.count()).select_from(report_rollups)).scalar_one()
        conn.execute(update(report_rollups).values(arrived=report_rollups.c.arrived + 1))
    assert history.report(query).total.arrived == before + rows
    # by day the percentiles need the tickets: the kept months are not read
    assert history.report(replace(query, by="day")).total.arrived == before


def test_a_month_is_kept_only_once_it_has_ended(history):
    assert whole_months(date(2026, 11, 1), date(2026, 12, 31), date(2026, 12, 3)) == [
        ("2026-11", date(2026, 11, 1), date(2026, 11, 30))
    ]
    assert whole_months(date(2026, 11, 2), date(2026, 11, 30), date(2026, 12, 3)) == []
    assert whole_months(date(2026, 11, 1), date(2026, 11, 30), date(2026, 11, 30)) == []
    assert history.keep_report_months(ReportQuery(date(2026, 12, 1), LAST)) == []
    assert history.keep_report_months(ReportQuery(FIRST, LAST)) == ["2026-11"]
    assert history.keep_report_months(ReportQuery(FIRST, LAST)) == []  # kept once


def test_a_changed_waiting_target_is_counted_again(history, tmp_path: Path):
    query = ReportQuery(FIRST, LAST)
    history.keep_report_months(query)
    before = history.report(query).total.within_target
    stricter = tmp_path / "site.toml"
    stricter.write_text(
        SMALL_SITE.read_text().replace("[site]\n", "[site]\nwait_target_minutes = 5\n", 1)
    )
    history.load_site(load_site_file(stricter))
    expected = from_tickets(history, query)["service"]
    read_again = history._read(lambda ctx: reports.compute(ctx, query, ("service",)))["service"]
    assert plain(read_again) == plain(expected)  # the stale month is not read
    assert history.keep_report_months(query) == ["2026-11"]
    report = history.report(query)
    assert plain(report) == plain(expected)
    assert report.total.within_target < before


def test_two_processes_keeping_the_same_month_keep_it_once(history, db_url):
    query = ReportQuery(FIRST, LAST)
    expected = from_tickets(history, query)
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def keep() -> None:
        with QueueEngine.open(db_url, clock=ManualClock(TODAY)) as other:
            start.wait()
            try:
                other.keep_report_months(query)
            except BaseException as error:  # reported below
                failures.append(error)

    workers = [threading.Thread(target=keep) for _ in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert failures == []
    with history.db.engine.begin() as conn:
        assert conn.execute(select(func.count()).select_from(report_months)).scalar_one() == 1
    kept = history.grouped_reports(query, PERCENTILE_KEYS)
    for by in PERCENTILE_KEYS:
        assert plain(kept[by]) == plain(expected[by])


def test_every_ended_month_a_report_may_span_is_kept_once(history):
    kept = history.keep_ended_report_months()
    assert {"2026-10", "2026-11"} <= set(kept) and "2026-12" not in kept
    assert len(kept) == 13  # November 2025 to November 2026: 400 days back
    assert history.keep_ended_report_months() == []
