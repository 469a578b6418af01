"""Sending a ticket to a colleague's counter (Qmatic's transfer to a counter): it waits for that
counter only, in its place in time, until that counter can no longer call it."""

from __future__ import annotations

import pytest

from shared.domain.states import EventKind, TicketState
from shared.engine.invariants import check_invariants, check_priority_order
from shared.errors import CounterError, TicketError
from shared.site_config import parse_site
from tests.conftest import SMALL_SITE
from tests.integration.helpers import event_count


def send_first_to_l3(engine, clock):
    """A001..A003 wait for KTP (L1, L2 and L3 serve it); L1 sends A001 on to L3."""
    for _ in range(3):
        engine.issue_ticket("KTP")
        clock.advance(minutes=1)
    engine.call_next("L1")
    return engine.transfer_to_counter("L1", "L3")


def test_a_ticket_sent_to_a_colleagues_counter_waits_for_that_counter_only(engine, clock):
    sent = send_first_to_l3(engine, clock)
    assert (sent.number, sent.state, sent.service_code) == ("A001", TicketState.WAITING, "KTP")
    view = engine.counter_view("L3")
    assert [t.number for t in view.waiting] == ["A001", "A002", "A003"]
    assert view.kept == {"A001"}
    assert "A001" not in [t.number for t in engine.counter_view("L2").waiting]
    assert engine.call_next("L2").number == "A002"  # L2 serves KTP, but A001 is kept for L3
    assert engine.call_next("L3").number == "A001"  # in its place in time, before A003
    assert engine.call_next("L1").number == "A003"
    issued = [e for e in engine.events_after(0, 10_000) if e.kind == EventKind.ISSUED]
    assert issued[-1].detail == "for L3" and issued[-1].counter_code == "L1"
    assert check_invariants(engine.db) == []


def test_a_paused_counter_keeps_what_was_sent_to_it(engine, clock):
    engine.pause("L3")
    send_first_to_l3(engine, clock)
    assert [engine.call_next("L2").number, engine.call_next("L2").number] == ["A002", "A003"]
    assert engine.call_next("L2") is None
    engine.resume("L3")
    assert engine.call_next("L3").number == "A001"


def test_what_was_sent_to_a_counter_that_closes_is_open_to_every_counter_again(engine, clock):
    send_first_to_l3(engine, clock)
    engine.close_counter("L3")
    assert engine.call_next("L2").number == "A001"


def test_what_was_sent_to_a_counter_that_stops_serving_its_service_is_open_again(engine, clock):
    send_first_to_l3(engine, clock)
    text = SMALL_SITE.read_text()
    assert 'services = ["KTP", "KK"]' in text  # L3's
    engine.load_site(parse_site(text.replace('services = ["KTP", "KK"]', 'services = ["KK"]')))
    assert engine.call_next("L1").number == "A001"


def test_sending_where_it_cannot_be_called_is_refused_and_changes_nothing(engine, clock):
    engine.issue_ticket("KTP")
    engine.call_next("L1")
    engine.close_counter("L2")
    colleagues = engine.counter_view("L1").colleagues  # what the counter app offers
    assert "L2" not in colleagues and "L1" not in colleagues
    assert colleagues["L3"] == ("Loket 3", ("KTP", "KK"))
    before = event_count(engine)
    with pytest.raises(TicketError, match="tidak melayani"):
        engine.transfer_to_counter("L1", "S1")  # Samsat's counter: no KTP there
    with pytest.raises(TicketError, match="sudah berada"):
        engine.transfer_to_counter("L1", "L1")
    with pytest.raises(CounterError, match="tutup"):
        engine.transfer_to_counter("L1", "L2")
    with pytest.raises(CounterError):
        engine.transfer_to_counter("L1", "NOPE")
    with pytest.raises(CounterError):
        engine.transfer_to_counter("L3", "L1")  # L3 holds nothing to send
    assert event_count(engine) == before
    held = engine.counter_view("L1").counter.current
    assert (held.number, held.state) == ("A001", TicketState.CALLED)


def test_a_ticket_sent_to_a_counter_on_break_is_shown_the_wait_for_that_counter(engine, clock):
    engine.pause("L3")
    sent = send_first_to_l3(engine, clock)
    snapshot = engine.progress()
    kept = snapshot.tickets[sent.token]
    assert (kept.sent_to, kept.waits_for, kept.people_ahead) == ("3", "3", 0)
    assert kept.wait.minutes >= 25  # L3 is back from its break in some 30 minutes
    assert snapshot.tickets[engine.ticket("A002").token].wait.minutes < 10  # L1 is free
    engine.close_counter("L3")
    opened = engine.progress_of(sent.token)
    assert opened.wait.minutes < 10  # open to L1 and L2 again
    assert (opened.sent_to, opened.waits_for) == ("3", None)


def test_a_priority_number_kept_for_a_colleague_is_passed_by_rightly_until_that_counter_closes(
    engine,
):
    engine.issue_ticket("KTP", priority=True)
    engine.issue_ticket("KTP")
    later = engine.issue_ticket("KTP")
    engine.call_next("L1")  # the priority number first
    engine.transfer_to_counter("L1", "L3")  # it waits for L3 alone
    assert engine.call_next("L2").priority is False
    assert check_priority_order(engine.db) == []  # it did not wait for L2
    engine.close_counter("L3")  # now it waits for every counter of KTP again
    engine.call_specific("L1", later.number)
    assert len(check_priority_order(engine.db)) == 1
