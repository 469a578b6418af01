"""`antrian kiosk`: the touch-screen ticket dispenser."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickWindow

from hardware.printing.printer import ThermalPrinter
from kiosk.key_wedge import KeyWedge
from kiosk.settings import KioskSettings, load
from kiosk.viewmodel import KioskViewModel
from shared.engine import QueueEngine
from shared.qt.event_loop import run_until_quit
from shared.qt.qml_window import application, load_window, show_window
from shared.qt.qr_image import QrImageProvider

QML = Path(__file__).parent / "qml" / "Main.qml"


def make_printer(settings: KioskSettings) -> ThermalPrinter:
    return ThermalPrinter(
        settings.printer,
        paper_width=settings.paper_width,
        profile=settings.profile,
        logo=settings.logo,
    )


def kiosk_window(vm: KioskViewModel) -> tuple[QQmlApplicationEngine, QQuickWindow]:
    """The kiosk's window over `vm`, with its QR images and the keys of a USB scanner."""
    engine, window = load_window(QML, vm, {"qr": QrImageProvider()})
    KeyWedge(vm, window)  # a USB scanner typing a booking's code
    return engine, window


def run(config: str | None, database: str | None = None) -> int:
    settings = load(config, database)
    app = application()
    vm = KioskViewModel(
        settings,
        lambda: QueueEngine.open(settings.database, actor="kiosk"),
        make_printer(settings),
    )
    _engine, window = kiosk_window(vm)
    show_window(window, settings.width, settings.height, settings.fullscreen)
    if settings.hide_cursor:
        app.setOverrideCursor(Qt.CursorShape.BlankCursor)
    vm.quitRequested.connect(app.quit)
    return run_until_quit(app, vm)
