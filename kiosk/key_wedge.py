"""Keys typed at the kiosk: a USB barcode scanner in keyboard mode types what it read and
presses Enter; the kiosk has no other keyboard. Every key reaching the window goes to the
booking code (a scan from the home screen opens the check-in by itself), except while the
admin PIN pad is open."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QWindow

from kiosk.viewmodel import KioskViewModel

ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class KeyWedge(QObject):
    def __init__(self, vm: KioskViewModel, window: QWindow) -> None:
        super().__init__(window)
        self._vm = vm
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or self._vm.pinVisible:
            return False
        assert isinstance(event, QKeyEvent)
        if event.key() in ENTER:
            self._vm.keyEnter()
        elif event.text() and event.text().isprintable():
            self._vm.keyTyped(event.text())
        return True
