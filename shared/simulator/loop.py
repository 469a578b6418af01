"""The simulation's event loop: arrivals and desks acting at their times through the engine.

Every ticket goes through the real QueueEngine: issued at its arrival time, called by the next
free desk whose work profile serves it, then started, served for a lognormal time and finished
(or recalled and skipped as a no-show, or transferred, or sent on to a colleague's counter, or
parked part-way while the citizen fetches a missing paper and called back once they are back).
A walk-in stands at their counter until it is free (after its visit in progress, or its break)
and is served before it calls next; so is a parked citizen who is back.

`pace(due)` waits until (or sets the clock to) the event's time and returns the time it acts
at. Single process (`pace` moves a ManualClock): a desk that finds nobody waits idle until an
arrival for one of its services wakes it; the same seed gives the same day. In a worker of a
parallel run (`pace` sleeps until the real moment of a compressed clock; `poll` set): a desk that
finds nobody looks again a little later, since arrivals happen in other processes.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections import Counter
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shared.domain.estimate import WaitEstimate
from shared.engine import QueueEngine
from shared.errors import UserError
from shared.simulator.day import Desk, desks, service_minutes, transfer_targets
from shared.simulator.model import (
    OVERTIME,
    PARK_AT,
    RECALL_AFTER,
    WALK_MINUTES,
    Arrival,
    Settings,
    WalkIn,
    behaviour,
)
from shared.site_config import SiteConfig

SAMPLE_EVERY = timedelta(minutes=10)


@dataclass
class _DeskState:
    desk: Desk
    busy: bool = False
    idle: bool = False
    on_break: bool = False
    break_due: bool = False
    minutes: float = 0.0
    transfer_to: str | None = None
    send: bool = False  # the visit ends with its number sent on to a colleague's counter
    service: str = ""  # the service of the ticket held
    standing: list[str] = field(default_factory=list)  # walk-ins' services, first come first
    away: float | None = None  # the current visit will be parked, its citizen away this long
    back: list[_Parked] = field(default_factory=list)  # parked here and back, first come first


@dataclass(frozen=True, slots=True)
class _Parked:
    """A visit parked at a desk: what is left of it when its citizen is called back."""

    number: str
    service: str
    minutes: float
    transfer_to: str | None
    send: bool


@dataclass
class DayRun:
    """What the loop itself knows that the database does not: the refusals, the wait each
    ticket was shown at issue (by ticket id), and the live estimates its page showed later
    (token, when, estimate), sampled every SAMPLE_EVERY."""

    refused: Counter[str] = field(default_factory=Counter)
    shown: dict[int, WaitEstimate] = field(default_factory=dict)
    live: list[tuple[str, datetime, WaitEstimate]] = field(default_factory=list)


class DayLoop:
    def __init__(
        self,
        engine: QueueEngine,
        pace: Callable[[datetime], datetime],
        site: SiteConfig,
        settings: Settings,
        day: date,
        *,
        only_desks: Collection[str] | None = None,
        poll: timedelta | None = None,
        sample_live: bool = False,
    ) -> None:
        self.engine = engine
        self.pace = pace
        self.settings = settings
        self.poll = poll
        self.sample_live = sample_live
        self.desks = desks(site, settings, day)  # every desk, in this process or another
        self.states = [
            _DeskState(d) for d in self.desks if only_desks is None or d.code in only_desks
        ]
        self.day_end = datetime.combine(day, time(23, 55), tzinfo=ZoneInfo(site.site.timezone))
        self.minutes = service_minutes(site)
        self.break_minutes = site.site.breaks.minutes if site.site.breaks else 0
        self.targets = transfer_targets(site)
        self.run = DayRun()
        self._heap: list[tuple[datetime, int, str, Any]] = []
        self._seq = itertools.count()

    def push(self, at: datetime, kind: str, payload: Any) -> None:
        heapq.heappush(self._heap, (at, next(self._seq), kind, payload))

    def simulate(self, arrivals: Sequence[Arrival], walk_ins: Sequence[WalkIn] = ()) -> DayRun:
        for arrival in arrivals:
            self.push(arrival.at, "arrive", arrival)
        desk = {state.desk.code: state for state in self.states}
        for walk_in in walk_ins:
            if walk_in.counter in desk:
                self.push(walk_in.at, "walk_in", (desk[walk_in.counter], walk_in.service))
        for state in self.states:
            self.push(state.desk.opens, "free", state)
            if state.desk.break_at:
                self.push(state.desk.break_at, "break", state)
        if self.sample_live and self.states:
            self.push(min(s.desk.opens for s in self.states), "sample", None)
        while self._heap:
            due, _, kind, payload = heapq.heappop(self._heap)
            at = self.pace(due)  # later than due when a busy parallel run lags behind
            if at >= self.day_end:
                break  # never into tomorrow: what is left expires at the day's close
            getattr(self, f"_on_{kind}")(at, payload)
        return self.run

    # ------------------------------------------------------------------------ events

    def _on_arrive(self, at: datetime, arrival: Arrival) -> None:
        try:
            if arrival.code is not None:
                ticket = self.engine.check_in(arrival.code)[1]
            else:
                ticket = self.engine.issue_ticket(arrival.service, priority=arrival.priority)
        except UserError as refusal:  # closed, quota; for a booking, too early or too late
            self.run.refused[refusal.key] += 1
            return
        if ticket.wait is not None:
            self.run.shown[ticket.id] = ticket.wait
        self._wake(at, arrival.service)

    def _on_walk_in(self, at: datetime, payload: tuple[_DeskState, str]) -> None:
        state, service = payload
        if at >= state.desk.closes:  # the counter takes nobody new; those there are served
            self.run.refused["walk_in_counter_closed"] += 1
            return
        state.standing.append(service)
        if state.idle:
            state.idle = False
            self.push(at, "free", state)

    def _on_sample(self, at: datetime, _: None) -> None:
        """Note what every waiting ticket's page shows now (while any desk is still working)."""
        for token, page in self.engine.progress().tickets.items():
            if page.wait is not None and not page.transferred:
                self.run.live.append((token, at, page.wait))
        if any(at < s.desk.closes + OVERTIME for s in self.states):
            self.push(at + SAMPLE_EVERY, "sample", None)

    def _on_free(self, at: datetime, state: _DeskState) -> None:
        state.busy = False
        if state.break_due:
            self._take_break(at, state)
            return
        if state.on_break or at >= state.desk.closes + OVERTIME:
            state.idle = False
            if state.standing and not state.on_break:
                self.run.refused["walk_in_counter_closed"] += len(state.standing)
                state.standing.clear()
            return
        if state.standing:
            self._serve_walk_in(at, state, state.standing.pop(0))
            return
        if state.back:
            self._call_back(at, state, state.back.pop(0))
            return
        ticket = self.engine.call_next(state.desk.code)
        if ticket is None:
            if self.poll is None:
                state.idle = True
            else:
                self.push(at + self.poll, "free", state)
            return
        state.busy, state.idle = True, False
        plan = behaviour(
            self.settings,
            ticket.id,
            self.minutes[ticket.service_code],
            self.targets.get(ticket.service_code, ()),
            ticket.source == "transfer",
        )
        state.minutes, state.transfer_to, state.away = plan.minutes, plan.transfer_to, plan.away
        state.send, state.service = plan.send, ticket.service_code
        if plan.no_show:
            self.push(at + timedelta(minutes=RECALL_AFTER), "recall", state)
        else:
            self.push(at + timedelta(minutes=WALK_MINUTES), "start", state)

    def _on_recall(self, at: datetime, state: _DeskState) -> None:
        self.engine.recall(state.desk.code)
        self.push(at + timedelta(minutes=RECALL_AFTER), "skip", state)

    def _on_skip(self, at: datetime, state: _DeskState) -> None:
        self.engine.skip(state.desk.code)
        self.push(at, "free", state)

    def _on_start(self, at: datetime, state: _DeskState) -> None:
        self.engine.start(state.desk.code)
        if state.away is not None:
            self.push(at + timedelta(minutes=state.minutes * PARK_AT), "park", state)
        else:
            self.push(at + timedelta(minutes=state.minutes), "end", state)

    def _on_park(self, at: datetime, state: _DeskState) -> None:
        """A paper is missing: the visit is set aside and the desk calls the next."""
        assert state.away is not None
        ticket = self.engine.park(state.desk.code)
        rest = _Parked(
            ticket.number,
            state.service,
            state.minutes * (1 - PARK_AT),
            state.transfer_to,
            state.send,
        )
        self.push(at + timedelta(minutes=state.away), "back", (state, rest))
        state.away = None
        self.push(at, "free", state)

    def _on_back(self, at: datetime, payload: tuple[_DeskState, _Parked]) -> None:
        """The citizen is back with the paper and waits to be called back (never, once the
        desk has gone home: the ticket expires with its day)."""
        state, parked = payload
        if at >= state.desk.closes + OVERTIME:
            return
        state.back.append(parked)
        if state.idle:
            state.idle = False
            self.push(at, "free", state)

    def _on_end(self, at: datetime, state: _DeskState) -> None:
        colleague = self._colleague(at, state) if state.send else None
        if state.transfer_to:
            moved = self.engine.transfer(state.desk.code, state.transfer_to)
            self._wake(at, moved.service_code)
        elif colleague is not None:
            self.engine.transfer_to_counter(state.desk.code, colleague)
            self._wake(at, state.service, colleague)
        else:
            self.engine.finish(state.desk.code)
        self.push(at, "free", state)

    def _on_break(self, at: datetime, state: _DeskState) -> None:
        if state.busy:
            state.break_due = True
        else:
            self._take_break(at, state)

    def _on_resume(self, at: datetime, state: _DeskState) -> None:
        self.engine.resume(state.desk.code)
        state.on_break = False
        self.push(at, "free", state)

    # ------------------------------------------------------------------------- helpers

    def _serve_walk_in(self, at: datetime, state: _DeskState, service: str) -> None:
        """Issued, called and started at once; never a no-show (they stand there), not sent on."""
        ticket = self.engine.serve_walk_in(state.desk.code, service)
        state.busy, state.idle, state.transfer_to, state.send = True, False, None, False
        # drawn as for a transferred ticket's visit: neither a no-show nor sent on
        plan = behaviour(self.settings, ticket.id, self.minutes[service], (), transferred=True)
        state.minutes = plan.minutes
        self.push(at + timedelta(minutes=state.minutes), "end", state)

    def _call_back(self, at: datetime, state: _DeskState, parked: _Parked) -> None:
        """The parked visit goes on: its number called again, the rest of it served."""
        self.engine.call_specific(state.desk.code, parked.number)
        state.busy, state.idle, state.away = True, False, None
        state.service, state.minutes = parked.service, parked.minutes
        state.transfer_to, state.send = parked.transfer_to, parked.send
        self.push(at + timedelta(minutes=WALK_MINUTES), "start", state)

    def _take_break(self, at: datetime, state: _DeskState) -> None:
        state.break_due, state.on_break, state.idle = False, True, False
        self.engine.pause(state.desk.code)
        self.push(at + timedelta(minutes=self.break_minutes), "resume", state)

    def _colleague(self, at: datetime, state: _DeskState) -> str | None:
        """Another desk serving the service of the ticket held that still takes new work,
        drawn from the seed and the moment (None when there is none)."""
        others = [
            d.code
            for d in self.desks
            if d.code != state.desk.code and state.service in d.services and at < d.closes
        ]
        rng = random.Random(f"{self.settings.seed}:send:{state.desk.code}:{at.isoformat()}")
        return rng.choice(others) if others else None

    def _wake(self, at: datetime, service: str, desk: str | None = None) -> None:
        """An idle desk serving `service` (`desk` itself, when given) comes to call (one is
        enough: the rest stay idle)."""
        for state in self.states:
            if desk is not None and state.desk.code != desk:
                continue
            if state.idle and service in state.desk.services and at < state.desk.closes + OVERTIME:
                state.idle = False
                self.push(at, "free", state)
                return
