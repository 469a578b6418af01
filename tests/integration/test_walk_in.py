"""Serving someone who stands at the counter without a ticket, on SQLite and PostgreSQL: a number
of the service is issued, called and started at once, in one transaction, seen at the counter
but never called out in the waiting room."""

from datetime import timedelta

import pytest

from shared.domain.board_fold import fold_all, view_of
from shared.domain.states import TicketSource, TicketState
from shared.engine import QueueEngine, forecast
from shared.engine.invariants import check_invariants, check_priority_order
from shared.engine.reports import ReportQuery
from shared.errors import CounterError, ServiceError, TicketError
from tests.conftest import MONDAY_9
from tests.integration.helpers import event_count, kinds


def test_a_walk_in_takes_the_next_number_of_its_prefix_and_is_served_at_once(engine, clock):
    engine.issue_ticket("KTP")  # A001 waits
    clock.advance(minutes=3)
    served = engine.serve_walk_in("L1", "KK", staff=None)
    assert served.number == "A002" and served.service_code == "KK"
    assert served.state == TicketState.SERVING and served.counter_code == "L1"
    assert served.source == TicketSource.WALK_IN
    assert served.issued_at == served.called_at == served.started_at == clock.now()
    assert kinds(engine)[-3:] == ["issued", "called", "started"]
    assert engine.counter_view("L1").counter.current.number == "A002"
    assert engine.ticket("A001").state == TicketState.WAITING  # still first in the queue
    assert engine.issue_ticket("KTP").number == "A003"  # the number is not issued twice
    engine.finish("L1")
    assert engine.ticket("A002").state == TicketState.DONE
    assert check_invariants(engine.db) == []


def test_the_board_shows_a_walk_in_at_its_counter_but_never_lists_or_announces_it(engine, clock):
    engine.issue_ticket("KTP")
    engine.call_next("L3")  # A001, called out in the waiting room
    clock.advance(minutes=1)
    engine.issue_ticket("AKTA")  # B001 waits
    loaded = engine.board(recent=5)
    engine.serve_walk_in("L1", "AKTA")  # B002
    board = engine.board(recent=5)
    assert [c.number for c in board.recent_calls] == ["A001"]
    assert {c.code: c.current.number for c in board.counters if c.current} == {
        "L1": "B002",
        "L3": "A001",
    }
    assert {w.service_code: w.waiting for w in board.waiting} == {"AKTA": 1}
    events = engine.events_after(loaded.last_event_id, 100)
    assert fold_all(view_of(loaded, 5), events) == view_of(board, 5)


def test_a_walk_in_ends_the_ticket_the_counter_held_as_next_would(engine):
    engine.issue_ticket("KTP")
    engine.call_next("L1")
    engine.serve_walk_in("L1", "KTP")
    assert engine.ticket("A001").state == TicketState.DONE
    assert engine.counter_view("L1").counter.current.number == "A002"
    assert check_invariants(engine.db) == []


def test_a_walk_in_cannot_be_recalled_or_skipped_as_no_one_is_to_be_called(engine):
    engine.serve_walk_in("L1", "KTP")
    for action in (engine.recall, engine.skip):
        with pytest.raises(TicketError) as caught:
            action("L1")
        assert caught.value.key == "invalid_action"


@pytest.mark.parametrize(
    ("counter", "service", "error", "message"),
    [
        ("L1", "PKB", CounterError, "Layanan PKB tidak dilayani di loket L1"),
        ("L1", "SIM", ServiceError, None),
        ("L1", "LAMA", ServiceError, None),
        ("L9", "KTP", CounterError, "Loket tidak dikenal: L9"),
    ],
)
def test_a_walk_in_the_counter_cannot_serve_is_refused_and_changes_nothing(
    engine, counter, service, error, message
):
    engine.issue_ticket("KTP")
    before = event_count(engine)
    with pytest.raises(error) as caught:
        engine.serve_walk_in(counter, service)
    if message is not None:
        assert caught.value.message("id") == message
    assert event_count(engine) == before
    assert engine.issue_ticket("KK").number == "A002"  # no number was used up


def test_a_paused_counter_serves_no_walk_in(engine):
    engine.pause("L1")
    with pytest.raises(CounterError) as caught:
        engine.serve_walk_in("L1", "KTP")
    assert caught.value.key == "counter_not_open"


def test_a_full_quota_or_issuing_ended_does_not_turn_away_a_person_at_the_counter(engine, clock):
    for _ in range(3):  # KK's daily quota is 3
        engine.issue_ticket("KK")
    with pytest.raises(ServiceError):
        engine.issue_ticket("KK")
    assert engine.serve_walk_in("L1", "KK").number == "A004"
    clock.set(MONDAY_9.replace(hour=15, minute=30))  # KTP's last ticket was at 15:00
    with pytest.raises(ServiceError):
        engine.issue_ticket("KTP")
    assert engine.serve_walk_in("L3", "KTP").state == TicketState.SERVING


def test_a_walk_in_served_before_a_waiting_priority_ticket_breaks_no_call_order(engine):
    engine.issue_ticket("KTP", priority=True)
    engine.serve_walk_in("L1", "KTP")
    assert check_priority_order(engine.db) == []
    engine.finish("L1")
    engine.issue_ticket("KTP")
    engine.call_specific("L1", "A003")  # an ordinary ticket called past it still counts
    assert len(check_priority_order(engine.db)) == 1


def test_reports_count_a_walk_in_as_an_arrival_served_without_waiting(
    engine: QueueEngine, clock
) -> None:
    engine.serve_walk_in("L1", "KTP")
    clock.advance(minutes=6)
    engine.finish("L1")
    day = MONDAY_9.date()
    row = {r.key: r for r in engine.report(ReportQuery(day, day)).rows}["KTP"]
    assert (row.arrived, row.called, row.served) == (1, 1, 1)
    assert row.by_source == {"kiosk": 0, "appointment": 0, "walk_in": 1}
    assert row.wait.mean == 0 and row.service.mean == 6
    assert clock.now() - timedelta(minutes=6) == engine.ticket("A001").called_at


def test_the_wait_forecast_counts_walk_ins_among_those_who_go_ahead_of_the_queue(engine, clock):
    for _ in range(3):
        engine.issue_ticket("KTP")
    engine.serve_walk_in("L1", "KTP")
    clock.advance(minutes=10)

    def cut_ins(ctx):
        code_of = {r.id: r.code for r in forecast._active_services(ctx)}
        return forecast._cut_ins(ctx, code_of, MONDAY_9.replace(hour=8))

    ahead, ordinary, _transfers = engine._read(cut_ins)
    # 4 tickets in the window, one of them a walk-in: a quarter of the arrivals go ahead
    assert ahead["KTP"] == pytest.approx(ordinary["KTP"] / 3)
