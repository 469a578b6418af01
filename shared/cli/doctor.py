"""`antrian doctor [--config FILE]`: check a PC the way a technician would.

One line per check, with what to do when it fails. The settings file says what this PC runs
(`[kiosk]`, `[display]`, `[counter]`); the database, site and clock are checked on every PC.
Exit status 1 when something a citizen would notice is broken; warnings do not change it.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Final

from shared.cli.install_service import SYSTEM_UNITS, scheduled_backup_folder
from shared.domain.holidays import Holidays
from shared.engine import QueueEngine
from shared.engine.server_clock import TOLERANCE_SECONDS
from shared.errors import AntrianError
from shared.store.backup import default_folder, newest_copy
from shared.store.database import SQLITE_ROOM_BYTES, account_name, sqlite_writable
from shared.tomlcheck import parse_toml, read_settings_text

MARKS: Final = {"ok": "OK   ", "warn": "WARN ", "fail": "FAIL "}
CONNECTIONS_WARN_SHARE: Final = 0.8
# The example site's SQLite file grows by about 1.5 MB on a day of 1,500 tickets: this is some
# four months of busy days
DISK_WARN_BYTES: Final = 200 * 2**20
BACKUP_WARN_DAYS: Final = 7


@dataclass(frozen=True, slots=True)
class Finding:
    level: str  # ok | warn | fail
    check: str
    text: str


def add_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    doctor = sub.add_parser("doctor", help="check this PC: database, site, clock, devices")
    doctor.add_argument("--config", help="this PC's settings file (kiosk, display, counter)")
    doctor.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings: dict[str, Any] = {}
    if args.config:
        settings = parse_toml(read_settings_text(args.config), args.config)
    url = args.db or settings.get("database")
    failed = False
    for finding in examine(url, settings):
        failed = failed or finding.level == "fail"
        print(f"{MARKS[finding.level]}{finding.check}: {finding.text}", flush=True)
    return 1 if failed else 0


def examine(url: str | None, settings: dict[str, Any]) -> Iterator[Finding]:
    yield from _database(url)
    kiosk, display, counter = (settings.get(app) for app in ("kiosk", "display", "counter"))
    if isinstance(kiosk, dict):
        yield _printer(str(kiosk.get("printer", "")))
    if isinstance(counter, dict) and counter.get("buttons"):
        yield _serial(str(counter["buttons"]), int(counter.get("baud", 9600)))
    if isinstance(display, dict):
        yield from _sound(display)
    if any(isinstance(app, dict) for app in (kiosk, display, counter)):
        yield _fonts()
        for name, app in (("kiosk", kiosk), ("display", display)):
            if isinstance(app, dict):
                yield _screen(name, int(app.get("width", 0)), int(app.get("height", 0)))


def _database(url: str | None) -> Iterator[Finding]:
    try:
        engine = QueueEngine.open(url)
    except AntrianError as error:
        yield Finding("fail", "database", error.line())
        return
    with engine:
        yield Finding("ok", "database", f"{engine.db.dialect}, schema current")
        if engine.db.sqlite_file is not None:  # the one PC that holds the site's data
            yield _disk(engine.db.sqlite_file)
            yield _backups(engine.db.sqlite_file)
        try:
            catalogue = engine.catalogue()
        except AntrianError as error:
            yield Finding("fail", "site", error.line())
            return
        services = sum(len(a.services) for a in catalogue.agencies)
        if services == 0:
            yield Finding("fail", "site", "no services: run `antrian site load FILE`")
        else:
            yield Finding("ok", "site", f"{catalogue.site_name}: {services} services")
        yield _days_off(engine.holidays(), engine.clock.now().astimezone(engine.zone).date())
        yield _clock(engine)
        use = engine.connection_use()
        if use is not None:
            yield _connections(*use)


def _disk(sqlite_file: Path) -> Finding:
    """The SQLite file's disk: on a full one, or without the right to write there, no ticket
    can be issued or called."""
    if not sqlite_writable(sqlite_file):
        return Finding(
            "fail",
            "disk",
            f"{sqlite_file} can be read but not written by account {account_name()}: give it "
            "write access to the file and its folder, or check whether the disk is mounted "
            "read-only",
        )
    free = shutil.disk_usage(sqlite_file.parent).free
    shown = f"{free / 2**20:,.{1 if free < 10 * 2**20 else 0}f} MB free in {sqlite_file.parent}"
    if free < SQLITE_ROOM_BYTES:
        return Finding(
            "fail", "disk", f"{shown}: tickets can fail to be written at any moment, free space now"
        )
    if free < DISK_WARN_BYTES:
        return Finding("warn", "disk", f"{shown}: free some space (a busy day adds about 1.5 MB)")
    return Finding("ok", "disk", shown)


def _backups(sqlite_file: Path, units: Path = SYSTEM_UNITS) -> Finding:
    """The newest copy `antrian db backup` made beside the file or where the daily backup
    installed here (in `units`) puts them."""
    scheduled = scheduled_backup_folder(units)
    folders = [default_folder(sqlite_file), *([scheduled] if scheduled else [])]
    found = [copy for copy in map(newest_copy, folders) if copy is not None]
    if not found:
        return Finding(
            "warn",
            "backup",
            f"no copy in {' or '.join(map(str, folders))}: run `antrian db backup`, every "
            "working day with `antrian install-service backup --to FOLDER --enable`",
        )
    path, taken = max(found, key=lambda copy: copy[1])
    days = (datetime.now() - taken).days
    shown = f"newest copy {path}, {days} days old"
    if days > BACKUP_WARN_DAYS:
        return Finding("warn", "backup", f"{shown}: is the daily backup running?")
    return Finding("ok", "backup", shown)


def _days_off(holidays: Holidays, today: date) -> Finding:
    """A site that knows no day off ahead would take tickets and bookings on Independence Day."""
    ahead = [
        day
        for year in (today.year, today.year + 1)
        for day, _name in holidays.of_year(year)
        if today <= day <= today + timedelta(days=365)
    ]
    if not ahead:
        return Finding(
            "warn",
            "holidays",
            'no day off in the next 12 months: set national_holidays = "all" (or "public") in '
            "the site file's [site], or list the days in holidays",
        )
    return Finding(
        "ok", "holidays", f"{len(ahead)} days off in the next 12 months, from {ahead[0]}"
    )


def _connections(used: int, most: int) -> Finding:
    """The PostgreSQL server's connections: a site that adds PCs near its limit would leave
    the last ones unable to connect."""
    shown = f"{used} of {most} in use on the database server"
    if used >= CONNECTIONS_WARN_SHARE * most:
        return Finding(
            "warn",
            "connections",
            f"{shown}: raise max_connections in postgresql.conf before more PCs join "
            "(each Antrian PC holds about 2)",
        )
    return Finding("ok", "connections", shown)


def _clock(engine: QueueEngine) -> Finding:
    site_now = engine.clock.now().astimezone(engine.zone)
    business_day = engine.business_day()
    if business_day is not None and business_day > site_now.date():
        return Finding(
            "fail",
            "clock",
            f"{site_now:%Y-%m-%d %H:%M} is before the site's last business day "
            f"({business_day}): no ticket can be issued until the clock is set right "
            "(timedatectl set-ntp true); if the clock is right, `antrian day reset`",
        )
    here = datetime.now(UTC)
    there = engine.database_time()
    local = here.astimezone(engine.zone)
    shown = f"{local:%Y-%m-%d %H:%M} {engine.zone.key}"
    if there is None:
        return Finding("ok", "clock", f"{shown} (SQLite: the database uses this PC's clock)")
    drift = (here - there).total_seconds()
    if abs(drift) > TOLERANCE_SECONDS:
        return Finding(
            "warn",
            "clock",
            f"this PC is {drift:+.0f} s off the database server (Antrian keeps the server's "
            "time): turn on time sync (timedatectl set-ntp true) on both",
        )
    return Finding("ok", "clock", f"{shown}, {drift:+.1f} s from the database server")


def _printer(spec: str) -> Finding:
    if not spec or spec.startswith("preview:"):
        return Finding("warn", "printer", "no printer set: tickets go to a preview folder")
    from hardware.printing.printer import ThermalPrinter  # python-escpos loads slowly

    try:
        status = ThermalPrinter(spec).status()
    except AntrianError as error:
        return Finding("fail", "printer", f"{spec}: {error.line()}")
    if status.problem:
        return Finding("fail", "printer", f"{spec}: {status.problem.removeprefix('printer_')}")
    if not status.readable:
        return Finding("warn", "printer", f"{spec}: cannot report paper or cover (write only)")
    return Finding("ok", "printer", f"{spec}: online, paper {status.paper.value}")


def _serial(port: str, baud: int) -> Finding:
    import serial

    try:
        with serial.serial_for_url(port, baudrate=baud, timeout=0.2) as device:
            device.read(64)
    except (serial.SerialException, OSError, ValueError) as error:
        return Finding(
            "fail",
            "call buttons",
            f"{port}: {error}; check the cable and that this user is in the 'dialout' group",
        )
    return Finding("ok", "call buttons", f"{port} opens and reads at {baud} baud")


def _sound(display: dict[str, Any]) -> Iterator[Finding]:
    voice = str(display.get("voice", "auto"))
    if voice in ("auto", "espeak"):
        if shutil.which("espeak-ng"):
            yield Finding("ok", "voice", "espeak-ng speaks the calls")
        else:
            level = "fail" if voice == "espeak" else "warn"
            yield Finding(level, "voice", "espeak-ng is missing: apt-get install espeak-ng")
    if voice == "clips":
        clips = Path(str(display.get("clips", "")))
        level, text = ("ok", f"clips in {clips}") if clips.is_dir() else ("fail", f"{clips}?")
        yield Finding(level, "voice", text)
    if voice != "off":
        yield _sound_output()


def _sound_output() -> Finding:
    if shutil.which("pactl"):
        result = subprocess.run(["pactl", "info"], capture_output=True, text=True, timeout=5)
        sink = next(
            (line for line in result.stdout.splitlines() if line.startswith("Default Sink")), ""
        )
        if result.returncode == 0 and sink:
            return Finding("ok", "sound", sink.split(":", 1)[1].strip())
    if Path("/dev/snd").is_dir() and any(Path("/dev/snd").iterdir()):
        return Finding("ok", "sound", "a sound card is present")
    return Finding("fail", "sound", "no sound output: connect the TV's audio, check the mixer")


def _fonts() -> Finding:
    if not shutil.which("fc-list"):
        return Finding("warn", "fonts", "fontconfig is missing: apt-get install fontconfig")
    families = subprocess.run(
        ["fc-list", ":", "family"], capture_output=True, text=True, timeout=10
    ).stdout
    if any(name in families for name in ("DejaVu Sans", "Noto Sans", "Liberation Sans")):
        return Finding("ok", "fonts", "a sans-serif font with Indonesian letters is installed")
    return Finding("warn", "fonts", "no DejaVu or Noto fonts: apt-get install fonts-dejavu-core")


def _screen(app: str, width: int, height: int) -> Finding:
    check = f"{app} screen"
    if importlib.util.find_spec("PySide6") is None:
        return Finding("fail", check, "Qt is not installed: pip install 'antrian-mpp[apps]'")
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return Finding("warn", check, "no desktop session here: run doctor on the PC's desktop")
    screen_size: Callable[[], tuple[int, int] | None] = importlib.import_module(
        "shared.qt.screen"
    ).primary_screen_size
    size = screen_size()
    if size is None:
        return Finding("fail", check, "no screen found")
    shown = f"{size[0]}x{size[1]}"
    if width and height and (size[0] < width or size[1] < height):
        return Finding("warn", check, f"{shown}, smaller than the {width}x{height} set")
    return Finding("ok", check, shown)
