"""Reports benchmark: a year of history, then a month's and a year's report, and the monitor page.

    python bench/reports.py [--tickets 2500000] [--days 250] [--db URL]

Generates the history in bulk (finished tickets of the example site's services, spread over
working days, with waits and service times, and each counter's day in the events log: a login,
a break and a logout, for its utilisation), then times `engine.report` for this month so far,
for one month by service and for the whole year by agency (each the first time, which counts
and keeps the ended months, and again), the console's report page and the XLSX's figures for
the year, and GET /staff (the live monitor) on `antrian web` with a logged-in supervisor.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import insert, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from web_process import free_port, web_server  # noqa: E402

from shared.demo import EXAMPLE_SITE  # noqa: E402
from shared.domain.report import GROUPINGS  # noqa: E402
from shared.engine import QueueEngine  # noqa: E402
from shared.engine.reports import ReportQuery  # noqa: E402
from shared.site_config import load_site_file  # noqa: E402
from shared.store import schema  # noqa: E402
from shared.store.tables import counter_services, counters, events, services, tickets  # noqa: E402
from web.console import page_groupings  # noqa: E402

FIRST_DAY = date(2025, 12, 1)
CHUNK = 20_000


def working_days(count: int) -> list[date]:
    days, day = [], FIRST_DAY
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def generate(engine: QueueEngine, total: int, days: list[date]) -> None:
    """`total` finished tickets over `days`, in bulk (one INSERT per chunk), each served at
    one of the counters that serve its service."""
    rng = random.Random(7)
    with engine.db.engine.begin() as conn:
        rows = conn.execute(select(services.c.id, services.c.prefix)).all()
        serving: dict[int, list[int]] = {}  # service -> the counters that serve it
        for counter_id, service_id in conn.execute(
            select(counter_services.c.counter_id, counter_services.c.service_id)
        ):
            serving.setdefault(service_id, []).append(counter_id)
        rows = [r for r in rows if r.id in serving]
    per_day = total // len(days)
    batch: list[dict[str, object]] = []
    begun = time.perf_counter()
    for day in days:
        opening = datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)  # 08:00 in Jakarta
        sequence: dict[str, int] = {}
        for _ in range(per_day):
            service_id, prefix = rng.choice(rows)
            sequence[prefix] = sequence.get(prefix, 0) + 1
            issued = opening + timedelta(minutes=rng.uniform(0, 420))
            called = issued + timedelta(minutes=rng.expovariate(1 / 20))
            started = called + timedelta(minutes=1)
            finished = started + timedelta(minutes=rng.lognormvariate(2.1, 0.4))
            batch.append(
                {
                    "day": day,
                    "service_id": service_id,
                    "prefix": prefix,
                    "seq": sequence[prefix],
                    "number": f"{prefix}{sequence[prefix]:03d}",
                    "priority": False,
                    "source": "kiosk",
                    "state": "done",
                    "issued_at": issued,
                    "original_issued_at": issued,
                    "called_at": called,
                    "started_at": started,
                    "finished_at": finished,
                    "counter_id": rng.choice(serving[service_id]),
                    "call_count": 1,
                }
            )
            if len(batch) >= CHUNK:
                with engine.db.engine.begin() as conn:
                    conn.execute(insert(tickets), batch)
                batch.clear()
    if batch:
        with engine.db.engine.begin() as conn:
            conn.execute(insert(tickets), batch)
    shifts = counter_days(engine, days)
    print(
        f"history: {per_day * len(days):,} tickets and {shifts:,} counter events"
        f" in {time.perf_counter() - begun:.0f} s"
    )


# a counter's day (Jakarta time), as the engine logs it: login 07:55 (which opens the counter
# in the staff member's name), break 12:00-13:00, logout 15:45 (which closes it)
SHIFT = (
    (0, 55, "counter_opened", True),
    (0, 55, "staff_login", True),
    (5, 0, "counter_paused", False),
    (6, 0, "counter_opened", False),
    (8, 45, "counter_closed", False),
    (8, 45, "staff_logout", True),
)


def counter_days(engine: QueueEngine, days: list[date]) -> int:
    """Every counter's login, break and logout on each of `days`, in the events log."""
    with engine.db.engine.begin() as conn:
        codes = list(conn.execute(select(counters.c.code)).scalars())
        rows = [
            {
                "at": datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC),
                "day": day,
                "kind": kind,
                "actor": "bench",
                "counter_code": code,
                "staff": f"petugas-{code}" if named else None,
            }
            for day in days
            for code in codes
            for hour, minute, kind, named in SHIFT
        ]
        for first in range(0, len(rows), CHUNK):
            conn.execute(insert(events), rows[first : first + CHUNK])
    return len(rows)


def timed(work, times: int = 3) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    """The best of `times` runs, in seconds, and the last result."""
    best, result = float("inf"), None
    for _ in range(times):
        begun = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - begun)
    return best, result


def console_page(engine: QueueEngine, query: ReportQuery) -> None:
    """What the console's report page asks: its grouping with percentiles, the charts'
    groupings without, and the arrivals' heatmap."""
    engine.grouped_reports(query, page_groupings(query.by), spread=(query.by,))
    engine.arrival_grid(query)


def monitor(url: str) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with web_server(url, port, "--rate", "10000", "--burst", "10000"):
        with httpx.Client(base_url=base, timeout=30) as client:
            form = client.get("/staff/login").text
            csrf = re.search(r'name="csrf" value="([^"]+)"', form)
            assert csrf is not None
            client.post(
                "/staff/login",
                data={"csrf": csrf.group(1), "username": "bench", "password": "bench-12345"},
            )
            loads = []
            for _ in range(30):
                begun = time.perf_counter()
                assert client.get("/staff").status_code == 200
                loads.append(time.perf_counter() - begun)
        print(
            f"monitor page: p50 {statistics.median(loads) * 1000:.0f} ms, "
            f"max {max(loads) * 1000:.0f} ms (30 loads)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=2_500_000)
    parser.add_argument("--days", type=int, default=250)
    parser.add_argument("--db", default=None)
    args = parser.parse_args()
    url = args.db or f"sqlite:///{tempfile.mkdtemp(prefix='antrian-reports-')}/bench.db"
    schema.upgrade(url)
    days = working_days(args.days)
    with QueueEngine.open(url) as engine:
        engine.load_site(load_site_file(EXAMPLE_SITE))
        engine.add_user("bench", "bench-12345", role="supervisor")
        generate(engine, args.tickets, days)
        month = ReportQuery(date(2026, 3, 1), date(2026, 3, 31), "service")
        year = ReportQuery(days[0], days[-1], "agency")
        current = ReportQuery(date(2026, 11, 1), days[-1], "service")
        runs = [
            ("this month so far by service (its tickets)", current, 3),
            ("a month by service, first report (counts and keeps the month)", month, 1),
            ("the same month again (kept)", month, 3),
            ("the year by agency, first report (keeps its other months)", year, 1),
            ("the year by agency again (kept months + this month's tickets)", year, 3),
        ]
        for label, query, times in runs:
            seconds, result = timed(lambda q=query: engine.report(q), times)
            print(f"{label}: {seconds:.2f} s ({result.total.arrived:,} tickets)")  # type: ignore[attr-defined]
        seconds, _ = timed(lambda: console_page(engine, year), 3)
        print(
            "the console's report page for the year (its grouping, the charts' four,"
            f" heatmap): {seconds:.2f} s"
        )
        seconds, _ = timed(lambda: engine.grouped_reports(year, GROUPINGS), 1)
        print(f"the year's XLSX (every grouping, percentiles by day and hour): {seconds:.2f} s")
    monitor(url)


if __name__ == "__main__":
    main()
