"""`antrian doctor`: one line per check, exit 1 when a citizen would notice something broken."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from hardware.buttons.simulator import VirtualButtonBox
from hardware.printing.status import DLE_EOT_PAPER
from shared.cli.doctor import Finding, _backups, _disk, examine
from shared.cli.main import main
from shared.engine import QueueEngine
from shared.site_config import load_site_file, parse_site
from shared.store.backup import back_up
from tests.conftest import SMALL_SITE, fill_disk, reset_postgres
from tests.hardware.fake_printer import PAPER_OUT, FakeNetworkPrinter


def checks(url: str | None, settings: dict | None = None) -> dict[str, tuple[str, str]]:
    return {f.check: (f.level, f.text) for f in examine(url, settings or {})}


def test_a_healthy_pc_passes_and_says_what_it_checked(
    engine: QueueEngine, db_url, capsys, monkeypatch
):
    monkeypatch.setenv("ANTRIAN_NOW", "2026-11-30T10:00")  # the site's day, as the engine's
    assert main(["--db", db_url, "doctor"]) == 0
    lines = capsys.readouterr().out.splitlines()
    sqlite = db_url.startswith("sqlite")
    # the server's disk and backups are not in sight of its clients
    disk = ["OK   disk", "WARN backup"] if sqlite else []
    server = [] if sqlite else ["OK   connections"]
    assert [line.split(":")[0] for line in lines] == [
        "OK   database",
        *disk,
        "OK   site",
        "OK   holidays",
        "OK   clock",
        *server,
    ]


def test_a_site_that_knows_no_day_off_ahead_is_warned(db_url, monkeypatch):
    text = SMALL_SITE.read_text().replace('holidays = ["2026-12-25"]\n', "")
    monkeypatch.setenv("ANTRIAN_NOW", "2026-11-30T10:00")
    with QueueEngine.open(db_url) as engine:
        engine.load_site(parse_site(text))
    level, said = checks(db_url)["holidays"]
    assert level == "warn" and 'set national_holidays = "all"' in said


def test_a_database_without_a_site_fails(db_url, capsys):
    assert main(["--db", db_url, "doctor"]) == 1
    assert "FAIL site: no services: run `antrian site load FILE`" in capsys.readouterr().out


def test_an_unreachable_database_fails_with_its_reason(tmp_path, capsys):
    assert main(["--db", f"sqlite:///{tmp_path}/none.db", "doctor"]) == 1
    assert capsys.readouterr().out.startswith("FAIL database: ")


def test_the_sqlite_files_disk_is_warned_when_low_and_fails_when_full(
    small_disk: Path, sqlite_template: Path
):
    path = small_disk / "antrian.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    level, text = checks(url)["disk"]
    assert level == "warn" and text.startswith("1.") and f"MB free in {small_disk}" in text
    with QueueEngine.open(url) as kiosk:  # a PC with the file open, as it fills up
        kiosk.load_site(load_site_file(SMALL_SITE))
        fill_disk(small_disk)
        level, text = checks(url)["disk"]
    assert level == "fail" and text.startswith("0.0 MB free") and "free space now" in text


def test_a_sqlite_file_this_account_may_not_write_fails(small_disk: Path, sqlite_template: Path):
    path = small_disk / "antrian.db"
    shutil.copy(sqlite_template, path)
    assert _disk(path).level == "warn"  # writable, with 2 MB free
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    finding = _disk(path)
    assert finding.level == "fail"
    assert finding.text.startswith(f"{path} can be read but not written by account ")
    level, text = checks(f"sqlite:///{path}")["database"]  # nor read: no shared memory there
    assert level == "fail" and text.startswith("Basis data tidak dapat ditulis oleh akun ")


def test_the_newest_backup_is_named_and_none_or_an_old_one_warned(
    tmp_path: Path, sqlite_template: Path, capsys
):
    path = tmp_path / "data" / "antrian.db"
    path.parent.mkdir()
    shutil.copy(sqlite_template, path)
    units, usb = tmp_path / "units", tmp_path / "usb"
    finding = _backups(path, units)
    assert finding.level == "warn"
    assert finding.text.startswith(f"no copy in {path.parent / 'backups'}: run `antrian db backup`")

    main(["install-service", "backup", "--to", str(usb), "--output", str(units)])
    usb.mkdir()
    old = usb / f"antrian-{datetime.now() - timedelta(days=10):%Y%m%d-%H%M%S}.db"
    old.write_bytes(b"")
    finding = _backups(path, units)  # the daily backup's folder is read from its unit
    assert finding.level == "warn"
    assert finding.text == f"newest copy {old}, 10 days old: is the daily backup running?"

    made = back_up(f"sqlite:///{path}", None, 30, datetime.now())
    assert _backups(path, units) == Finding("ok", "backup", f"newest copy {made.path}, 0 days old")


@pytest.mark.postgres
def test_a_pc_whose_clock_is_off_the_database_server_is_named(pg_url, monkeypatch):
    reset_postgres(pg_url)
    with QueueEngine.open(pg_url) as engine:
        engine.load_site(load_site_file(SMALL_SITE))
    assert checks(pg_url)["clock"][0] == "ok"
    monkeypatch.setattr(
        QueueEngine, "database_time", lambda self: datetime.now(UTC) - timedelta(seconds=90)
    )
    level, text = checks(pg_url)["clock"]
    assert level == "warn" and "+90 s off the database server" in text
    assert "keeps the server's time" in text


@pytest.mark.postgres
def test_the_database_servers_connections_are_counted_and_a_near_full_server_warned(
    pg_url, monkeypatch
):
    reset_postgres(pg_url)
    with QueueEngine.open(pg_url) as engine:
        engine.load_site(load_site_file(SMALL_SITE))
        used, most = engine.connection_use()
    assert 1 <= used < most  # this doctor's own connection at least, under the server's limit
    level, text = checks(pg_url)["connections"]
    assert level == "ok" and text.endswith(f"of {most} in use on the database server")
    monkeypatch.setattr(QueueEngine, "connection_use", lambda self: (85, 97))
    level, text = checks(pg_url)["connections"]
    assert level == "warn" and text.startswith("85 of 97 in use") and "max_connections" in text


def test_a_clock_before_the_sites_last_business_day_fails(engine: QueueEngine, db_url, monkeypatch):
    engine.issue_ticket("KTP")  # Monday 30 November
    monkeypatch.setenv("ANTRIAN_NOW", "2026-11-27T09:00")  # a clock set back to Friday
    level, text = checks(db_url)["clock"]
    assert level == "fail" and "before the site's last business day (2026-11-30)" in text
    monkeypatch.setenv("ANTRIAN_NOW", "2026-11-30T10:00")
    assert checks(db_url)["clock"][0] == "ok"


def test_the_printer_reports_paper_out_and_an_online_one_passes(engine: QueueEngine, db_url):
    printer = FakeNetworkPrinter()
    try:
        assert checks(db_url, {"kiosk": {"printer": printer.spec}})["printer"][0] == "ok"
        printer.replies[DLE_EOT_PAPER] = PAPER_OUT
        level, text = checks(db_url, {"kiosk": {"printer": printer.spec}})["printer"]
        assert level == "fail" and "paper_out" in text
    finally:
        printer.stop()


def test_the_call_button_port_must_open_and_read(engine: QueueEngine, db_url, tmp_path):
    with VirtualButtonBox() as box:
        assert checks(db_url, {"counter": {"buttons": box.path}})["call buttons"][0] == "ok"
    level, text = checks(db_url, {"counter": {"buttons": str(tmp_path / "ttyUSB9")}})[
        "call buttons"
    ]
    assert level == "fail" and "dialout" in text
