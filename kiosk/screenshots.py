"""`antrian kiosk --screenshot DIR`: every screen state, both languages, portrait and landscape.

Runs offscreen on a temporary demo database (the example site) on Monday 30 November 2026 at
09:30, printing to a preview folder, and drives the view model as a citizen would.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hardware.printing.status import PaperLevel, PrinterStatus
from kiosk.app import kiosk_window, make_printer
from kiosk.settings import load
from kiosk.viewmodel import KioskViewModel
from shared.clock import ManualClock
from shared.demo import prepare
from shared.engine import QueueEngine
from shared.qt.qml_window import application, capture, wait_until

SIZES = {"portrait": (1080, 1920), "landscape": (1920, 1080)}
MORNING = datetime(2026, 11, 30, 9, 30, tzinfo=ZoneInfo("Asia/Jakarta"))
UNREACHABLE = "postgresql://antrian@127.0.0.1:1/antrian"  # nothing listens there
PAPER_OUT = PrinterStatus(readable=True, online=True, paper=PaperLevel.OUT, cover_open=False)


def take(folder: Path) -> list[Path]:
    """Render every state to `folder`; returns the PNG files written."""
    application(offscreen=True)
    shots: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="antrian-kiosk-shots-") as work:
        url = f"sqlite:///{work}/demo.db"
        clock = ManualClock(MORNING)
        prepare(url, clock=clock)  # its business day is that morning's, whatever the date now
        with QueueEngine.open(url, clock=clock) as helper:
            for _ in range(40):  # the hajj registration's daily quota of 40
                helper.issue_ticket("HAJI-DAFTAR")
            codes = [  # one booking to check in per language and orientation
                helper.book(
                    "KTP-EL", MORNING.date(), time(10), "Sari Dewi", f"08120000{n:04d}"
                ).code
                for n in range(2 * len(SIZES))
            ]
        settings = replace(load(None, url), printer=f"preview:{work}/tickets")
        working = KioskViewModel(
            settings, lambda: QueueEngine.open(url, clock=clock), make_printer(settings)
        )
        shots += _shoot(working, folder, lambda vm, shot: _citizen_path(vm, shot, clock, codes))
        lost = KioskViewModel(
            settings, lambda: QueueEngine.open(UNREACHABLE), make_printer(settings)
        )
        shots += _shoot(lost, folder, lambda vm, shot: shot("unavailable"))
    return shots


def _shoot(
    vm: Any,  # its Qt properties are read here as the values QML sees
    folder: Path,
    path: Callable[[KioskViewModel, Callable[[str], None]], None],
) -> list[Path]:
    _engine, window = kiosk_window(vm)
    vm.start(watch_printer=False)
    wait_until(lambda: bool(vm.agencies) or vm.screen == "unavailable")
    shots: list[Path] = []
    for orientation, (width, height) in SIZES.items():
        window.resize(width, height)
        for lang in ("id", "en"):
            vm.setLanguage(lang)

            def shot(name: str, lang: str = lang, orientation: str = orientation) -> None:
                shots.append(capture(window, folder / f"{name}-{lang}-{orientation}.png"))

            path(vm, shot)
    vm.stop()
    window.close()
    return shots


def _citizen_path(
    vm: Any, shot: Callable[[str], None], clock: ManualClock, codes: list[str]
) -> None:
    vm.goHome()
    shot("home")
    vm.openCheckin()
    vm.keyTyped("ABCD2345")
    vm.submitCode()
    wait_until(lambda: vm.message != "")
    shot("checkin-refused")
    vm.keyTyped(codes[0][:5])
    shot("checkin")
    vm.keyTyped(codes[0][5:])
    vm.submitCode()
    wait_until(lambda: vm.screen == "ticket" and vm.ticket.get("printState") == "done")
    shot("checkin-ticket")
    codes.pop(0)
    vm.goHome()
    vm.chooseAgency("DUKCAPIL")
    shot("agency")
    vm.chooseService("KTP-EL")
    shot("service")
    vm.takeTicket("elderly")
    wait_until(lambda: vm.screen == "ticket" and vm.ticket.get("printState") == "done")
    shot("ticket")
    vm.goHome()
    vm.chooseAgency("KEMENAG")
    vm.chooseService("HAJI-DAFTAR")
    shot("quota-reached")
    clock.set(MORNING.replace(hour=15, minute=45))
    vm.goHome()
    vm.refresh()
    wait_until(lambda: "BJB" in [a["code"] for a in vm.agencies if not a["isOpen"]])
    vm.chooseAgency("BJB")
    shot("closed")
    clock.set(MORNING)
    vm.goHome()
    vm.refresh()
    vm.apply_printer_status(PAPER_OUT)
    wait_until(lambda: all(a["isOpen"] for a in vm.agencies if a["code"] == "BJB"))
    shot("printer-out-of-paper")
    vm.apply_printer_status(
        PrinterStatus(readable=False, online=True, paper=PaperLevel.UNKNOWN, cover_open=None)
    )
