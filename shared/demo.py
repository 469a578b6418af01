"""`antrian demo`: a demo database with the example site, and the system running on it.

The demo uses its own SQLite file (never `ANTRIAN_DB`, so it cannot touch a real site's data)
unless `--db` names one. When the real time is outside opening hours it runs on a weekday-morning
clock (`ANTRIAN_NOW`), so it works at any hour. A small driver plays citizens and staff, and the
terminal prints the change feed as it happens.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo
from datetime import time as dtime
from importlib.resources import files
from pathlib import Path
from typing import Final

import platformdirs
from filelock import FileLock, Timeout
from sqlalchemy.engine import make_url

from hardware.buttons.simulator import VirtualButtonBox
from shared.clock import Clock, shared_now
from shared.domain.states import WALK_IN_CALL, CounterState, EventKind, TicketState
from shared.domain.values import Event
from shared.engine import QueueEngine
from shared.errors import UserError
from shared.i18n import env_lang
from shared.lifeline import tied_to_me
from shared.site_config import load_site_file
from shared.store import schema


def example_file(name: str) -> Path:
    """A file of `examples/`: shipped in the wheel as `shared/examples/` (see setup.py), beside
    `shared/` in a source tree or an editable install."""
    packaged = files("shared") / "examples" / name
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[1] / "examples" / name


EXAMPLE_SITE: Final = example_file("mpp-kabupaten-bekasi.toml")
DEMO_USERS: Final = (
    ("admin", "admin", "admin12345"),
    ("petugas1", "staff", "antrian123"),
    ("petugas2", "staff", "antrian123"),
)
TICK_SECONDS: Final = 0.8


def demo_url(url: str | None) -> str:
    if url:
        return url
    path = Path(platformdirs.user_data_dir("antrian", appauthor=False)) / "demo.db"
    return f"sqlite:///{path}"


def free_port(first: int = 8080, tries: int = 20) -> int:
    """The first local port from `first` on that nobody listens on (the demo's web server)."""
    for port in range(first, first + tries):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise UserError("demo_no_port", first=first, last=first + tries - 1)


def prepare(
    url: str, reset: bool = False, public_url: str | None = None, clock: Clock | None = None
) -> None:
    """Create (or reuse) the demo database: schema, example site (its tickets' QR opening
    `public_url`), demo staff accounts; written on `clock` (the PC's by default), which
    becomes its business day."""
    path = make_url(url).database if reset and url.startswith("sqlite") else None
    for suffix in ("", "-wal", "-shm") if path else ():
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    schema.upgrade(url)
    with QueueEngine.open(url, clock=clock, actor="demo") as engine:
        config = load_site_file(EXAMPLE_SITE)
        engine.load_site(replace(config, site=replace(config.site, public_url=public_url)))
        for username, role, password in DEMO_USERS:
            with contextlib.suppress(UserError):  # already there from an earlier run
                engine.add_user(username, password, role=role, display_name=username.title())


DEMO_START: Final = dtime(9, 0)  # the demo's clock starts at this time of a working day


def choose_demo_clock(url: str, clock: Clock | None = None) -> None:
    """Set `ANTRIAN_NOW` to 09:00 of the next working day when nothing is open at the real time
    (`clock`, the PC's by default), or when an earlier demo wrote the database on a clock ahead
    of it: then of the working day after the one it wrote on (the demo's clock never runs
    back, and no ticket may be issued for a day before the site's last)."""
    if os.environ.get("ANTRIAN_NOW"):
        return
    with QueueEngine.open(url, clock=clock) as engine:
        catalogue = engine.catalogue()
        business_day = engine.business_day()
        holidays = engine.holidays()
        newest = engine.events_after(max(0, engine.board().last_event_id - 1), limit=1)
    now = catalogue.generated_at
    written = newest[-1].at.astimezone(now.tzinfo) if newest else None  # the last write
    if (written is None or written <= now) and any(
        s.can_issue for a in catalogue.agencies for s in a.services
    ):
        return
    day = now.date() + timedelta(days=1 if now.hour >= 9 else 0)
    if written is not None and written >= datetime.combine(day, DEMO_START, tzinfo=now.tzinfo):
        day = max(written.date(), business_day or written.date()) + timedelta(days=1)
    while day.weekday() >= 5 or day in holidays:
        day += timedelta(days=1)
    os.environ["ANTRIAN_NOW"] = shared_now(datetime.combine(day, DEMO_START, tzinfo=now.tzinfo))


FEED_WORDS: Final = {
    "issued": ("ambil nomor", "ticket taken"),
    "moved": ("menunggu sekarang di", "now waiting for"),
    "called": ("dipanggil ke", "called to"),
    "walked_in": ("tanpa tiket, langsung di", "walk-in, at once at"),
    "recalled": ("dipanggil ulang ke", "recalled to"),
    "started": ("mulai dilayani di", "served at"),
    "finished": ("selesai di", "done at"),
    "no_show": ("tidak hadir di", "no-show at"),
    "parked": ("ditunda di", "parked at"),
    "transferred": ("dialihkan dari", "transferred from"),
    "cancelled": ("dibatalkan di", "cancelled at"),
    "expired": ("kedaluwarsa (hari sebelumnya) di", "expired (an earlier day) at"),
    "counter_opened": ("loket dibuka:", "counter opened:"),
    "counter_paused": ("loket istirahat:", "counter paused:"),
    "counter_closed": ("loket ditutup:", "counter closed:"),
    "staff_login": ("masuk di", "logged in at"),
    "staff_logout": ("keluar dari", "logged out at"),
    "login_failed": ("gagal masuk di", "failed login at"),
    "pin_failed": ("PIN salah di", "wrong PIN at"),
    "account_changed": ("akun diubah", "account changed"),
    "site_loaded": ("berkas situs dimuat, perubahan:", "site file loaded, changes:"),
    "refused": ("nomor ditolak untuk", "ticket refused for"),
    "booking_no_show": ("janji tidak datang:", "booking not checked in:"),
}
"""What each event kind reads as in the demo's feed (Bahasa Indonesia, English)."""


def describe(event: Event, zone: tzinfo) -> str:
    en = env_lang() == "en"
    clock = event.at.astimezone(zone).strftime("%H:%M:%S")
    kind, where = event.kind.value, event.counter_code or event.service_code or ""
    if event.kind == EventKind.ISSUED and event.related_ticket_id is not None:
        kind, where = "moved", event.service_code or ""  # the number waits in its new service
    elif event.kind == EventKind.CALLED and event.detail == WALK_IN_CALL:
        kind = "walked_in"  # nobody was called out in the waiting room
    elif event.kind == EventKind.SITE_LOADED:
        where = event.detail or ""  # how many changes
    verb = FEED_WORDS[kind][1 if en else 0]
    who = event.number or event.staff or ""
    return f"{clock}  {who:6} {verb} {where}"


def drive(engine: QueueEngine, rng: random.Random, staffed: frozenset[str]) -> None:
    """One step of simulated citizens and staff. People use the `staffed` counters: no
    simulated counter calls a ticket of their services (a newcomer's own ticket waits for
    them), though simulated citizens still take tickets there."""
    if rng.random() < 0.55:
        catalogue = engine.catalogue()
        open_services = [s for a in catalogue.agencies for s in a.services if s.can_issue]
        if open_services:
            service = rng.choice(open_services)
            priority = service.priority_allowed and rng.random() < 0.1
            engine.issue_ticket(service.code, priority=priority)
        return
    board = engine.board()
    waiting = {w.service_code for w in board.waiting}
    theirs = {s for c in board.counters if c.code in staffed for s in c.services}
    counters = [
        c
        for c in board.counters
        if c.code not in staffed
        and not theirs.intersection(c.services)
        and c.state == CounterState.OPEN
        and (c.current or waiting.intersection(c.services))
    ]
    if not counters:
        return
    counter = rng.choice(counters)
    current = counter.current
    if current is None:
        engine.call_next(counter.code)
    elif current.state == TicketState.CALLED:
        roll = rng.random()
        if roll < 0.6:
            engine.start(counter.code)
        elif roll < 0.75:
            engine.recall(counter.code)
        else:
            engine.skip(counter.code)
    else:
        engine.finish(counter.code)


def close_idle_partners(engine: QueueEngine, staffed: frozenset[str]) -> list[str]:
    """Close the counters that share a service with the `staffed` ones: `drive` never works
    them, and open they would be counted on to call, so the waits shown for the person's
    services would be an open counter's, not theirs. Returns the codes closed."""
    counters = engine.board().counters
    theirs = {s for c in counters if c.code in staffed for s in c.services}
    idle = [
        c.code
        for c in counters
        if c.code not in staffed
        and theirs.intersection(c.services)
        and c.state != CounterState.CLOSED
        and c.current is None  # someone worked it by hand: left as it is
    ]
    for code in idle:
        engine.close_counter(code)
    return idle


def has_screen() -> bool:
    """Whether windows can be shown here (a Linux desktop session, or macOS/Windows)."""
    if sys.platform.startswith("linux"):
        return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    return True


def write_settings(url: str, folder: Path, counter: str, buttons: str = "") -> Path:
    """A demo PC's settings file: windowed apps on the demo database."""
    path = folder / f"demo-settings-{counter}.toml"
    path.write_text(
        f"""# Written by `antrian demo`.
database = "{url}"

[counter]
counter = "{counter}"
{f'buttons = "{buttons}"' if buttons else ""}
window = "full"

[kiosk]
printer = "preview:{folder / "demo-tickets"}"
fullscreen = false
width = 720
height = 1280
idle_timeout = 60

[display]
fullscreen = false
width = 1280
height = 720
state_file = "{folder / "demo-display-announced.txt"}"

[survey]
counter = "{counter}"
fullscreen = false
width = 1024
height = 640
""",
        encoding="utf-8",
    )
    return path


STAFFED: Final = ("L01", "L02")  # the demo's counter windows: their services are left to you
RESTART_WORDS: Final = ("ulang", "restart")
QUIET_ENDS: Final = (signal.SIGTERM, signal.SIGHUP)


class DemoApp:
    """One of the demo's processes (an app window or the web server), restartable.

    Each runs in its own session, as on a site's own PC: a Ctrl-C in the demo's terminal
    reaches only the demo, which then ends them quietly; so do a SIGTERM and a closed
    terminal (SIGHUP), and a `kill -9` of the demo ends them through `end_with_parent`."""

    def __init__(self, name: str, command: list[str]) -> None:
        self.name, self.command = name, command
        self.process = self._spawn()
        self.reported = False

    def _spawn(self) -> subprocess.Popen[bytes]:
        return subprocess.Popen(self.command, start_new_session=True, env=tied_to_me())

    def ended(self) -> int | None:
        """Its exit status once it has ended (a window closed, a crash); None while it runs."""
        return self.process.poll()

    def restart(self) -> None:
        self.process, self.reported = self._spawn(), False

    def ask_to_end(self) -> None:
        """SIGTERM: the app finishes the work under way and quits."""
        if self.process.poll() is None:
            self.process.terminate()

    def wait_ended(self) -> None:
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Supervisor:
    """Watches the demo's processes: says which one ended and restarts them when asked."""

    def __init__(self, apps: list[DemoApp]) -> None:
        self.apps = apps
        self.restart_asked = threading.Event()

    def check(self) -> list[str]:
        """Lines to print: each newly ended process once; restarts done since asked."""
        lines = []
        if self.restart_asked.is_set():
            self.restart_asked.clear()
            for app in self.apps:
                if app.ended() is not None:
                    app.restart()
                    lines.append(f"  {app.name}: dibuka lagi / started again")
        for app in self.apps:
            code = app.ended()
            if code is not None and not app.reported:
                app.reported = True
                lines.append(
                    f"  {app.name} berhenti / ended (kode / status {code}); ketik / type "
                    f"'{RESTART_WORDS[0]}' atau / or '{RESTART_WORDS[1]}' + Enter untuk "
                    "membukanya lagi / to open it again, Ctrl-C untuk berhenti / to stop"
                )
        return lines

    def stop(self) -> None:
        """Every app asked at once, then waited for: they end side by side."""
        for app in self.apps:
            app.ask_to_end()
        for app in self.apps:
            app.wait_ended()


def app_processes(url: str, folder: Path, box: VirtualButtonBox) -> list[DemoApp]:
    """The system's windows, each its own process as on a real site's PCs: the kiosk, the
    display, counter L01, counter L02 with a simulated call-button box, and the survey tablet
    beside L01."""
    command = [sys.executable, "-m", "shared.cli.main"]
    first = write_settings(url, folder, STAFFED[0])
    second = write_settings(url, folder, STAFFED[1], box.path)
    return [
        DemoApp("kiosk", [*command, "kiosk", "--config", str(first)]),
        DemoApp("display", [*command, "display", "--config", str(first)]),
        DemoApp(f"counter {STAFFED[0]}", [*command, "counter", "--config", str(first)]),
        DemoApp(f"counter {STAFFED[1]}", [*command, "counter", "--config", str(second)]),
        DemoApp(f"survey {STAFFED[0]}", [*command, "survey", "--config", str(first)]),
    ]


def web_process(url: str, port: int) -> DemoApp:
    """The citizen web server, its own process as on a site's server, on this PC only."""
    command = [sys.executable, "-m", "shared.cli.main", "--db", url]
    return DemoApp("web", [*command, "web", "--host", "127.0.0.1", "--port", str(port)])


def read_terminal(box: VirtualButtonBox | None, supervisor: Supervisor) -> None:
    """Lines typed in the demo's terminal: 'ulang'/'restart' reopens what ended; others (such
    as 2:NEXT) press the simulated button box."""
    for line in sys.stdin:
        typed = line.strip()
        if typed.lower() in RESTART_WORDS:
            supervisor.restart_asked.set()
        elif typed and box is not None:
            box.press(typed)


@contextlib.contextmanager
def ended_quietly_by_signals() -> Iterator[None]:
    """A SIGTERM (`kill`, a logout) and a SIGHUP (its terminal closed) end the demo as a Ctrl-C
    does: its processes, in sessions of their own, are ended with it rather than left behind."""
    earlier = {number: signal.getsignal(number) for number in QUIET_ENDS}
    for number in QUIET_ENDS:
        signal.signal(number, signal.default_int_handler)
    try:
        yield
    finally:
        for number, handler in earlier.items():
            signal.signal(number, handler)


@contextlib.contextmanager
def only_demo(folder: Path) -> Iterator[None]:
    """One demo per data folder: a second would open a second set of windows, double the
    simulated citizens and overwrite the first one's settings files."""
    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(folder / "demo.lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise UserError("demo_running", folder=str(folder)) from None
    try:
        yield
    finally:
        lock.release()


def run_demo(
    url: str | None, *, seconds: float | None = None, reset: bool = False, apps: bool = True
) -> int:
    folder = Path(platformdirs.user_data_dir("antrian", appauthor=False))
    with only_demo(folder):
        return _run_demo(folder, url, seconds, reset, apps)


def _run_demo(folder: Path, url: str | None, seconds: float | None, reset: bool, apps: bool) -> int:
    url = demo_url(url)
    port = free_port()
    web_address = f"http://127.0.0.1:{port}"
    prepare(url, reset, web_address)
    choose_demo_clock(url)
    print(f"Antrian demo: {url}")
    if os.environ.get("ANTRIAN_NOW"):
        print(f"  jam demo / demo clock: {os.environ['ANTRIAN_NOW'].split('@')[0]}")
    supervisor = Supervisor([])
    with ended_quietly_by_signals():
        try:
            supervisor.apps.append(web_process(url, port))
            staffed, box = _open_windows(url, folder, apps, web_address, supervisor)
            threading.Thread(target=read_terminal, args=(box, supervisor), daemon=True).start()
            print("  Ctrl-C untuk berhenti / to stop\n")
            _live(url, random.Random(), staffed, seconds, supervisor)
        finally:
            supervisor.stop()
    return 0


def _open_windows(
    url: str, folder: Path, apps: bool, web_address: str, supervisor: Supervisor
) -> tuple[frozenset[str], VirtualButtonBox | None]:
    """Say where the web pages are and open the apps' windows where there is a screen: the
    counters left to the person, and L02's simulated button box."""
    print(f"  web: {web_address}/ (layanan / services), {web_address}/board (papan / board);")
    print("       kode QR tiket membuka halamannya / a ticket's QR opens its page")
    print(
        f"       janji temu / appointments: {web_address}/booking "
        "(kode janji: kiosk 'Sudah punya janji?' / check in at the kiosk)"
    )
    print(f"  konsol petugas / staff console: {web_address}/staff (admin / admin12345)")
    if not (apps and has_screen()):
        if apps:
            print("  (tidak ada layar: hanya terminal / no screen: terminal only)")
        return frozenset(), None
    box = VirtualButtonBox()
    supervisor.apps += app_processes(url, folder, box)
    print(f"  kiosk: tiket digambar di / tickets are drawn in {folder / 'demo-tickets'}")
    print("  loket / counters L01, L02: petugas1 / antrian123, petugas2 / antrian123;")
    print("       layanan mereka menunggu Anda / their services wait for you")
    print("  tombol panggil L02 / L02's call button: ketik / type 2:NEXT, 2:RECALL, 2:FINISH")
    return frozenset(STAFFED), box


def _live(
    url: str,
    rng: random.Random,
    staffed: frozenset[str],
    seconds: float | None,
    supervisor: Supervisor,
) -> None:
    """Citizens and the unstaffed counters act; the change feed is printed as it happens, and
    what becomes of the demo's processes."""
    with QueueEngine.open(url, actor="demo") as engine:
        subscription = engine.subscribe(
            lambda event: print(describe(event, engine.zone), flush=True),
            engine.board().last_event_id,
        )
        close_idle_partners(engine, staffed)
        deadline = None if seconds is None else time.monotonic() + seconds
        try:
            while deadline is None or time.monotonic() < deadline:
                try:
                    drive(engine, rng, staffed)
                except UserError as error:  # a closed service, a quota: part of a real day
                    print(f"          ({error.message(env_lang())})", flush=True)
                for line in supervisor.check():
                    print(line, flush=True)
                time.sleep(TICK_SECONDS)
        except KeyboardInterrupt:
            pass
        finally:
            time.sleep(0.3)  # let the feed print the last events
            subscription.stop()
        board = engine.board()
    waiting = sum(w.waiting for w in board.waiting)
    print(
        f"\n{board.site_name}: {board.open_counters} loket buka / counters open, "
        f"{waiting} menunggu / waiting"
    )
