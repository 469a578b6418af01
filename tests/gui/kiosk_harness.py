"""The kiosk opened as `antrian kiosk` opens it (offscreen, the real engine, a dummy printer
unless one is given), for the kiosk's pytest-qt tests."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from hardware.printing.printer import ThermalPrinter
from kiosk.app import kiosk_window
from kiosk.settings import load
from kiosk.viewmodel import KioskViewModel
from shared.clock import Clock
from shared.engine import QueueEngine


@contextlib.contextmanager
def open_kiosk(
    url: str, clock: Clock, printer: ThermalPrinter | None = None, **settings: Any
) -> Iterator[tuple[KioskViewModel, Any]]:
    config = replace(load(None, url), fullscreen=False, **settings)
    printer = printer or ThermalPrinter("dummy:")
    vm = KioskViewModel(config, lambda: QueueEngine.open(url, clock=clock, actor="kiosk"), printer)
    _engine, window = kiosk_window(vm)
    window.resize(1080, 1920)
    window.show()
    vm.start(watch_printer=False)
    try:
        yield vm, window
    finally:
        vm.stop()
        window.close()
