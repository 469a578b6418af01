"""Code run in separate OS processes by the concurrency tests (importable under spawn)."""

from __future__ import annotations

import os
import random
from multiprocessing.synchronize import Event
from typing import Any

from shared.engine import QueueEngine
from shared.errors import UserError

SERVICES = ("KTP", "KK", "AKTA")


def issue_many(url: str, count: int, seed: int) -> list[tuple[str, int]]:
    """Issue `count` tickets; returns (number, ticket id) of each."""
    rng = random.Random(seed)
    issued = []
    with QueueEngine.open(url, actor=f"kiosk-{seed}") as engine:
        for _ in range(count):
            ticket = engine.issue_ticket(rng.choice(SERVICES), priority=rng.random() < 0.1)
            issued.append((ticket.number, ticket.id))
    return issued


def work_counter(url: str, counter: str, seed: int, issuing_done: Event) -> int:
    """Call, serve, skip, park and transfer (to another service or another counter), now and
    then serve a walk-in (its number drawn from the same sequences as the kiosks') or call a
    parked ticket back, until issuing is over, nothing waits and nothing is parked here;
    returns calls."""
    rng = random.Random(seed)
    calls = 0
    parked: list[str] = []
    with QueueEngine.open(url, actor=f"counter-{counter}") as engine:
        own = engine.counter_view(counter).counter.services
        serving = {c.code: c.services for c in engine.board().counters if c.code != counter}
        while True:
            finished_issuing = issuing_done.is_set()
            try:
                if parked and (rng.random() < 0.3 or finished_issuing):
                    engine.call_specific(counter, parked.pop(0))  # back with the paper
                    engine.finish(counter)
                    calls += 1
                    continue
                ticket = engine.call_next(counter)
                if ticket is None:
                    if finished_issuing:
                        return calls
                    continue
                calls += 1
                if rng.random() < 0.2:
                    engine.recall(counter)
                roll = rng.random()
                if roll < 0.1:
                    engine.skip(counter)
                elif roll < 0.15:
                    target = rng.choice([s for s in SERVICES if s != ticket.service_code])
                    engine.transfer(counter, target)
                elif roll < 0.18:  # to a colleague serving the same service
                    desks = [c for c, ss in serving.items() if ticket.service_code in ss]
                    engine.transfer_to_counter(counter, rng.choice(desks))
                elif roll < 0.24:
                    parked.append(engine.park(counter).number)
                else:
                    engine.start(counter)
                    engine.finish(counter)
                if rng.random() < 0.05:
                    engine.serve_walk_in(counter, rng.choice(own))
                    engine.finish(counter)
                    calls += 1
            except UserError as error:  # nothing may go wrong here: fail the test loudly
                raise AssertionError(f"{counter}: {error.line()}") from error


def call_back(url: str, counter: str, number: str, ready: Any, go: Event) -> str:
    """Say it is connected, wait for the signal, then call `number` back to `counter`;
    returns "ok" or the refusal's key."""
    with QueueEngine.open(url, actor=f"counter-{counter}") as engine:
        ready.put(True)
        go.wait(30)
        try:
            engine.call_specific(counter, number)
        except UserError as refusal:
            return refusal.key
        return "ok"


def roll_over(url: str, ready: Any, go: Event) -> int:
    """Say it is connected, wait for the signal, then make the first write of the new day
    (ANTRIAN_NOW is set). `ready`: a shared queue."""
    with QueueEngine.open(url, actor="rollover") as engine:
        ready.put(True)
        go.wait(30)
        return engine.close_day()


def answer_survey(url: str, token: str, answers: tuple[int, ...], ready: Any, go: Event) -> str:
    """Say it is connected, wait for the signal, then send the survey of the ticket page;
    returns "ok" or the refusal's key."""
    from shared.engine.survey import SurveyAnswer

    with QueueEngine.open(url, actor="web") as engine:
        ready.put(True)
        go.wait(30)
        try:
            engine.answer_survey(SurveyAnswer(answers, "phone"), token=token)
        except UserError as error:
            return error.key
        return "ok"


def book_slot(url: str, ready: Any, go: Event) -> str:
    """Say it is connected, wait for the signal, then book Tuesday's 10:00 KTP slot; returns
    "ok" or the refusal's key."""
    from datetime import date, time

    with QueueEngine.open(url, actor="web") as engine:
        ready.put(True)
        go.wait(30)
        try:
            engine.book("KTP", date(2026, 12, 1), time(10, 0), "Warga", f"0812{os.getpid():08d}")
        except UserError as error:
            return error.key
        return "ok"
