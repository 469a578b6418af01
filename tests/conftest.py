"""Fixtures shared by the whole suite: databases (SQLite and PostgreSQL), a clock, an engine."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from shared.clock import ManualClock
from shared.engine import QueueEngine
from shared.site_config import load_site_file
from shared.store import schema
from shared.store.database import Database

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = Path(__file__).parent / "data"
SMALL_SITE = DATA / "small-site.toml"
EXAMPLE_SITE = Path(__file__).parents[1] / "examples" / "mpp-kabupaten-bekasi.toml"
PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"
JAKARTA = ZoneInfo("Asia/Jakarta")
# Monday 30 November 2026, 09:00 in Jakarta: every service of the small site is open.
MONDAY_9 = datetime(2026, 11, 30, 9, 0, tzinfo=JAKARTA)
TABLES = (
    "report_counts",
    "report_rollups",
    "report_months",
    "login_failures",
    "staff_agencies",
    "events",
    "tickets",
    "daily_counts",
    "number_sequences",
    "counter_services",
    "counters",
    "staff",
    "services",
    "agencies",
)


def _pg_unavailable(reason: str) -> None:
    message = (
        f"PostgreSQL is not reachable ({reason}). Start it, or point ANTRIAN_TEST_PG at "
        f"a server where the user may create databases (default {PG_DEFAULT})."
    )
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("under CI the PostgreSQL tests must run: " + message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, schema applied, dropped at the end."""
    base = make_url(os.environ.get("ANTRIAN_TEST_PG", PG_DEFAULT))
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    name = f"antrian_test_{uuid.uuid4().hex[:10]}"
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        _pg_unavailable(str(error).strip().splitlines()[0])
    url = base.set(drivername="postgresql+psycopg", database=name).render_as_string(
        hide_password=False
    )
    schema.upgrade(url)
    yield url
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "antrian.db"
    schema.upgrade(f"sqlite:///{path}")
    return path


def reset_postgres(url: str) -> None:
    db = Database(url)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(TABLES)} RESTART IDENTITY CASCADE"))
        conn.execute(
            text(
                "UPDATE site SET name = 'Mal Pelayanan Publik', timezone = 'Asia/Jakarta', "
                "holidays = '[]', national_holidays = 'none', ticker = '[]', "
                "unstarted_on_next = 'done', public_url = NULL, "
                "current_day = NULL, config_version = 0, personal_data_days = 90"
            )
        )
    db.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty, migrated database: SQLite, then PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "antrian.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("pg_url")
    reset_postgres(url)
    return url


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A folder on a 2 MB disk of its own (a tmpfs: mounting one needs root, as under CI)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(folder)]
    mounted = subprocess.run(mount, capture_output=True, text=True)
    if mounted.returncode != 0:
        message = f"a disk of its own needs root: {mounted.stderr.strip()}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    yield folder
    subprocess.run(["umount", "--lazy", str(folder)], check=True)


def sqlite_small_site(
    path: Path, template: Path, clock: ManualClock, site: Path = SMALL_SITE
) -> str:
    """A SQLite file at `path` with the small site (or `site`) loaded on the clock's day; its
    URL."""
    shutil.copy(template, path)
    url = f"sqlite:///{path}"
    with QueueEngine.open(url, clock=clock) as engine:
        engine.load_site(load_site_file(site))
    return url


def fill_disk(folder: Path) -> Path:
    """Write a file in `folder` until its disk is full; delete the file to make room again."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as out, contextlib.suppress(OSError):
        while out.write(bytes(4096)):
            pass
    return filler


@pytest.fixture
def pg_through_proxy(pg_url: str) -> Iterator[tuple[str, object]]:
    """(URL, proxy): the test database reached through a TCP proxy the test can cut."""
    from tests.tcp_proxy import TcpProxy

    reset_postgres(pg_url)
    parsed = make_url(pg_url)
    proxy = TcpProxy((parsed.host or "127.0.0.1", parsed.port or 5432))
    yield parsed.set(host="127.0.0.1", port=proxy.port).render_as_string(False), proxy
    proxy.cut()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(MONDAY_9)


@pytest.fixture
def engine(db_url: str, clock: ManualClock) -> Iterator[QueueEngine]:
    """An engine on the small test site, Monday 09:00."""
    with QueueEngine.open(db_url, clock=clock, actor="test") as queue:
        queue.load_site(load_site_file(SMALL_SITE))
        yield queue
