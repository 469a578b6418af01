"""The ticket state machine and the kinds of events the log records."""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class TicketState(StrEnum):
    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    PARKED = "parked"  # set aside by a counter until the citizen is ready (Qmatic's park)


class Action(StrEnum):
    """What can happen to a ticket."""

    CALL = "call"
    RECALL = "recall"
    START = "start"
    FINISH = "finish"
    SKIP = "skip"
    PARK = "park"
    TRANSFER = "transfer"
    CANCEL = "cancel"
    EXPIRE = "expire"


class EventKind(StrEnum):
    ISSUED = "issued"
    CALLED = "called"
    RECALLED = "recalled"
    STARTED = "started"
    FINISHED = "finished"
    NO_SHOW = "no_show"
    PARKED = "parked"
    TRANSFERRED = "transferred"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    COUNTER_OPENED = "counter_opened"
    COUNTER_PAUSED = "counter_paused"
    COUNTER_CLOSED = "counter_closed"
    STAFF_LOGIN = "staff_login"
    STAFF_LOGOUT = "staff_logout"
    LOGIN_FAILED = "login_failed"
    PIN_FAILED = "pin_failed"
    ACCOUNT_CHANGED = "account_changed"
    REFUSED = "refused"  # a ticket not issued: closed or quota (detail says which)
    # a site file changed agencies, services, counters or the site's settings (detail: how
    # many changes): the apps read again what they show
    SITE_LOADED = "site_loaded"
    BOOKING_NO_SHOW = (
        "booking_no_show"  # a booking not checked in by its window's end (detail: code)
    )


class CounterState(StrEnum):
    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


class SelectionMode(StrEnum):
    """How "next" orders a counter's services: oldest ticket first, or the profile's order."""

    OLDEST = "oldest"
    STRICT = "strict"


class TicketSource(StrEnum):
    KIOSK = "kiosk"
    APPOINTMENT = "appointment"
    WALK_IN = "walk_in"
    TRANSFER = "transfer"


S, A = TicketState, Action
TRANSITIONS: Final[dict[tuple[TicketState, Action], TicketState]] = {
    (S.WAITING, A.CALL): S.CALLED,
    (S.WAITING, A.CANCEL): S.CANCELLED,
    (S.WAITING, A.EXPIRE): S.EXPIRED,
    (S.CALLED, A.RECALL): S.CALLED,
    (S.CALLED, A.START): S.SERVING,
    (S.CALLED, A.FINISH): S.DONE,
    (S.CALLED, A.SKIP): S.NO_SHOW,
    (S.CALLED, A.PARK): S.PARKED,
    (S.CALLED, A.TRANSFER): S.TRANSFERRED,
    (S.CALLED, A.EXPIRE): S.EXPIRED,
    (S.SERVING, A.FINISH): S.DONE,
    (S.SERVING, A.PARK): S.PARKED,
    (S.SERVING, A.TRANSFER): S.TRANSFERRED,
    (S.SERVING, A.EXPIRE): S.EXPIRED,
    # a citizen who missed the call comes back: staff call the skipped number out of order
    (S.NO_SHOW, A.CALL): S.CALLED,
    # a citizen sent to fetch a paper is ready: called back the same way; never back by "next",
    # and still parked when the day ends, expired
    (S.PARKED, A.CALL): S.CALLED,
    (S.PARKED, A.EXPIRE): S.EXPIRED,
}

# The event each action writes.
ACTION_EVENT: Final[dict[Action, EventKind]] = {
    A.CALL: EventKind.CALLED,
    A.RECALL: EventKind.RECALLED,
    A.START: EventKind.STARTED,
    A.FINISH: EventKind.FINISHED,
    A.SKIP: EventKind.NO_SHOW,
    A.PARK: EventKind.PARKED,
    A.TRANSFER: EventKind.TRANSFERRED,
    A.CANCEL: EventKind.CANCELLED,
    A.EXPIRE: EventKind.EXPIRED,
}

# Tickets a counter holds; the day rollover expires these, waiting and parked ones.
HELD_STATES: Final = frozenset({S.CALLED, S.SERVING})
OPEN_STATES: Final = frozenset({S.WAITING, S.CALLED, S.SERVING, S.PARKED})
FINAL_STATES: Final = frozenset(set(TicketState) - OPEN_STATES)


def next_state(state: TicketState, action: Action) -> TicketState | None:
    """The state `action` leads to from `state`, or None when the action is not allowed."""
    return TRANSITIONS.get((state, action))


def allowed_actions(state: TicketState) -> frozenset[Action]:
    return frozenset(action for (source, action) in TRANSITIONS if source == state)


# The detail of the 'called' event of someone served at the counter without a ticket: no one in
# the waiting room is called, so the board neither lists nor announces it.
WALK_IN_CALL: Final = "walk_in"

TICKET_ACTIONS: Final = frozenset({A.RECALL, A.START, A.FINISH, A.SKIP, A.PARK, A.TRANSFER})


def counter_actions(ticket: TicketState | None, counter: CounterState) -> frozenset[str]:
    """What staff can do at a counter now: the current ticket's allowed transitions (the
    state machine above), plus calling (the next, a number, someone without a ticket),
    pausing, resuming and leaving by the counter's state."""
    allowed = {a.value for a in allowed_actions(ticket) & TICKET_ACTIONS} if ticket else set()
    if counter == CounterState.OPEN:
        allowed |= {"next", "specific", "walk_in"}
        if ticket is None:
            allowed.add("pause")
    else:
        allowed.add("resume")
    if ticket is None:
        allowed.add("logout")
    return frozenset(allowed)
