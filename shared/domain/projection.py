"""When the counters will call each waiting ticket: a forward projection of today's queue.

The counters are replayed as the engine runs them: each, when free, calls the ticket that "next"
picks for its work profile and rule (shared.domain.selection: priority first, then oldest or
strict), and holds it for the service's counter time (call to finish, no-shows included, learned
from the day). What the projection knows of the future:

- tickets that will cut in ahead of the ordinary ones waiting take a share of each counter's
  time, so an ordinary ticket's visit is stretched by 1 / (1 - share): priority arrivals at
  their recent rate (rising and falling by the hour as on recent days) while their services
  still issue tickets, at a strict counter the arrivals of the services it ranks before the
  ticket's, and transfers (they keep their first issue time) as the day's share of visits that
  end in one;
- breaks: a counter on break comes back after the usual break; a counter that has not had its
  break yet will take it at a moment of the site's break window that nobody knows in advance,
  so it loses, by any time, the break minutes it has lost on average by then (its visits in the
  window take longer by that much).

A ticket a colleague sent to one counter (transfer to a counter) waits for that desk only, in its
place in time, as the engine's "next" keeps it (shared.domain.selection); kept for a counter that
is not among the desks or does not serve its service, it is open to all of them.

Nothing else arrives, so the set a counter chooses from only shrinks and the keys it picks never
decrease. That makes a new ticket cheap to place: at each counter it is called where the first
ticket it would beat stands (or when the counter runs dry), and the earliest of those counters
calls it; nothing before that moment changes. `add` keeps the projection current after issuing
without replaying it, unless
the new ticket goes before calls already placed (a priority ticket, a strict profile's first
service): then the day is replayed with it.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from shared.domain.states import SelectionMode

MAX_CUT_IN_SHARE = 0.6  # of a counter's time: beyond it the inflow figure is noise


@dataclass(frozen=True, slots=True)
class Desk:
    """A counter as the projection sees it; times in minutes from the projection's start."""

    code: str
    profile: tuple[str, ...]  # service codes, in work-profile order
    mode: SelectionMode
    free_in: float = 0.0  # when it can call: after its current ticket or its break
    # when its break may start (uniformly between the two), if it has not had it yet
    break_between: tuple[float, float] | None = None

    def finish(self, at: float, work: float, break_minutes: float) -> float:
        """When `work` minutes of visits begun at `at` are done, breaks expected included."""
        if self.break_between is None:
            return at + work
        first, last = self.break_between
        if at + work <= first or at >= last + break_minutes:
            return at + work
        target = at + work - _break_lost(at, first, last, break_minutes)
        low, high = at + work, at + work + break_minutes
        for _ in range(24):  # the available time t - lost(t) never decreases: bisect it
            middle = (low + high) / 2
            if middle - _break_lost(middle, first, last, break_minutes) >= target:
                high = middle
            else:
                low = middle
        return high


def _break_lost(at: float, first: float, last: float, length: float) -> float:
    """Break minutes lost on average by `at` when the break starts uniformly in [first, last]."""

    def area(x: float) -> float:  # the integral of min(max(u, 0), length) from 0 to x
        if x <= 0:
            return 0.0
        if x <= length:
            return x * x / 2
        return length * length / 2 + length * (x - length)

    if last - first < 1e-9:
        return min(max(at - first, 0.0), length)
    return (area(at - first) - area(at - last)) / (last - first)


@dataclass(frozen=True, slots=True)
class Waiting:
    id: int
    service: str
    priority: bool
    original_issued_at: datetime
    for_desk: str | None = None  # the counter it was sent to, while that counter can call it


@dataclass(frozen=True, slots=True)
class Pace:
    """How fast the day goes, per service: counter minutes per ticket, priority and ordinary
    tickets arriving per minute, and until when its tickets are still issued (minutes from the
    start; a service missing there has no more arrivals today); the break's length; and the
    share of visits that end in a transfer."""

    minutes: Mapping[str, float]
    priority_rate: Mapping[str, float]
    issued_until: Mapping[str, float]
    break_minutes: float = 30.0
    transfer_share: float = 0.0  # of visits: transfers coming back ahead of the ordinary ones
    ordinary_rate: Mapping[str, float] = field(default_factory=dict)
    # how the arrival rates change later today: (from minute, times the rates above), in order
    arrival_shape: tuple[tuple[float, float], ...] = ()

    def arriving(self, at: float) -> float:
        """The arrival rates at `at` as a multiple of the rates given."""
        index = bisect.bisect_right(self.arrival_shape, (at, math.inf))
        return self.arrival_shape[index - 1][1] if index else 1.0


@dataclass(frozen=True, slots=True)
class Slot:
    """Where a ticket stands: called `call_in` minutes from the start, after `ahead` calls at
    the counters that serve its service (`desks` of them). `visit` is the average length of the
    calling counter's visits before it (whatever their services), and `cut_in` the share of that
    counter's time that tickets going before it are expected to take (none for a priority
    ticket)."""

    call_in: float
    ahead: int
    desks: int
    visit: float
    cut_in: float


Class = tuple[int, int]  # (0 priority / 1 ordinary, rank in a strict profile)
Line = tuple[str, bool, str | None]  # (service, priority, the desk it is kept for or None)


class Projection:
    def __init__(self, desks: Sequence[Desk], queue: Iterable[Waiting], pace: Pace) -> None:
        self.pace = pace
        self.desks = {d.code: d for d in desks}
        self._order = {d.code: i for i, d in enumerate(desks)}  # who calls first at a tie
        self._serving: dict[str, list[str]] = defaultdict(list)
        for desk in desks:
            for service in desk.profile:
                self._serving[service].append(desk.code)
        self._queue = list(queue)
        # per desk, in call order: the ticket ids, their classes and their call times
        self._ids: dict[str, list[int]] = {}
        self._classes: dict[str, list[Class]] = {}
        self._times: dict[str, list[float]] = {}
        self._work: dict[str, list[float]] = {}  # the minutes of its calls so far, after each
        self._dry: dict[str, float] = {}  # when each desk runs out of tickets
        self._kept: set[int] = set()  # the tickets one desk keeps for itself
        self.call_in: dict[int, float] = {}
        self.desk_of: dict[int, str] = {}
        self._run()

    # ------------------------------------------------------------------------- queries

    def slot_of(self, ticket_id: int, service: str) -> Slot | None:
        """A waiting ticket's projected call; None when no desk serves it."""
        code = self.desk_of.get(ticket_id)
        if code is None:
            return None
        index = self._ids[code].index(ticket_id)
        priority = self._classes[code][index][0] == 0
        alone = ticket_id in self._kept
        return self._slot(service, priority, self.call_in[ticket_id], code, index, alone)

    def new_ticket(self, service: str, priority: bool) -> Slot | None:
        """Where a ticket issued now would stand; None when no desk serves the service."""
        place = self._place(service, priority)
        return None if place is None else self._slot(service, priority, *place)

    def add(self, ticket: Waiting) -> Slot | None:
        """Put a just-issued ticket (the newest) into the projection and return its slot."""
        if self._keeper(ticket) is not None:  # one desk's alone: placed by a replay
            self._queue.append(ticket)
            self._run()
            return self.slot_of(ticket.id, ticket.service)
        place = self._place(ticket.service, ticket.priority)
        if place is None:
            return None
        at, code, index = place
        self._queue.append(ticket)
        if index < len(self._ids[code]):  # it goes before others: the day changes after it
            self._run()
            return self._slot(ticket.service, ticket.priority, at, code, index)
        desk = self.desks[code]  # it comes when the desk would run dry: nothing else moves
        self._ids[code].append(ticket.id)
        self._classes[code].append(self._class_at(desk, ticket.service, ticket.priority))
        self._times[code].append(at)
        self._count_work(code, ticket.service)
        self.call_in[ticket.id], self.desk_of[ticket.id] = at, code
        self._dry[code] = self._done(desk, ticket.service, ticket.priority, at)
        return self._slot(ticket.service, ticket.priority, at, code, index)

    # ------------------------------------------------------------------------ the replay

    def _run(self) -> None:
        """Replay the desks over the queue from the start."""
        desks = list(self.desks.values())
        for desk in desks:
            self._ids[desk.code], self._classes[desk.code], self._times[desk.code] = [], [], []
            self._work[desk.code] = []
        self._dry.clear()
        self.call_in.clear()
        self.desk_of.clear()
        self._kept.clear()
        lines: dict[Line, list[Waiting]] = defaultdict(list)
        for waiting in self._queue:
            keeper = self._keeper(waiting)
            lines[(waiting.service, waiting.priority, keeper)].append(waiting)
            if keeper is not None:
                self._kept.add(waiting.id)
        for line in lines.values():
            line.sort(key=lambda t: (t.original_issued_at, t.id), reverse=True)  # pop() = oldest
        free = [(d.free_in, i, d.code) for i, d in enumerate(desks)]
        heapq.heapify(free)
        while free:
            at, order, code = heapq.heappop(free)
            desk = self.desks[code]
            called = self._pick(desk, lines)
            if called is None:
                self._dry[code] = at
                continue
            self._ids[code].append(called.id)
            self._classes[code].append(self._class_at(desk, called.service, called.priority))
            self._times[code].append(at)
            self._count_work(code, called.service)
            self.call_in[called.id], self.desk_of[called.id] = at, code
            after = self._done(desk, called.service, called.priority, at)
            heapq.heappush(free, (after, order, code))

    def _keeper(self, ticket: Waiting) -> str | None:
        """The desk a ticket waits for alone, if it was sent to one that can call it."""
        desk = self.desks.get(ticket.for_desk) if ticket.for_desk is not None else None
        return desk.code if desk is not None and ticket.service in desk.profile else None

    @staticmethod
    def _pick(desk: Desk, lines: Mapping[Line, list[Waiting]]) -> Waiting | None:
        best: tuple[Class, datetime, int] | None = None
        choice: list[Waiting] | None = None
        for rank, service in enumerate(desk.profile):
            for priority, keeper in itertools.product((True, False), (None, desk.code)):
                line = lines.get((service, priority, keeper))
                if not line:
                    continue
                head = line[-1]
                key = (
                    (0 if priority else 1, rank if desk.mode == SelectionMode.STRICT else 0),
                    head.original_issued_at,
                    head.id,
                )
                if best is None or key < best:
                    best, choice = key, line
        return None if choice is None else choice.pop()

    # --------------------------------------------------------------------------- helpers

    def _place(self, service: str, priority: bool) -> tuple[float, str, int] | None:
        """The earliest (time, desk, index in its calls) at which a new ticket is called."""
        best: tuple[float, str, int] | None = None
        for code in self._serving.get(service, ()):
            desk = self.desks[code]
            new_class = self._class_at(desk, service, priority)
            # a newest ticket comes after every call of its class or better at this desk
            index = bisect.bisect_right(self._classes[code], new_class)
            times = self._times[code]
            at = times[index] if index < len(times) else self._dry[code]
            if best is None or at < best[0]:
                best = (at, code, index)
        return best

    def _slot(
        self, service: str, priority: bool, at: float, desk: str, index: int, alone: bool = False
    ) -> Slot:
        """The slot of a call at `at`, the `index`-th of `desk`: ahead are the desk's earlier
        calls and the other serving desks' calls before it (at the same moment, those of the
        desks that call first, as the replay orders them); only the desk's own when it keeps
        the ticket for itself (`alone`)."""
        desks = (desk,) if alone else self._serving.get(service, ())
        order = self._order[desk]
        others = sum(
            (bisect.bisect_right if self._order[c] < order else bisect.bisect_left)(
                self._times[c], at
            )
            for c in desks
            if c != desk
        )
        visit = self._work[desk][index - 1] / index if index else self.pace.minutes[service]
        cut_in = 0.0 if priority else self._cut_in_share(self.desks[desk], service, 0.0)
        return Slot(at, index + others, len(desks), visit, cut_in)

    def _count_work(self, desk: str, service: str) -> None:
        work = self._work[desk]
        work.append((work[-1] if work else 0.0) + self.pace.minutes[service])

    @staticmethod
    def _class_at(desk: Desk, service: str, priority: bool) -> Class:
        rank = desk.profile.index(service) if desk.mode == SelectionMode.STRICT else 0
        return (0 if priority else 1, rank)

    def _done(self, desk: Desk, service: str, priority: bool, at: float) -> float:
        """When a visit of `service` called at `at` ends."""
        minutes = self.pace.minutes[service]
        if not priority:
            minutes /= 1 - self._cut_in_share(desk, service, at)
        return desk.finish(at, minutes, self.pace.break_minutes)

    def _cut_in_share(self, desk: Desk, service: str, at: float) -> float:
        """The share of this desk's time that tickets going before an ordinary `service` ticket
        take at `at`: transfers, the priority arrivals of its services still issuing tickets
        and, at a strict desk, the arrivals of the services it ranks first; each service's
        arrivals split among the desks serving it."""
        pace = self.pace
        ranked_first = (
            desk.profile[: desk.profile.index(service)] if desk.mode == SelectionMode.STRICT else ()
        )

        def load(rates: Mapping[str, float], of: Iterable[str]) -> float:
            return sum(
                rates.get(s, 0.0) * pace.minutes[s] / len(self._serving[s])
                for s in of
                if at < pace.issued_until.get(s, 0.0)
            )

        share = pace.transfer_share + pace.arriving(at) * (
            load(pace.priority_rate, desk.profile) + load(pace.ordinary_rate, ranked_first)
        )
        return min(MAX_CUT_IN_SHARE, share)
