"""The kiosk, tapped as a citizen would (pytest-qt, offscreen), over the real engine."""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from PySide6.QtQuick import QQuickItem
from sqlalchemy import func, select

import kiosk.viewmodel
from hardware.printing.printer import ThermalPrinter
from hardware.printing.status import PaperLevel, PrinterStatus
from kiosk.settings import load
from kiosk.viewmodel import KioskViewModel
from shared.clock import ManualClock
from shared.engine import QueueEngine
from shared.errors import DatabaseUnavailable
from shared.qt.qml_window import show_window
from shared.site_config import load_site_file, parse_site
from shared.store.tables import tickets
from tests.conftest import EXAMPLE_SITE, JAKARTA
from tests.gui.kiosk_harness import open_kiosk
from tests.gui.qml_driver import item, past_the_window, tap, text, visible_texts
from tests.gui.threads import assert_none_left, threads_started_since
from tests.hardware.fake_printer import FakeNetworkPrinter
from tests.unit.test_catalogues import texts

MORNING = datetime(2026, 11, 30, 9, 30, tzinfo=JAKARTA)
PAPER_OUT = PrinterStatus(readable=True, online=True, paper=PaperLevel.OUT, cover_open=False)
WAIT = 10_000


@pytest.fixture
def site_db(db_url):
    with QueueEngine.open(db_url, clock=ManualClock(MORNING)) as engine:
        engine.load_site(load_site_file(EXAMPLE_SITE))
    return db_url


def issued(url) -> int:
    with QueueEngine.open(url) as engine, engine.db.read() as conn:
        return conn.execute(select(func.count()).select_from(tickets)).scalar_one()


@pytest.fixture
def clock():
    return ManualClock(MORNING)


def test_a_stopped_kiosk_reaches_for_the_database_no_more(qtbot, monkeypatch):
    # a failure still on its way when the kiosk stopped started its retry timer again, and the
    # stopped kiosk went on opening the database every 3 s (seen in CI, next to later tests)
    monkeypatch.setattr(kiosk.viewmodel, "RETRY_MS", 50)
    attempts = []

    def unreachable() -> QueueEngine:
        attempts.append(datetime.now())
        raise DatabaseUnavailable("db_unavailable", detail="no route to host")

    vm = KioskViewModel(load(None, "sqlite://"), unreachable, ThermalPrinter("dummy:"))
    vm.start(watch_printer=False)
    qtbot.waitUntil(lambda: len(attempts) >= 2, timeout=WAIT)  # it retries while it runs
    vm.refresh()
    vm.stop()
    tried = len(attempts)
    qtbot.wait(500)  # ten retry intervals
    assert len(attempts) == tried


def test_a_stopped_kiosk_leaves_no_thread_running(qtbot, site_db, clock):
    before = set(threading.enumerate())
    with open_kiosk(site_db, clock) as (vm, window):
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        tap(qtbot, window, "agency_DUKCAPIL")
        tap(qtbot, window, "service_KTP-EL")
        tap(qtbot, window, "takeTicket")
        qtbot.waitUntil(lambda: vm.ticket.get("printState") == "done", timeout=WAIT)
        assert threads_started_since(before)  # the database's worker, the change feed
    assert_none_left(qtbot, before)


def test_a_citizen_taps_through_to_a_printed_ticket(qtbot, site_db, clock):
    printer = ThermalPrinter("dummy:")
    with open_kiosk(site_db, clock, printer) as (vm, window):
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        tap(qtbot, window, "agency_DUKCAPIL")
        qtbot.waitUntil(lambda: vm.screen == "agency")
        tap(qtbot, window, "service_KTP-EL")
        qtbot.waitUntil(lambda: vm.screen == "service")
        assert "Fotokopi Kartu Keluarga" in " ".join(visible_texts(window))
        tap(qtbot, window, "takeTicket")
        qtbot.waitUntil(lambda: vm.ticket.get("printState") == "done", timeout=WAIT)
        assert item(window, "ticketNumber").property("text") == "A001"
        assert "Silakan ambil tiket Anda" in visible_texts(window)
        expected = printer.render(vm.ticket_to_print(vm._ticket))
        assert printer.output == expected
    with QueueEngine.open(site_db, clock=clock) as engine:
        assert engine.ticket("A001").service_code == "KTP-EL"


def test_a_site_file_loaded_while_the_kiosk_waits_shows_at_once(qtbot, site_db, clock):
    text = EXAMPLE_SITE.read_text(encoding="utf-8")
    renamed = text.replace(
        'name = "Mal Pelayanan Publik Kabupaten Bekasi"', 'name = "MPP Bekasi Baru"', 1
    )
    assert renamed != text
    with open_kiosk(site_db, clock) as (vm, _window):
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        with QueueEngine.open(site_db, clock=clock) as engine:
            engine.load_site(parse_site(renamed))
        qtbot.waitUntil(lambda: vm.siteName == "MPP Bekasi Baru", timeout=WAIT)


def test_a_service_row_says_the_people_ahead_that_the_ticket_then_says(qtbot, site_db, clock):
    # it said "0 menunggu" for KK, and the ticket then "2 orang di depan Anda": the counters
    # serving KK call the KTP tickets waiting before it
    with QueueEngine.open(site_db, clock=clock) as engine:
        for _ in range(3):
            engine.issue_ticket("KTP-EL")
    with open_kiosk(site_db, clock) as (vm, window):
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        tap(qtbot, window, "agency_DUKCAPIL")
        qtbot.waitUntil(lambda: vm.screen == "agency")
        row = next(r for r in vm.services if r["code"] == "KK")
        ahead = re.search(r"(\d+) orang di depan", row["status"])
        assert ahead is not None and int(ahead.group(1)) > 0, row["status"]
        tap(qtbot, window, "service_KK")
        qtbot.waitUntil(lambda: vm.screen == "service")
        tap(qtbot, window, "takeTicket")
        qtbot.waitUntil(lambda: vm.ticket.get("printState") == "done", timeout=WAIT)
        assert vm.ticket["ahead"] == f"{ahead.group(1)} orang di depan Anda"


def test_a_triple_tap_gives_one_ticket(qtbot, site_db, clock):
    with open_kiosk(site_db, clock) as (vm, _window):
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        vm.chooseAgency("DUKCAPIL")
        vm.chooseService("KTP-EL")
        for _ in range(3):
            vm.takeTicket("")
        qtbot.waitUntil(lambda: vm.screen == "ticket", timeout=WAIT)
        vm.takeTicket("")
        qtbot.wait(300)
    assert issued(site_db) == 1


def test_a_priority_ticket_from_the_priority_buttons(qtbot, site_db, clock):
    with open_kiosk(site_db, clock) as (vm, window):
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        vm.chooseAgency("SKCK")
        vm.chooseService("SKCK-BARU")
        tap(qtbot, window, "priority_elderly")
        qtbot.waitUntil(lambda: vm.screen == "ticket", timeout=WAIT)
        assert vm.ticket["priority"] is True
        assert "♿ PRIORITAS" in visible_texts(window)


def test_a_closed_service_offers_no_ticket_and_says_when_it_opens(qtbot, site_db, clock):
    clock.set(MORNING.replace(hour=15, minute=45))
    with open_kiosk(site_db, clock) as (vm, window):
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        vm.chooseAgency("BJB")
        vm.chooseService("BJB-REKENING")
        assert item(window, "takeTicket").property("enabled") is False
        assert "Pengambilan nomor hari ini sudah berakhir" in item(
            window, "serviceStatus"
        ).property("text")
        vm.takeTicket("")
        qtbot.wait(300)
    assert issued(site_db) == 0


def test_on_a_holiday_the_home_screen_says_which_one(qtbot, site_db, clock):
    with open_kiosk(site_db, clock) as (vm, window):
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        assert item(window, "dayOff").property("visible") is False
    clock.set(MORNING.replace(day=24, month=12))  # cuti bersama: the example site is closed
    with open_kiosk(site_db, clock) as (vm, window):
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        said = item(window, "dayOff")
        assert said.property("visible") is True
        assert said.property("text") == (
            "○  Hari ini libur: Cuti Bersama Hari Raya Natal. Layanan tutup."
        )
        # wrapped, not pushing the grid off the screen (once the layout has placed it)
        qtbot.waitUntil(lambda: said.property("width") <= window.width(), timeout=WAIT)
        vm.nextLanguage()
        assert "A day off today: Christmas Joint Holiday" in said.property("text")


def test_when_the_quota_fills_up_meanwhile_the_tap_is_refused_plainly(qtbot, site_db, clock):
    with open_kiosk(site_db, clock) as (vm, window):
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        vm.chooseAgency("KEMENAG")
        vm.chooseService("HAJI-DAFTAR")
        with QueueEngine.open(site_db, clock=clock) as other_kiosk:
            for _ in range(40):
                other_kiosk.issue_ticket("HAJI-DAFTAR")
        tap(qtbot, window, "takeTicket")
        qtbot.waitUntil(lambda: vm.message != "", timeout=WAIT)
        assert "Kuota harian layanan HAJI-DAFTAR (40) sudah habis" in vm.message
        assert vm.screen == "service"
        qtbot.waitUntil(
            lambda: item(window, "takeTicket").property("enabled") is False, timeout=WAIT
        )
    assert issued(site_db) == 40


def test_out_of_paper_stops_issuing_and_says_so_first(qtbot, site_db, clock):
    with open_kiosk(site_db, clock, printer_failure="stop") as (vm, window):
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        vm.apply_printer_status(PAPER_OUT)
        qtbot.waitUntil(lambda: item(window, "printerNotice").property("visible") is True)
        assert "Kertas printer tiket habis" in " ".join(visible_texts(window))
        vm.chooseAgency("DUKCAPIL")
        vm.chooseService("KTP-EL")
        assert item(window, "takeTicket").property("enabled") is False
        vm.takeTicket("")
        qtbot.wait(300)
    assert issued(site_db) == 0


def test_out_of_paper_with_screen_only_policy_shows_the_number(qtbot, site_db, clock):
    printer = ThermalPrinter("dummy:")
    with open_kiosk(site_db, clock, printer, printer_failure="screen_only") as (vm, window):
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        vm.apply_printer_status(PAPER_OUT)
        vm.chooseAgency("DUKCAPIL")
        vm.chooseService("KTP-EL")
        tap(qtbot, window, "takeTicket")
        qtbot.waitUntil(lambda: vm.screen == "ticket", timeout=WAIT)
        assert vm.ticket["printState"] == "screen_only"
        assert "catat atau foto nomor Anda" in " ".join(visible_texts(window))
    assert printer.output == b"" and issued(site_db) == 1


def test_a_failed_print_keeps_the_number_and_reprint_works(qtbot, site_db, clock):
    device = FakeNetworkPrinter()
    port = device.port
    device.stop()  # the printer is off when the ticket is issued
    printer = ThermalPrinter(f"tcp:127.0.0.1:{port}?timeout=1", timeout=2)
    with open_kiosk(site_db, clock, printer) as (vm, window):
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        vm.chooseAgency("DUKCAPIL")
        vm.chooseService("KTP-EL")
        vm.takeTicket("")
        qtbot.waitUntil(lambda: vm.ticket.get("printState") == "failed", timeout=WAIT)
        assert "Nomor Anda tetap berlaku" in vm.ticket["printText"]
        assert item(window, "reprint").property("visible") is True
        again = FakeNetworkPrinter(port)  # switched back on
        try:
            tap(qtbot, window, "reprint")
            qtbot.waitUntil(lambda: vm.ticket.get("printState") == "done", timeout=WAIT)
            assert again.first_byte.wait(5)
        finally:
            again.stop()
    assert issued(site_db) == 1


def test_the_language_switch_changes_every_visible_label(qtbot, site_db, clock):
    source, translated = texts("id"), texts("en")
    del source["language_name"]  # each language's own name, the same on every screen
    indonesian = {source[k] for k in source if source[k] != translated[k]}
    english = {translated[k] for k in source if source[k] != translated[k]}
    with open_kiosk(site_db, clock) as (vm, window):
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        vm.chooseAgency("DUKCAPIL")
        vm.chooseService("KTP-EL")
        qtbot.wait(100)
        before = visible_texts(window)
        tap(qtbot, window, "languageButton")
        qtbot.wait(100)
        after = visible_texts(window)
    assert {"Ambil Nomor Antrian", "Persyaratan", "Kembali"} <= set(t.lstrip("‹ ") for t in before)
    assert not indonesian & set(t.lstrip("‹ ") for t in after)
    assert {"Take a Queue Number", "Requirements", "Back"} <= set(t.lstrip("‹ ") for t in after)
    assert not english & set(t.lstrip("‹ ") for t in before)
    assert "Electronic ID card (KTP-el) recording and printing" in after


def test_a_kiosk_window_that_is_not_fullscreen_fits_the_screen_it_opens_on(qtbot, site_db, clock):
    with open_kiosk(site_db, clock) as (vm, window):
        show_window(window, 1080, 1920, fullscreen=False)  # the demo's portrait kiosk
        room = window.screen().availableGeometry()
        qtbot.waitUntil(lambda: window.height() <= room.height(), timeout=WAIT)
        assert window.width() <= room.width()
        assert abs(window.width() / window.height() - 1080 / 1920) < 0.01  # the same shape
        qtbot.waitUntil(lambda: vm.agencies != [], timeout=WAIT)
        vm.chooseAgency("DUKCAPIL")
        vm.chooseService("KTP-EL")
        qtbot.waitUntil(lambda: item(window, "takeTicket").property("visible"), timeout=WAIT)
        button = item(window, "takeTicket")
        bottom = button.mapToScene(button.boundingRect().bottomLeft()).y()
        assert bottom <= window.height()  # the main action is on the screen, not below it


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
def test_the_ticket_screen_keeps_everything_on_the_screen_standing_and_lying(
    qtbot, db_url, clock, tmp_path, size
):
    site = tmp_path / "site.toml"  # KTP-EL named by one word longer than the screen is wide
    site.write_text(
        EXAMPLE_SITE.read_text().replace(
            'name = "Perekaman dan Pencetakan KTP Elektronik"', f'name = "{"Pendaftaran" * 12}"'
        )
    )
    with QueueEngine.open(db_url, clock=clock) as engine:
        engine.load_site(load_site_file(site))
    device = FakeNetworkPrinter()
    port = device.port
    device.stop()  # so that the ticket screen also shows "print again" beside "done"
    printer = ThermalPrinter(f"tcp:127.0.0.1:{port}?timeout=1", timeout=2)
    with open_kiosk(db_url, clock, printer) as (vm, window):
        window.resize(*size)
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        vm.chooseAgency("DUKCAPIL")
        vm.chooseService("KTP-EL")
        vm.takeTicket("elderly")  # a priority ticket: its mark takes a line more
        qtbot.waitUntil(lambda: vm.ticket.get("printState") == "failed", timeout=WAIT)
        qtbot.wait(200)
        for name in ("ticketNumber", "ticketQr", "printState", "reprint", "done"):
            shown = item(window, name)
            corner = shown.mapToScene(shown.boundingRect().bottomRight())
            assert corner.x() <= window.width() and corner.y() <= window.height(), name
        widths = []

        def walk(node: QQuickItem) -> None:
            if str(node.property("text") or "").startswith("Pendaftaran"):
                widths.append(node.property("contentWidth"))
            for child in node.childItems():
                walk(child)

        walk(window.contentItem())
        assert widths and max(widths) <= window.width()  # the long word breaks within the screen


SCREEN_SIZES = {
    "portrait": (1080, 1920),
    "landscape": (1920, 1080),
    "monitor-1366-turned": (768, 1366),
    "monitor-1366": (1366, 768),
    "monitor-5x4": (1280, 1024),
    "monitor-4x3": (1024, 768),
    "tablet-portrait": (800, 1280),
    "demo-window-1080p": (607, 1080),  # the demo's 720x1280 kiosk fitted to a 1080p desktop
    "demo-window-laptop": (432, 768),
}


@pytest.mark.parametrize("size", SCREEN_SIZES.values(), ids=SCREEN_SIZES.keys())
def test_every_text_and_button_is_on_the_screen_whatever_its_size(qtbot, site_db, clock, size):
    # at 1366x768 the appointment button and half the check-in keyboard lay below the screen
    with open_kiosk(site_db, clock, admin_pin="2468") as (vm, window):
        window.resize(*size)
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        screens = {
            "home": lambda: None,
            "agency": lambda: vm.chooseAgency("DUKCAPIL"),
            "service": lambda: vm.chooseService("KTP-EL"),
            "ticket": lambda: vm.takeTicket("elderly"),  # its priority mark takes a line more
            "checkin": lambda: (vm.goHome(), vm.openCheckin(), vm.keyTyped("ABCD2345")),
        }
        outside = {}
        for language in ("id", "en"):
            vm.setLanguage(language)
            vm.goHome()
            for name, show in screens.items():
                show()
                qtbot.waitUntil(lambda name=name: vm.screen == name, timeout=WAIT)
                qtbot.wait(100)  # laid out
                if past := past_the_window(window):
                    outside[f"{name}-{language}"] = past
            vm.goHome()
            vm.adminRequest()  # the PIN pad over the home screen
            qtbot.waitUntil(lambda: vm.pinVisible, timeout=WAIT)
            qtbot.wait(100)
            if past := past_the_window(window):
                outside[f"pin-{language}"] = past
            vm.cancelPin()
        assert outside == {}


def agency_tiles_below_the_grid(window, codes) -> list[str]:
    """The agencies whose tile is not wholly within the home screen's grid as it stands."""
    grid = item(window, "agencyGrid")
    bottom = grid.mapToScene(grid.boundingRect().bottomLeft()).y()
    below = []
    for code in codes:
        try:
            tile = item(window, f"agency_{code}")
        except LookupError:  # far enough below that the grid has not made its tile yet
            below.append(code)
            continue
        if tile.mapToScene(tile.boundingRect().bottomLeft()).y() > bottom + 1:
            below.append(code)
    return below


def shown_and_scrolled_to(qtbot, window, codes) -> tuple[list[str], bool]:
    """The agencies below the home screen's first view, whether the grid's scroll bar shows,
    and (asserted) that scrolling to the end shows the last agency."""
    below = agency_tiles_below_the_grid(window, codes)
    scroll_bar = item(window, "agencyScroll").isVisible()
    grid = item(window, "agencyGrid")
    grid.setProperty("contentY", grid.property("contentHeight") - grid.height())
    qtbot.wait(100)
    assert agency_tiles_below_the_grid(window, codes[-1:]) == []  # the last, reached
    return below, scroll_bar


KIOSK_SCREENS = {SCREEN_SIZES[k] for k in ("portrait", "landscape", "monitor-1366")}


@pytest.mark.parametrize("size", SCREEN_SIZES.values(), ids=SCREEN_SIZES.keys())
def test_every_agency_is_on_the_home_screen_or_a_scroll_bar_says_there_are_more(
    qtbot, site_db, clock, size
):
    # the example site's last three agencies lay below the screen's edge, and nothing said so
    with open_kiosk(site_db, clock) as (vm, window):
        window.resize(*size)
        qtbot.waitUntil(lambda: len(vm.agencies) == 19, timeout=WAIT)
        qtbot.wait(200)
        codes = [a["code"] for a in vm.agencies]
        below, scroll_bar = shown_and_scrolled_to(qtbot, window, codes)
        assert scroll_bar == bool(below)
        if size in KIOSK_SCREENS:  # a kiosk's own screen, standing or lying, and a monitor
            assert below == []  # all 19 at a glance
        grid = item(window, "agencyGrid")
        assert grid.property("cellHeight") >= grid.property("rowLowest") - 1  # still a big tile


def load_example_site_grown(url, clock, agencies: int = 0, dukcapil_services: int = 0) -> None:
    """The example site with more agencies (copies of its first ones, a service each) and more
    services at DUKCAPIL (copies of its first)."""
    site = load_site_file(EXAMPLE_SITE)
    extra = [replace(a, code=f"{a.code}-2") for a in site.agencies[:agencies]]
    first = {a.code: next(s for s in site.services if s.agency == a.code) for a in site.agencies}
    more = [
        replace(first[a.code], code=f"X{i}", agency=b.code)
        for i, (a, b) in enumerate(zip(site.agencies, extra, strict=False))
    ]
    more += [replace(first["DUKCAPIL"], code=f"KTP{i}") for i in range(dukcapil_services)]
    site = replace(site, agencies=(*site.agencies, *extra), services=(*site.services, *more))
    with QueueEngine.open(url, clock=clock) as engine:
        engine.load_site(site)


def test_a_site_of_more_agencies_than_fit_scrolls_with_its_scroll_bar_shown(qtbot, db_url, clock):
    load_example_site_grown(db_url, clock, agencies=15)
    with open_kiosk(db_url, clock) as (vm, window):
        qtbot.waitUntil(lambda: len(vm.agencies) == 34, timeout=WAIT)
        qtbot.wait(200)
        below, scroll_bar = shown_and_scrolled_to(qtbot, window, [a["code"] for a in vm.agencies])
        assert below and scroll_bar  # not all of them fit, and the bar says so


def test_an_agency_of_more_services_than_fit_shows_its_scroll_bar(qtbot, db_url, clock):
    load_example_site_grown(db_url, clock, dukcapil_services=10)
    with open_kiosk(db_url, clock) as (vm, window):
        qtbot.waitUntil(lambda: vm.agencies != [], timeout=WAIT)
        for agency, scrolls in (("SAMSAT", False), ("DUKCAPIL", True)):  # 3 and 16 services
            vm.chooseAgency(agency)
            qtbot.waitUntil(lambda: vm.screen == "agency", timeout=WAIT)
            qtbot.wait(200)
            listing = item(window, "serviceList")
            assert (listing.property("contentHeight") > listing.height()) == scrolls
            assert item(window, "serviceScroll").isVisible() == scrolls
            vm.goBack()


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
@pytest.mark.parametrize("language", ["id", "en"])
def test_every_name_is_shown_in_full_on_every_screen(qtbot, site_db, clock, size, language):
    with open_kiosk(site_db, clock, language=language) as (vm, window):
        window.resize(*size)
        qtbot.waitUntil(lambda: vm.agencies != [], timeout=WAIT)
        qtbot.wait(200)
        cut = visible_texts(window, cut_only=True)  # the site's name, the agencies' tiles
        grid = item(window, "agencyGrid")
        grid.setProperty("contentY", grid.property("contentHeight") - grid.height())
        qtbot.wait(100)
        cut += visible_texts(window, cut_only=True)  # and those below the first screen
        for agency in vm.agencies:
            vm.chooseAgency(agency["code"])
            qtbot.wait(50)
            cut += visible_texts(window, cut_only=True)  # every service of every agency
            for service in vm.services:
                vm.chooseService(service["code"])
                qtbot.wait(50)
                cut += visible_texts(window, cut_only=True)  # its name above the standard
                vm.goBack()
            vm.goBack()
    assert cut == []


def test_english_mode_says_when_a_standard_is_published_in_indonesian_only(
    qtbot, db_url, clock, tmp_path
):
    site = tmp_path / "site.toml"  # the example without one English text of KTP-EL
    site.write_text(
        "\n".join(
            line
            for line in EXAMPLE_SITE.read_text().splitlines()
            if not line.startswith('procedure_en = "Take a queue number')
        )
    )
    with QueueEngine.open(db_url, clock=clock) as engine:
        engine.load_site(load_site_file(site))
    with open_kiosk(db_url, clock, language="en") as (vm, window):
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        vm.chooseAgency("DUKCAPIL")
        vm.chooseService("KK")  # every text in English: nothing to say
        qtbot.wait(100)
        assert not item(window, "untranslatedNote").property("visible")
        vm.goBack()
        vm.chooseService("KTP-EL")
        qtbot.waitUntil(lambda: item(window, "untranslatedNote").property("visible"))
        assert "Bahasa Indonesia only" in text(window, "untranslatedNote")
        assert "Ambil nomor antrian" in " ".join(visible_texts(window))  # as published
        tap(qtbot, window, "languageButton")
        qtbot.waitUntil(lambda: not item(window, "untranslatedNote").property("visible"))


def test_every_citizen_opens_a_service_standard_at_its_top(qtbot, site_db, clock):
    with open_kiosk(site_db, clock, idle_timeout=0.5) as (vm, window):
        window.resize(1920, 1080)  # landscape: the standard is longer than its pane
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        vm.chooseAgency("DUKCAPIL")
        vm.chooseService("KTP-EL")
        scroll = item(window, "standardScroll")
        qtbot.waitUntil(lambda: scroll.property("contentHeight") > scroll.property("height"))
        scroll.setProperty("contentY", 200)
        vm.goBack()
        vm.chooseService("KTP-EL")  # the same service again: still from the top
        qtbot.waitUntil(lambda: scroll.property("contentY") == 0, timeout=WAIT)
        scroll.setProperty("contentY", 200)
        qtbot.waitUntil(lambda: vm.screen == "home", timeout=WAIT)  # the citizen walked away
        vm.chooseAgency("DUKCAPIL")
        vm.chooseService("KTP-EL")
        assert scroll.property("contentY") == 0


def test_an_idle_kiosk_returns_home_by_itself(qtbot, site_db, clock):
    with open_kiosk(site_db, clock, idle_timeout=0.3) as (vm, _window):
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        vm.chooseAgency("DUKCAPIL")
        assert vm.screen == "agency"
        qtbot.waitUntil(lambda: vm.screen == "home", timeout=WAIT)


def test_the_admin_pin_closes_the_kiosk_and_a_wrong_one_does_not(qtbot, site_db, clock):
    with open_kiosk(site_db, clock, admin_pin="2580") as (vm, window):
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        vm.adminRequest()
        assert item(window, "pinPad").property("visible") is True
        with qtbot.assertNotEmitted(vm.quitRequested, wait=300):
            vm.checkPin("1111")
            qtbot.waitUntil(lambda: vm.message == "PIN salah", timeout=WAIT)
        with qtbot.waitSignal(vm.quitRequested):
            vm.checkPin("2580")


def test_guessing_the_admin_pin_locks_it_even_for_the_right_pin_and_is_logged(
    qtbot, site_db, clock
):
    def pin_failures(engine: QueueEngine) -> int:
        return [e.kind.value for e in engine.events_after(0)].count("pin_failed")

    with (
        QueueEngine.open(site_db, clock=clock) as engine,
        open_kiosk(site_db, clock, admin_pin="2580") as (vm, _window),
    ):
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        vm.adminRequest()
        for tried, guess in enumerate(("0000", "0001", "0002"), start=1):
            vm.checkPin(guess)
            qtbot.waitUntil(lambda n=tried: pin_failures(engine) == n, timeout=WAIT)
        qtbot.waitUntil(lambda: vm.message.startswith("Terlalu banyak percobaan"), timeout=WAIT)
        with qtbot.assertNotEmitted(vm.quitRequested, wait=500):
            vm.checkPin("2580")  # the right PIN, but locked: refused, and not counted
        assert pin_failures(engine) == 3


@pytest.mark.postgres
def test_the_kiosk_survives_the_database_going_away_and_coming_back(qtbot, pg_through_proxy, clock):
    url, proxy = pg_through_proxy
    with QueueEngine.open(url, clock=clock) as engine:
        engine.load_site(load_site_file(EXAMPLE_SITE))
    with open_kiosk(url, clock) as (vm, window):
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        proxy.cut()
        vm.refresh()
        qtbot.waitUntil(lambda: vm.screen == "unavailable", timeout=WAIT)
        assert "Layanan sementara tidak tersedia" in visible_texts(window)
        proxy.restore()
        qtbot.waitUntil(lambda: vm.screen == "home", timeout=20_000)
        vm.chooseAgency("DUKCAPIL")
        vm.chooseService("KTP-EL")
        vm.takeTicket("")
        qtbot.waitUntil(lambda: vm.screen == "ticket", timeout=WAIT)


def test_a_kiosk_whose_clock_is_set_back_issues_nothing_until_it_is_right(qtbot, db_url, clock):
    with QueueEngine.open(db_url, clock=clock) as engine:
        engine.load_site(load_site_file(EXAMPLE_SITE))
        engine.issue_ticket("KTP-EL")  # the site's business day: Monday 30 November
    monday = clock.now()
    clock.set(monday - timedelta(days=7))  # the kiosk PC's clock, a week behind
    with open_kiosk(db_url, clock) as (vm, window):
        qtbot.waitUntil(lambda: vm.screen == "unavailable", timeout=WAIT)
        assert "Layanan sementara tidak tersedia" in visible_texts(window)
        qtbot.wait(3500)  # a retry: still behind, still unavailable
        assert vm.screen == "unavailable"
        clock.set(monday + timedelta(minutes=5))  # time sync set it right
        qtbot.waitUntil(lambda: vm.screen == "home", timeout=WAIT)
        vm.chooseAgency("DUKCAPIL")
        vm.chooseService("KTP-EL")
        vm.takeTicket("")
        qtbot.waitUntil(lambda: vm.screen == "ticket", timeout=WAIT)
    with QueueEngine.open(db_url, clock=clock) as engine:
        assert engine.ticket("A002") is not None


def touch_targets(window):
    """Every visible button on screen now, with its height."""
    found = []

    def walk(node):
        if not node.isVisible() or node.opacity() == 0:
            return
        if node.inherits("QQuickAbstractButton") and node.width() > 0:
            found.append(node)
        for child in node.childItems():
            walk(child)

    walk(window.contentItem())
    return found


@pytest.mark.parametrize("size", [(1080, 1920), (1920, 1080)], ids=["portrait", "landscape"])
def test_every_touch_target_is_at_least_96_pixels_high(qtbot, site_db, clock, size):
    with open_kiosk(site_db, clock) as (vm, window):
        window.resize(*size)
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        screens = (
            lambda: None,
            lambda: vm.chooseAgency("DUKCAPIL"),
            lambda: vm.chooseService("KTP-EL"),
        )
        for screen in screens:
            screen()
            qtbot.wait(100)  # laid out
            small = [
                (b.objectName() or b.property("text"), b.height())
                for b in touch_targets(window)
                if b.height() < 96  # the README's promise; one unit is a pixel at these sizes
            ]
            assert small == [], (vm.screen, small)


def test_the_lists_are_changed_in_place_not_rebuilt_every_second(qtbot, site_db, clock):
    with open_kiosk(site_db, clock) as (vm, window):
        qtbot.waitUntil(lambda: bool(vm.agencies), timeout=WAIT)
        tile = item(window, "agency_DUKCAPIL")
        tile.setProperty("seen", True)  # a mark only this very delegate carries
        changes: list[int] = []
        vm.changed.connect(lambda: changes.append(1))
        qtbot.waitUntil(lambda: len(changes) >= 2, timeout=WAIT)  # the clock ticked twice
        assert item(window, "agency_DUKCAPIL").property("seen") is True
        with QueueEngine.open(site_db, clock=clock) as engine:
            engine.issue_ticket("KTP-EL")
        qtbot.waitUntil(lambda: "1 menunggu" in visible_texts(window), timeout=WAIT)
        assert item(window, "agency_DUKCAPIL").property("seen") is True  # updated in place
