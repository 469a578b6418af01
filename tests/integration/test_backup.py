"""`antrian db backup`: whole copies taken while kiosks and counters work flat out, on both
databases, that restore into a database the engine works on; old copies pruned by name only;
a copy that cannot be written says so and leaves nothing that looks like a backup."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from shared.clock import shared_now
from shared.domain.states import EventKind
from shared.engine import QueueEngine
from shared.engine.invariants import check_invariants
from shared.site_config import load_site_file
from shared.store.backup import BackupError
from shared.store.backup import restore as restore_copy
from tests.conftest import DATA, MONDAY_9, fill_disk, sqlite_small_site
from tests.integration.killable import Worker

SECRET = "S3cret-pw"


def backup(url: str, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "shared.cli.main", "--db", url, "db", "backup", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "ANTRIAN_LANG": "en", **(env or {})},
        stdin=subprocess.DEVNULL,
    )


def saved_path(result: subprocess.CompletedProcess) -> Path:
    assert result.returncode == 0, result.stderr
    line = result.stdout.splitlines()[0]
    assert line.startswith("Backup saved: "), line
    return Path(line.removeprefix("Backup saved: ").split(" (")[0])


@pytest.fixture
def restored(db_url: str, tmp_path: Path) -> Iterator[object]:
    """restore(copy) -> URL of a database made from the copy, as a technician would."""
    made: list[str] = []

    def restore(copy: Path) -> str:
        if db_url.startswith("sqlite"):
            target = tmp_path / f"restored-{len(made)}.db"
            shutil.copy(copy, target)
            return f"sqlite:///{target}"
        base = make_url(db_url)
        name = f"antrian_restored_{uuid.uuid4().hex[:10]}"
        admin = base.set(drivername="postgresql", database="postgres")
        with psycopg.connect(admin.render_as_string(False), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        url = base.set(database=name).render_as_string(False)
        plain = make_url(url).set(drivername="postgresql").render_as_string(False)
        subprocess.run(["pg_restore", "--no-owner", f"--dbname={plain}", str(copy)], check=True)
        return url

    yield restore
    if made:
        admin = make_url(db_url).set(drivername="postgresql", database="postgres")
        with psycopg.connect(admin.render_as_string(False), autocommit=True) as conn:
            for name in made:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_copies_taken_while_kiosks_and_counters_work_are_whole_and_work_when_restored(
    db_url: str, restored, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("ANTRIAN_NOW", shared_now(MONDAY_9))  # one clock for every process
    with QueueEngine.open(db_url) as engine:
        engine.load_site(load_site_file(DATA / "busy-site.toml"))
    roles = [("kiosk", "1"), ("kiosk", "2"), ("counter", "C1", "3"), ("counter", "C2", "4")]
    workers = [Worker(db_url, role, tmp_path / f"{'-'.join(role)}.err") for role in roles]
    copies = []
    try:
        for _ in range(3):
            time.sleep(0.4)
            copies.append(saved_path(backup(db_url, "--to", str(tmp_path / "copies"))))
    finally:
        for worker in workers:
            worker.kill_and_restart(restart=False)
    issued = [line for w in workers for line in w.lines if line.startswith("issued")]
    assert len(issued) > 30, "the kiosks hardly worked while the copies were taken"

    counts = []
    for copy in copies:
        with QueueEngine.open(restored(copy)) as engine:
            assert check_invariants(engine.db) == []  # one moment's state, nothing torn
            events = engine.events_after(0, 10_000_000)
            numbers = [e.number for e in events if e.kind == EventKind.ISSUED]
            counts.append(len(numbers))
            next_ticket = engine.issue_ticket("KTP")  # a restored site goes on where it was
            assert next_ticket.number not in numbers
            assert engine.call_next("C1") is not None
    assert 0 < counts[0] < counts[-1], "the copies were not taken while tickets were issued"
    with QueueEngine.open(db_url) as engine:  # the copies took nothing from the original
        assert check_invariants(engine.db) == []


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_keep_removes_only_the_oldest_copies_and_killed_ones_and_a_named_file_removes_none(
    engine: QueueEngine, db_url: str, tmp_path: Path
) -> None:
    folder = tmp_path / "copies"
    folder.mkdir()
    old = [folder / f"antrian-2026110{day}-080000.db" for day in range(1, 5)]
    others = [folder / "antrian-sebelum-migrasi.db", folder / "catatan.txt"]
    others.append(folder / "antrian-20261101-080000.dump")  # a PostgreSQL copy: another kind
    for path in old + others:
        path.write_bytes(b"x")
    killed = folder / ".antrian-20261101-170000.db.part"  # a backup killed half-way
    killed.write_bytes(b"x")
    os.utime(killed, (time.time() - 7200, time.time() - 7200))
    running = folder / ".antrian-20261106-080000.db.part"  # another one writing now
    running.write_bytes(b"x")
    others.append(running)
    newest = saved_path(result := backup(db_url, "--to", str(folder), "--keep", "2"))
    assert "3 older backups removed (the newest 2 kept)" in result.stdout
    assert sorted(folder.iterdir()) == sorted([old[-1], newest, *others])
    named = saved_path(backup(db_url, "--to", str(folder / "sebelum-upgrade.db"), "--keep", "1"))
    assert named == folder / "sebelum-upgrade.db"
    assert sorted(folder.iterdir()) == sorted([old[-1], newest, named, *others])


def test_a_copy_that_cannot_be_written_says_so_and_leaves_no_partial_file(
    small_disk: Path, sqlite_template: Path, tmp_path: Path, clock
) -> None:
    url = sqlite_small_site(tmp_path / "antrian.db", sqlite_template, clock)
    earlier = saved_path(backup(url, "--to", str(small_disk)))
    filler = fill_disk(small_disk)
    refused = backup(url, "--to", str(small_disk))
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert refused.stderr.startswith(f"Cadangan tidak dapat dibuat di {small_disk}/antrian-")
    assert "Earlier backups are untouched" in refused.stderr
    assert sorted(small_disk.iterdir()) == [earlier, filler]  # no .part left beside it
    assert earlier.read_bytes().startswith(b"SQLite format 3\0")


@pytest.mark.postgres
def test_postgresql_without_pg_dump_names_the_package_and_never_shows_the_password(
    pg_url: str, tmp_path: Path
) -> None:
    with_secret = make_url(pg_url).set(password=SECRET).render_as_string(False)
    missing = backup(with_secret, "--to", str(tmp_path), env={"PATH": str(tmp_path)})
    assert missing.returncode == 2
    assert "apt-get install postgresql-client" in missing.stderr
    refused = backup(
        make_url(with_secret).set(port=1).render_as_string(False), "--to", str(tmp_path)
    )
    assert refused.returncode == 1 and refused.stderr.startswith("Cadangan tidak dapat dibuat")
    assert SECRET not in refused.stderr + refused.stdout
    assert list(tmp_path.iterdir()) == []


def restore(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "shared.cli.main", "--db", url, "db", "restore", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "ANTRIAN_LANG": "en"},
        stdin=subprocess.DEVNULL,
    )


def issued_numbers(url: str) -> list[str]:
    with QueueEngine.open(url) as engine:
        assert check_invariants(engine.db) == []
        return [e.number for e in engine.events_after(0, 10_000) if e.kind == EventKind.ISSUED]


@pytest.fixture
def busy_site(sqlite_template: Path, tmp_path: Path, clock, monkeypatch) -> str:
    """The URL of a SQLite file of the busy test site, at Monday 9:00 for every process."""
    monkeypatch.setenv("ANTRIAN_NOW", shared_now(MONDAY_9))
    return sqlite_small_site(
        tmp_path / "antrian.db", sqlite_template, clock, DATA / "busy-site.toml"
    )


def test_a_restore_replaces_the_database_whole_and_keeps_what_it_held_as_a_backup(
    busy_site: str, tmp_path: Path
) -> None:
    url = busy_site
    with QueueEngine.open(url) as engine:
        for _ in range(3):
            engine.issue_ticket("KTP")
    copy = saved_path(backup(url, "--to", str(tmp_path / "sebelum.db")))
    kiosk = Worker(url, ("kiosk", "1"), tmp_path / "kiosk.err")
    time.sleep(0.3)
    kiosk.kill_and_restart(restart=False)  # killed: its write-ahead log stays beside the file
    assert Path(f"{tmp_path / 'antrian.db'}-wal").stat().st_size > 0
    held = issued_numbers(url)
    assert len(held) > 3

    refused = restore(url, str(copy))
    assert refused.returncode == 2 and "run it again with --yes" in refused.stderr
    assert issued_numbers(url) == held  # nothing changed without --yes

    done = restore(url, str(copy), "--yes")
    assert done.returncode == 0, done.stderr
    saved = Path(done.stdout.strip().split("saved as ")[1])
    assert issued_numbers(url) == ["A001", "A002", "A003"]  # the copy, whole, the log not played
    assert issued_numbers(f"sqlite:///{saved}") == held
    with QueueEngine.open(url) as engine:
        assert engine.issue_ticket("KTP").number == "A004"


def test_a_restore_is_refused_while_another_program_has_the_database_open(
    busy_site: str, tmp_path: Path
) -> None:
    url = busy_site
    copy = saved_path(backup(url, "--to", str(tmp_path / "copy.db")))
    kiosk = Worker(url, ("kiosk", "1"), tmp_path / "kiosk.err")
    time.sleep(0.3)
    held = issued_numbers(url)
    refused = restore(url, str(copy), "--yes")
    assert refused.returncode == 2
    holder = f"{Path(sys.executable).name} -m tests.integration.killable ({kiosk.process.pid})"
    assert refused.stderr.startswith(f"Aplikasi ini masih membuka basis data: {holder}. ")
    assert issued_numbers(url)[: len(held)] == held  # the kiosk's work is still there
    assert not (tmp_path / "backups").exists()
    kiosk.kill_and_restart(restart=False)
    assert restore(url, str(copy), "--yes").returncode == 0


def test_a_file_that_is_no_whole_antrian_copy_is_refused_and_changes_nothing(
    sqlite_template: Path, tmp_path: Path, clock
) -> None:
    url = sqlite_small_site(tmp_path / "antrian.db", sqlite_template, clock)
    before = (tmp_path / "antrian.db").read_bytes()
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(os.urandom(8192))
    other = tmp_path / "other.db"
    with contextlib.closing(sqlite3.connect(other)) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
    cut = tmp_path / "cut.db"
    cut.write_bytes(before[: len(before) // 2])
    for bad in (garbage, other, cut, tmp_path / "missing.db"):
        refused = restore(url, str(bad), "--yes")
        assert refused.returncode == 2, refused.stderr
        assert refused.stderr.startswith(f"{bad} bukan cadangan basis data Antrian yang utuh (")
    assert (tmp_path / "antrian.db").read_bytes() == before
    assert not (tmp_path / "backups").exists()
    new_pc = tmp_path / "new-pc"
    assert restore(f"sqlite:///{new_pc / 'antrian.db'}", str(garbage), "--yes").returncode == 2
    assert not new_pc.exists()  # nothing made for a copy that is refused


@pytest.mark.postgres
def test_postgresql_is_restored_with_pg_restore_and_the_command_says_so(pg_url: str, tmp_path):
    refused = restore(pg_url, str(tmp_path / "copy.db"), "--yes")
    assert refused.returncode == 2 and "pg_restore" in refused.stderr


def test_a_restore_that_cannot_write_leaves_the_database_as_it_was(
    sqlite_template: Path, tmp_path: Path, clock, monkeypatch
) -> None:
    url = sqlite_small_site(tmp_path / "antrian.db", sqlite_template, clock)
    copy = saved_path(backup(url, "--to", str(tmp_path / "copy.db")))
    with QueueEngine.open(url, clock=clock) as engine:
        engine.issue_ticket("KTP")
    monkeypatch.setattr("shared.store.backup.LOCK_WAIT_SECONDS", 0.5)
    with contextlib.closing(sqlite3.connect(tmp_path / "antrian.db")) as writer:
        writer.execute("BEGIN IMMEDIATE")  # another program in the middle of a write
        with pytest.raises(BackupError) as failed:
            restore_copy(url, copy, datetime.now())
        writer.rollback()
    assert failed.value.key == "restore_failed" and "database is locked" in failed.value.line()
    assert issued_numbers(url) == ["A001"]
