"""What every app's view model does with the engine, written once: the engine opened on first
use on the worker thread, database work run off the GUI thread (one OpRunner, so one ticket per
tap), the change feed followed from the cursor of what was loaded, timers owned, and everything
stopped and closed in `stop()`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QTimer

from shared.domain.values import Event
from shared.engine import QueueEngine
from shared.qt.feed_bridge import FeedBridge
from shared.qt.runner import OpRunner


class EngineViewModel(QObject):
    """The base of the apps' view models (each declares its own `changed` signal: a QML
    property's notify must name a signal of its own class)."""

    def __init__(
        self, engine_factory: Callable[[], QueueEngine], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._engine_factory = engine_factory
        self._engine: QueueEngine | None = None
        self._db = OpRunner(self)
        self._feed: FeedBridge | None = None
        self._timers: list[QTimer] = []
        self._stopped = False

    def _timer(self, msecs: int, action: Callable[[], None], *, repeat: bool = False) -> QTimer:
        """A timer of this view model, stopped with it (single-shot unless `repeat`)."""
        timer = QTimer(self)
        timer.setSingleShot(not repeat)
        timer.setInterval(msecs)
        timer.timeout.connect(action)
        self._timers.append(timer)
        return timer

    def _engine_now(self) -> QueueEngine:
        """The engine, opened on first use (call it on the worker thread)."""
        if self._engine is None:
            self._engine = self._engine_factory()
        return self._engine

    def engine_time(self) -> datetime:
        """The engine's time: the one the tickets and calls carry (`ANTRIAN_NOW`'s clock, the
        database server's on PostgreSQL, else this PC's)."""
        return self._engine.clock.now() if self._engine else datetime.now(UTC)

    def _follow(
        self,
        cursor: int,
        on_event: Callable[[Event], None],
        on_online: Callable[[bool], None] | None = None,
    ) -> None:
        """Follow the change feed from `cursor` (once per feed; again after `_unfollow`); not
        after `stop()` (a reply that comes back late)."""
        if self._engine is None or self._stopped:
            return
        if self._feed is None:
            self._feed = FeedBridge(self._engine, self)
            self._feed.arrived.connect(on_event)
            if on_online is not None:
                self._feed.online.connect(on_online)
        self._feed.start(cursor)

    def _unfollow(self) -> None:
        if self._feed is not None:
            self._feed.stop()
            self._feed = None

    @property
    def following(self) -> bool:
        return self._feed is not None

    def stop(self) -> None:
        """Stop the timers and the feed, finish the database work, close the engine."""
        self._stopped = True
        for timer in self._timers:
            timer.stop()
        self._unfollow()
        self._db.close()
        if self._engine is not None:
            self._engine.close()
