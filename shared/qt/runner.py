"""Run engine calls on a worker thread and deliver the outcome on the GUI thread by signal.

Like Anki's CollectionOp: the view says what to do and what to do with the result; the database
and printer work never runs on the GUI thread. Operations of one runner run one at a time, in the
order they were asked for, so a double press cannot interleave two engine calls.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Carries each operation's outcome, under its key, back to the thread the runner lives on.

    One per runner: a relay per operation, with its connections, was never freed (PySide keeps
    a connected callable alive for as long as its sender), which made a kiosk grow by some
    8 MB a thousand tickets.
    """

    done = Signal(object, object)
    failed = Signal(object, object)


class _Job(QRunnable):
    def __init__(self, key: int, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._key = key
        self._work = work
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as error:  # delivered to the caller, who decides
            self._relay.failed.emit(self._key, error)
        else:
            self._relay.done.emit(self._key, result)


Callbacks = tuple[Callable[[Any], None] | None, Callable[[Exception], None] | None]


class OpRunner(QObject):
    """A one-thread queue of background operations; `busy` says whether one is pending."""

    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.done.connect(self._done)
        self._relay.failed.connect(self._failed)
        self._pending: dict[int, Callbacks] = {}
        self._keys = itertools.count()

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def run(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        """Queue `work`; `on_done(result)` or `on_error(exception)` later runs on this thread."""
        key = next(self._keys)
        self._pending[key] = (on_done, on_error)
        if len(self._pending) == 1:
            self.busyChanged.emit(True)
        self._pool.start(_Job(key, work, self._relay))

    def _done(self, key: int, result: Any) -> None:
        on_done, _on_error = self._finish(key)
        if on_done is not None:
            on_done(result)

    def _failed(self, key: int, error: Exception) -> None:
        _on_done, on_error = self._finish(key)
        if on_error is not None:
            on_error(error)
        else:
            log.error("background operation failed", exc_info=error)

    def _finish(self, key: int) -> Callbacks:
        callbacks = self._pending.pop(key)
        if not self._pending:
            self.busyChanged.emit(False)
        return callbacks

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until queued work is done (for shutdown and tests)."""
        return self._pool.waitForDone(msecs)
