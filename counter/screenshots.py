"""`antrian counter --screenshot DIR`: login, password (changing one's own), idle, calling,
serving, paused, offline, compact.

Offscreen, on a temporary demo database (the example site) on Monday 30 November 2026.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from counter.app import application
from counter.settings import load
from counter.viewmodel import CounterViewModel
from counter.window import CounterWindow
from shared.clock import ManualClock
from shared.demo import prepare
from shared.engine import QueueEngine
from shared.qt.qml_window import settle, wait_until

MORNING = datetime(2026, 11, 30, 9, 40, tzinfo=ZoneInfo("Asia/Jakarta"))


def take(folder: Path) -> list[Path]:
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    application()
    folder.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="antrian-counter-shots-") as work:
        url = f"sqlite:///{work}/demo.db"
        clock = ManualClock(MORNING)
        prepare(url, clock=clock)  # its business day is that morning's, whatever the date now
        with QueueEngine.open(url, clock=clock) as kiosk:
            for service in ("KTP-EL", "KK", "KTP-EL", "PINDAH", "KTP-EL"):
                kiosk.issue_ticket(service, priority=service == "PINDAH")
        settings = replace(load(None, url), counter="L01")
        vm = CounterViewModel(settings, lambda: QueueEngine.open(url, clock=clock))
        window = CounterWindow(vm)
        window.show()
        vm.start()

        def shot(name: str) -> None:
            settle(150)
            path = folder / f"{name}.png"
            window.grab().save(str(path))
            shots.append(path)

        window.username.setText("petugas1")
        shot("login")
        window.change_toggle.click()
        shot("password")
        window.change_toggle.click()
        vm.login("petugas1", "antrian123", "L01")
        wait_until(lambda: vm.view is not None)
        shot("idle")
        vm.act("next")
        wait_until(lambda: vm.current() is not None and not vm.busy)
        clock.advance(minutes=2)
        vm.act("skip")  # not there: offered below the queue to call back at a touch
        wait_until(lambda: vm.view is not None and bool(vm.view.skipped) and not vm.busy)
        vm.act("next")
        wait_until(lambda: vm.current() is not None and not vm.busy)
        vm.act("park")  # a paper to fetch: first in the list to call back
        wait_until(lambda: vm.view is not None and bool(vm.view.parked) and not vm.busy)
        vm.act("next")
        wait_until(lambda: vm.current() is not None and not vm.busy)
        clock.advance(minutes=1)
        shot("calling")
        vm.act("start")
        wait_until(lambda: (held := vm.current()) is not None and held.state == "serving")
        shot("serving")
        window.set_compact(True)
        shot("compact")
        window.set_compact(False)
        vm.act("finish")
        wait_until(lambda: vm.current() is None and not vm.busy)
        vm.act("pause")
        wait_until(lambda: vm.view is not None and vm.view.counter.state == "paused")
        shot("paused")
        vm.offline = True  # what the view shows while the database cannot be reached
        vm.changed.emit()
        shot("offline")
        vm.stop()
        window.close()
    return shots
