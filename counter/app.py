"""`antrian counter`: the counter staff's app."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from counter.settings import load
from counter.viewmodel import CounterViewModel
from counter.window import CounterWindow
from shared.engine import QueueEngine
from shared.qt.event_loop import run_until_quit


def application() -> QApplication:
    existing = QApplication.instance()
    return existing if isinstance(existing, QApplication) else QApplication([])


def run(config: str | None, database: str | None = None, counter: str | None = None) -> int:
    settings = load(config, database, counter)
    app = application()
    vm = CounterViewModel(settings, lambda: QueueEngine.open(settings.database, actor="counter"))
    window = CounterWindow(vm)
    window.show()
    return run_until_quit(app, vm)
