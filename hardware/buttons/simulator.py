"""A virtual call-button box: a pseudo-terminal pair that looks like a USB-serial receiver."""

from __future__ import annotations

import contextlib
import os
import tty


class VirtualButtonBox:
    """Open a pty pair; `path` is the serial device to give a SerialSource; `press` sends."""

    def __init__(self) -> None:
        self._device, self._port = os.openpty()
        tty.setraw(self._device)
        tty.setraw(self._port)
        self.path = os.ttyname(self._port)

    def press(self, code: str | bytes, line_end: bytes = b"\r\n") -> None:
        data = code.encode("ascii") if isinstance(code, str) else code
        os.write(self._device, data + line_end)

    def unplug(self) -> None:
        """Close both ends, as pulling the receiver's USB cable does."""
        for fd in (self._device, self._port):
            with contextlib.suppress(OSError):
                os.close(fd)

    def __enter__(self) -> VirtualButtonBox:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.unplug()
