"""Small helpers for the engine tests."""

from __future__ import annotations

import os
import subprocess
import sys

from shared.engine import QueueEngine


def event_count(engine: QueueEngine) -> int:
    return len(engine.events_after(0, 1_000_000))


def kinds(engine: QueueEngine, after: int = 0) -> list[str]:
    return [e.kind.value for e in engine.events_after(after, 1_000_000)]


def waiting_numbers(engine: QueueEngine, counter: str) -> list[str]:
    return [t.number for t in engine.counter_view(counter).waiting]


def antrian_at(
    fake: str | None, url: str, *args: str, now: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`antrian ARGS` as its own process on `url`, its clock set by libfaketime's `faketime -f
    FAKE` when given (a PC whose clock is wrong), by ANTRIAN_NOW only when `now` is given."""
    env = {**os.environ, "ANTRIAN_DB": url, "ANTRIAN_LANG": "id"}
    env.pop("ANTRIAN_NOW", None)
    if now is not None:
        env["ANTRIAN_NOW"] = now
    faked = [] if fake is None else ["faketime", "-f", fake]
    return subprocess.run(
        [*faked, sys.executable, "-m", "shared.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        stdin=subprocess.DEVNULL,
    )
