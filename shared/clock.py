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
    """Starts at a chosen instant and runs on in real time (for demos at any hour)."""

    def __init__(self, start: datetime) -> None:
        self._start = start
        self._t0 = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._t0)


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
    """`ANTRIAN_NOW` (a running clock from that instant) when set, else the system clock."""
    value = os.environ.get("ANTRIAN_NOW", "").strip()
    return RunningClock(parse_local(value, tz)) if value else SystemClock()
