"""The change feed: another process's commits reach a follower; it survives a lost connection."""

from __future__ import annotations

import queue
import threading
import time

import psycopg
import pytest
from sqlalchemy.engine import make_url

from shared.domain.states import EventKind
from shared.engine import QueueEngine
from tests.conftest import SMALL_SITE

WAIT = 15  # seconds: a bound for a stuck feed, not a performance figure


def collect(engine: QueueEngine, cursor: int = 0):
    """Start a subscription; returns (subscription, queue of events, list of status changes)."""
    events: queue.Queue = queue.Queue()
    statuses: list[bool] = []
    subscription = engine.subscribe(events.put, cursor, on_status=statuses.append)
    return subscription, events, statuses


def test_a_follower_receives_each_commit_of_another_engine_in_order(engine, db_url, clock):
    with QueueEngine.open(db_url, clock=clock) as reader:
        subscription, events, _ = collect(reader, engine.board().last_event_id)
        try:
            engine.issue_ticket("KTP")
            engine.call_next("L1")
            got = [events.get(timeout=WAIT) for _ in range(2)]
        finally:
            subscription.stop()
    assert [(e.kind, e.number) for e in got] == [
        (EventKind.ISSUED, "A001"),
        (EventKind.CALLED, "A001"),
    ]


def test_a_follower_from_cursor_zero_first_catches_up_on_history(engine):
    engine.issue_ticket("KTP")
    engine.issue_ticket("KK")
    follower = engine.follow(0)
    got = []
    for event in follower:
        got.append(event.number)
        if len(got) == 3:
            follower.stop()
    assert got == [None, "A001", "A002"]  # the site file the fixture loaded, then the tickets


def test_the_callback_runs_on_a_background_thread(engine):
    threads = []
    subscription = engine.subscribe(lambda e: threads.append(threading.current_thread()), 0)
    try:
        engine.issue_ticket("KTP")
        for _ in range(WAIT * 20):
            if threads:
                break
            threading.Event().wait(0.05)
    finally:
        subscription.stop()
    assert threads and threads[0] is not threading.main_thread()


@pytest.mark.postgres
def test_the_postgres_follower_reconnects_after_its_connection_is_killed(pg_url, clock):
    from shared.site_config import load_site_file
    from tests.conftest import reset_postgres

    reset_postgres(pg_url)
    with QueueEngine.open(pg_url, clock=clock) as engine:
        engine.load_site(load_site_file(SMALL_SITE))
        subscription, events, statuses = collect(engine, engine.board().last_event_id)
        try:
            engine.issue_ticket("KTP")
            assert events.get(timeout=WAIT).number == "A001"
            admin = make_url(pg_url).set(drivername="postgresql").render_as_string(False)
            with psycopg.connect(admin, autocommit=True) as conn:  # what a server restart does
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            engine.issue_ticket("KTP")
            assert events.get(timeout=WAIT).number == "A002"
        finally:
            subscription.stop()
    assert statuses[0] is True and False in statuses and statuses[-1] is True


@pytest.mark.postgres
def test_each_parts_connections_carry_its_name_for_the_servers_administrator(pg_url, clock):
    # pg_stat_activity then says which part holds which connection (sizing max_connections)
    from tests.conftest import reset_postgres

    reset_postgres(pg_url)
    with QueueEngine.open(pg_url, clock=clock, actor="kiosk") as engine:
        subscription, _events, statuses = collect(engine, engine.board().last_event_id)
        try:
            deadline = time.monotonic() + WAIT
            while not statuses and time.monotonic() < deadline:  # its LISTEN is open
                time.sleep(0.02)
            admin = make_url(pg_url).set(drivername="postgresql").render_as_string(False)
            with psycopg.connect(admin, autocommit=True) as conn:
                named = conn.execute(
                    "SELECT application_name, query FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                ).fetchall()
        finally:
            subscription.stop()
    assert {name for name, _query in named} == {"antrian kiosk"}
    assert any(query.startswith("LISTEN") for _name, query in named)  # the feed's own


def test_closing_an_engine_ends_its_followers_quietly(db_url, clock, caplog):
    """(A follower left running would retry forever against a database that is gone.)"""
    with QueueEngine.open(db_url, clock=clock) as other:
        subscription = other.subscribe(lambda _event: None)
        follower = other.follow()
    subscription._thread.join(10)  # never stopped by hand: closing the engine ends it
    assert not subscription._thread.is_alive()
    assert follower.stopped and list(follower) == []
    assert "unreachable" not in caplog.text


def test_a_follower_asked_of_a_closed_engine_ends_at_once(db_url, clock):
    """(A view's reply arriving after its app stopped used to start a feed nobody would stop.)"""
    other = QueueEngine.open(db_url, clock=clock)
    other.close()
    subscription = other.subscribe(lambda _event: None)
    subscription._thread.join(10)
    assert not subscription._thread.is_alive()
    assert list(other.follow()) == []
