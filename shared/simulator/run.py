"""Running a simulated day end to end: database, engine, loop(s), day close, report, invariants."""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from datetime import time as dtime
from typing import Any
from zoneinfo import ZoneInfo

from shared.clock import ManualClock, RunningClock
from shared.domain.appointments import BookingState
from shared.engine import QueueEngine
from shared.engine.invariants import check_final, check_invariants, check_priority_order
from shared.lifeline import end_with
from shared.simulator.day import book_ahead, desks, load_day, prepare_database
from shared.simulator.loop import DayLoop, DayRun
from shared.simulator.model import (
    OVERTIME,
    Arrival,
    Settings,
    WalkIn,
    default_day,
    plan_arrivals,
    plan_walk_ins,
    with_counters,
    working_days_before,
)
from shared.simulator.report import build_report
from shared.site_config import SiteConfig

POLL = timedelta(minutes=1)  # a parallel desk that found nobody looks again after this
START_DELAY = 3.0  # seconds for the worker processes to start before the day begins


@dataclass(frozen=True, slots=True)
class Outcome:
    report: dict[str, Any]
    problems: list[str]
    seconds: float
    mode: str
    database: str

    @property
    def tickets_per_second(self) -> float:
        return self.report["tickets"]["issued"] / self.seconds if self.seconds else 0.0


def simulate(
    site: SiteConfig,
    settings: Settings,
    url: str | None = None,
    *,
    parallel: int = 0,
    arrivals: Sequence[Arrival] | None = None,
    walk_ins: Sequence[WalkIn] | None = None,
    day_seconds: float = 60.0,
) -> Outcome:
    """Simulate one day; `parallel` > 1 drives it from that many OS processes. The arrivals
    and walk-ins are drawn from the settings unless given."""
    # demand follows the site as it is; the what-if changes only the counters that serve it
    planned_on = site
    site = with_counters(site, settings.counters)
    day = settings.day or default_day(site, date.today())
    zone = ZoneInfo(site.site.timezone)
    url, folder = prepare_database(url)
    earlier_days = working_days_before(site, day, settings.days_before)
    # the site's business day only moves forward: loaded on the first day simulated
    clock = ManualClock(datetime.combine(min(earlier_days, default=day), dtime(0, 1), tzinfo=zone))
    try:
        with QueueEngine.open(url, clock=clock, actor="simulator") as engine:
            if earlier_days:
                load_day(engine, site)
            for earlier in earlier_days:
                _run_day(engine, clock, planned_on, site, settings, earlier)
            clock.set(datetime.combine(day, dtime(0, 1), tzinfo=zone))
            load_day(engine, site)
            plan, unbooked = book_ahead(
                engine,
                list(arrivals)
                if arrivals is not None
                else plan_arrivals(planned_on, settings, day),
            )
            if walk_ins is None:
                walk_ins = _walk_ins(planned_on, site, settings, day)
            started = time.perf_counter()
            if parallel > 1:
                run = _run_parallel(url, site, settings, day, plan, walk_ins, parallel, day_seconds)
            else:
                loop = DayLoop(engine, _setter(clock), site, settings, day, sample_live=True)
                run = loop.simulate(plan, walk_ins)
            seconds = time.perf_counter() - started
            clock.set(datetime.combine(day + timedelta(days=1), dtime(0, 5), tzinfo=zone))
            engine.close_day()
            report = build_report(engine.db, day, desks(site, settings, day), run, zone)
            report["bookings"] = _bookings(engine, day, unbooked)
            problems = (
                check_invariants(engine.db)
                + check_final(engine.db)
                + check_priority_order(engine.db)
            )
    finally:
        if folder is not None:
            folder.cleanup()
    mode = f"parallel x{parallel}" if parallel > 1 else "single process"
    return Outcome(report, problems, seconds, mode, url if folder is None else "sqlite (temp)")


def _run_day(
    engine: QueueEngine,
    clock: ManualClock,
    planned_on: SiteConfig,
    site: SiteConfig,
    settings: Settings,
    day: date,
) -> None:
    """Simulate an earlier day in one process and close it (its seed derived from the day's)."""
    zone = ZoneInfo(site.site.timezone)
    clock.set(datetime.combine(day, dtime(0, 1), tzinfo=zone))
    earlier = replace(
        settings, seed=settings.seed * 1_000_003 + day.toordinal(), day=day, days_before=0
    )
    plan, _ = book_ahead(engine, plan_arrivals(planned_on, earlier, day))
    walk_ins = _walk_ins(planned_on, site, earlier, day)
    DayLoop(engine, _setter(clock), site, earlier, day).simulate(plan, walk_ins)
    clock.set(datetime.combine(day + timedelta(days=1), dtime(0, 5), tzinfo=zone))
    engine.close_day()


def _walk_ins(
    planned_on: SiteConfig, site: SiteConfig, settings: Settings, day: date
) -> list[WalkIn]:
    """The day's walk-ins: drawn by the site as it is, each at one of the desks working."""
    working = {d.code: d.services for d in desks(site, settings, day)}
    return plan_walk_ins(planned_on, settings, day, working)


def _bookings(engine: QueueEngine, day: date, unbooked: int) -> dict[str, int]:
    """What became of the day's bookings, and the booked arrivals that found no slot."""
    counts = Counter(b.state.value for b in engine.bookings(day))
    return {state.value: counts[state.value] for state in BookingState} | {
        "no_slot_took_ticket": unbooked
    }


def _setter(clock: ManualClock) -> Callable[[datetime], datetime]:
    def pace(moment: datetime) -> datetime:
        clock.set(moment)
        return moment

    return pace


def _run_parallel(
    url: str,
    site: SiteConfig,
    settings: Settings,
    day: date,
    plan: Sequence[Arrival],
    walk_ins: Sequence[WalkIn],
    processes: int,
    day_seconds: float,
) -> DayRun:
    """Kiosk processes issue the arrivals and counter processes work the desks (and serve the
    walk-ins at them), all on one clock that runs the day in about `day_seconds` of real
    time."""
    day_desks = desks(site, settings, day)
    first = min([d.opens for d in day_desks] + [a.at for a in plan[:1]])
    last = max([d.closes + OVERTIME for d in day_desks] + [a.at for a in plan[-1:]])
    speed = max(1.0, (last - first).total_seconds() / day_seconds)
    anchor = time.time() + START_DELAY
    kiosks = max(1, processes // 4)
    workers = max(1, processes - kiosks)
    codes = [d.code for d in day_desks]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        kiosks + workers, mp_context=context, initializer=end_with, initargs=(os.getpid(),)
    ) as pool:

        def start(
            arrivals: list[Arrival], desk_codes: list[str], walk_ins: list[WalkIn]
        ) -> Future[DayRun]:
            return pool.submit(
                _worker,
                url,
                site,
                settings,
                day,
                first.isoformat(),
                anchor,
                speed,
                arrivals,
                desk_codes,
                walk_ins,
            )

        futures = [start(list(plan[i::kiosks]), [], []) for i in range(kiosks)] + [
            start([], desk_codes, [w for w in walk_ins if w.counter in desk_codes])
            for desk_codes in (codes[i::workers] for i in range(workers))
        ]
        merged = DayRun()
        for future in futures:
            part = future.result()
            merged.refused.update(part.refused)
            merged.shown.update(part.shown)
    return merged


def _worker(
    url: str,
    site: SiteConfig,
    settings: Settings,
    day: date,
    first: str,
    anchor: float,
    speed: float,
    arrivals: list[Arrival],
    desk_codes: list[str],
    walk_ins: list[WalkIn],
) -> DayRun:
    """One process of a parallel run: some kiosks' arrivals, or some desks and their
    walk-ins."""
    clock = RunningClock(datetime.fromisoformat(first), anchor, speed)

    def pace(moment: datetime) -> datetime:
        delay = clock.real_time_of(moment) - time.time()
        if delay > 0:
            time.sleep(delay)
        return clock.now()

    with QueueEngine.open(url, clock=clock, actor="simulator") as engine:
        loop = DayLoop(engine, pace, site, settings, day, only_desks=set(desk_codes), poll=POLL)
        return loop.simulate(arrivals, walk_ins)
