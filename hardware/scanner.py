"""A barcode scanner on a serial port (or a USB one in its serial mode): each scan arrives as
the text read followed by CR and/or LF. Read through `SerialSource` like the call buttons:

    SerialSource(url, ScanLines(), on_scan, what="scanner").start()

A USB scanner in keyboard mode needs none of this: it types into the kiosk like a keyboard.
"""

from __future__ import annotations

import re
from typing import Final

from hardware.buttons.protocols import NoiseLog

MAX_SCAN: Final = 256  # a booking code is 8 characters, a URL in a QR code a few dozen
PRINTABLE: Final = re.compile(rb"^[\x20-\x7e]+$")


class ScanLines:
    """Serial bytes to scans: one per line, printable ASCII only; anything else is noise,
    dropped and summarised in the log, never raised."""

    def __init__(self) -> None:
        self._buffer = b""
        self.noise = NoiseLog()

    def feed(self, data: bytes) -> list[str]:
        self._buffer += data
        *lines, self._buffer = re.split(rb"[\r\n]", self._buffer)
        if len(self._buffer) > MAX_SCAN:
            self.noise.dropped(self._buffer)
            self._buffer = b""
        scans = []
        for raw in lines:
            line = raw.strip()
            if not line:
                continue
            if len(line) <= MAX_SCAN and PRINTABLE.match(line):
                scans.append(line.decode("ascii"))
            else:
                self.noise.dropped(raw)
        return scans
