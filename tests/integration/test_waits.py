"""The waits the engine projects, on SQLite and PostgreSQL: the pace of the last days, breaks,
closing time, and a forecast that follows changes made by another process. PKB has one counter
(S1) and 10 configured minutes; Samsat closes at 12:00."""

from dataclasses import replace

import pytest

from shared.domain.hours import BreakTime
from shared.engine import QueueEngine
from shared.engine.forecast import History, build, read_history
from shared.i18n import NO_BREAK, wait_text
from shared.site_config import load_site_file
from tests.conftest import SMALL_SITE


def test_the_visits_of_the_last_days_set_the_pace_before_today_has_any(engine, clock):
    for _ in range(6):  # Monday: every PKB visit takes 20 minutes, twice the configured 10
        engine.issue_ticket("PKB")
        engine.call_next("S1")
        clock.advance(minutes=20)
        engine.finish("S1")
    clock.advance(days=1, minutes=-120)  # Tuesday 09:00
    engine.close_day()
    engine.issue_ticket("PKB")
    engine.call_next("S1")
    assert engine.issue_ticket("PKB").wait.minutes == 20


def test_a_service_without_visits_today_takes_its_pace_from_the_line_through_the_others(
    engine, clock
):
    # KTP (8 configured minutes) visits take 12, KK (10) visits take 13: 8 minutes of overhead
    # plus half the configured minutes, so PKB (10) is expected to take 13, not 10 x 1.4
    for service, counter, minutes in (("KTP", "L1", 12), ("KK", "L3", 13)):
        for _ in range(3):
            engine.issue_ticket(service)
            engine.call_next(counter)
            clock.advance(minutes=minutes)
            engine.finish(counter)
    engine.issue_ticket("PKB")
    engine.call_next("S1")
    assert engine.issue_ticket("PKB").wait.minutes == 13


def test_the_arrival_rate_just_after_opening_is_counted_over_the_minutes_since(engine, clock):
    clock.advance(minutes=-40)  # 08:20, twenty minutes after opening
    for _ in range(3):
        engine.issue_ticket("PKB")
    engine.issue_ticket("PKB", priority=True)
    rates = engine._read(lambda ctx: build(ctx, History()).projection.pace.priority_rate)
    # four tickets in twenty minutes, a quarter of them priority: not four in the last hour
    assert rates["PKB"] == pytest.approx(4 / 20 * 1 / 4)


def test_the_last_days_arrivals_are_counted_by_the_quarter_hour_of_the_sites_clock(engine, clock):
    for _ in range(3):  # Monday 09:00 (Jakarta)
        engine.issue_ticket("PKB")
    clock.advance(minutes=20)
    engine.issue_ticket("KTP")
    clock.advance(days=1)
    engine.close_day()
    arrivals = engine._read(read_history).arrivals
    assert arrivals[9 * 4] == 3 and arrivals[9 * 4 + 1] == 1 and sum(arrivals) == 4


def test_a_paused_counter_is_expected_back_after_the_usual_break(engine, clock):
    engine.pause("S1")
    clock.advance(minutes=10)
    ticket = engine.issue_ticket("PKB")
    assert (ticket.people_ahead, ticket.wait.minutes) == (0, 20)


def test_the_site_break_window_makes_waits_that_cross_it_longer(engine):
    site = load_site_file(SMALL_SITE)
    # a 30-minute break starting some time between 09:00 and 09:30: by 10:00 it is taken
    engine.load_site(replace(site, site=replace(site.site, breaks=BreakTime(540, 570, 30))))
    tickets = [engine.issue_ticket("PKB") for _ in range(4)]
    assert [t.wait.minutes for t in tickets] == [0, 13, 47, 60]


def test_without_a_break_window_the_same_queue_waits_one_visit_per_ticket(engine):
    assert [engine.issue_ticket("PKB").wait.minutes for _ in range(4)] == [0, 10, 20, 30]


def test_a_queue_that_will_not_be_reached_before_closing_says_more_than_the_time_left(
    engine, clock
):
    clock.advance(minutes=90)  # 10:30, Samsat closes at 12:00
    tickets = [engine.issue_ticket("PKB") for _ in range(12)]
    assert not tickets[8].wait.past_closing  # called at 11:50
    last = tickets[11]
    assert last.wait.past_closing and last.wait.low == 90
    assert wait_text(last.wait, "id") == "lebih dari 1 jam".replace(" ", NO_BREAK)
    pkb = engine.catalogue().service("PKB")
    assert pkb.wait.past_closing  # the kiosk says it before the citizen takes a ticket


def test_a_change_made_by_another_process_is_in_the_next_estimate(engine, db_url, clock):
    for _ in range(3):
        engine.issue_ticket("PKB")  # waits 0, 10, 20
    with QueueEngine.open(db_url, clock=clock, actor="counter") as other:
        other.pause("S1")
    assert engine.issue_ticket("PKB").wait.minutes == 60  # the break, then three visits


def test_a_counter_that_closes_no_longer_shortens_the_wait(engine):
    for _ in range(4):  # L1 and L2 serve AKTA (10 minutes): two rounds of two
        engine.issue_ticket("AKTA")
    assert engine.catalogue().service("AKTA").wait.minutes == 20
    engine.close_counter("L2")
    assert engine.catalogue().service("AKTA").wait.minutes == 40  # L1 alone: four visits


def test_a_visit_parked_lately_is_expected_back_before_the_queue_and_not_as_a_short_visit(
    engine, clock
):
    engine.issue_ticket("PKB")
    engine.call_next("S1")
    clock.advance(minutes=4)
    engine.park("S1")  # 4 of its 10 minutes had: 6 left, once the citizen is back
    assert engine.issue_ticket("PKB").wait.minutes == 6  # S1 free, yet the rest comes first
    engine.call_next("S1")  # the next is served meanwhile: a 4-minute "visit" is not the pace
    clock.advance(minutes=10)
    engine.finish("S1")
    assert engine.issue_ticket("PKB").wait.minutes == 6
    engine.call_next("S1")
    clock.advance(minutes=10)
    engine.finish("S1")
    clock.advance(minutes=41)  # parked over an hour ago: the citizen is not counted on any more
    assert engine.issue_ticket("PKB").wait.minutes == 0
