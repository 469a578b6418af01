"""Run engine calls on a worker thread and deliver the outcome on the GUI thread by signal.

Like Anki's CollectionOp: the view says what to do and what to do with the result; the database
and printer work never runs on the GUI thread. Operations of one runner run one at a time, in the
order they were asked for, so a double press cannot interleave two engine calls.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Carries one operation's outcome back to the thread the runner lives on."""

    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as error:  # delivered to the caller, who decides
            self._relay.failed.emit(error)
        else:
            self._relay.done.emit(result)


class OpRunner(QObject):
    """A one-thread queue of background operations; `busy` says whether one is pending."""

    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pending = 0
        self._relays: set[_Relay] = set()

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def run(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        """Queue `work`; `on_done(result)` or `on_error(exception)` later runs on this thread."""
        relay = _Relay()
        self._relays.add(relay)
        relay.done.connect(lambda result: self._finish(relay, on_done, result))
        relay.failed.connect(lambda error: self._finish(relay, on_error, error, failed=True))
        self._pending += 1
        if self._pending == 1:
            self.busyChanged.emit(True)
        self._pool.start(_Job(work, relay))

    def _finish(
        self,
        relay: _Relay,
        callback: Callable[[Any], None] | None,
        value: Any,
        failed: bool = False,
    ) -> None:
        self._relays.discard(relay)
        self._pending -= 1
        if self._pending == 0:
            self.busyChanged.emit(False)
        if callback is not None:
            callback(value)
        elif failed:
            log.error("background operation failed", exc_info=value)

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until queued work is done (for shutdown and tests)."""
        return self._pool.waitForDone(msecs)
