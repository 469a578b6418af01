"""Appointments through the engine: slots and their capacity (also under processes booking at
once), the check-in window, the ticket queued from the slot's start, no-shows, cancelling."""

from __future__ import annotations

import itertools
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from datetime import date, datetime, time, timedelta

import pytest

from shared.clock import shared_now
from shared.domain.appointments import BookingState
from shared.domain.states import EventKind
from shared.engine import QueueEngine
from shared.errors import ConfigFileError, UserError
from shared.site_config import parse_site
from tests.conftest import JAKARTA, SMALL_SITE
from tests.integration import workers

TUESDAY = date(2026, 12, 1)

_phones = itertools.count(1)


def phone() -> str:
    """A phone number no other booking of the test holds (one a day per phone and service)."""
    return f"0813{next(_phones):08d}"


BOOKED_KTP = SMALL_SITE.read_text().replace(
    'code = "KTP"\n', 'code = "KTP"\nappointments = { slot_minutes = 30, per_slot = 2 }\n', 1
)


@pytest.fixture
def booking_engine(db_url, clock):
    with QueueEngine.open(db_url, clock=clock, actor="test") as engine:
        engine.load_site(parse_site(BOOKED_KTP))
        yield engine


def refusal(call) -> str:
    with pytest.raises(UserError) as caught:
        call()
    return caught.value.key


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=JAKARTA)


def test_slots_are_offered_from_opening_to_the_last_ticket_and_fill_up(booking_engine):
    slots = booking_engine.booking_slots("KTP", TUESDAY)
    assert [s.at.strftime("%H:%M") for s in slots][:3] == ["08:00", "08:30", "09:00"]
    assert slots[-1].at.strftime("%H:%M") == "14:30" and {s.free for s in slots} == {2}
    first = booking_engine.book("KTP", TUESDAY, time(10, 0), "Sari", "0812-3456-7890")
    assert len(first.code) == 8 and first.state == BookingState.BOOKED
    booking_engine.book("KTP", TUESDAY, time(10, 0), "Budi", "+62 812 1111 2222")
    full = lambda: booking_engine.book("KTP", TUESDAY, time(10, 0), "Ani", "081233334444")  # noqa: E731
    assert refusal(full) == "booking_full"
    free = {s.at.strftime("%H:%M"): s.free for s in booking_engine.booking_slots("KTP", TUESDAY)}
    assert free["10:00"] == 0 and free["10:30"] == 2
    booking_engine.cancel_booking(first.shown_code.lower())  # typed loosely
    assert booking_engine.booking_slots("KTP", TUESDAY)[4].free == 1


@pytest.mark.parametrize(
    ("service", "day", "slot", "name", "phone", "key"),
    [
        ("KK", TUESDAY, time(10), "A", "08123456789", "booking_not_offered"),
        ("KTP", date(2026, 12, 25), time(10), "A", "08123456789", "booking_closed_day"),
        ("KTP", date(2026, 12, 6), time(10), "A", "08123456789", "booking_closed_day"),  # Sunday
        ("KTP", date(2027, 1, 30), time(10), "A", "08123456789", "booking_closed_day"),  # too far
        ("KTP", TUESDAY, time(10, 10), "A", "08123456789", "booking_not_a_slot"),
        ("KTP", date(2026, 11, 30), time(8, 30), "A", "08123456789", "booking_past"),
        ("KTP", TUESDAY, time(10), " ", "08123456789", "booking_no_name"),
        ("KTP", TUESDAY, time(10), "A", "telepon saya", "booking_bad_phone"),
    ],
)
def test_a_booking_that_cannot_be_is_refused_plainly(
    booking_engine, service, day, slot, name, phone, key
):
    assert refusal(lambda: booking_engine.book(service, day, slot, name, phone)) == key
    assert booking_engine.bookings() == []


def test_check_in_opens_30_minutes_before_the_slot_and_closes_15_after(booking_engine, clock):
    booking = booking_engine.book("KTP", TUESDAY, time(10, 0), "Sari", phone())
    clock.set(at(TUESDAY, 9, 29))
    assert refusal(lambda: booking_engine.check_in(booking.code)) == "booking_too_early"
    clock.set(at(TUESDAY, 9, 30))
    checked, ticket = booking_engine.check_in(booking.code)
    assert checked.state == BookingState.CHECKED_IN and checked.ticket == ticket.number
    assert ticket.source == "appointment" and ticket.original_issued_at == at(TUESDAY, 10)
    assert refusal(lambda: booking_engine.check_in(booking.code)) == "booking_used"
    late = booking_engine.book("KTP", TUESDAY, time(11, 0), "Budi", phone())
    clock.set(at(TUESDAY, 11, 16))
    assert refusal(lambda: booking_engine.check_in(late.code)) == "booking_too_late"
    assert booking_engine.bookings(TUESDAY)[1].state == BookingState.NO_SHOW


def test_an_appointment_goes_before_walk_ins_who_came_after_its_slot_began(booking_engine, clock):
    booking = booking_engine.book("KTP", TUESDAY, time(10, 0), "Sari", phone())
    clock.set(at(TUESDAY, 9, 50))
    early_walk_in = booking_engine.issue_ticket("KTP")  # before the slot: stays ahead
    clock.set(at(TUESDAY, 10, 5))
    later_walk_in = booking_engine.issue_ticket("KTP")  # after the slot began
    clock.set(at(TUESDAY, 10, 10))
    _checked, appointment = booking_engine.check_in(booking.code)  # checks in last
    priority = booking_engine.issue_ticket("KTP", priority=True)
    called = [booking_engine.call_next("L1").number for _ in range(4)]
    assert called == [
        priority.number,
        early_walk_in.number,
        appointment.number,
        later_walk_in.number,
    ]


def test_bookings_not_checked_in_by_the_end_of_their_window_become_no_shows(booking_engine, clock):
    booking_engine.book("KTP", TUESDAY, time(8, 0), "Sari", "08123456789")
    booking_engine.book("KTP", TUESDAY, time(14, 0), "Budi", phone())
    clock.set(at(TUESDAY, 12, 0))
    listed = booking_engine.bookings(TUESDAY, with_phone=True)
    assert [b.state for b in listed] == [BookingState.NO_SHOW, BookingState.BOOKED]
    logged = [e for e in booking_engine.events_after(0) if e.kind == EventKind.BOOKING_NO_SHOW]
    assert [(e.service_code, e.detail) for e in logged] == [("KTP", listed[0].code)]
    booking_engine.bookings(TUESDAY)  # once only
    assert len([e for e in booking_engine.events_after(0) if e.kind == "booking_no_show"]) == 1
    assert listed[0].phone == "08123456789" and booking_engine.bookings(TUESDAY)[0].phone is None


def test_processes_booking_the_same_slot_at_once_never_overfill_it(
    booking_engine, db_url, clock, monkeypatch
):
    monkeypatch.setenv("ANTRIAN_NOW", shared_now(clock.now()))
    context = multiprocessing.get_context("spawn")
    manager = context.Manager()
    ready, go = manager.Queue(), manager.Event()
    with ProcessPoolExecutor(5, mp_context=context) as pool:
        futures = [pool.submit(workers.book_slot, db_url, ready, go) for _ in range(5)]
        for _ in range(5):
            ready.get(timeout=60)
        go.set()
        results = sorted(f.result(timeout=60) for f in futures)
    assert results == ["booking_full"] * 3 + ["ok"] * 2
    assert len(booking_engine.bookings(TUESDAY)) == 2
    assert booking_engine.booking_slots("KTP", TUESDAY)[4].free == 0
    assert timedelta(0) <= booking_engine.bookings(TUESDAY)[0].slot_at - at(TUESDAY, 10)


RESERVED_KTP = SMALL_SITE.read_text().replace(
    'code = "KTP"\n',
    'code = "KTP"\ndaily_quota = 6\nappointments = { slot_minutes = 30, per_slot = 2, '
    'reserved = 3, release_at = "12:00" }\n',
    1,
)


@pytest.fixture
def reserved_engine(db_url, clock):
    with QueueEngine.open(db_url, clock=clock, actor="test") as engine:
        engine.load_site(parse_site(RESERVED_KTP))
        yield engine


def walk_ins_left(engine: QueueEngine) -> int | None:
    service = engine.catalogue().service("KTP")
    assert service is not None
    return service.quota_left


def test_walk_ins_cannot_take_the_places_reserved_for_bookings_until_their_release(
    reserved_engine, clock
):
    clock.set(at(TUESDAY, 8, 0))
    reserved_engine.book("KTP", TUESDAY, time(9, 0), "Sari", phone())
    assert walk_ins_left(reserved_engine) == 3  # quota 6, 3 kept though only 1 is booked
    for _ in range(3):
        reserved_engine.issue_ticket("KTP")
    assert walk_ins_left(reserved_engine) == 0
    assert refusal(lambda: reserved_engine.issue_ticket("KTP")) == "quota_reached"
    clock.set(at(TUESDAY, 12, 0))  # released: the 2 places nobody booked go to walk-ins, and
    assert walk_ins_left(reserved_engine) == 3  # the 09:00 booking's (a no-show, it holds none)
    for _ in range(3):
        reserved_engine.issue_ticket("KTP")
    assert refusal(lambda: reserved_engine.issue_ticket("KTP")) == "quota_reached"


def test_a_booking_holds_its_place_after_the_release_and_its_check_in_is_never_refused(
    reserved_engine, clock
):
    clock.set(at(TUESDAY, 8, 0))
    booking = reserved_engine.book("KTP", TUESDAY, time(12, 30), "Sari", phone())
    clock.set(at(TUESDAY, 12, 5))
    assert walk_ins_left(reserved_engine) == 5  # the 12:30 booking still holds one
    for _ in range(5):
        reserved_engine.issue_ticket("KTP")
    assert refusal(lambda: reserved_engine.issue_ticket("KTP")) == "quota_reached"
    _checked, ticket = reserved_engine.check_in(booking.code)
    assert ticket.source == "appointment" and walk_ins_left(reserved_engine) == 0


def test_bookings_of_a_day_never_pass_the_reserved_places_and_a_cancel_frees_one(
    reserved_engine, clock
):
    clock.set(at(TUESDAY, 8, 0))
    first = reserved_engine.book("KTP", TUESDAY, time(13, 0), "A", phone())
    reserved_engine.book("KTP", TUESDAY, time(13, 0), "B", phone())
    reserved_engine.book("KTP", TUESDAY, time(14, 0), "C", phone())
    fourth = lambda: reserved_engine.book("KTP", TUESDAY, time(14, 0), "D", phone())  # noqa: E731
    assert refusal(fourth) == "booking_day_full"
    reserved_engine.cancel_booking(first.code)
    assert fourth().state == BookingState.BOOKED


def test_slots_can_follow_their_own_schedule_within_the_services_hours(db_url, clock):
    mornings = SMALL_SITE.read_text().replace(
        'code = "KTP"\n',
        'code = "KTP"\nappointments = { slot_minutes = 60, per_slot = 1, hours = "pagi" }\n',
        1,
    )
    with QueueEngine.open(db_url, clock=clock, actor="test") as engine:
        engine.load_site(parse_site(mornings))
        slots = engine.booking_slots("KTP", TUESDAY)
        assert [s.at.strftime("%H:%M") for s in slots] == ["08:00", "09:00", "10:00"]
        assert engine.booking_slots("KTP", date(2026, 12, 5)) == []  # Saturday: not in "pagi"


def test_an_unknown_schedule_for_the_slots_is_named_with_its_line():
    broken = SMALL_SITE.read_text().replace(
        'code = "KTP"\n',
        'code = "KTP"\nappointments = { slot_minutes = 60, per_slot = 1, hours = "malam" }\n',
        1,
    )
    with pytest.raises(ConfigFileError) as caught:
        parse_site(broken)
    assert "malam" in str(caught.value) and ":33:" in str(caught.value)


def test_a_phone_holds_one_place_a_day_per_service_however_it_is_written(booking_engine):
    first = booking_engine.book("KTP", TUESDAY, time(10, 0), "Sari", "0812-3456-7890")
    again = lambda: booking_engine.book("KTP", TUESDAY, time(11, 0), "Sri", "+62 812 3456 7890")  # noqa: E731
    assert refusal(again) == "booking_phone_taken"
    booking_engine.book("KTP", date(2026, 12, 2), time(10, 0), "Sari", "081234567890")  # next day
    booking_engine.cancel_booking(first.code)
    assert again().state == BookingState.BOOKED  # a cancelled booking holds nothing


def test_a_days_places_left_never_pass_its_reservation_however_many_slots_are_free(
    reserved_engine, clock
):
    clock.set(at(TUESDAY, 7, 0))
    assert dict(reserved_engine.booking_days("KTP"))[TUESDAY] == 3  # 14 slots of 2, 3 kept
    reserved_engine.book("KTP", TUESDAY, time(9, 0), "A", phone())
    reserved_engine.book("KTP", TUESDAY, time(9, 0), "B", phone())
    assert dict(reserved_engine.booking_days("KTP"))[TUESDAY] == 1
    assert {s.free for s in reserved_engine.booking_slots("KTP", TUESDAY)} == {0, 1}
    assert date(2026, 12, 6) not in dict(reserved_engine.booking_days("KTP"))  # a Sunday
