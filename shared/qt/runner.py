"""Run engine calls on a worker thread and deliver the outcome on the GUI thread by signal.

Like Anki's CollectionOp: the view says what to do and what to do with the result; the database
and printer work never runs on the GUI thread. Operations of one runner run one at a time, in the
order they were asked for, so a double press cannot interleave two engine calls.

The worker is a one-thread `concurrent.futures.ThreadPoolExecutor`, not a QThreadPool: PySide
keeps each started Python QRunnable referenced from the pool, and now and then it never let go
of one (with everything its work held), so an app kept an operation now and then for good.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Carries each operation's outcome, under its key, back to the thread the runner lives on.

    One per runner: a relay per operation, with its connections, was never freed (PySide keeps
    a connected callable alive for as long as its sender), which made a kiosk grow by some
    8 MB a thousand tickets.
    """

    done = Signal(object, object)
    failed = Signal(object, object)


def _deliver(key: int, work: Callable[[], Any], relay: _Relay) -> None:
    """Run on the worker thread; the outcome travels by signal, the future keeps nothing."""
    try:
        result = work()
    except Exception as error:  # delivered to the caller, who decides
        relay.failed.emit(key, error)
    else:
        relay.done.emit(key, result)


Callbacks = tuple[Callable[[Any], None] | None, Callable[[Exception], None] | None]


class OpRunner(QObject):
    """A one-thread queue of background operations; `busy` says whether one is pending."""

    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._worker = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="antrian-op")
        self._last: concurrent.futures.Future[None] | None = None
        self._relay = _Relay(self)
        self._relay.done.connect(self._done)
        self._relay.failed.connect(self._failed)
        self._pending: dict[int, Callbacks] = {}
        self._keys = itertools.count()
        self._closed = False

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def run(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        """Queue `work`; `on_done(result)` or `on_error(exception)` later runs on this thread.
        Once the runner is closed, nothing is queued (a timer or a late reply of a stopped app)."""
        if self._closed:
            log.debug("operation asked of a closed runner, not run")
            return
        key = next(self._keys)
        self._pending[key] = (on_done, on_error)
        if len(self._pending) == 1:
            self.busyChanged.emit(True)
        self._last = self._worker.submit(_deliver, key, work, self._relay)

    def _done(self, key: int, result: Any) -> None:
        if key not in self._pending:  # closed since
            return
        on_done, _on_error = self._finish(key)
        if on_done is not None:
            on_done(result)

    def _failed(self, key: int, error: Exception) -> None:
        if key not in self._pending:  # closed since
            return
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
        """Block until queued work is done (for shutdown and tests); False if it is not by then."""
        if self._last is None:
            return True
        done, _running = concurrent.futures.wait([self._last], timeout=msecs / 1000)
        return bool(done)

    def close(self, msecs: int = 30_000) -> bool:
        """Finish the queued work (up to `msecs`), then run nothing more and deliver no outcome
        still on its way: what an app's `stop()` needs, so no late reply or timer of a stopped
        app reaches the database again. False if the work did not finish in time."""
        finished = self.wait(msecs)
        self._closed = True
        was_busy = self.busy
        self._pending.clear()
        self._worker.shutdown(wait=False, cancel_futures=True)
        if was_busy:
            self.busyChanged.emit(False)
        return finished
