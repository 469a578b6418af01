"""Issuing tickets, on SQLite and PostgreSQL."""

from datetime import timedelta

import pytest

from shared.domain.states import TicketState
from shared.errors import ServiceError, UserError
from tests.integration.helpers import event_count, kinds


def test_services_sharing_a_prefix_share_its_number_sequence(engine):
    assert engine.issue_ticket("KTP").number == "A001"
    assert engine.issue_ticket("KK").number == "A002"
    assert engine.issue_ticket("AKTA").number == "B001"
    assert engine.issue_ticket("KTP").number == "A003"


def test_a_new_ticket_waits_and_says_who_is_ahead_and_how_long(engine):
    # three free counters serve KTP (8 configured minutes): the first three are called at
    # once, the fourth when the first visit ends, the seventh after a second round
    tickets = [engine.issue_ticket("KTP") for _ in range(7)]
    assert [t.people_ahead for t in tickets[:4]] == [0, 1, 2, 3]
    assert [t.wait.minutes for t in tickets[:4]] == [0, 1, 1, 8]  # never 0 with people ahead
    ticket = tickets[6]
    assert ticket.state == TicketState.WAITING
    assert (ticket.people_ahead, ticket.wait.minutes) == (6, 16)
    assert ticket.standard.fee.id == "Gratis"
    assert ticket.standard.completion_minutes == 60


def test_the_wait_counts_the_other_services_the_same_counters_serve_first(engine):
    # L1 and L3 serve KK too, L2 serves AKTA before KTP: older KK and AKTA tickets come first
    for service in ("KK", "KK", "AKTA", "KK"):
        engine.issue_ticket(service)
    # (KK takes 10 minutes: the KTP ticket is called when L3 is done with its KK ticket)
    ticket = engine.issue_ticket("KTP")
    assert (ticket.people_ahead, ticket.wait.minutes) == (4, 10)


def test_a_priority_ticket_has_only_earlier_priority_tickets_ahead(engine):
    for _ in range(3):
        engine.issue_ticket("KTP")
    for counter in ("L1", "L2", "L3"):  # every KTP counter busy
        engine.call_next(counter)
    engine.issue_ticket("KTP")
    engine.issue_ticket("KTP", priority=True)
    engine.issue_ticket("KTP")
    assert engine.issue_ticket("KTP", priority=True).people_ahead == 1
    assert engine.issue_ticket("KTP").people_ahead == 4


def test_an_unknown_service_is_refused_and_changes_nothing(engine):
    before = event_count(engine)
    with pytest.raises(ServiceError) as caught:
        engine.issue_ticket("SIM")
    assert caught.value.message("en") == "Unknown service: SIM"
    assert event_count(engine) == before


def test_an_inactive_service_is_refused(engine):
    with pytest.raises(ServiceError, match="tidak aktif"):
        engine.issue_ticket("LAMA")


def test_priority_is_refused_where_the_service_does_not_offer_it(engine):
    with pytest.raises(ServiceError) as caught:
        engine.issue_ticket("AKTA", priority=True)
    assert caught.value.key == "priority_not_allowed"


def test_before_opening_the_refusal_says_when_the_service_opens(engine, clock):
    clock.set(clock.now().replace(hour=0, minute=30) + timedelta(hours=0))  # 07:30 local
    with pytest.raises(ServiceError) as caught:
        engine.issue_ticket("KTP")
    assert caught.value.message("id") == "Layanan KTP sedang tutup; buka hari ini pukul 08:00"
    assert caught.value.message("en") == "Service KTP is closed now; opens today at 08:00"


def test_after_the_last_ticket_time_issuing_has_ended(engine, clock):
    clock.advance(hours=6)  # 15:00 local, last ticket at 15:00
    with pytest.raises(ServiceError) as caught:
        engine.issue_ticket("KTP")
    assert caught.value.key == "issuing_ended"


def test_on_sunday_the_refusal_names_monday(engine, clock):
    clock.advance(days=-1)
    with pytest.raises(ServiceError) as caught:
        engine.issue_ticket("KTP")
    assert caught.value.message("en") == "Service KTP is closed now; opens Monday at 08:00"


def test_the_daily_quota_refuses_the_next_ticket_without_using_a_number(engine):
    for _ in range(3):
        engine.issue_ticket("KK")
    before = event_count(engine)
    with pytest.raises(ServiceError) as caught:
        engine.issue_ticket("KK")
    assert caught.value.key == "quota_reached"
    assert kinds(engine, after=before) == ["refused"]  # only the refusal is logged
    assert engine.issue_ticket("KTP").number == "A004"  # the refused ticket took no number
    assert engine.catalogue().service("KK").quota_left == 0


def test_numbers_start_again_at_one_the_next_day(engine, clock):
    engine.issue_ticket("KTP")
    clock.advance(days=1)
    assert engine.issue_ticket("KTP").number == "A001"


@pytest.mark.parametrize("source", ["telepati", "transfer", "walk_in"])
def test_a_source_a_waiting_ticket_cannot_have_is_refused(engine, source):
    # a transfer comes from a counter; a walk-in is served at one at once (serve_walk_in)
    with pytest.raises(UserError, match="dilayani langsung di loket"):
        engine.issue_ticket("KTP", source=source)
    assert engine.issue_ticket("KTP").number == "A001"
