"""Appointments at the kiosk (pytest-qt, offscreen, the real engine): a booking's code scanned
by a USB scanner typing as a keyboard, or typed on the screen's keyboard, checks in and prints
the ticket; too early, too late (with the offer of an ordinary ticket), used and unknown codes
are refused plainly and issue nothing."""

from __future__ import annotations

import itertools
import re
from datetime import date, datetime, time

import httpx
import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from sqlalchemy import select

from hardware.printing.printer import ThermalPrinter
from shared.clock import ManualClock
from shared.engine import QueueEngine
from shared.site_config import load_site_file
from shared.store.tables import tickets
from tests.conftest import EXAMPLE_SITE, JAKARTA
from tests.gui.kiosk_harness import open_kiosk
from tests.gui.qml_driver import item, tap, visible_texts
from tests.web.conftest import caught_up, start_server

MONDAY = date(2026, 11, 30)

_phones = itertools.count(1)


def phone() -> str:
    """A phone number no other booking of the test holds (one a day per phone and service)."""
    return f"0813{next(_phones):08d}"


MORNING = datetime(2026, 11, 30, 9, 30, tzinfo=JAKARTA)
WAIT = 10_000


@pytest.fixture
def clock():
    return ManualClock(MORNING)


@pytest.fixture
def site_db(db_url):
    with QueueEngine.open(db_url, clock=ManualClock(MORNING)) as engine:
        engine.load_site(load_site_file(EXAMPLE_SITE))
    return db_url


def book(url: str, at: time, booked_at: datetime = MORNING) -> str:
    with QueueEngine.open(url, clock=ManualClock(booked_at)) as engine:
        return engine.book("KTP-EL", MONDAY, at, "Sari Dewi", phone()).shown_code


def scan(window, text: str) -> None:
    """What a USB scanner in keyboard mode does: types each character, then Enter."""
    for char in text:
        QGuiApplication.sendEvent(
            window, QKeyEvent(QEvent.Type.KeyPress, 0, Qt.KeyboardModifier.NoModifier, char)
        )
    QGuiApplication.sendEvent(
        window, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier)
    )


def test_a_scan_from_the_home_screen_checks_in_and_prints_the_ticket(qtbot, site_db, clock):
    code = book(site_db, time(10, 0))
    printer = ThermalPrinter("dummy:")
    with open_kiosk(site_db, clock, printer) as (vm, window):
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        scan(window, code)
        qtbot.waitUntil(lambda: vm.ticket.get("printState") == "done", timeout=WAIT)
        assert vm.screen == "ticket" and vm._ticket.source == "appointment"
        assert item(window, "ticketNumber").property("text") == vm._ticket.number
        assert "Janji temu pukul 10:00: Anda dipanggil sesuai jam janji" in visible_texts(window)
        printed = printer.render(vm.ticket_to_print(vm._ticket))
        assert printer.output == printed and b"Janji temu pukul 10:00" in printed
    with QueueEngine.open(site_db, clock=clock) as engine:
        (booking,) = engine.bookings(MONDAY)
        assert booking.state.value == "checked_in" and booking.ticket == vm._ticket.number


def test_a_code_typed_on_the_screens_keyboard_checks_in(qtbot, site_db, clock):
    code = book(site_db, time(10, 0))
    with open_kiosk(site_db, clock) as (vm, window):
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        tap(qtbot, window, "haveAppointment")
        qtbot.waitUntil(lambda: vm.screen == "checkin")
        tap(qtbot, window, "key_Z")  # a slip, taken back
        tap(qtbot, window, "eraseKey")
        for char in code.replace("-", ""):
            tap(qtbot, window, f"key_{char}")
        assert item(window, "checkinCode").property("text") == code
        tap(qtbot, window, "submitCode")
        qtbot.waitUntil(lambda: vm.screen == "ticket", timeout=WAIT)
        assert vm._ticket.source == "appointment"


def test_refused_codes_say_why_and_a_late_one_is_offered_an_ordinary_ticket(qtbot, site_db, clock):
    early = book(site_db, time(11, 0))
    dawn = datetime(2026, 11, 30, 7, 0, tzinfo=JAKARTA)
    late = book(site_db, time(9, 0), booked_at=dawn)
    used = book(site_db, time(9, 30), booked_at=dawn)
    with QueueEngine.open(site_db, clock=clock) as engine:
        engine.check_in(used)
    with open_kiosk(site_db, clock) as (vm, window):
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        for code, said in (
            (early, "belum dapat dipakai: datang kembali 30-11-2026 mulai pukul 10:30"),
            (used, "sudah dipakai"),
            ("ABCD-2345", "tidak ditemukan"),
            ("https://example.org/t/x", "tidak ditemukan"),  # a scan of something else
            (late, "sudah lewat waktunya"),
        ):
            scan(window, code)
            qtbot.waitUntil(lambda said=said: said in vm.message, timeout=WAIT)
            assert vm.screen == "checkin" and item(window, "checkinMessage").isVisible()
        tap(qtbot, window, "takeOrdinary")
        qtbot.waitUntil(lambda: vm.screen == "service")
        assert vm.service["code"] == "KTP-EL" and vm.service["canIssue"]
    with QueueEngine.open(site_db) as engine, engine.db.read() as conn:
        assert conn.execute(select(tickets.c.source)).scalars().all() == ["appointment"]


def test_booked_in_the_browser_checked_in_at_the_kiosk_and_called_before_a_later_walk_in(
    qtbot, site_db, clock
):
    server = start_server(site_db, clock, EXAMPLE_SITE, requests_per_second=1000, burst=1000)
    try:
        caught_up(server)
        citizen = httpx.Client(base_url=server.url, timeout=10)
        page = citizen.get(f"/booking/KTP-EL?day={MONDAY}")
        token = re.search(r'name="form" value="([^"]+)"', page.text)
        assert token is not None
        form = {"form": token.group(1), "day": MONDAY.isoformat(), "time": "10:00"}
        sent = citizen.post(
            "/booking/KTP-EL",
            data=form | {"name": "Sari Dewi", "phone": "0812 3456 7890"},
            follow_redirects=False,
        )
        code = sent.headers["location"].split("/")[3].split("?")[0]
    finally:
        server.stop()
    clock.set(datetime(2026, 11, 30, 9, 50, tzinfo=JAKARTA))
    with open_kiosk(site_db, clock) as (vm, window):
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        scan(window, code)
        qtbot.waitUntil(lambda: vm.screen == "ticket", timeout=WAIT)
        appointment = vm._ticket.number
    with QueueEngine.open(site_db, clock=clock) as engine:
        clock.set(datetime(2026, 11, 30, 10, 5, tzinfo=JAKARTA))
        walk_in = engine.issue_ticket("KTP-EL")
        assert [engine.call_next("L01").number, engine.call_next("L02").number] == [
            appointment,
            walk_in.number,
        ]
