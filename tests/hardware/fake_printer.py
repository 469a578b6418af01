"""A network ESC/POS printer in a thread: answers DLE EOT status queries, records what it prints."""

from __future__ import annotations

import contextlib
import socket
import threading

from hardware.printing.status import DLE_EOT_OFFLINE, DLE_EOT_PAPER, DLE_EOT_PRINTER

ONLINE, PAPER_OK, NO_CAUSE = b"\x12", b"\x12", b"\x12"
PAPER_NEAR_END, PAPER_OUT = b"\x1e", b"\x72"  # sensor bits 0x0C, 0x60
COVER_OPEN, OFFLINE_STATE = b"\x16", b"\x1a"  # cause bit 0x04; printer bit 0x08


class FakeNetworkPrinter:
    """Listens on 127.0.0.1; `replies` maps each DLE EOT query to its answer (None: silence)."""

    def __init__(self, port: int = 0) -> None:
        self.replies: dict[bytes, bytes | None] = {
            DLE_EOT_PRINTER: ONLINE,
            DLE_EOT_OFFLINE: NO_CAUSE,
            DLE_EOT_PAPER: PAPER_OK,
        }
        self.received = bytearray()
        self.first_byte = threading.Event()
        self._server = socket.socket()
        self._server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._server.bind(("127.0.0.1", port))
        self._server.listen()
        self.port = self._server.getsockname()[1]
        self._running = True
        self._connections: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def spec(self) -> str:
        return f"tcp:127.0.0.1:{self.port}?timeout=1"

    def _serve(self) -> None:
        while self._running:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            self._connections.append(conn)
            threading.Thread(target=self._talk, args=(conn,), daemon=True).start()

    def _talk(self, conn: socket.socket) -> None:
        with conn:
            while self._running:
                try:
                    data = conn.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                if data in self.replies:
                    reply = self.replies[data]
                    if reply is not None:
                        conn.sendall(reply)
                    continue
                self.received += data
                self.first_byte.set()

    def stop(self) -> None:
        """Switch it off: the listening socket and every connection close."""
        self._running = False
        with contextlib.suppress(OSError):
            self._server.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread
        self._server.close()
        for conn in self._connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
            conn.close()
