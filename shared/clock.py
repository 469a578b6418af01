"""Injected clocks: the real one, one that runs on from a chosen start, and a hand-set one."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from shared.errors import UserError


class Clock(Protocol):
    """Gives the current instant as an aware datetime."""

    def now(self) -> datetime: ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class RunningClock:
    """Reads `start` at the real moment `anchor` (a Unix time, default: now) and runs on,
    `speed` times as fast as real time.

    Processes given the same start and anchor share one clock (the demo's kiosk, display and
    counters); without an anchor each process starts its own at `start`.
    """

    def __init__(self, start: datetime, anchor: float | None = None, speed: float = 1.0) -> None:
        self._start = start
        self._anchor = time.time() if anchor is None else anchor
        self._speed = speed  # simulated seconds per real second (the simulator compresses a day)

    def now(self) -> datetime:
        return self._start + timedelta(seconds=(time.time() - self._anchor) * self._speed)

    def real_time_of(self, moment: datetime) -> float:
        """The Unix time at which this clock reads `moment`."""
        return self._anchor + (moment - self._start).total_seconds() / self._speed


class ManualClock:
    """A clock that moves only when told to (tests and the simulator)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def set(self, when: datetime) -> None:
        self._now = when

    def advance(self, **delta: float) -> None:
        self._now += timedelta(**delta)


def parse_local(value: str, tz: ZoneInfo) -> datetime:
    """An ISO date-time; a naive one is taken in `tz`."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise UserError("bad_now", value=value) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def clock_from_env(tz: ZoneInfo) -> Clock:
    """`ANTRIAN_NOW=ISO[@UNIX_TIME]`: a running clock from that instant; else the system clock.

    With `@UNIX_TIME` the clock read ISO at that real moment (see RunningClock).
    """
    value = os.environ.get("ANTRIAN_NOW", "").strip()
    if not value:
        return SystemClock()
    moment, _, anchor = value.partition("@")
    try:
        anchor_time = float(anchor) if anchor else None
    except ValueError:
        raise UserError("bad_now", value=value) from None
    return RunningClock(parse_local(moment, tz), anchor_time)


def shared_now(start: datetime) -> str:
    """An `ANTRIAN_NOW` value that every process given it reads as one clock starting now."""
    return f"{start.isoformat()}@{time.time():.3f}"
