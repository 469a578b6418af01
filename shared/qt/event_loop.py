"""An app's event loop, run until the app quits: by its own action, a Ctrl-C, a `kill` or its
terminal closing. Its view model is stopped however the loop ends.

A Python signal handler only runs when Python code does, and Qt's loop waits in C++: a Ctrl-C
raised KeyboardInterrupt in whatever slot ran next (a traceback, and the app went on) and a
SIGTERM killed the app on the spot, a print or a database write cut off. Here the C handler
writes to a socket that Qt watches (`signal.set_wakeup_fd`), which runs Python, which runs the
handler, which asks the loop to quit.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import socket
from collections.abc import Iterator
from typing import Final, Protocol

from PySide6.QtCore import QCoreApplication, QSocketNotifier, QTimer

log = logging.getLogger(__name__)
QUITTING_SIGNALS: Final = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class ViewModel(Protocol):
    def start(self) -> None: ...

    def stop(self) -> None: ...


def run_until_quit(app: QCoreApplication, vm: ViewModel) -> int:
    """Start `vm`, run `app`'s loop, stop `vm`; a quitting signal ends the loop with status 0."""
    with _signals_quit(app):
        vm.start()
        try:
            return app.exec()
        finally:
            vm.stop()


@contextlib.contextmanager
def _signals_quit(app: QCoreApplication) -> Iterator[None]:
    """Quit `app`'s loop on SIGINT, SIGTERM or SIGHUP, except those this process was told to
    ignore (`nohup`, or started in the background by a shell)."""
    wake_reader, wake_writer = socket.socketpair()
    wake_reader.setblocking(False)
    wake_writer.setblocking(False)
    notifier = QSocketNotifier(wake_reader.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(lambda: _drain(wake_reader))
    earlier_fd = signal.set_wakeup_fd(wake_writer.fileno(), warn_on_full_buffer=False)

    def quit_on(number: int, _frame: object) -> None:
        log.info("ended by %s", signal.Signals(number).name)
        QTimer.singleShot(0, app.quit)  # queued: a signal before the loop runs still counts

    earlier = {
        number: signal.signal(number, quit_on)
        for number in QUITTING_SIGNALS
        if signal.getsignal(number) is not signal.SIG_IGN
    }
    log.info("running; ended by %s", ", ".join(signal.Signals(n).name for n in earlier))
    try:
        yield
    finally:
        for number, handler in earlier.items():
            signal.signal(number, handler)
        signal.set_wakeup_fd(earlier_fd)
        notifier.setEnabled(False)
        wake_reader.close()
        wake_writer.close()


def _drain(wake_reader: socket.socket) -> None:
    """Empty the wake-up socket (the signal's handler has run by the time this does)."""
    with contextlib.suppress(BlockingIOError):
        while wake_reader.recv(64):
            pass
