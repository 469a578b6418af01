""" "Which ticket is next" lives twice: as Python (shared.domain.selection) and as SQL (the
engine's call_next). Over random queues, profiles, priorities, checked-in appointments (queued
from their slot's start, before the walk-ins who came after it) and both selection modes, on
SQLite and PostgreSQL, the SQL calls exactly the tickets the Python rule picks, in its order;
tickets sent on by a colleague to this counter or to another one (which keeps them) too."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.domain.appointments import AppointmentRules
from shared.domain.selection import Candidate, pick_next
from shared.domain.states import SelectionMode
from shared.engine import QueueEngine
from shared.errors import ServiceError, UserError
from shared.site_config import SiteConfig, load_site_file
from tests.conftest import SMALL_SITE

SMALL = load_site_file(SMALL_SITE)
SITE = replace(  # KTP takes appointments: slots of 30 minutes, plenty of places
    SMALL,
    services=tuple(
        replace(s, appointments=AppointmentRules(slot_minutes=30, per_slot=50))
        if s.code == "KTP"
        else s
        for s in SMALL.services
    ),
)
SERVICES = ("KTP", "KK", "AKTA", "PKB")  # PKB is in no DUKCAPIL counter's profile
SLOTS = (time(9, 0), time(9, 30))  # an arrival may check in a KTP booking of one of these

_phones = itertools.count(1)


def phone() -> str:
    """A phone number no other booking of the test holds (one a day per phone and service)."""
    return f"0813{next(_phones):08d}"


def with_mode(config: SiteConfig, counter: str, mode: SelectionMode) -> SiteConfig:
    counters = tuple(
        replace(c, selection=mode) if c.code == counter else c for c in config.counters
    )
    return replace(config, counters=counters)


arrivals = st.lists(
    st.tuples(
        st.sampled_from(SERVICES),
        st.booleans(),  # priority (where the service allows it)
        st.integers(min_value=0, max_value=3),  # minutes after the previous arrival (0: a tie)
        st.sampled_from([None, None, *SLOTS]),  # a walk-in, or a booking's check-in (KTP)
        st.sampled_from([None, None, None, "here", "elsewhere"]),  # sent on by a colleague
    ),
    min_size=1,
    max_size=15,
)


@pytest.mark.timeout(900)
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    counter=st.sampled_from(["L1", "L2", "L3"]),
    mode=st.sampled_from(list(SelectionMode)),
    queue=arrivals,
)
def test_the_sql_calls_the_tickets_the_python_rule_picks_in_its_order(
    engine: QueueEngine, clock, counter: str, mode: SelectionMode, queue
) -> None:
    # every example on a fresh Monday morning: the new day expires what the last one left
    start = clock.now().replace(hour=8, minute=50, second=0, microsecond=0) + timedelta(days=7)
    clock.set(start)
    engine.load_site(with_mode(SITE, counter, mode))
    booked = {
        slot: [engine.book("KTP", start.date(), slot, "A", phone()).code for _ in queue]
        for slot in SLOTS
    }
    clock.set(start + timedelta(minutes=10))
    serving = {c.code: c.services for c in SITE.counters}
    profile = serving[counter]
    waiting: list[Candidate] = []
    for service, priority, gap, slot, sent in queue:
        clock.advance(minutes=gap)
        try:
            if slot is None:
                ticket = engine.issue_ticket(service, priority=priority)
            else:
                ticket = engine.check_in(booked[slot].pop())[1]
        except ServiceError:  # priority where the service does not allow it
            continue
        except UserError as refused:  # the booking's window has closed
            assert refused.key == "booking_too_late"
            continue
        # a colleague calls it and sends it on to this counter, or to another that keeps it
        colleagues = [c for c, ss in serving.items() if c != counter and ticket.service_code in ss]
        if sent == "here":
            target = counter if ticket.service_code in profile else None
        else:
            target = colleagues[1] if len(colleagues) > 1 else None
        moved = bool(sent and colleagues and target)
        if moved:
            engine.call_specific(colleagues[0], ticket.number)
            ticket = engine.transfer_to_counter(colleagues[0], target)
        waiting.append(
            Candidate(
                ticket.id,
                ticket.service_code,
                ticket.priority,
                ticket.original_issued_at,
                kept_elsewhere=moved and target != counter,
            )
        )
    while True:
        expected = pick_next(waiting, profile, mode)
        called = engine.call_next(counter)
        assert (called.id if called else None) == (expected.id if expected else None)
        if expected is None:
            break
        waiting.remove(expected)
