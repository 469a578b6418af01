"""The forward projection of the queue, on small hand-made queues whose order is known, and over
random ones: a new ticket is placed exactly where a full replay with it would call it."""

from dataclasses import astuple
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shared.domain.projection import Desk, Pace, Projection, Waiting
from shared.domain.selection import Candidate, pick_next
from shared.domain.states import SelectionMode

T0 = datetime(2026, 11, 30, 9, 0)
OLDEST, STRICT = SelectionMode.OLDEST, SelectionMode.STRICT


def waiting(id, service, minutes_ago, priority=False, for_desk=None):
    return Waiting(id, service, priority, T0 - timedelta(minutes=minutes_ago), for_desk)


def pace(minutes=None, cut_in=None, issued_until=480.0, **more):
    minutes = minutes or {"A": 10.0, "B": 10.0, "C": 10.0}
    return Pace(minutes, cut_in or {}, dict.fromkeys(minutes, issued_until), **more)


def test_one_counter_calls_its_queue_oldest_first_one_visit_apart():
    queue = [waiting(1, "A", 5), waiting(2, "A", 9), waiting(3, "A", 1)]
    p = Projection([Desk("L1", ("A",), OLDEST)], queue, pace())
    assert [p.call_in[i] for i in (2, 1, 3)] == [0.0, 10.0, 20.0]
    new = p.new_ticket("A", False)
    assert (new.call_in, new.ahead, new.desks) == (30.0, 3, 1)


def test_other_services_of_a_shared_counter_are_ahead_when_they_are_older():
    # the old formula saw one KTP ticket ahead; the counter will first serve two older KK ones
    queue = [waiting(1, "B", 20), waiting(2, "B", 15), waiting(3, "A", 10)]
    p = Projection([Desk("L1", ("A", "B"), OLDEST)], queue, pace())
    assert p.slot_of(3, "A").call_in == 20.0
    assert p.slot_of(3, "A").ahead == 2


def test_a_strict_counter_serves_its_first_service_before_older_tickets_of_the_next():
    queue = [waiting(1, "B", 30), waiting(2, "A", 5)]
    p = Projection([Desk("L1", ("A", "B"), STRICT)], queue, pace())
    assert p.call_in[2] == 0.0 and p.call_in[1] == 10.0
    # a new A ticket goes before the waiting B, a new B ticket after it
    assert p.new_ticket("A", False).call_in == 10.0
    assert p.new_ticket("B", False).call_in == 20.0


def test_a_priority_ticket_goes_before_every_ordinary_one():
    queue = [waiting(1, "A", 30), waiting(2, "A", 20), waiting(3, "A", 1, priority=True)]
    p = Projection([Desk("L1", ("A",), OLDEST, free_in=4.0)], queue, pace())
    assert p.call_in[3] == 4.0
    assert p.new_ticket("A", True).call_in == 14.0  # after the priority one waiting
    assert p.new_ticket("A", False).call_in == 34.0


def test_two_counters_share_a_queue_and_the_earliest_free_calls_the_newcomer():
    queue = [waiting(i, "A", 10 - i) for i in range(1, 5)]
    desks = [Desk("L1", ("A",), OLDEST), Desk("L2", ("A",), OLDEST, free_in=5.0)]
    p = Projection(desks, queue, pace())
    assert sorted(p.call_in.values()) == [0.0, 5.0, 10.0, 15.0]
    assert p.new_ticket("A", False).call_in == 20.0


def test_a_closed_counter_is_not_a_desk_and_a_service_nobody_serves_has_no_slot():
    p = Projection([Desk("L1", ("A",), OLDEST)], [waiting(1, "B", 3)], pace())
    assert p.slot_of(1, "B") is None
    assert p.new_ticket("B", False) is None


def test_a_service_learned_slower_takes_longer():
    queue = [waiting(1, "A", 5), waiting(2, "B", 4)]
    p = Projection([Desk("L1", ("A", "B"), OLDEST)], queue, pace({"A": 25.0, "B": 5.0}))
    assert p.call_in[2] == 25.0


def test_a_slot_knows_the_length_of_the_visits_its_desk_makes_before_it():
    # a 5-minute service behind two 20-minute visits at a shared desk waits through 20-minute ones
    queue = [waiting(1, "A", 9), waiting(2, "A", 8), waiting(3, "B", 1)]
    p = Projection([Desk("L1", ("A", "B"), OLDEST)], queue, pace({"A": 20.0, "B": 5.0}))
    assert p.slot_of(3, "B").visit == 20.0
    assert p.new_ticket("B", False).visit == pytest.approx(45 / 3)
    assert p.slot_of(1, "A").visit == 20.0  # first in line: its own service's length


def test_only_an_ordinary_ticket_expects_tickets_to_cut_in_ahead_of_it():
    queue = [waiting(1, "A", 5), waiting(2, "A", 4)]
    p = Projection([Desk("L1", ("A",), OLDEST)], queue, pace(cut_in={"A": 1 / 40}))
    assert p.slot_of(2, "A").cut_in == pytest.approx(0.25)
    assert p.new_ticket("A", True).cut_in == 0.0


def test_tickets_cutting_in_stretch_ordinary_visits_while_tickets_are_issued():
    queue = [waiting(1, "A", 5), waiting(2, "A", 4)]
    # one cutting-in ticket every 40 minutes, 10 minutes each: a quarter of the counter's time
    stretched = Projection([Desk("L1", ("A",), OLDEST)], queue, pace(cut_in={"A": 1 / 40}))
    assert stretched.call_in[2] == pytest.approx(10 / 0.75)
    closing = Projection(
        [Desk("L1", ("A",), OLDEST)], queue, pace(cut_in={"A": 1 / 40}, issued_until=0.0)
    )
    assert closing.call_in[2] == 10.0  # no ticket will be issued any more: nobody cuts in


def test_at_a_strict_counter_the_arrivals_of_the_services_it_ranks_first_cut_in():
    queue = [waiting(1, "B", 5), waiting(2, "B", 4)]
    # an A ticket every 40 minutes, 10 minutes each: it goes before every B that waits
    rates = {"ordinary_rate": {"A": 1 / 40}}
    strict = Projection([Desk("L1", ("A", "B"), STRICT)], queue, pace(**rates))
    assert strict.call_in[2] == pytest.approx(10 / 0.75)
    oldest = Projection([Desk("L1", ("A", "B"), OLDEST)], queue, pace(**rates))
    assert oldest.call_in[2] == 10.0  # oldest first: a later A waits behind them
    # the first service's own later arrivals never go before its waiting tickets
    own = Projection([Desk("L1", ("B", "A"), STRICT)], queue, pace(**rates))
    assert own.call_in[2] == 10.0


def test_cut_ins_follow_the_arrival_rate_as_it_rises_later_in_the_day():
    queue = [waiting(1, "A", 5), waiting(2, "A", 4), waiting(3, "A", 3)]
    # a quarter of the counter's time now, half of it from minute 10 on (the rate doubles)
    shape = {"arrival_shape": ((0.0, 1.0), (10.0, 2.0))}
    p = Projection([Desk("L1", ("A",), OLDEST)], queue, pace(cut_in={"A": 1 / 40}, **shape))
    assert p.call_in[2] == pytest.approx(10 / 0.75)
    assert p.call_in[3] - p.call_in[2] == pytest.approx(10 / 0.5)


def test_a_break_sure_to_start_now_delays_the_next_call_by_its_length():
    desk = Desk("L1", ("A",), OLDEST, break_between=(0.0, 0.0))
    p = Projection([desk], [waiting(1, "A", 5), waiting(2, "A", 4)], pace(break_minutes=30.0))
    assert p.call_in[2] == pytest.approx(40.0, abs=0.01)


def test_a_break_somewhere_in_a_window_costs_its_length_only_once_the_window_is_past():
    desk = Desk("L1", ("A",), OLDEST, break_between=(60.0, 150.0))
    assert desk.finish(0.0, 50.0, 30.0) == 50.0  # done before the window opens
    assert desk.finish(0.0, 300.0, 30.0) == pytest.approx(330.0, abs=0.01)
    midway = desk.finish(0.0, 100.0, 30.0)  # part of the break is expected by then
    assert 100.0 < midway < 130.0


def test_adding_an_issued_ticket_places_it_and_moves_the_desks_later_calls():
    queue = [waiting(1, "B", 30), waiting(2, "B", 20)]
    p = Projection([Desk("L1", ("A", "B"), STRICT)], queue, pace())
    slot = p.add(Waiting(9, "A", False, T0))
    assert slot.call_in == 0.0
    assert p.call_in[1] == 10.0 and p.call_in[2] == 20.0
    assert p.new_ticket("B", False).call_in == 30.0


def test_every_desk_calls_in_the_order_of_the_engines_selection_rule():
    queue = [
        waiting(1, "A", 9),
        waiting(2, "B", 12),
        waiting(3, "C", 3, priority=True),
        waiting(4, "B", 2),
        waiting(5, "A", 1),
    ]
    desk = Desk("L1", ("B", "A", "C"), STRICT)
    p = Projection([desk], queue, pace())
    order = sorted(p.call_in, key=p.call_in.__getitem__)
    candidates = [Candidate(w.id, w.service, w.priority, w.original_issued_at) for w in queue]
    expected = []
    while candidates:
        chosen = pick_next(candidates, desk.profile, STRICT)
        expected.append(chosen.id)
        candidates.remove(chosen)
    assert order == expected


def test_a_ticket_sent_to_a_counter_waits_for_it_alone_in_its_place_in_time():
    queue = [waiting(1, "A", 10), waiting(2, "A", 8, for_desk="L2"), waiting(3, "A", 6)]
    desks = [Desk("L1", ("A",), OLDEST), Desk("L2", ("A",), OLDEST, free_in=15.0)]
    p = Projection(desks, queue, pace())
    assert (p.desk_of[3], p.call_in[3]) == ("L1", 10.0)  # L1 passes the kept one by
    assert (p.desk_of[2], p.call_in[2]) == ("L2", 15.0)  # L2's first call: before L1's A003
    kept = p.slot_of(2, "A")
    assert (kept.ahead, kept.desks) == (0, 1)  # one desk's: nobody else's calls count
    assert p.new_ticket("A", False).call_in == 20.0


def test_a_ticket_sent_to_a_counter_that_cannot_call_it_is_open_to_all():
    for keeper in ("L9", "L2"):  # not working today; working, but not serving A
        queue = [waiting(1, "A", 10, for_desk=keeper), waiting(2, "A", 5)]
        desks = [Desk("L1", ("A",), OLDEST), Desk("L2", ("B",), OLDEST)]
        p = Projection(desks, queue, pace())
        assert (p.call_in[1], p.call_in[2]) == (0.0, 10.0)
        assert p.slot_of(1, "A").desks == 1  # L1 serves A alone, as always


def test_adding_a_kept_ticket_places_it_at_its_desk():
    desks = [Desk("L1", ("A",), OLDEST), Desk("L2", ("A",), OLDEST, free_in=30.0)]
    p = Projection(desks, [waiting(1, "A", 5)], pace())
    slot = p.add(waiting(7, "A", 1, for_desk="L2"))
    assert (p.desk_of[7], slot.call_in, slot.desks) == ("L2", 30.0, 1)


SERVICES = ("A", "B", "C")
desk_strategy = st.builds(
    lambda profile, mode, free_in, brk: (tuple(dict.fromkeys(profile)), mode, free_in, brk),
    st.lists(st.sampled_from(SERVICES), min_size=1, max_size=3),
    st.sampled_from([OLDEST, STRICT]),
    st.floats(0, 30),
    st.one_of(st.none(), st.tuples(st.floats(0, 60), st.floats(0, 60)).map(sorted)),
)
queue_strategy = st.lists(
    st.tuples(
        st.sampled_from(SERVICES),
        st.integers(0, 120),
        st.booleans(),
        st.one_of(st.none(), st.sampled_from(["L0", "L1", "L2", "L3"])),  # sent to a counter
    ),
    max_size=25,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(desk_strategy, min_size=1, max_size=4), queue_strategy)
def test_every_call_of_the_replay_is_the_one_the_engines_next_makes_at_that_desk(
    desk_specs, queue_specs
):
    desks = [
        Desk(f"L{i}", profile, mode, free_in, tuple(brk) if brk else None)
        for i, (profile, mode, free_in, brk) in enumerate(desk_specs)
    ]
    queue = [waiting(i, *spec) for i, spec in enumerate(queue_specs)]
    p = Projection(desks, queue, pace({"A": 7.0, "B": 11.0, "C": 4.0}))
    by_desk = {d.code: d for d in desks}
    order = {d.code: i for i, d in enumerate(desks)}
    calls = sorted(p.call_in, key=lambda t: (p.call_in[t], order[p.desk_of[t]]))
    left = list(queue)
    for called in calls:
        desk = by_desk[p.desk_of[called]]
        keepers = [by_desk.get(w.for_desk) for w in left]
        candidates = [
            Candidate(
                w.id,
                w.service,
                w.priority,
                w.original_issued_at,
                kept_elsewhere=k is not None and k != desk and w.service in k.profile,
            )
            for w, k in zip(left, keepers, strict=True)
        ]
        assert pick_next(candidates, desk.profile, desk.mode).id == called
        left = [w for w in left if w.id != called]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(desk_strategy, min_size=1, max_size=4),
    queue_strategy,
    st.sampled_from(SERVICES),
    st.booleans(),
    st.dictionaries(st.sampled_from(SERVICES), st.floats(0, 0.05)),
)
def test_a_new_ticket_is_called_where_a_replay_with_it_would_call_it(
    desk_specs, queue_specs, service, priority, cut_in
):
    desks = [
        Desk(f"L{i}", profile, mode, free_in, tuple(brk) if brk else None)
        for i, (profile, mode, free_in, brk) in enumerate(desk_specs)
    ]
    queue = [waiting(i, *spec) for i, spec in enumerate(queue_specs)]
    the_pace = pace({"A": 7.0, "B": 11.0, "C": 4.0}, cut_in, issued_until=45.0)
    newcomer = Waiting(999, service, priority, T0)
    predicted = Projection(desks, queue, the_pace).new_ticket(service, priority)
    replayed = Projection(desks, [*queue, newcomer], the_pace)
    if predicted is None:
        assert replayed.slot_of(999, service) is None
    else:
        assert astuple(predicted) == pytest.approx(astuple(replayed.slot_of(999, service)))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(desk_strategy, min_size=1, max_size=4),
    queue_strategy,
    st.lists(st.tuples(st.sampled_from(SERVICES), st.booleans()), min_size=1, max_size=5),
)
def test_adding_issued_tickets_one_by_one_equals_a_replay_with_all_of_them(
    desk_specs, queue_specs, issued
):
    desks = [
        Desk(f"L{i}", profile, mode, free_in, tuple(brk) if brk else None)
        for i, (profile, mode, free_in, brk) in enumerate(desk_specs)
    ]
    queue = [waiting(i, *spec) for i, spec in enumerate(queue_specs)]
    the_pace = pace({"A": 7.0, "B": 11.0, "C": 4.0}, {"A": 0.02}, issued_until=45.0)
    growing = Projection(desks, queue, the_pace)
    newcomers = [
        Waiting(1000 + i, s, p, T0 + timedelta(seconds=i)) for i, (s, p) in enumerate(issued)
    ]
    for newcomer in newcomers:
        growing.add(newcomer)
    replayed = Projection(desks, [*queue, *newcomers], the_pace)
    assert growing.call_in == pytest.approx(replayed.call_in)
    for ticket in [*queue, *newcomers]:
        grown, replay = (p.slot_of(ticket.id, ticket.service) for p in (growing, replayed))
        assert (grown is None) == (replay is None)
        if grown is not None:
            assert astuple(grown) == pytest.approx(astuple(replay))
