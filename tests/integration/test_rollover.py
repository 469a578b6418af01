"""The business day: yesterday's open tickets expire, never to be called; a clock set back
never hands out a number of a day gone by."""

from datetime import datetime, timedelta

import pytest

from shared.domain.states import TicketState
from shared.errors import SetupError
from tests.integration.helpers import antrian_at, kinds, waiting_numbers

# a dead CMOS battery: Monday 3 January 2000, 09:00 in Jakarta (faketime reads it as UTC)
BOOTED_IN_2000 = "@2000-01-03 02:00:00"


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


def test_a_clock_set_back_before_the_last_business_day_issues_nothing(engine, clock):
    engine.issue_ticket("KTP")  # Monday
    monday = clock.now()
    clock.set(datetime(2000, 1, 3, 9, 0, tzinfo=clock.now().tzinfo))  # a dead CMOS battery
    with pytest.raises(SetupError) as refused:
        engine.issue_ticket("KTP")
    assert "2000-01-03 09:00" in refused.value.message("id")
    assert "2026-11-30" in refused.value.message("en")
    assert engine.call_next("L1") is None  # Monday's ticket is not the year 2000's
    clock.set(monday + timedelta(minutes=5))  # time sync set it right
    assert engine.issue_ticket("KTP").number == "A002"
    assert engine.call_next("L1").number == "A001"
    assert not [e for e in engine.events_after(0) if e.kind == "expired"]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_pc_booted_in_2000_refuses_to_issue_in_one_line(engine, db_url):
    """The real command on a single-PC site (SQLite: the PC's clock is the site's) whose clock
    is wrong (libfaketime): one plain line, exit status 2, no ticket. (On PostgreSQL the PC
    keeps the server's time: tests/integration/test_server_clock.py.)"""
    engine.issue_ticket("KTP")  # the site's business day is 2026-11-30
    result = antrian_at(BOOTED_IN_2000, db_url, "ticket", "issue", "KTP")
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "mundur" in result.stderr and "is behind the last business day" in result.stderr
    assert waiting_numbers(engine, "L1") == ["A001"]


def test_after_a_clock_that_ran_ahead_day_reset_brings_the_business_day_back(engine, clock, db_url):
    monday = clock.now()
    clock.set(monday.replace(year=2031, day=1, month=12))  # a year set wrong for a while
    engine.issue_ticket("KTP")  # issued into 2031, never called in 2026
    clock.set(monday)
    with pytest.raises(SetupError, match="antrian day reset"):
        engine.issue_ticket("KTP")
    reset = antrian_at(None, db_url, "day", "reset", now="2026-11-30T09:05")
    assert reset.returncode == 0, reset.stderr
    assert reset.stdout.strip() == "Hari layanan dikembalikan dari 2031-12-01 ke 2026-11-30"
    assert engine.issue_ticket("KTP").number == "A001"  # today's first, the day goes on
    again = antrian_at(None, db_url, "day", "reset", now="2026-11-30T09:06")
    assert again.stdout.strip().endswith("tidak ada yang diubah")
