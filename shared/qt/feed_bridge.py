"""The change feed as Qt signals: each new event arrives on the GUI thread, never blocking it."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from shared.domain.values import Event
from shared.engine import QueueEngine
from shared.engine.feed import Subscription


class FeedBridge(QObject):
    """Follows the events log on a background thread and re-emits each event as `arrived`.

    Signals are emitted from the feed's thread; Qt queues them to receivers living on the GUI
    thread, so slots run there. `online` reports the database being lost and found again.
    """

    arrived = Signal(object)  # shared.domain.values.Event
    online = Signal(bool)

    def __init__(self, engine: QueueEngine, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._engine = engine
        self._subscription: Subscription | None = None

    def start(self, cursor: int) -> None:
        """Follow from `cursor` (e.g. the `last_event_id` of the board the view just loaded)."""
        self.stop()
        self._subscription = self._engine.subscribe(
            self._deliver, cursor, on_status=self.online.emit
        )

    def _deliver(self, event: Event) -> None:
        self.arrived.emit(event)

    def stop(self) -> None:
        if self._subscription is not None:
            self._subscription.stop()
            self._subscription = None

    @property
    def cursor(self) -> int | None:
        return self._subscription.follower.cursor if self._subscription else None
