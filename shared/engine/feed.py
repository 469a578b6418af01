"""The change feed: follow the events log from a cursor, woken at each commit.

PostgreSQL: LISTEN on a dedicated autocommit psycopg connection; writers `pg_notify` inside their
transaction, so the wake-up arrives at commit. SQLite: `PRAGMA data_version` on a dedicated
connection, polled every 50 ms; it changes whenever another connection commits. Either way the
events themselves are read by id from the cursor on, so a missed wake-up delays, never loses, an
event. Lost connections are reopened with backoff; `on_status(False/True)` reports it.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from typing import Final, Protocol

import psycopg
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from shared.domain.values import Event
from shared.errors import DatabaseUnavailable
from shared.store.database import NOTIFY_CHANNEL, Database

log = logging.getLogger(__name__)

SQLITE_POLL_SECONDS: Final = 0.05
PG_WAIT_SECONDS: Final = 0.2
SAFETY_POLL_SECONDS: Final = 2.0  # read the log even without a wake-up, now and then
BATCH: Final = 500
BACKOFF: Final = (0.1, 0.25, 0.5, 1.0, 2.0, 5.0)

Fetch = Callable[[int, int], list[Event]]


class Follower:
    """A blocking iterator over the events after `cursor`; `stop()` ends it from any thread."""

    def __init__(
        self,
        db: Database,
        fetch: Fetch,
        cursor: int,
        on_status: Callable[[bool], None] | None = None,
    ) -> None:
        self.cursor = cursor
        self._db = db
        self._fetch = fetch
        self._on_status = on_status
        self._stopped = threading.Event()
        self._online: bool | None = None
        self._waiter: _Waiter | None = None

    def stop(self) -> None:
        self._stopped.set()

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def __iter__(self) -> Iterator[Event]:
        failures = 0
        while not self.stopped:
            try:
                if self._waiter is None:
                    self._waiter = _open_waiter(self._db)
                batch = self._fetch(self.cursor, BATCH)
                self._status(True)
                failures = 0
                for event in batch:
                    self.cursor = event.id
                    yield event
                    if self.stopped:
                        return
                if len(batch) < BATCH:
                    self._waiter.wait(self._stopped)
            except (DatabaseUnavailable, DBAPIError, psycopg.Error, sqlite3.Error) as error:
                if self.stopped:  # stopped while it waited: the engine was closed
                    break
                log.warning("change feed: database unreachable (%s); retrying", error)
                self._status(False)
                self._close_waiter()
                self._stopped.wait(BACKOFF[min(failures, len(BACKOFF) - 1)])
                failures += 1
        self._close_waiter()

    def _status(self, online: bool) -> None:
        if online != self._online:
            self._online = online
            if self._on_status is not None:
                self._on_status(online)

    def _close_waiter(self) -> None:
        if self._waiter is not None:
            self._waiter.close()
            self._waiter = None


class _Waiter(Protocol):
    """Blocks until the database may hold new events, `stopped` is set, or a safety timeout."""

    def wait(self, stopped: threading.Event) -> None: ...

    def close(self) -> None: ...


class _SqliteWaiter:
    def __init__(self, path: str) -> None:
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._version = self._read()

    def _read(self) -> int:
        return int(self._conn.execute("PRAGMA data_version").fetchone()[0])

    def wait(self, stopped: threading.Event) -> None:
        for _ in range(int(SAFETY_POLL_SECONDS / SQLITE_POLL_SECONDS)):
            if stopped.wait(SQLITE_POLL_SECONDS):
                return
            version = self._read()
            if version != self._version:
                self._version = version
                return

    def close(self) -> None:
        self._conn.close()


class _PostgresWaiter:
    def __init__(self, db: Database) -> None:
        conninfo = (
            make_url(db.url).set(drivername="postgresql").render_as_string(hide_password=False)
        )
        self._conn = psycopg.connect(conninfo, autocommit=True, **db.connect_args)
        self._conn.execute(f"LISTEN {NOTIFY_CHANNEL}")

    def wait(self, stopped: threading.Event) -> None:
        for _ in range(int(SAFETY_POLL_SECONDS / PG_WAIT_SECONDS)):
            if stopped.is_set():
                return
            for _notify in self._conn.notifies(timeout=PG_WAIT_SECONDS, stop_after=1):
                return

    def close(self) -> None:
        with contextlib.suppress(psycopg.Error):
            self._conn.close()


def _open_waiter(db: Database) -> _Waiter:
    if db.is_sqlite:
        path = make_url(db.url).database
        assert path, "the change feed needs an SQLite file"
        return _SqliteWaiter(path)
    return _PostgresWaiter(db)


class Subscription:
    """A follower running on its own thread, handing each event to `callback` there."""

    def __init__(self, follower: Follower, callback: Callable[[Event], None]) -> None:
        self.follower = follower
        self._callback = callback
        self._thread = threading.Thread(target=self._run, name="antrian-feed", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        for event in self.follower:
            try:
                self._callback(event)
            except Exception:  # a consumer's bug must not end the feed
                log.exception("change feed callback failed on event %s", event.id)

    def stop(self, timeout: float = 5.0) -> None:
        self.follower.stop()
        self._thread.join(timeout)
