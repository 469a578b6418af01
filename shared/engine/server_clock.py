"""The database server's clock, which every PC of a PostgreSQL site keeps time by."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

log = logging.getLogger(__name__)

REFRESH_SECONDS = 300.0  # how often the server's clock is read again
TOLERANCE_SECONDS = 5.0  # a PC further off than this is told to turn on time sync


def system_now() -> datetime:
    return datetime.now(UTC)


class ServerClock:
    """This PC's clock, set by the database server's (PostgreSQL).

    Every PC of a site then stamps its tickets and events, and decides the business day, by
    one clock. A PC whose own clock is off (no time sync, or a dead CMOS battery that starts it
    in 2000) would otherwise issue numbers into a day that no counter calls, hide its calls
    from a display that takes them for stale, and give waits of minus minutes. The offset is
    read on a connection the engine already holds, at open and again every five minutes or
    as soon as this PC's clock is seen to jump; in between this PC's clock runs it on.
    """

    def __init__(self, local: Callable[[], datetime] = system_now) -> None:
        self._local = local
        self.offset = timedelta(0)
        self._measured: tuple[datetime, float] | None = None  # (local time, monotonic time)
        self._warned = False

    def now(self) -> datetime:
        return self._local() + self.offset

    def due(self) -> bool:
        """True when the offset is five minutes old, or this PC's clock jumped since."""
        if self._measured is None:
            return True
        local, monotonic = self._measured
        elapsed = time.monotonic() - monotonic
        jumped = abs((self._local() - local).total_seconds() - elapsed) > 1.0
        return elapsed >= REFRESH_SECONDS or jumped

    def measure(self, conn: Connection) -> None:
        """Read the server's clock on `conn` (half the round trip counted as on the way)."""
        before = self._local()
        server: datetime = conn.execute(select(func.clock_timestamp())).scalar_one()
        after = self._local()
        self.offset = server - (before + (after - before) / 2)
        self._measured = (after, time.monotonic())
        off = self.offset.total_seconds()
        if abs(off) > TOLERANCE_SECONDS and not self._warned:
            self._warned = True
            log.warning(
                "this PC's clock is %+.0f s off the database server's; Antrian keeps the "
                "server's time (turn on time sync: timedatectl set-ntp true)",
                -off,
            )
