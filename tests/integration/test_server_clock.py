"""PCs of a PostgreSQL site keep the database server's time, whatever their own clocks say.

A PC with a dead CMOS battery starts in 2000; one without time sync drifts by minutes. The
real processes here run under libfaketime (Debian's `faketime`) with such clocks.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from shared.engine import QueueEngine
from shared.engine.server_clock import ServerClock
from shared.site_config import load_site_file
from shared.store.database import Database
from tests.conftest import SMALL_SITE, reset_postgres
from tests.integration.helpers import antrian_at

pytestmark = pytest.mark.postgres

TOLERANCE = timedelta(seconds=3)
ZONE = ZoneInfo("Asia/Jakarta")  # the small site's


def server_now(url: str) -> datetime:
    with Database(url).read() as conn:
        value: datetime = conn.execute(select(func.clock_timestamp())).scalar_one()
    return value


def test_a_pc_26_years_behind_reads_the_servers_time_and_warns_once(pg_url, caplog):
    behind = timedelta(days=26 * 365)
    clock = ServerClock(local=lambda: datetime.now(UTC) - behind)
    db = Database(pg_url)
    with caplog.at_level(logging.WARNING, "shared.engine.server_clock"):
        for _ in range(2):
            with db.read() as conn:
                clock.measure(conn)
    assert abs(clock.now() - server_now(pg_url)) < TOLERANCE
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1 and "off the database server" in warnings[0], warnings


def test_a_pc_whose_clock_jumps_measures_again_at_once(pg_url):
    shift = timedelta(0)
    clock = ServerClock(local=lambda: datetime.now(UTC) + shift)
    with Database(pg_url).read() as conn:
        clock.measure(conn)
    assert not clock.due()
    shift = timedelta(hours=-7)  # time sync set a clock kept in local time back to UTC
    assert clock.due()


def open_all_day(tmp_path: Path) -> Path:
    """The small site open every day from midnight to 23:59, without holidays."""
    text = SMALL_SITE.read_text().replace('holidays = ["2026-12-25"]\n', "")
    start, end = text.index("[hours.reguler]"), text.index("[hours.pagi]")
    always = '[hours.reguler]\nmon-sun = { open = "00:00", close = "23:59" }\n\n'
    path = tmp_path / "site.toml"
    path.write_text(text[:start] + always + text[end:])
    return path


def antrian_json(fake: str | None, url: str, *args: str) -> dict:
    result = antrian_at(fake, url, *args, "--json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def clear_of_midnight(url: str) -> None:
    """Wait out the site's last minute of the day (its counters close at 23:59)."""
    while True:
        local = server_now(url).astimezone(ZONE)
        if not (local.hour == 23 and local.minute >= 58):
            return
        time.sleep(5)


def test_pcs_with_wrong_clocks_number_issue_and_call_in_the_servers_day(
    pg_url, tmp_path, monkeypatch
):
    monkeypatch.delenv("ANTRIAN_NOW", raising=False)  # the engines here keep the server's time
    assert shutil.which("faketime"), "install Debian's faketime package (see the README)"
    reset_postgres(pg_url)
    with QueueEngine.open(pg_url) as engine:
        engine.load_site(load_site_file(open_all_day(tmp_path)))
    clear_of_midnight(pg_url)
    dead_battery = antrian_json("@2000-01-03 09:00:00", pg_url, "ticket", "issue", "KTP")
    drifting = antrian_json("+3h", pg_url, "ticket", "issue", "KTP")
    right = antrian_json(None, pg_url, "ticket", "issue", "KTP")
    assert [t["number"] for t in (dead_battery, drifting, right)] == ["A001", "A002", "A003"]
    called = antrian_json("-2d", pg_url, "call", "next", "--counter", "L1")
    assert called["number"] == "A001"
    with QueueEngine.open(pg_url, actor="test") as engine:
        now = server_now(pg_url)
        tickets = [engine.ticket(t["number"]) for t in (dead_battery, drifting, right)]
        for ticket in tickets:
            assert ticket is not None
            assert abs(ticket.issued_at - now) < timedelta(minutes=2), ticket
            assert ticket.issued_at.astimezone(ZONE).date() == now.astimezone(ZONE).date()
        first = tickets[0]
        assert first is not None and first.called_at is not None
        assert first.called_at >= first.issued_at
        assert engine.board(None, recent=5).recent_calls[0].number == "A001"
