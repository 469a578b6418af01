"""The command line and the database layer against what people type and what networks do.

Each case runs the real `antrian` process: one plain line on stderr, the right exit status
(2 where the person typed it, 1 where it is the environment), never a traceback, never a
database password, never a hang (the pytest timeout guards that), nothing created or changed.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import TimeoutError as PoolTimeout

from shared.clock import ManualClock
from shared.engine import QueueEngine
from shared.errors import AuthError, DatabaseUnavailable, mask_secrets
from shared.site_config import load_site_file
from shared.store.database import Database
from tests.conftest import MONDAY_9, fill_disk, sqlite_small_site

SECRET = "S3cret-pw"


def antrian(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "shared.cli.main", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
    )


def assert_plain(result: subprocess.CompletedProcess[str], status: int) -> str:
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert SECRET not in result.stderr + result.stdout
    return result.stderr


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port that accepts connections and never says a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


def test_a_password_in_a_url_is_masked_in_every_form() -> None:
    assert mask_secrets("postgresql://u:pw@h/db") == "postgresql://u:***@h/db"
    assert mask_secrets("mysql://u:p@ss@h:5/db x") == "mysql://u:***@h:5/db x"
    assert mask_secrets("host=h password=pw dbname=x") == "host=h password=*** dbname=x"
    assert mask_secrets("postgresql://h/db?password=pw&x=1") == "postgresql://h/db?password=***&x=1"


@pytest.mark.timeout(120)
@pytest.mark.parametrize(
    ("url", "status", "says"),
    [
        (f"mysql://u:{SECRET}@h/x", 2, "Not a valid database URL"),
        (f"postgresql://u:{SECRET}@127.0.0.1:abc/x", 2, "Not a valid database URL"),
        (f"postgresql://postgres:{SECRET}@127.0.0.1:5432/no_such_db_x", 2, "no such database"),
        ("sqlite:///{tmp}/not-a-db.txt", 2, "not a SQLite database"),
        ("sqlite:///{tmp}/corrupt.db", 2, "not a SQLite database"),
        ("sqlite:///{tmp}", 2, "points at a folder"),
        ("sqlite:///{tmp}/no/such/folder/x.db", 2, "does not exist"),
        (f"postgresql://u:{SECRET}@127.0.0.1:{{silent}}/x", 1, "cannot be reached"),
    ],
    ids=["scheme", "port", "pg-missing", "text-file", "corrupt", "folder", "missing", "silent"],
)
def test_a_database_that_cannot_be_used_is_one_plain_line_and_nothing_is_created(
    tmp_path: Path, silent_server: int, url: str, status: int, says: str
) -> None:
    (tmp_path / "not-a-db.txt").write_text("hello\n")
    (tmp_path / "corrupt.db").write_bytes(b"SQLite format 3\x00" + os.urandom(8000))
    url = url.format(tmp=tmp_path, silent=silent_server)
    before = sorted(tmp_path.rglob("*"))
    assert says in assert_plain(antrian("--db", url, "status"), status)
    assert says in assert_plain(antrian("events", env={"ANTRIAN_DB": url}), status)
    assert sorted(tmp_path.rglob("*")) == before


def test_db_upgrade_refuses_a_schema_newer_than_the_software(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    assert antrian("--db", url, "db", "upgrade").returncode == 0
    with sqlite3.connect(tmp_path / "a.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    assert "newer than the software" in assert_plain(antrian("--db", url, "db", "upgrade"), 2)
    assert "newer than the software" in assert_plain(antrian("--db", url, "status"), 2)


@pytest.mark.parametrize(
    "args",
    [
        ["events", "--after", "9223372036854775808"],
        ["events", "--after", "-1"],
        ["events", "--after", "12abc"],
        ["status", "--zone", "NOSUCH"],
        ["user", "add", "", "--password-stdin"],
        ["user", "add", "budi santoso", "--password-stdin"],
        ["user", "add", "o'brien\"", "--password-stdin"],
        ["user", "add", "x" * 65, "--password-stdin"],
        ["user", "add", "budi", "--name", "B" * 201, "--password-stdin"],
        ["user", "add", "budi", "--role", "root", "--password-stdin"],
        ["user", "add", "budi"],  # no terminal to type the password at, no --password-stdin
    ],
    ids=[
        "after-overflow",
        "after-negative",
        "after-junk",
        "zone",
        "empty-user",
        "space-user",
        "quote-user",
        "long-user",
        "long-name",
        "role",
        "password-without-terminal",
    ],
)
def test_what_a_person_mistypes_on_the_command_line_is_refused_plainly(
    db_url: str, engine: QueueEngine, args: list[str]
) -> None:
    before = engine.events_after(0)
    assert_plain(antrian("--db", db_url, *args), 2)
    assert engine.events_after(0) == before


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(username=st.text(max_size=80), name=st.text(max_size=300))
def test_any_username_is_either_refused_plainly_or_stored_on_both_databases(
    engine: QueueEngine, username: str, name: str
) -> None:
    try:
        engine.add_user(username, "rahasia123", display_name=name)
    except AuthError:
        return
    assert engine.login(username, "rahasia123").username == username


@pytest.mark.timeout(60)
def test_a_write_lock_held_by_another_program_fails_in_seconds_not_minutes(
    tmp_path: Path, clock
) -> None:
    from shared.store import schema
    from tests.conftest import SMALL_SITE

    url = f"sqlite:///{tmp_path / 'a.db'}"
    schema.upgrade(url)
    with QueueEngine.open(url, clock=clock) as engine:
        engine.load_site(load_site_file(SMALL_SITE))
        other = sqlite3.connect(tmp_path / "a.db", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # an outside process holds the write lock
        try:
            with pytest.raises(DatabaseUnavailable):
                engine.issue_ticket("KTP")
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert engine.issue_ticket("KTP").number == "A001"  # and it recovers at once


def test_postgres_connections_carry_timeouts(pg_url: str) -> None:
    db = Database(pg_url)
    try:
        with db.read() as conn:
            assert conn.execute(text("SHOW statement_timeout")).scalar() == "1min"
    finally:
        db.dispose()
    assert make_url(pg_url).get_backend_name() == "postgresql"


@pytest.mark.postgres
def test_a_server_with_no_connection_left_is_named_with_what_to_raise(pg_url: str) -> None:
    # a big MPP's PCs (each about 2 connections) past the server's max_connections; a role
    # allowed no connection at all is refused by PostgreSQL in the same words and state
    role = f"antrian_full_{uuid.uuid4().hex[:8]}"
    admin = make_url(pg_url).set(drivername="postgresql", database="postgres")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{role}" LOGIN CONNECTION LIMIT 0')
        try:
            full = make_url(pg_url).set(username=role, password=SECRET)
            result = antrian("--db", full.render_as_string(hide_password=False), "status")
        finally:
            conn.execute(f'DROP ROLE "{role}"')
    said = assert_plain(result, 1)
    assert said.startswith("Server basis data tidak menerima sambungan lagi: batasnya sudah penuh")
    assert "max_connections" in said and "too many connections" in said


def test_a_reader_that_goes_away_ends_the_output_quietly(db_url: str, engine: QueueEngine) -> None:
    # `antrian events --json | head -c 0`: the pipe closes before the first line is written
    for _ in range(3):
        engine.issue_ticket("KTP")
    process = subprocess.Popen(
        [sys.executable, "-m", "shared.cli.main", "--db", db_url, "events", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    errors = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141
    assert errors == ""


def test_a_terminal_that_cannot_show_a_character_gets_a_stand_in_not_a_failure(
    db_url: str, engine: QueueEngine
) -> None:
    result = antrian(
        "--db",
        db_url,
        "ticket",
        "issue",
        "KTP",
        env={"ANTRIAN_NOW": MONDAY_9.isoformat(), "PYTHONIOENCODING": "ascii"},
    )
    assert result.returncode == 0, result.stderr
    assert "wait~sebentar?lagi" in result.stdout  # its unbreakable space could not be shown
    assert engine.ticket("A001") is not None


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_full_disk_is_named_plainly_and_issues_nothing(engine: QueueEngine, db_url: str) -> None:
    writer = engine.db.engine
    with writer.connect() as conn:
        pages = conn.exec_driver_sql("PRAGMA page_count").scalar()
    writer.dispose()  # the database may not grow by a page from now: a full disk

    @event.listens_for(writer, "connect")
    def _full(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

    issued = []
    with pytest.raises(DatabaseUnavailable) as full:
        for _ in range(2_000):
            issued.append(engine.issue_ticket("KTP").number)
    assert full.value.key == "db_disk_full"
    assert full.value.line().startswith("Disk basis data penuh: kosongkan ruang")
    assert "The database's disk is full" in full.value.line()
    event.remove(writer, "connect", _full)
    writer.dispose()
    assert [t.number for t in engine.counter_view("L1").waiting] == issued  # none half-made


@pytest.mark.parametrize("failure", ["full", "read-only"])
def test_a_disk_that_takes_no_writes_is_named_plainly_to_a_process_that_opens_a_database_there(
    failure: str, small_disk: Path, sqlite_template: Path, clock: ManualClock
) -> None:
    # SQLite says only "disk I/O error" or "unable to open database file" of both: a new
    # connection cannot make the file's shared memory there
    url = sqlite_small_site(small_disk / "antrian.db", sqlite_template, clock)
    if failure == "full":
        filler = fill_disk(small_disk)
        expected = "Disk basis data penuh: kosongkan ruang"
    else:  # as a disk with errors is mounted again
        subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
        expected = f"Basis data tidak dapat ditulis oleh akun {getpass.getuser()}: beri akun"
    monday = {"ANTRIAN_NOW": MONDAY_9.isoformat()}
    refused = assert_plain(antrian("--db", url, "ticket", "issue", "KTP", env=monday), 1)
    assert refused.startswith(expected), refused
    if failure == "full":
        filler.unlink()
    else:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    issued = antrian("--db", url, "ticket", "issue", "KTP", env=monday)
    assert issued.returncode == 0, issued.stderr
    assert issued.stdout.startswith("A001 ")  # the refused one took no number


def test_every_connection_in_use_is_told_as_busy_and_passes(db_url: str, monkeypatch) -> None:
    # a table locked or slow reports hold the process's connections: the next read or write
    # waits its time for one and is then told plainly (the apps retry), not a traceback
    monkeypatch.setattr("shared.store.database.POOL_TIMEOUT_SECONDS", 0.2)
    db = Database(db_url)
    try:
        with contextlib.ExitStack() as held:
            with pytest.raises(DatabaseUnavailable) as reading:
                for _ in range(50):
                    held.enter_context(db.read())
            with pytest.raises(PoolTimeout):
                for _ in range(50):
                    held.enter_context(db.engine.connect())
            with pytest.raises(DatabaseUnavailable) as writing:
                db.run_write(lambda conn: conn.execute(text("SELECT 1")))
        for told in (reading.value, writing.value):
            assert told.key == "db_busy"
            assert told.line().startswith("Basis data sedang sibuk: semua sambungan PC ini")
            assert "The database is busy" in told.line() and "Traceback" not in told.line()
        with db.read() as conn:  # and the connections serve again once they are given back
            assert conn.execute(text("SELECT 1")).scalar() == 1
        assert db.run_write(lambda conn: conn.execute(text("SELECT 2")).scalar()) == 2
    finally:
        db.dispose()
