"""Counter actions, on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest

from shared.domain.states import CounterState, TicketState
from shared.errors import CounterError, ServiceError, TicketError
from shared.store.tables import site
from tests.integration.helpers import event_count, kinds


def test_next_calls_priority_first_then_the_oldest_across_the_counters_services(engine, clock):
    engine.issue_ticket("KK")  # A001
    clock.advance(minutes=1)
    engine.issue_ticket("KTP")  # A002
    clock.advance(minutes=1)
    engine.issue_ticket("KTP", priority=True)  # A003
    called = [engine.call_next("L1").number for _ in range(3)]
    assert called == ["A003", "A001", "A002"]


def test_a_strict_counter_empties_its_first_service_before_older_tickets_of_the_next(engine, clock):
    engine.issue_ticket("KTP")  # A001, older
    clock.advance(minutes=5)
    engine.issue_ticket("AKTA")  # B001
    assert engine.call_next("L2").number == "B001"  # L2's profile: AKTA, KTP (strict)
    assert engine.call_next("L2").number == "A001"


def test_next_returns_none_when_nobody_waits_and_still_ends_the_current_ticket(engine):
    engine.issue_ticket("KTP")
    engine.call_next("L1")
    assert engine.call_next("L1") is None
    assert engine.ticket("A001").state == TicketState.DONE
    assert engine.counter_view("L1").counter.current is None


def test_the_full_service_cycle_stamps_each_step(engine, clock):
    engine.issue_ticket("KTP")
    called = engine.call_next("L1", staff=None)
    assert called.state == TicketState.CALLED and called.counter_code == "L1"
    clock.advance(minutes=1)
    assert engine.recall("L1").call_count == 2
    started = engine.start("L1")
    assert started.state == TicketState.SERVING and started.started_at is not None
    clock.advance(minutes=7)
    finished = engine.finish("L1")
    assert finished.state == TicketState.DONE
    assert finished.finished_at - finished.started_at == timedelta(minutes=7)
    assert kinds(engine)[-5:] == ["issued", "called", "recalled", "started", "finished"]


def test_next_ends_a_called_but_unstarted_ticket_as_done_by_default(engine):
    engine.issue_ticket("KTP")
    engine.issue_ticket("KTP")
    engine.call_next("L1")
    engine.call_next("L1")
    assert engine.ticket("A001").state == TicketState.DONE


def test_sites_can_make_next_end_an_unstarted_ticket_as_no_show(engine):
    with engine.db.engine.begin() as conn:
        conn.execute(site.update().values(unstarted_on_next="no_show"))
    engine.issue_ticket("KTP")
    engine.issue_ticket("KTP")
    engine.call_next("L1")
    engine.call_next("L1")
    assert engine.ticket("A001").state == TicketState.NO_SHOW


def test_skip_makes_a_no_show_that_can_be_called_again_by_number(engine):
    engine.issue_ticket("KTP")
    engine.call_next("L1")
    assert engine.skip("L1").state == TicketState.NO_SHOW
    again = engine.call_specific("L3", "a1")
    assert again.state == TicketState.CALLED and again.counter_code == "L3"
    assert again.call_count == 2


def test_call_specific_takes_a_waiting_ticket_out_of_order(engine):
    for _ in range(3):
        engine.issue_ticket("KTP")
    assert engine.call_specific("L1", "A003").number == "A003"
    assert engine.call_next("L1").number == "A001"


@pytest.mark.parametrize(
    ("number", "key"),
    [("Z9", "ticket_not_found"), ("tiga", "bad_number"), ("C001", "ticket_not_for_counter")],
)
def test_call_specific_refuses_what_it_cannot_call(engine, number, key):
    engine.issue_ticket("PKB")  # C001, a Samsat ticket that L1 does not serve
    with pytest.raises(TicketError) as caught:
        engine.call_specific("L1", number)
    assert caught.value.key == key


def test_a_ticket_held_by_another_counter_cannot_be_taken(engine):
    engine.issue_ticket("KTP")
    engine.call_next("L1")
    before = event_count(engine)
    with pytest.raises(TicketError) as caught:
        engine.call_specific("L3", "A001")
    assert caught.value.message("en") == "Ticket A001 is being handled by counter L1"
    assert event_count(engine) == before


def test_a_finished_ticket_cannot_be_called_again(engine):
    engine.issue_ticket("KTP")
    engine.call_next("L1")
    engine.finish("L1")
    with pytest.raises(TicketError) as caught:
        engine.call_specific("L1", "A001")
    assert caught.value.key == "ticket_not_callable"


def test_actions_without_a_current_ticket_are_refused_and_change_nothing(engine):
    before = event_count(engine)
    for action in (engine.recall, engine.start, engine.finish, engine.skip):
        with pytest.raises(CounterError) as caught:
            action("L1")
        assert caught.value.key == "no_current_ticket"
    assert event_count(engine) == before


def test_a_ticket_being_served_cannot_be_skipped_or_recalled(engine):
    engine.issue_ticket("KTP")
    engine.call_next("L1")
    engine.start("L1")
    for action in (engine.skip, engine.recall):
        with pytest.raises(TicketError) as caught:
            action("L1")
        assert caught.value.key == "invalid_action"
    assert engine.ticket("A001").state == TicketState.SERVING


def test_transfer_keeps_the_number_and_its_place_in_time(engine, clock):
    engine.issue_ticket("KTP")  # A001 at 09:00
    clock.advance(minutes=10)
    engine.issue_ticket("AKTA")  # B001 at 09:10
    engine.call_next("L3")
    moved = engine.transfer("L3", "AKTA")
    assert moved.number == "A001" and moved.service_code == "AKTA"
    assert moved.state == TicketState.WAITING and moved.source == "transfer"
    assert moved.original_issued_at < engine.ticket("B001").issued_at
    assert engine.call_next("L1").number == "A001"  # older than B001, so it goes first
    assert kinds(engine)[-3:] == ["transferred", "issued", "called"]


def test_transfer_to_the_same_or_an_unknown_service_is_refused(engine):
    engine.issue_ticket("KTP")
    engine.call_next("L1")
    with pytest.raises(TicketError):
        engine.transfer("L1", "KTP")
    with pytest.raises(ServiceError):
        engine.transfer("L1", "SIM")
    assert engine.ticket("A001").state == TicketState.CALLED


def test_a_paused_counter_cannot_call_until_it_resumes(engine):
    engine.issue_ticket("KTP")
    assert engine.pause("L1") == CounterState.PAUSED
    with pytest.raises(CounterError) as caught:
        engine.call_next("L1")
    assert caught.value.message("id") == "Loket L1 sedang istirahat; buka loket dahulu"
    assert engine.resume("L1") == CounterState.OPEN
    assert engine.call_next("L1").number == "A001"
    assert "counter_paused" in kinds(engine) and "counter_opened" in kinds(engine)


def test_a_counter_holding_a_ticket_cannot_pause(engine):
    engine.issue_ticket("KTP")
    engine.call_next("L1")
    with pytest.raises(CounterError) as caught:
        engine.pause("L1")
    assert caught.value.key == "counter_busy"


def test_an_unknown_counter_is_a_clear_error(engine):
    with pytest.raises(CounterError, match="Loket tidak dikenal: L99"):
        engine.call_next("L99")


def test_an_action_on_a_ticket_ended_elsewhere_is_refused_and_changes_nothing(engine):
    from shared.store.tables import tickets

    engine.issue_ticket("KTP")
    engine.call_next("L1")
    with engine.db.engine.begin() as conn:  # what another process's day rollover would do
        conn.execute(tickets.update().values(state="expired"))
    before = event_count(engine)
    with pytest.raises(TicketError) as caught:
        engine.finish("L1")
    assert caught.value.message("en") == "Ticket A001 is expired; 'finish' is not possible"
    assert event_count(engine) == before
    assert engine.ticket("A001").state == TicketState.EXPIRED


def test_a_counter_offers_todays_no_shows_of_its_services_latest_first_until_called_back(
    engine, clock
):
    for service in ("KTP", "KK", "AKTA", "PKB"):
        engine.issue_ticket(service)  # A001, A002, B001, C001
    for counter in ("L1", "L3", "L2", "S1"):
        engine.call_next(counter)
        clock.advance(minutes=1)
        engine.skip(counter)
    assert [t.number for t in engine.counter_view("L3").skipped] == ["A002", "A001"]
    assert [t.number for t in engine.counter_view("L1").skipped] == ["B001", "A002", "A001"]
    engine.call_specific("L3", "A001")  # back from the photocopier: served at L3
    assert [t.number for t in engine.counter_view("L1").skipped] == ["B001", "A002"]
    clock.advance(days=1)
    assert engine.counter_view("L1").skipped == ()  # yesterday's are gone with their day
