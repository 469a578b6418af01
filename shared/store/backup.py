"""A copy of the whole database, taken while the apps go on working, the old copies pruned, and
a SQLite site restored from one.

SQLite: the library's online backup (one step, so one consistent snapshot: in WAL mode the
reading copy holds no writer up), checked with `integrity_check`, as one self-contained file
(journal mode DELETE). PostgreSQL: `pg_dump` in its custom format, checked with
`pg_restore --list`. A copy is written beside its final name and renamed into place only when
whole, so a failed or killed backup never leaves a file that looks like one.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final

import platformdirs
from sqlalchemy.engine import make_url

from shared.errors import AntrianError, SetupError, UserError
from shared.store import schema
from shared.store.database import Database, resolve_url
from shared.store.open_files import programs_holding

# antrian-20261207-093012.db (SQLite) or .dump (PostgreSQL): the only files `keep` removes
NAME: Final = re.compile(r"antrian-\d{8}-\d{6}\.(db|dump)")
PARTIAL: Final = re.compile(r"\.antrian-\d{8}-\d{6}\.(db|dump)\.part")
STALE_PART_SECONDS: Final = 3600  # a copy being written grows all the time: this one was killed
DEFAULT_KEEP: Final = 30
LOCK_WAIT_SECONDS: Final = 30.0  # for another program's write to end


class BackupError(AntrianError):
    """The copy could not be made or checked (exit status 1); no earlier copy is touched."""

    key = "backup_failed"


@dataclass(frozen=True, slots=True)
class Backup:
    path: Path
    size: int  # bytes
    seconds: float
    removed: tuple[Path, ...]  # older copies pruned


def back_up(url: str | None, to: Path | None, keep: int, now: datetime) -> Backup:
    """Copy the database at `url` into the folder `to` (a file, when it names a .db or .dump
    file), then keep the newest `keep` copies of that folder (0: all)."""
    db = Database(url)
    try:
        suffix = ".db" if db.is_sqlite else ".dump"
        folder = default_folder(db.sqlite_file) if to is None else to
        target = folder / f"antrian-{now:%Y%m%d-%H%M%S}{suffix}"
        if to is not None and to.suffix in (".db", ".dump"):
            target, keep = to, 0  # a file named by the person: nothing else is touched
        started = time.monotonic()
        _write_whole(db, target)
        seconds = time.monotonic() - started
    finally:
        db.dispose()
    removed = _prune(target.parent, target.suffix, keep) if keep else ()
    return Backup(target, target.stat().st_size, seconds, removed)


def default_folder(sqlite_file: Path | None) -> Path:
    """Beside the SQLite file (copy them to another disk as well); PostgreSQL: this PC's data."""
    if sqlite_file is not None:
        return sqlite_file.parent / "backups"
    return Path(platformdirs.user_data_dir("antrian", appauthor=False)) / "backups"


def newest_copy(folder: Path) -> tuple[Path, datetime] | None:
    """The newest copy in `folder` that a backup made, with the time in its name."""
    try:
        names = sorted(p.name for p in folder.iterdir() if NAME.fullmatch(p.name))
    except OSError:  # no such folder (yet), or a USB stick that is not there
        return None
    if not names:
        return None
    return folder / names[-1], datetime.strptime(names[-1][8:23], "%Y%m%d-%H%M%S")


def _write_whole(db: Database, target: Path) -> None:
    partial = target.with_name(f".{target.name}.part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_killed_parts(target.parent)
        if db.sqlite_file is not None:
            _copy_sqlite(db.sqlite_file, partial)
        else:
            _dump_postgres(db.url, partial)
        with partial.open("rb") as written:
            os.fsync(written.fileno())
        partial.replace(target)
        _sync_folder(target.parent)
    except (OSError, sqlite3.Error, subprocess.SubprocessError) as error:
        raise BackupError(path=str(target), detail=_short(error)) from error
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def _copy_sqlite(source_file: Path, partial: Path) -> None:
    source = sqlite3.connect(source_file)
    copy = sqlite3.connect(partial)
    try:
        _copy_pages(source, copy)  # all pages in one step: one snapshot
        copy.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
        _check_whole(copy)
    finally:
        copy.close()
        source.close()


def _dump_postgres(url: str, partial: Path) -> None:
    if shutil.which("pg_dump") is None:
        raise SetupError("backup_no_pg_dump")
    parsed = make_url(url)
    # the password through the environment, never in the process list
    env = {**os.environ, "PGAPPNAME": "antrian backup", "PGCONNECT_TIMEOUT": "10"}
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    command = ["pg_dump", "--format=custom", f"--file={partial}", "--no-password"]
    for flag, value in (("--host", parsed.host), ("--port", parsed.port)):
        if value is not None:
            command.append(f"{flag}={value}")
    if parsed.username:
        command.append(f"--username={parsed.username}")
    command.append(parsed.database or "")
    for step in (command, ["pg_restore", "--list", str(partial)]):
        done = subprocess.run(step, env=env, capture_output=True, text=True, timeout=3600)
        if done.returncode != 0:
            lines = (done.stderr or done.stdout).strip().splitlines() or [f"{step[0]} failed"]
            raise OSError(lines[0])


def restore(url: str | None, copy: Path, now: datetime) -> Backup | None:
    """Put the SQLite copy `copy` in place of the database at `url` (made when there is none,
    as on a new PC), after saving what the database holds as a backup (returned); then bring
    the schema up to date.

    Written through SQLite's backup into the live file, never by copying files over it: a
    write-ahead log left beside the file would otherwise be played onto the copy.
    """
    if make_url(resolve_url(url)).get_backend_name() != "sqlite":
        raise UserError("restore_postgres")
    revision = _copy_revision(copy)
    if revision not in schema.known_revisions():
        raise UserError("restore_not_a_copy", path=str(copy), detail=f"schema {revision}")
    db = Database(url, create=True)  # only now may a new PC's folder be made
    db.dispose()
    if db.sqlite_file is None:
        raise UserError("restore_postgres")  # a SQLite database in memory or named by a URI
    existed = db.sqlite_file.exists()
    holders = programs_holding(db.sqlite_file) if existed else []
    if holders:
        raise UserError("restore_in_use", programs=", ".join(holders))
    saved = back_up(url, None, DEFAULT_KEEP, now) if existed else None
    source = sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro", uri=True)
    live = sqlite3.connect(db.sqlite_file)
    try:
        _copy_pages(source, live)  # one transaction: a failure leaves the database as it was
    except sqlite3.Error as error:
        raise BackupError("restore_failed", detail=_short(error)) from error
    finally:
        live.close()
        source.close()
    schema.upgrade(url)  # a copy made by an older version
    return saved


def _copy_revision(copy: Path) -> str | None:
    """The schema revision of an Antrian copy, once SQLite finds it whole."""
    try:
        with contextlib.closing(
            sqlite3.connect(f"{copy.resolve().as_uri()}?mode=ro", uri=True)
        ) as conn:
            _check_whole(conn)
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as error:
        raise UserError("restore_not_a_copy", path=str(copy), detail=_short(error)) from error
    return row[0] if row else None


def _copy_pages(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """Every page in one step. Python's backup would wait for ever while another program
    holds a lock: this waits LOCK_WAIT_SECONDS, then fails with "database is locked"."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS

    def waited(status: int, _remaining: int, _total: int) -> None:
        busy = status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
        if busy and time.monotonic() > deadline:
            raise sqlite3.OperationalError("database is locked")

    source.backup(target, progress=waited)


def _check_whole(conn: sqlite3.Connection) -> None:
    problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    if problems != ["ok"]:
        raise sqlite3.DatabaseError(f"integrity_check: {'; '.join(problems[:3])}")


def _remove_killed_parts(folder: Path) -> None:
    """What a backup killed half-way (a power cut, kill -9) left behind."""
    for path in folder.iterdir():
        if PARTIAL.fullmatch(path.name):
            with contextlib.suppress(OSError):
                if time.time() - path.stat().st_mtime > STALE_PART_SECONDS:
                    path.unlink()


def _sync_folder(folder: Path) -> None:
    """The rename survives a power cut."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _prune(folder: Path, suffix: str, keep: int) -> tuple[Path, ...]:
    """Remove all but the newest `keep` copies (by the time in their names) of this kind."""
    copies = sorted(
        path for path in folder.iterdir() if NAME.fullmatch(path.name) and path.suffix == suffix
    )
    removed = tuple(copies[:-keep])
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def _short(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
