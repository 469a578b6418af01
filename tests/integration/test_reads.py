"""Read models: board, counter view, catalogue, events; on SQLite and PostgreSQL."""

from shared.domain.hours import Availability
from shared.domain.states import CounterState, EventKind


def test_the_board_shows_each_counters_current_number_and_the_latest_calls(engine):
    for _ in range(3):
        engine.issue_ticket("KTP")
    engine.call_next("L1")
    engine.call_next("L3")
    engine.recall("L1")
    board = engine.board()
    current = {c.code: c.current.number if c.current else None for c in board.counters}
    assert current == {"L1": "A001", "L2": None, "L3": "A002", "S1": None}
    assert [(c.number, c.counter_number, c.recall) for c in board.recent_calls] == [
        ("A001", "1", True),
        ("A002", "3", False),
        ("A001", "1", False),
    ]
    assert [(w.service_code, w.waiting) for w in board.waiting] == [("KTP", 1)]
    assert board.open_counters == 4
    assert board.ticker[0].en == "Welcome to MPP Uji"
    assert board.last_event_id == engine.events_after(0)[-1].id


def test_a_zone_board_shows_only_that_zones_counters_and_calls(engine):
    engine.issue_ticket("KTP")
    engine.issue_ticket("PKB")
    engine.call_next("L1")
    engine.call_next("S1")
    board = engine.board("lantai-2")
    assert [c.code for c in board.counters] == ["S1"]
    assert [c.number for c in board.recent_calls] == ["C001"]


def test_paused_counters_are_shown_as_paused(engine):
    engine.pause("L2")
    states = {c.code: c.state for c in engine.board().counters}
    assert states["L2"] == CounterState.PAUSED
    assert engine.board().open_counters == 3


def test_the_counter_view_lists_its_waiting_tickets_in_calling_order(engine, clock):
    engine.issue_ticket("KK")
    clock.advance(minutes=1)
    engine.issue_ticket("KTP")
    engine.issue_ticket("PKB")  # not L1's
    engine.issue_ticket("KTP", priority=True)
    view = engine.counter_view("L1")
    assert [t.number for t in view.waiting] == ["A003", "A001", "A002"]
    assert view.counter.services == ("KTP", "KK", "AKTA")


def test_the_counter_view_counts_todays_work(engine, clock):
    for _ in range(3):
        engine.issue_ticket("KTP")
    engine.call_next("L1")
    clock.advance(minutes=6)
    engine.finish("L1")
    engine.call_next("L1")
    engine.skip("L1")
    engine.call_next("L1")
    engine.transfer("L1", "AKTA")
    figures = engine.counter_view("L1").figures
    assert (figures.served, figures.no_shows, figures.transferred) == (1, 1, 1)
    assert figures.average_service_minutes == 6.0
    assert figures.standard_minutes == 60.0


def test_the_catalogue_tells_the_kiosk_what_can_be_taken_now(engine):
    engine.issue_ticket("KK")
    engine.issue_ticket("KK")
    catalogue = engine.catalogue()
    assert [a.code for a in catalogue.agencies] == ["DUKCAPIL", "SAMSAT"]
    kk = catalogue.service("KK")
    assert (kk.waiting, kk.quota_left, kk.can_issue) == (2, 1, True)
    assert kk.wait.minutes == 10  # each of the two KK counters calls a waiting one first
    assert catalogue.service("LAMA") is None  # inactive services are not offered
    assert catalogue.service("KTP").standard.requirements[0].en == "Copy of the family card"
    assert catalogue.service("PKB").standard.fee.id == "Sesuai tarif PKB"


def test_the_catalogue_knows_a_morning_only_service_has_ended(engine, clock):
    clock.advance(hours=3)  # 12:00: Samsat's last ticket was 11:00
    entry = engine.catalogue(["SAMSAT"]).service("PKB")
    assert entry.availability == Availability.ENDED and not entry.can_issue
    assert entry.next_open.hour == 8


def test_events_after_a_cursor_come_in_id_order(engine):
    (loaded,) = engine.events_after(0)
    assert loaded.kind == EventKind.SITE_LOADED  # the site file the fixture loaded
    engine.issue_ticket("KTP")
    engine.call_next("L1")
    first = engine.events_after(loaded.id)
    assert [e.kind for e in first] == [EventKind.ISSUED, EventKind.CALLED]
    assert engine.events_after(first[0].id)[0].id == first[1].id
    assert first[1].counter_code == "L1" and first[1].number == "A001"
