"""Many OS processes on one database: 2 issuing, 6 calling (and serving walk-ins, parking
tickets and calling them back); every guarantee checked after."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta

import pytest

from shared.clock import ManualClock, shared_now
from shared.domain.states import FINAL_STATES, WALK_IN_CALL, EventKind
from shared.engine import QueueEngine
from shared.engine.invariants import check_invariants
from shared.site_config import load_site_file
from tests.conftest import DATA, MONDAY_9
from tests.integration import workers

ISSUERS, PER_ISSUER = 2, 120
COUNTERS = ("C1", "C2", "C3", "C4", "C5", "C6")


@pytest.fixture
def busy_url(db_url, monkeypatch):
    monkeypatch.setenv("ANTRIAN_NOW", shared_now(MONDAY_9))  # one clock for all the workers
    with QueueEngine.open(db_url) as engine:
        engine.load_site(load_site_file(DATA / "busy-site.toml"))
    return db_url


def test_processes_issuing_and_calling_at_once_keep_every_guarantee(busy_url):
    context = multiprocessing.get_context("spawn")
    done = context.Manager().Event()
    with ProcessPoolExecutor(ISSUERS + len(COUNTERS), mp_context=context) as pool:
        callers = [
            pool.submit(workers.work_counter, busy_url, code, i, done)
            for i, code in enumerate(COUNTERS)
        ]
        issuers = [
            pool.submit(workers.issue_many, busy_url, PER_ISSUER, 100 + i) for i in range(ISSUERS)
        ]
        issued = [pair for future in issuers for pair in future.result(timeout=240)]
        done.set()
        calls = sum(future.result(timeout=240) for future in callers)

    # a transfer made after its target's counters had gone home still waits: C1 serves every
    # service, and what was sent to a colleague's counter is open to all once that one closes
    with QueueEngine.open(busy_url) as engine:
        for counter in engine.board().counters:
            if counter.code != "C1":
                engine.close_counter(counter.code)
        while engine.call_next("C1"):
            pass
        engine.close_counter("C1")

    numbers = [number for number, _ in issued]
    assert len(numbers) == ISSUERS * PER_ISSUER
    assert len(set(numbers)) == len(numbers), "a number was issued twice"

    with QueueEngine.open(busy_url) as engine:
        assert check_invariants(engine.db) == []  # no number issued twice, walk-ins' included
        events = engine.events_after(0, 1_000_000)
        walk_ins = {e.ticket_id for e in events if e.detail == WALK_IN_CALL}
        assert walk_ins, "the counters served no walk-in: the test proves less than it says"
        issued_ids = {tid for _, tid in issued}
        # every ticket was called from the queue exactly once, and every parked one called back
        # exactly once (by the counter that parked it; call-specific is used for nothing else)
        called = Counter(e.ticket_id for e in events if e.kind == EventKind.CALLED)
        from_queue = Counter(
            e.ticket_id for e in events if e.kind == EventKind.CALLED and e.from_state == "waiting"
        )
        parked = Counter(e.ticket_id for e in events if e.kind == EventKind.PARKED)
        assert parked, "no counter parked a ticket: the test proves less than it says"
        sent = [
            e for e in events if e.kind == EventKind.ISSUED and (e.detail or "").startswith("for ")
        ]
        assert sent, (
            "no ticket was sent to a colleague's counter: the test proves less than it says"
        )
        assert set(from_queue.values()) == {1} and set(parked.values()) == {1}
        assert called == from_queue + parked
        assert calls <= sum(called.values())  # C1 above called what was left
        final = {}
        for event in events:
            if event.ticket_id is not None:
                final[event.ticket_id] = event.to_state
        # nothing lost: every issued ticket (and every transfer of one) ended in a final state
        assert issued_ids <= set(final)
        assert all(state in FINAL_STATES for state in final.values())
        assert sum(w.waiting for w in engine.board().waiting) == 0


def test_processes_crossing_midnight_together_expire_each_ticket_once(db_url, monkeypatch):
    monday = MONDAY_9
    with QueueEngine.open(db_url, clock=ManualClock(monday)) as engine:
        engine.load_site(load_site_file(DATA / "busy-site.toml"))
        for _ in range(30):
            engine.issue_ticket("KTP")
        engine.call_next("C1")
        engine.start("C1")
    monkeypatch.setenv("ANTRIAN_NOW", shared_now(monday + timedelta(days=1)))
    context = multiprocessing.get_context("spawn")
    manager = context.Manager()
    ready, go = manager.Queue(), manager.Event()
    with ProcessPoolExecutor(6, mp_context=context) as pool:
        futures = [pool.submit(workers.roll_over, db_url, ready, go) for _ in range(6)]
        for _ in range(6):
            ready.get(timeout=60)  # all six are connected and waiting
        go.set()
        expired_by = [future.result(timeout=60) for future in futures]
    assert sorted(expired_by) == [0, 0, 0, 0, 0, 30]
    with QueueEngine.open(db_url) as engine:
        events = engine.events_after(0, 1_000_000)
        assert Counter(e.ticket_id for e in events if e.kind == EventKind.EXPIRED) == {
            t: 1 for t in range(1, 31)
        }
        assert check_invariants(engine.db) == []
