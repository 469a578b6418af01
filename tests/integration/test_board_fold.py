"""The display's one rule for how an event changes the board (shared.domain.board_fold): over
random days of issuing, calling, recalling, serving, skipping, parking, calling back,
transferring, serving walk-ins, pausing and resuming, on SQLite and PostgreSQL, folding the
events over the board read before them gives exactly the board read after them. So the display
needs no periodic reload."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.domain.board_fold import fold_all, view_of
from shared.engine import QueueEngine
from shared.errors import UserError

KEEP = 3  # small, so that the recent list overflows in most examples
COUNTERS = ("L1", "L2", "S1")  # few, so that calls, skips and transfers meet often
KINDS = (  # drawn evenly: issuing and calling twice as often as the rest
    "issue",
    "issue",
    "next",
    "next",
    "recall",
    "start",
    "finish",
    "skip",
    "skip",
    "pause",
    "resume",
    "transfer",
    "walk_in",
    "park",
    "call_back",
)
operations = st.lists(
    st.tuples(
        st.sampled_from(KINDS),
        st.sampled_from(COUNTERS),
        st.sampled_from(["KTP", "AKTA", "PKB"]),
        st.booleans(),
    ),
    min_size=1,
    max_size=50,
)


def run(engine: QueueEngine, operation: tuple[str, str, str, bool]) -> None:
    kind, target, service, flag = operation
    actions = {
        "issue": lambda: engine.issue_ticket(service, priority=flag),
        "next": lambda: engine.call_next(target),
        "recall": lambda: engine.recall(target),
        "start": lambda: engine.start(target),
        "finish": lambda: engine.finish(target),
        "skip": lambda: engine.skip(target),
        "pause": lambda: engine.pause(target),
        "resume": lambda: engine.resume(target),
        "transfer": lambda: engine.transfer(target, "AKTA" if flag else "KK"),
        "walk_in": lambda: engine.serve_walk_in(target, service),
        "park": lambda: engine.park(target),
        "call_back": lambda: call_back(engine, target),
    }
    with contextlib.suppress(UserError):  # not possible now (nobody waiting, paused, quota)
        actions[kind]()


def call_back(engine: QueueEngine, counter: str) -> None:
    """Call back the first ticket parked at `counter`, else its latest no-show, if any."""
    view = engine.counter_view(counter)
    for ticket in (*view.parked, *view.skipped)[:1]:
        engine.call_specific(counter, ticket.number)


@pytest.mark.timeout(900)
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(before=operations, after=operations)
def test_folding_the_events_over_the_board_gives_the_board_read_after_them(
    engine: QueueEngine, clock, before, after
) -> None:
    # every example on a fresh morning: the new day expires what the last one left
    clock.set(clock.now().replace(hour=9, minute=0) + timedelta(days=7))
    for operation in before:  # the day so far, before the display loads the board
        run(engine, operation)
        clock.advance(seconds=30)
    loaded = engine.board(recent=KEEP)
    for operation in after:  # then the events it follows
        run(engine, operation)
        clock.advance(seconds=30)
    events = engine.events_after(loaded.last_event_id, 10_000)
    assert fold_all(view_of(loaded, KEEP), events) == view_of(engine.board(recent=KEEP), KEEP)
