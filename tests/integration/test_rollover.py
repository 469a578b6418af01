"""The business day: yesterday's open tickets expire, never to be called."""

from shared.domain.states import TicketState
from tests.integration.helpers import kinds


def test_tickets_left_open_yesterday_expire_at_the_first_write_of_the_new_day(engine, clock):
    engine.issue_ticket("KTP")  # A001 waits
    engine.issue_ticket("KTP")
    engine.call_next("L1")  # A001 called, A002 waits
    clock.advance(days=1)
    engine.issue_ticket("KTP")
    assert engine.call_next("L1").day == clock.now().date()  # only today's ticket
    expired = [e for e in engine.events_after(0) if e.kind == "expired"]
    assert sorted(e.number for e in expired) == ["A001", "A002"]
    assert engine.call_next("L1") is None


def test_day_close_expires_at_once_and_frees_the_counters(engine, clock):
    engine.issue_ticket("KTP")
    engine.call_next("L1")
    clock.advance(days=1)
    assert engine.close_day() == 1
    assert engine.counter_view("L1").counter.current is None
    assert engine.close_day() == 0
    assert kinds(engine)[-1] == "expired"


def test_yesterdays_tickets_are_not_shown_as_waiting_today(engine, clock):
    engine.issue_ticket("KTP")
    clock.advance(days=1)
    assert engine.board().waiting == ()
    assert engine.counter_view("L1").waiting == ()
    assert engine.ticket("A001") is None  # numbers are per day


def test_an_expired_ticket_keeps_its_final_state(engine, clock):
    first = engine.issue_ticket("KTP")
    clock.advance(days=1)
    engine.close_day()
    events = [e for e in engine.events_after(0) if e.ticket_id == first.id]
    assert [e.to_state for e in events] == [TicketState.WAITING, TicketState.EXPIRED]


def test_before_the_first_write_of_a_new_day_no_counter_shows_yesterdays_ticket(engine, clock):
    engine.issue_ticket("KTP")
    engine.call_next("L1")  # L1 holds A001 at closing time
    clock.advance(days=1)  # the display at opening time, before any write of the day
    assert [c.current for c in engine.board().counters] == [None] * len(engine.board().counters)
    assert engine.counter_view("L1").counter.current is None
    assert engine.board().recent_calls == ()
