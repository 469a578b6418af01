"""`SerialSource`: reads a serial device (a call-button receiver, a barcode scanner) through a
protocol that turns its bytes into events, debounces them, survives unplugging.

The device is any pyserial URL: a path, `/dev/serial/by-id/...` (stable across replugging),
`hwgrep://REGEX`, `socket://host:port`, `loop://`. Events and status changes are delivered by
calling `on_event(ButtonEvent)` and `on_status(bool)` ON THE READER THREAD: a Qt app must hand
them to its GUI thread (e.g. by emitting a signal).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from typing import Final, Generic, Protocol, TypeVar

import serial

log = logging.getLogger(__name__)

DEBOUNCE_SECONDS: Final = 0.7
BACKOFF: Final = (0.2, 0.5, 1.0, 2.0, 5.0)
READ_TIMEOUT: Final = 0.1


E = TypeVar("E", bound=Hashable)


class EventProtocol(Protocol[E]):
    """Turns a device's bytes, as they come, into events (keeping an unfinished line)."""

    def feed(self, data: bytes) -> list[E]: ...


class Debouncer(Generic[E]):
    """Counts repeated events (a button pressed twice, a code read twice) within `window`
    seconds once."""

    def __init__(
        self, window: float = DEBOUNCE_SECONDS, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._window = window
        self._clock = clock
        self._last: dict[E, float] = {}

    def accept(self, event: E) -> bool:
        now = self._clock()
        last = self._last.get(event)
        self._last[event] = now
        return last is None or now - last >= self._window


class SerialSource(Generic[E]):
    """A reader thread on one device; `start()`, then `stop()`. `what` names it in the log."""

    def __init__(
        self,
        url: str,
        protocol: EventProtocol[E],
        on_event: Callable[[E], None],
        on_status: Callable[[bool], None] | None = None,
        *,
        baudrate: int = 9600,
        debounce: float = DEBOUNCE_SECONDS,
        what: str = "call buttons",
    ) -> None:
        self.url = url
        self.what = what
        self._protocol = protocol
        self._on_event = on_event
        self._on_status = on_status or (lambda _connected: None)
        self._baudrate = baudrate
        self._debouncer: Debouncer[E] = Debouncer(debounce)
        self.open_attempts = 0  # how often the port was tried (each retry counts)
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name=what, daemon=True)
        self.connected = False
        self._port: serial.Serial | None = None

    def start(self) -> SerialSource[E]:
        self._thread.start()
        return self

    def stop(self, timeout: float = 2.0) -> None:
        self._stopped.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        failures = 0
        while not self._stopped.is_set():
            self.open_attempts += 1
            try:
                self._port = serial.serial_for_url(
                    self.url, baudrate=self._baudrate, timeout=READ_TIMEOUT
                )
            except (serial.SerialException, OSError, ValueError) as error:
                if failures == 0:
                    log.warning("%s: cannot open %s (%s); retrying", self.what, self.url, error)
                self._set_connected(False)
                self._stopped.wait(BACKOFF[min(failures, len(BACKOFF) - 1)])
                failures += 1
                continue
            failures = 0
            self._set_connected(True)
            try:
                self._read_until_lost(self._port)
            finally:
                self._port.close()
        self._set_connected(False)

    def _read_until_lost(self, port: serial.Serial) -> None:
        while not self._stopped.is_set():
            try:
                data = port.read(port.in_waiting or 1)
            except (serial.SerialException, OSError) as error:
                log.warning("%s: %s lost (%s)", self.what, self.url, error)
                self._set_connected(False)
                return
            for event in self._protocol.feed(data) if data else ():
                if self._debouncer.accept(event):
                    self._on_event(event)

    def _set_connected(self, connected: bool) -> None:
        if connected != self.connected:
            self.connected = connected
            self._on_status(connected)
