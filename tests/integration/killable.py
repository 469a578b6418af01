"""A kiosk or a counter that works until it is killed, saying each step it has committed.

    python -m tests.integration.killable URL kiosk SEED
    python -m tests.integration.killable URL counter CODE SEED

Each works flat out, with no pause between tickets or calls, and prints a line ("issued NUMBER
ID", "called ID") only after the engine returned, so the database must hold everything a killed
process printed. Run by tests/integration/test_killed_processes.py, which kills these processes
with SIGKILL, and by the backup tests as the load a backup is taken under. `Worker` is the
tests' handle on one.
"""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from shared.engine import QueueEngine
from shared.errors import DatabaseUnavailable
from tests.integration.workers import SERVICES

ROOT = Path(__file__).resolve().parents[2]
IDLE = 0.01  # seconds a counter that found nobody waits before it looks again


def kiosk(engine: QueueEngine, rng: random.Random) -> None:
    ticket = engine.issue_ticket(rng.choice(SERVICES), priority=rng.random() < 0.1)
    print(f"issued {ticket.number} {ticket.id}", flush=True)


def counter(engine: QueueEngine, code: str, rng: random.Random) -> None:
    """Call (which ends a ticket the killed process before left held), then skip, transfer or
    serve."""
    ticket = engine.call_next(code)
    if ticket is None:
        time.sleep(IDLE)
        return
    print(f"called {ticket.id}", flush=True)
    roll = rng.random()
    if roll < 0.1:
        engine.skip(code)
    elif roll < 0.2:
        engine.transfer(code, rng.choice([s for s in SERVICES if s != ticket.service_code]))
    else:
        engine.start(code)
        engine.finish(code)


def main(argv: list[str]) -> None:
    url, role, *rest = argv
    with QueueEngine.open(url, actor=f"{role}-{rest[0]}") as engine:
        print("ready", flush=True)
        rng = random.Random(rest[-1])
        while True:
            try:
                if role == "kiosk":
                    kiosk(engine, rng)
                else:
                    counter(engine, rest[0], rng)
            except DatabaseUnavailable:  # six processes writing flat out can starve one on
                time.sleep(IDLE)  # SQLite: it tries again, as the apps do


class Worker:
    """One killable process and every line it printed, across its restarts."""

    def __init__(self, url: str, role: tuple[str, ...], errors: Path) -> None:
        self.url, self.role, self.errors = url, role, errors
        self.lines: list[str] = []
        self.process = self._start()

    def _start(self) -> subprocess.Popen[str]:
        with self.errors.open("a") as errors:
            process = subprocess.Popen(
                [sys.executable, "-m", "tests.integration.killable", self.url, *self.role],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=errors,
                text=True,
            )
        assert process.stdout is not None
        while process.stdout.readline().strip() != "ready":  # a hang: pytest's timeout
            assert process.poll() is None, f"{self.role} died: {self.errors.read_text()}"
        return process

    def kill_and_restart(self, restart: bool = True) -> None:
        assert self.process.poll() is None, f"{self.role} died by itself: {self.errors.read_text()}"
        self.process.send_signal(signal.SIGKILL)
        out, _ = self.process.communicate(timeout=30)
        self.lines += out.splitlines()
        if restart:
            self.process = self._start()


if __name__ == "__main__":
    main(sys.argv[1:])
