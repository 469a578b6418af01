"""Engine benchmark: issue_ticket and call_next latencies against a raw-SQL floor, on SQLite and
PostgreSQL, and call_next on an empty database versus one holding a year of history.

    python bench/engine.py [--ops 2000] [--history 2500000] [--pg URL] [--no-pg]

Prints figures; asserts nothing. The raw floor runs the same writes through the bare driver
(sqlite3 / psycopg) in one transaction: for issuing, the quota and number upserts, the ticket and
its event; for calling, the next-ticket query, the ticket and counter updates and the event.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shared.clock import ManualClock  # noqa: E402
from shared.engine import QueueEngine  # noqa: E402
from shared.site_config import load_site_file  # noqa: E402
from shared.store import schema  # noqa: E402

SITE = ROOT / "examples" / "mpp-kabupaten-bekasi.toml"
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
MONDAY = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # 08:00 in Jakarta


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered) * 1000, p99 * 1000


def timed(action: Callable[[int], object], count: int) -> list[float]:
    samples = []
    for i in range(count):
        start = time.perf_counter()
        action(i)
        samples.append(time.perf_counter() - start)
    return samples


# ------------------------------------------------------------------------------- databases


@contextmanager
def sqlite_database() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as folder:
        yield f"sqlite:///{folder}/bench.db"


@contextmanager
def postgres_database(base_url: str) -> Iterator[str]:
    base = make_url(base_url)
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"antrian_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.set(drivername="postgresql+psycopg", database=name).render_as_string(False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Raw:
    """The bare driver on the same database, with the same transaction discipline."""

    def __init__(self, url: str) -> None:
        parsed = make_url(url)
        self.sqlite = parsed.get_backend_name() == "sqlite"
        if self.sqlite:
            self.conn: object = sqlite3.connect(parsed.database, isolation_level=None)
            self.conn.execute("PRAGMA journal_mode=WAL")  # type: ignore[attr-defined]
            self.conn.execute("PRAGMA synchronous=NORMAL")  # type: ignore[attr-defined]
            self.mark = "?"
        else:
            self.conn = psycopg.connect(parsed.set(drivername="postgresql").render_as_string(False))
            self.mark = "%s"

    def sql(self, text: str) -> str:
        return text.replace("?", self.mark)

    def stamp(self, moment: datetime) -> object:
        naive = moment.astimezone(UTC).replace(tzinfo=None)
        return naive.isoformat(sep=" ", timespec="microseconds") if self.sqlite else naive


# ------------------------------------------------------------------------------ benchmark


def run_backend(label: str, url: str, ops: int, history: int) -> None:
    schema.upgrade(url)
    clock = ManualClock(MONDAY)
    engine = QueueEngine.open(url, clock=clock, actor="bench")
    engine.load_site(load_site_file(SITE))
    catalogue = engine.catalogue()
    services = [
        s for a in catalogue.agencies for s in a.services if s.daily_quota is None and s.can_issue
    ]
    counters = [c.code for c in engine.board().counters]

    def tick(_: int) -> None:
        clock.advance(seconds=1)

    def issue(i: int) -> None:
        tick(i)
        engine.issue_ticket(services[i % len(services)].code)

    def call(i: int) -> None:
        tick(i)
        engine.call_next(counters[i % len(counters)])

    start = time.perf_counter()
    issue_samples = timed(issue, ops)
    rate = ops / (time.perf_counter() - start)
    call_samples = timed(call, ops)

    raw = Raw(url)
    ids = dict(_service_ids(engine))
    day = (clock.now() + timedelta(days=1)).astimezone(engine.zone).date()
    raw_issue_samples = timed(
        lambda i: raw_issue_full(
            raw,
            day,
            ids[services[i % len(services)].code],
            services[i % len(services)].prefix,
            clock.now(),
        ),
        ops,
    )
    counter_ids = _counter_ids(engine)
    raw_call_samples = timed(
        lambda i: raw_call(raw, day, counter_ids[counters[i % len(counters)]], clock.now()), ops
    )

    print(f"\n{label}")
    print(
        f"  issue_ticket  engine p50 {percentiles(issue_samples)[0]:.2f} ms  "
        f"p99 {percentiles(issue_samples)[1]:.2f} ms   ({rate:,.0f} tickets/s, one process)"
    )
    print(
        f"                raw    p50 {percentiles(raw_issue_samples)[0]:.2f} ms  "
        f"p99 {percentiles(raw_issue_samples)[1]:.2f} ms   "
        f"(engine/raw p50 x{_ratio(issue_samples, raw_issue_samples):.1f})"
    )
    print(
        f"  call_next     engine p50 {percentiles(call_samples)[0]:.2f} ms  "
        f"p99 {percentiles(call_samples)[1]:.2f} ms"
    )
    print(
        f"                raw    p50 {percentiles(raw_call_samples)[0]:.2f} ms  "
        f"p99 {percentiles(raw_call_samples)[1]:.2f} ms   "
        f"(engine/raw p50 x{_ratio(call_samples, raw_call_samples):.1f})"
    )

    feed = feed_latency(url, engine, services[0].code, clock, max(50, ops // 20))
    print(
        f"  change feed   commit -> follower p50 {percentiles(feed)[0]:.1f} ms  "
        f"p99 {percentiles(feed)[1]:.1f} ms   (another engine, same process)"
    )

    if history:
        load_start = time.perf_counter()
        bulk_load_history(raw, ids, history, clock.now().astimezone(engine.zone).date())
        loaded = time.perf_counter() - load_start
        clock.advance(days=2)
        for i in range(ops):
            issue(i)
        busy_samples = timed(call, ops)
        print(
            f"  call_next with {history:,} tickets of history (loaded in {loaded:.0f} s): "
            f"p50 {percentiles(busy_samples)[0]:.2f} ms  p99 {percentiles(busy_samples)[1]:.2f} "
            f"ms  (x{_ratio(busy_samples, call_samples):.2f} of the empty database)"
        )
    engine.close()


def feed_latency(
    url: str, engine: QueueEngine, service: str, clock: ManualClock, count: int
) -> list[float]:
    """Seconds from an issue_ticket commit to a follower (its own engine) receiving the event."""
    import queue

    follower_engine = QueueEngine.open(url, clock=clock)
    received: queue.Queue[float] = queue.Queue()
    subscription = follower_engine.subscribe(
        lambda _event: received.put(time.perf_counter()), engine.board().last_event_id
    )
    time.sleep(0.5)
    samples = []
    for _ in range(count):
        time.sleep(0.02)
        committed = time.perf_counter()
        engine.issue_ticket(service)
        samples.append(received.get(timeout=10) - committed)
    subscription.stop()
    follower_engine.close()
    return samples


def _ratio(a: list[float], b: list[float]) -> float:
    return statistics.median(a) / statistics.median(b)


def _service_ids(engine: QueueEngine) -> dict[str, int]:
    from sqlalchemy import select

    from shared.store.tables import services

    with engine.db.read() as conn:
        return dict(conn.execute(select(services.c.code, services.c.id)).tuples().all())


def _counter_ids(engine: QueueEngine) -> dict[str, int]:
    from sqlalchemy import select

    from shared.store.tables import counters

    with engine.db.read() as conn:
        return dict(conn.execute(select(counters.c.code, counters.c.id)).tuples().all())


def raw_issue_full(raw: Raw, day: date, service_id: int, prefix: str, now: datetime) -> None:
    """The writes of issuing one ticket, in one transaction, through the bare driver."""
    stamp, day_value = raw.stamp(now), day.isoformat() if raw.sqlite else day
    if raw.sqlite:
        cur = raw.conn.cursor()  # type: ignore[attr-defined]
        cur.execute("BEGIN IMMEDIATE")
        run = cur.execute
        fetch = cur.fetchone
    else:
        tx = raw.conn.transaction()  # type: ignore[attr-defined]
        tx.__enter__()
        cur = raw.conn.cursor()  # type: ignore[attr-defined]
        run = lambda text, params: cur.execute(raw.sql(text), params)  # noqa: E731
        fetch = cur.fetchone
    run(
        "INSERT INTO daily_counts (day, service_id, issued) VALUES (?, ?, 1) ON CONFLICT "
        "(day, service_id) DO UPDATE SET issued = daily_counts.issued + 1 RETURNING issued",
        (day_value, service_id),
    )
    fetch()
    run(
        "INSERT INTO number_sequences (day, prefix, last_number) VALUES (?, ?, 1) ON CONFLICT "
        "(day, prefix) DO UPDATE SET last_number = number_sequences.last_number + 1 "
        "RETURNING last_number",
        (day_value, prefix),
    )
    seq = fetch()[0]
    number = f"{prefix}{seq:03d}"
    run(
        "INSERT INTO tickets (day, service_id, prefix, seq, number, priority, source, state, "
        "issued_at, original_issued_at, call_count) VALUES (?, ?, ?, ?, ?, ?, 'kiosk', 'waiting', "
        "?, ?, 0) RETURNING id",
        (day_value, service_id, prefix, seq, number, False, stamp, stamp),
    )
    ticket_id = fetch()[0]
    run(
        "INSERT INTO events (at, day, kind, actor, ticket_id, number, priority, to_state) "
        "VALUES (?, ?, 'issued', 'bench', ?, ?, ?, 'waiting') RETURNING id",
        (stamp, day_value, ticket_id, number, False),
    )
    fetch()
    if raw.sqlite:
        cur.execute("COMMIT")
    else:
        tx.__exit__(None, None, None)


def raw_call(raw: Raw, day: date, counter_id: int, now: datetime) -> None:
    """The writes of "next" in one transaction, through the bare driver: end the counter's
    current ticket, pick the next by the same query, call it, log both."""
    stamp, day_value = raw.stamp(now), day.isoformat() if raw.sqlite else day
    lock = "" if raw.sqlite else " FOR UPDATE SKIP LOCKED"
    if raw.sqlite:
        cur = raw.conn.cursor()  # type: ignore[attr-defined]
        cur.execute("BEGIN IMMEDIATE")
        run = cur.execute
    else:
        tx = raw.conn.transaction()  # type: ignore[attr-defined]
        tx.__enter__()
        cur = raw.conn.cursor()  # type: ignore[attr-defined]
        run = lambda text, params: cur.execute(raw.sql(text), params)  # noqa: E731
    run(
        "SELECT current_ticket_id FROM counters WHERE id = ?" + lock.replace(" SKIP LOCKED", ""),
        (counter_id,),
    )
    held = cur.fetchone()[0]
    if held is not None:  # the counter's current ticket ends, as the engine's "next" does
        run(
            "UPDATE tickets SET state = 'done', finished_at = ? WHERE id = ? AND state = 'called'",
            (stamp, held),
        )
        run(
            "INSERT INTO events (at, day, kind, actor, ticket_id, priority, from_state, to_state) "
            "VALUES (?, ?, 'finished', 'bench', ?, ?, 'called', 'done')",
            (stamp, day_value, held, False),
        )
    run(
        "SELECT id, number FROM tickets WHERE day = ? AND state = 'waiting' AND service_id IN "
        "(SELECT service_id FROM counter_services WHERE counter_id = ?) "
        "ORDER BY priority DESC, original_issued_at, id LIMIT 1" + lock,
        (day_value, counter_id),
    )
    row = cur.fetchone()
    run(
        "UPDATE counters SET current_ticket_id = ? WHERE id = ?",
        (row[0] if row else None, counter_id),
    )
    if row:
        run(
            "UPDATE tickets SET state = 'called', counter_id = ?, called_at = ?, "
            "call_count = call_count + 1 WHERE id = ?",
            (counter_id, stamp, row[0]),
        )
        run(
            "INSERT INTO events (at, day, kind, actor, ticket_id, number, priority, from_state, "
            "to_state) VALUES (?, ?, 'called', 'bench', ?, ?, ?, 'waiting', 'called')",
            (stamp, day_value, row[0], row[1], False),
        )
    if raw.sqlite:
        cur.execute("COMMIT")
    else:
        tx.__exit__(None, None, None)


def bulk_load_history(raw: Raw, service_ids: dict[str, int], count: int, today: date) -> None:
    """`count` finished tickets spread over the 365 days before `today`."""
    ids = sorted(service_ids.values())
    per_day = max(1, count // 365)
    columns = (
        "day, service_id, prefix, seq, number, priority, source, state, issued_at, "
        "original_issued_at, called_at, started_at, finished_at, call_count"
    )

    def rows() -> Iterator[tuple[object, ...]]:
        made = 0
        for back in range(365, 0, -1):
            day = today - timedelta(days=back)
            base = datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)
            for seq in range(1, per_day + 1):
                if made >= count:
                    return
                made += 1
                at = base + timedelta(seconds=seq * 2)
                stamp = raw.stamp(at)
                yield (
                    day.isoformat() if raw.sqlite else day,
                    ids[seq % len(ids)],
                    "Z",
                    seq,
                    f"Z{seq:03d}",
                    False,
                    "kiosk",
                    "done",
                    stamp,
                    stamp,
                    stamp,
                    stamp,
                    raw.stamp(at + timedelta(minutes=5)),
                    1,
                )

    if raw.sqlite:
        conn = raw.conn
        conn.execute("BEGIN")  # type: ignore[attr-defined]
        conn.executemany(  # type: ignore[attr-defined]
            f"INSERT INTO tickets ({columns}) VALUES ({', '.join('?' * 14)})", rows()
        )
        conn.execute("COMMIT")  # type: ignore[attr-defined]
        conn.execute("ANALYZE")  # type: ignore[attr-defined]
    else:
        with (
            raw.conn.cursor() as cur,
            cur.copy(  # type: ignore[attr-defined]
                f"COPY tickets ({columns}) FROM STDIN"
            ) as copy,
        ):
            for row in rows():
                copy.write_row(row)
        raw.conn.commit()  # type: ignore[attr-defined]
        raw.conn.execute("ANALYZE")  # type: ignore[attr-defined]
        raw.conn.commit()  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--ops", type=int, default=2000)
    parser.add_argument("--history", type=int, default=2_500_000)
    parser.add_argument("--pg", default=os.environ.get("ANTRIAN_TEST_PG", PG_DEFAULT))
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    print(
        f"Antrian engine benchmark: {args.ops} operations each, "
        f"history {args.history:,} tickets; example site {SITE.name}"
    )
    with sqlite_database() as url:
        run_backend("SQLite (WAL, synchronous=NORMAL)", url, args.ops, args.history)
    if not args.no_pg:
        with postgres_database(args.pg) as url:
            run_backend("PostgreSQL (local, fsync on)", url, args.ops, args.history)


if __name__ == "__main__":
    main()
