"""Parking a visit (Qmatic's park): set aside until the citizen is ready, called back by number,
expired with its day; on SQLite and PostgreSQL, and by processes racing to call it back."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from concurrent.futures import ProcessPoolExecutor

import pytest

from shared.clock import shared_now
from shared.domain.states import EventKind, TicketState
from shared.engine import QueueEngine
from shared.engine.invariants import check_final, check_invariants
from shared.engine.reports import ReportQuery
from shared.errors import CounterError, TicketError
from shared.site_config import load_site_file
from tests.conftest import DATA, MONDAY_9
from tests.integration import workers
from tests.integration.helpers import event_count, kinds


def test_a_visit_in_progress_is_parked_and_the_counter_is_free_for_the_next(engine, clock):
    engine.issue_ticket("KTP")  # A001
    engine.issue_ticket("KTP")  # A002
    engine.call_next("L1")
    engine.start("L1")
    clock.advance(minutes=4)
    parked = engine.park("L1")  # a paper missing: the citizen goes to fetch it
    assert parked.state == TicketState.PARKED and parked.counter_code == "L1"
    view = engine.counter_view("L1")
    assert view.counter.current is None
    assert [t.number for t in view.parked] == ["A001"]
    assert engine.call_next("L1").number == "A002"  # next never brings a parked ticket back
    assert engine.call_next("L1") is None
    assert kinds(engine)[-4:] == ["started", "parked", "called", "finished"]
    assert check_invariants(engine.db) == []


def test_a_called_ticket_can_be_parked_and_is_listed_at_its_counter_only(engine):
    for _ in range(3):
        engine.issue_ticket("KTP")  # A001..A003
    engine.call_next("L1")
    engine.park("L1")
    engine.call_next("L3")
    engine.park("L3")
    engine.call_next("L1")
    engine.park("L1")
    assert [t.number for t in engine.counter_view("L1").parked] == ["A001", "A003"]
    assert [t.number for t in engine.counter_view("L3").parked] == ["A002"]
    assert engine.counter_view("L2").parked == ()
    board = engine.board()
    assert sum(w.waiting for w in board.waiting) == 0  # parked is not waiting
    assert all(c.current is None for c in board.counters)


def test_a_parked_citizen_who_is_ready_is_called_back_by_number_and_announced(engine, clock):
    engine.issue_ticket("KTP")
    engine.call_next("L1")
    engine.park("L1")
    clock.advance(minutes=20)
    back = engine.call_specific("L1", "A001")
    assert back.state == TicketState.CALLED and back.call_count == 2
    assert engine.counter_view("L1").parked == ()
    assert engine.board().recent_calls[0].number == "A001"  # the waiting room hears it again
    engine.start("L1")
    done = engine.finish("L1")
    assert done.state == TicketState.DONE
    assert check_invariants(engine.db) == []


def test_a_parked_visit_waited_until_its_first_call_and_was_served_before_and_after(engine, clock):
    """Its time away is neither waiting nor service, however often it is parked."""
    engine.issue_ticket("KTP")
    day = clock.now().date()
    clock.advance(minutes=10)
    engine.call_next("L1")  # waited 10 minutes
    clock.advance(minutes=1)
    engine.start("L1")
    clock.advance(minutes=4)
    engine.park("L1")  # served 4 minutes, then away 20
    clock.advance(minutes=20)
    engine.call_specific("L1", "A001")
    engine.start("L1")
    clock.advance(minutes=3)
    engine.park("L1")  # 3 more, then away 10
    clock.advance(minutes=10)
    engine.call_specific("L1", "A001")
    clock.advance(minutes=6)  # start not pressed: from the call back
    engine.finish("L1")
    total = engine.report(ReportQuery(day, day)).total
    assert (total.served, total.wait.mean, total.service.mean) == (1, 10.0, 13.0)
    assert engine.counter_view("L1").figures.average_service_minutes == 13.0


def test_another_counter_serving_the_service_may_call_a_parked_ticket_back(engine):
    engine.issue_ticket("KTP")
    engine.call_next("L1")
    engine.park("L1")  # L1's staff went on break; L3 (KTP too) takes the citizen back
    assert engine.call_specific("L3", "A001").counter_code == "L3"
    with pytest.raises(TicketError, match="sedang ditangani loket L3"):
        engine.call_specific("L1", "A001")


def test_parking_with_nothing_held_or_a_ticket_already_parked_is_refused_and_changes_nothing(
    engine,
):
    before = event_count(engine)
    with pytest.raises(CounterError, match="L1"):
        engine.park("L1")
    assert event_count(engine) == before
    engine.issue_ticket("KTP")
    engine.call_next("L1")
    engine.park("L1")
    before = event_count(engine)
    with pytest.raises(CounterError):
        engine.park("L1")  # the counter holds nothing any more
    with pytest.raises(TicketError):
        engine.call_specific("S1", "A001")  # S1 does not serve KTP
    assert event_count(engine) == before


def test_a_ticket_still_parked_when_the_day_ends_expires_and_the_report_counts_it(engine, clock):
    engine.issue_ticket("KTP")
    engine.issue_ticket("KTP")
    engine.call_next("L1")
    engine.park("L1")  # never came back
    engine.call_next("L1")
    engine.finish("L1")
    day = clock.now().date()
    clock.advance(days=1)
    assert engine.close_day() == 1
    assert check_final(engine.db) == [] and check_invariants(engine.db) == []
    expired = [e for e in engine.events_after(0, 10_000) if e.kind == EventKind.EXPIRED]
    assert [(e.number, e.from_state) for e in expired] == [("A001", "parked")]
    total = engine.report(ReportQuery(day, day)).total
    assert (total.arrived, total.served, total.expired, total.no_show) == (2, 1, 1, 0)


def test_processes_calling_back_one_parked_ticket_at_once_give_it_to_exactly_one(
    db_url, monkeypatch
):
    monkeypatch.setenv("ANTRIAN_NOW", shared_now(MONDAY_9))
    with QueueEngine.open(db_url) as engine:
        engine.load_site(load_site_file(DATA / "busy-site.toml"))
        engine.issue_ticket("KTP")
        engine.call_next("C1")
        number = engine.park("C1").number
    counters = ("C1", "C2", "C3", "C4", "C5", "C8")  # each serves KTP
    context = multiprocessing.get_context("spawn")
    manager = context.Manager()
    ready, go = manager.Queue(), manager.Event()
    with ProcessPoolExecutor(len(counters), mp_context=context) as pool:
        futures = [
            pool.submit(workers.call_back, db_url, code, number, ready, go) for code in counters
        ]
        for _ in counters:
            ready.get(timeout=60)
        go.set()
        outcomes = Counter(future.result(timeout=60) for future in futures)
    assert outcomes == {"ok": 1, "ticket_held_elsewhere": len(counters) - 1}
    with QueueEngine.open(db_url) as engine:
        calls = [e for e in engine.events_after(0, 10_000) if e.kind == EventKind.CALLED]
        assert [e.from_state for e in calls] == ["waiting", "parked"]
        assert check_invariants(engine.db) == []
