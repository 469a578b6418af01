"""Kiosks and counters killed with SIGKILL in the middle of their work, again and again, on both
databases: whatever a process was doing is either wholly done or not at all."""

from __future__ import annotations

import random
import time
from collections import Counter

import pytest

from shared.clock import shared_now
from shared.domain.states import FINAL_STATES, EventKind
from shared.engine import QueueEngine
from shared.engine.invariants import check_invariants
from shared.site_config import load_site_file
from tests.conftest import DATA, MONDAY_9
from tests.integration.killable import Worker

ROLES = (
    ("kiosk", "1"),
    ("kiosk", "2"),
    ("counter", "C1", "3"),
    ("counter", "C2", "4"),
    ("counter", "C3", "5"),
    ("counter", "C4", "6"),
)
COUNTERS = tuple(role[1] for role in ROLES if role[0] == "counter")
KILLS = 12


@pytest.fixture
def busy_url(db_url, monkeypatch):
    monkeypatch.setenv("ANTRIAN_NOW", shared_now(MONDAY_9))  # one clock for every process
    with QueueEngine.open(db_url) as engine:
        engine.load_site(load_site_file(DATA / "busy-site.toml"))
    return db_url


def test_processes_killed_mid_work_leave_nothing_half_done_and_lose_nothing(busy_url, tmp_path):
    rng = random.Random(7)
    workers = [Worker(busy_url, role, tmp_path / f"{'-'.join(role)}.err") for role in ROLES]
    try:
        for _ in range(KILLS):
            time.sleep(rng.uniform(0.05, 0.6))
            rng.choice(workers).kill_and_restart()
        time.sleep(0.5)
    finally:
        for worker in workers:  # the last kill of each: nobody ends cleanly
            worker.kill_and_restart(restart=False)

    issued = [line.split()[1:] for w in workers for line in w.lines if line.startswith("issued")]
    called = [
        int(line.split()[1]) for w in workers for line in w.lines if line.startswith("called")
    ]
    assert len(issued) > 50 and len(called) > 20, "the processes hardly worked: nothing proved"

    with QueueEngine.open(busy_url) as engine:
        assert check_invariants(engine.db) == []  # no number twice, nothing held half-way
        for code in COUNTERS:  # a restarted counter ends what it still held, then calls on
            while engine.call_next(code):
                pass
        for code in COUNTERS:
            engine.close_counter(code)
        assert check_invariants(engine.db) == []
        events = engine.events_after(0, 10_000_000)
    numbers = {e.ticket_id: e.number for e in events if e.kind == EventKind.ISSUED}
    # every ticket a kiosk said it issued is there under its number
    assert {int(tid): number for number, tid in issued}.items() <= numbers.items()
    calls = Counter(e.ticket_id for e in events if e.kind == EventKind.CALLED)
    assert set(called) <= set(calls), "a call a counter saw is not in the log"
    assert set(calls.values()) == {1}, "a ticket was called twice"
    final = {e.ticket_id: e.to_state for e in events if e.ticket_id is not None}
    assert set(numbers) <= set(final), "an issued ticket is lost"
    assert all(state in FINAL_STATES for state in final.values()), "a ticket left half-way"
