"""Connections tuned per dialect, write transactions with retry, and the events' wake-up call.

SQLite: WAL, a busy timeout and `BEGIN IMMEDIATE` for writes, so concurrent writers queue instead
of failing with "database is locked" (HARDWARE.md). Reads use a second engine with a plain
deferred BEGIN so they never wait for a writer. PostgreSQL: READ COMMITTED with row locks taken by
the engine, and `pg_notify` in the writing transaction, delivered at commit.
"""

from __future__ import annotations

import getpass
import logging
import os
import random
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final, TypeVar

import platformdirs
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from shared.errors import AntrianError, DatabaseBroken, DatabaseUnavailable, SetupError, UserError

log = logging.getLogger(__name__)

NOTIFY_CHANNEL: Final = "antrian_events"
# Serialises the append to the events log on PostgreSQL, so ids commit in increasing order.
EVENTS_LOCK_KEY: Final = 7_412_026
# A write waits this long for another process's lock; a citizen at a kiosk accepts seconds.
SQLITE_BUSY_TIMEOUT_MS: Final = 4_000
WRITE_DEADLINE_SECONDS: Final = 8.0  # all retries of one write together
# Every connection of the process in use (a locked table, slow reports): a request waits this
# long for one, then is told the database is busy, as for one that cannot be reached.
POOL_TIMEOUT_SECONDS: Final = 30.0
# What PostgreSQL says when it has no connection left for one more PC (SQLSTATE 53300, which
# psycopg does not give for a connection it could not open)
NO_CONNECTION_LEFT: Final = (
    "too many clients",
    "too many connections",
    "connection slots are reserved",
)
TRANSIENT_PG_STATES: Final = frozenset({"40001", "40P01", "55P03"})
MAX_ATTEMPTS: Final = 12
# Less free space than this beside a SQLite file that fails with "disk I/O error": a full disk
SQLITE_ROOM_BYTES: Final = 1 << 20
# PostgreSQL: a server that accepts and never answers, or a statement stuck on a lock, ends
# in an error the callers already handle (unavailable, retry) instead of hanging forever.
PG_CONNECT_ARGS: Final[dict[str, Any]] = {
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
    "tcp_user_timeout": 20_000,
    "options": "-c statement_timeout=60000 -c idle_in_transaction_session_timeout=120000",
}

T = TypeVar("T")


def default_sqlite_path() -> Path:
    return Path(platformdirs.user_data_dir("antrian", appauthor=False)) / "antrian.db"


def resolve_url(url: str | None) -> str:
    """The database URL: the one given, else `ANTRIAN_DB`, else the default SQLite file."""
    chosen = url or os.environ.get("ANTRIAN_DB") or f"sqlite:///{default_sqlite_path()}"
    try:
        parsed = make_url(chosen)
        parsed.port  # noqa: B018  (a port that is not a number fails here)
    except (ArgumentError, ValueError):
        raise UserError("bad_db_url", url=chosen) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.drivername not in ("sqlite", "sqlite+pysqlite", "postgresql+psycopg"):
        raise UserError("bad_db_url", url=chosen)
    return parsed.render_as_string(hide_password=False)


def is_transient(error: DBAPIError) -> bool:
    """A lock conflict that rolled the transaction back and is safe to run again."""
    if error.connection_invalidated:
        return False
    sqlstate = getattr(error.orig, "sqlstate", None)
    if sqlstate in TRANSIENT_PG_STATES:
        return True
    message = str(error.orig).lower()
    return "database is locked" in message or "database is busy" in message


def is_unreachable(error: DBAPIError) -> bool:
    """The server is down, the network gone, or the SQLite file cannot be opened."""
    if error.connection_invalidated:
        return True
    return isinstance(error, OperationalError) and "no such" not in str(error.orig).lower()


def translated(error: DBAPIError, sqlite_file: Path | None = None) -> AntrianError | None:
    """The plain error a person gets for a database failure; None for a bug (re-raised).

    `sqlite_file`: the SQLite file, whose disk and access tell a full disk or a file this
    account may not write from other I/O errors.
    """
    detail = _short(error)
    sqlstate = getattr(error.orig, "sqlstate", None)
    lowered = detail.lower()
    # (psycopg gives no sqlstate for a failed connection: its message names the cause)
    if sqlstate == "3D000" or ("database" in lowered and "does not exist" in lowered):
        return UserError("db_no_database", detail=detail)
    if sqlstate in ("28P01", "28000") or "authentication failed" in lowered:
        return UserError("db_login_refused", detail=detail)
    if "file is not a database" in lowered:
        return UserError("db_not_sqlite", detail=detail)
    if "malformed" in lowered:
        return DatabaseBroken(detail=detail)
    if sqlstate == "53100" or "disk is full" in lowered or _no_room(lowered, sqlite_file):
        return DatabaseUnavailable("db_disk_full", detail=detail)  # written again with room
    if sqlite_file is not None and _not_writable(lowered, sqlite_file):
        return DatabaseUnavailable(  # retried: it works once the access is given
            "db_read_only", path=str(sqlite_file), account=account_name(), detail=detail
        )
    if sqlstate == "53300" or any(cause in lowered for cause in NO_CONNECTION_LEFT):
        return DatabaseUnavailable("db_no_connection_left", detail=detail)  # until one frees
    if is_unreachable(error):
        return DatabaseUnavailable(detail=detail)
    return None


def _no_room(lowered: str, sqlite_file: Path | None) -> bool:
    """SQLite says only "disk I/O error" where a new connection cannot make its file's shared
    memory on a full disk."""
    if sqlite_file is None or "disk i/o error" not in lowered:
        return False
    try:
        return shutil.disk_usage(sqlite_file.parent).free < SQLITE_ROOM_BYTES
    except OSError:
        return False


def _not_writable(lowered: str, sqlite_file: Path) -> bool:
    refused = "readonly database" in lowered or "unable to open database file" in lowered
    return refused and not sqlite_writable(sqlite_file)


def sqlite_writable(sqlite_file: Path) -> bool:
    """Whether this account may write the file and its folder (SQLite makes its write-ahead
    log there): not so for another account's file or a disk mounted read-only, as a failing
    one is."""
    return all(os.access(path, os.W_OK) for path in (sqlite_file, sqlite_file.parent))


def account_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # an account without a name (a container's uid)
        return str(os.geteuid())


@contextmanager
def plain_errors(sqlite_file: Path | None = None) -> Iterator[None]:
    """Turn the driver's errors into the project's plain ones (see `translated`), and a wait
    for a connection that ran out into "busy"."""
    try:
        yield
    except PoolTimeout as error:
        raise DatabaseUnavailable("db_busy", detail=str(error).split(" (")[0]) from error
    except DBAPIError as error:
        plain = translated(error, sqlite_file)
        if plain is None:
            raise
        raise plain from error


class Database:
    """Engines for one database URL; every write goes through `run_write`.

    `create`: a SQLite file (and its folder) may be made; only `db upgrade` and the demo
    create one, a read on a path that does not exist says so and leaves nothing behind.
    """

    def __init__(
        self, url: str | None = None, *, create: bool = False, application: str = "antrian"
    ) -> None:
        self.url = resolve_url(url)
        # PostgreSQL shows it in pg_stat_activity: which part of which PC holds a connection
        self.connect_args = {**PG_CONNECT_ARGS, "application_name": application}
        parsed = make_url(self.url)
        self.is_sqlite = parsed.get_backend_name() == "sqlite"
        self.sqlite_file: Path | None = None
        if self.is_sqlite:
            self.sqlite_file = _checked_sqlite_file(parsed.database, create)
            self._writer = self._sqlite_engine(parsed, "BEGIN IMMEDIATE")
            self._reader = self._sqlite_engine(parsed, "BEGIN")
        else:
            self._writer = create_engine(
                parsed,
                pool_pre_ping=True,
                pool_size=2,
                max_overflow=4,
                pool_timeout=POOL_TIMEOUT_SECONDS,
                pool_recycle=3600,
                connect_args=self.connect_args,
            )
            # reads see one snapshot, so a board and its `last_event_id` agree
            self._reader = self._writer.execution_options(isolation_level="REPEATABLE READ")

    @staticmethod
    def _sqlite_engine(url: URL, begin: str) -> Engine:
        engine = create_engine(
            url,
            pool_timeout=POOL_TIMEOUT_SECONDS,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself, below
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Connection) -> None:
            connection.exec_driver_sql(begin)

        return engine

    @property
    def engine(self) -> Engine:
        """The writing engine (migrations and bulk loads use it directly)."""
        return self._writer

    @property
    def dialect(self) -> str:
        return "sqlite" if self.is_sqlite else "postgresql"

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read-only transaction (a consistent snapshot of the database)."""
        with plain_errors(self.sqlite_file), self._reader.connect() as conn, conn.begin():
            yield conn

    def run_write(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in one write transaction, again when a lock conflict rolled it back.

        Retries stop after WRITE_DEADLINE_SECONDS: a lock held elsewhere for longer (another
        program on the SQLite file) ends in DatabaseUnavailable, which every caller handles.
        """
        deadline = time.monotonic() + WRITE_DEADLINE_SECONDS
        with plain_errors(self.sqlite_file):
            for attempt in range(1, MAX_ATTEMPTS + 1):
                try:
                    with self._writer.connect() as conn, conn.begin():
                        return work(conn)
                except DBAPIError as error:
                    late = attempt == MAX_ATTEMPTS or time.monotonic() >= deadline
                    if not is_transient(error) or late:
                        raise
                    time.sleep(min(0.5, 0.005 * 2**attempt) * random.random())
        raise AssertionError("unreachable")

    def run_rolled_back(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in a write transaction that is then undone (a preview of a change)."""
        with plain_errors(self.sqlite_file), self._writer.connect() as conn:
            transaction = conn.begin()
            try:
                return work(conn)
            finally:
                transaction.rollback()

    def lock_events(self, conn: Connection) -> None:
        """Take the events-append lock (PostgreSQL; SQLite writers are serialised already)."""
        if not self.is_sqlite:
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": EVENTS_LOCK_KEY})

    def notify(self, conn: Connection, last_event_id: int) -> None:
        """Wake the followers at commit (PostgreSQL); SQLite followers poll `data_version`."""
        if not self.is_sqlite:
            conn.execute(
                text("SELECT pg_notify(:channel, :payload)"),
                {"channel": NOTIFY_CHANNEL, "payload": str(last_event_id)},
            )

    def dispose(self) -> None:
        self._writer.dispose()
        if self.is_sqlite:
            self._reader.dispose()


def _checked_sqlite_file(database: str | None, create: bool) -> Path | None:
    """The SQLite file (None for one in memory or named by a URI), once its path is checked:
    a folder is not a database; a missing file is made only when `create`."""
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    path = Path(database)
    if path.is_dir():
        raise UserError("db_is_folder", path=str(path))
    if not path.exists():
        if not create:
            raise SetupError("db_no_file", path=str(path))
        path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _short(error: DBAPIError) -> str:
    return str(error.orig).strip().splitlines()[0] if error.orig else str(error)
