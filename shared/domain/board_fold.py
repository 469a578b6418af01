"""What a board shows, kept up to date by the change feed: a pure fold of events over it.

The waiting-room display loads the board once and then applies each event; this is the one rule
for how an event changes what it shows. A property test proves that folding any sequence of
events gives what `engine.board()` reads afterwards, so the display needs no periodic reload.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from shared.domain.states import WALK_IN_CALL, CounterState, EventKind, TicketState
from shared.domain.values import Board, Event

TICKET_ENDS = frozenset(
    {
        EventKind.FINISHED,
        EventKind.NO_SHOW,
        EventKind.PARKED,
        EventKind.TRANSFERRED,
        EventKind.EXPIRED,
        EventKind.CANCELLED,
    }
)
COUNTER_STATES: Mapping[EventKind, CounterState] = MappingProxyType(
    {
        EventKind.COUNTER_OPENED: CounterState.OPEN,
        EventKind.COUNTER_PAUSED: CounterState.PAUSED,
        EventKind.COUNTER_CLOSED: CounterState.CLOSED,
    }
)


@dataclass(frozen=True, slots=True)
class CounterLine:
    state: CounterState
    current: str | None  # the number called or served there
    priority: bool


@dataclass(frozen=True, slots=True)
class CallLine:
    event_id: int
    number: str
    counter: str
    priority: bool
    recall: bool


@dataclass(frozen=True, slots=True)
class BoardView:
    counters: Mapping[str, CounterLine]
    recent: tuple[CallLine, ...]  # newest first, at most `keep`
    waiting: Mapping[str, int]  # service -> tickets waiting (only services with some)
    keep: int


def view_of(board: Board, keep: int) -> BoardView:
    """What `board` shows, in the fold's terms."""
    return BoardView(
        counters={
            c.code: CounterLine(
                c.state,
                c.current.number if c.current else None,
                bool(c.current and c.current.priority),
            )
            for c in board.counters
        },
        recent=tuple(
            CallLine(r.event_id, r.number, r.counter_code, r.priority, r.recall)
            for r in board.recent_calls[:keep]
        ),
        waiting={w.service_code: w.waiting for w in board.waiting if w.waiting > 0},
        keep=keep,
    )


def announced(kind: EventKind, detail: str | None) -> bool:
    """Whether a call or recall is one the waiting room hears: not a walk-in's, who is at the
    counter already."""
    return kind == EventKind.RECALLED or detail != WALK_IN_CALL


def fold(view: BoardView, event: Event) -> BoardView:
    """`view` after `event` (an event of another counter or service than shown changes only
    what it touches; one that changes nothing shown returns `view` itself)."""
    counters, recent, waiting = view.counters, view.recent, view.waiting
    counter = event.counter_code or ""  # "" is no counter's code
    number = event.number or ""
    if event.kind in (EventKind.CALLED, EventKind.RECALLED) and counter in counters:
        counters = {
            **counters,
            counter: replace(counters[counter], current=number, priority=event.priority),
        }
        if announced(event.kind, event.detail):
            call = CallLine(
                event.id, number, counter, event.priority, event.kind == EventKind.RECALLED
            )
            recent = (call, *recent)[: view.keep]
    elif event.kind in TICKET_ENDS and counter in counters:
        if counters[counter].current == number:
            counters = {
                **counters,
                counter: replace(counters[counter], current=None, priority=False),
            }
    elif event.kind in COUNTER_STATES and counter in counters:
        counters = {
            **counters,
            counter: replace(counters[counter], state=COUNTER_STATES[event.kind]),
        }
    service = event.service_code
    if service is not None:
        if event.kind == EventKind.ISSUED:
            waiting = {**waiting, service: waiting.get(service, 0) + 1}
        elif event.from_state == TicketState.WAITING.value:
            left = waiting.get(service, 0) - 1
            waiting = {k: v for k, v in waiting.items() if k != service}
            if left > 0:
                waiting[service] = left
    if counters is view.counters and recent is view.recent and waiting is view.waiting:
        return view
    return BoardView(counters, recent, waiting, view.keep)


def fold_all(view: BoardView, events: Iterable[Event]) -> BoardView:
    for event in events:
        view = fold(view, event)
    return view
