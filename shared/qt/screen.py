"""The primary screen's size, for `antrian doctor` (loaded by name: the CLI needs no Qt)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication


def primary_screen_size() -> tuple[int, int] | None:
    app = QGuiApplication.instance() or QGuiApplication([])
    screen = app.primaryScreen() if isinstance(app, QGuiApplication) else None
    if screen is None:
        return None
    size = screen.size()
    return size.width(), size.height()
