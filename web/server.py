"""The uvicorn server the web app runs under, with a deadline for each request's head.

uvicorn times only the idle wait between two requests of a connection, and restarts that timer
on every byte: a client that connects and sends nothing, or sends a request's head a byte at a
time, holds its connection (and a file descriptor) for ever, and a few thousand such clients
shut every phone out ("slowloris"). Here a connection whose request head has not fully arrived
within the limits' `head_seconds` of its opening, or of the end of its previous response, is
closed. A body is timed by the guard (`web.guard`); a response, such as a live stream, never.
"""

from __future__ import annotations

import asyncio
import resource

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from web.guard import Guard


def head_deadline(seconds: float) -> type[H11Protocol]:
    """uvicorn's h11 protocol, closing a connection whose request head is `seconds` late."""

    class HeadDeadline(H11Protocol):
        _deadline: asyncio.TimerHandle | None = None

        def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()  # the next request of a kept-alive connection

        def connection_lost(self, exc: Exception | None) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
            super().connection_lost(exc)

        def _arm(self) -> None:
            if self._deadline is not None:
                self._deadline.cancel()
            self._deadline = self.loop.call_later(seconds, self._overdue)

        def _overdue(self) -> None:
            # h11 leaves the client IDLE until a request's head has fully arrived
            if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
                self.transport.close()

    return HeadDeadline


OPEN_FILES: int = 65_536  # every phone following a page live holds a connection open


def raise_open_files_limit(wanted: int = OPEN_FILES) -> int:
    """Raise this process's limit of open files towards `wanted` (as far as its hard limit
    allows) and return the limit now in force. A service started by systemd gets a soft limit
    of 1,024 (systemd's default): not even a thousand phones could follow their tickets."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


def server_config(app: Guard, host: str, port: int, **more: object) -> uvicorn.Config:
    """The uvicorn configuration of `antrian web` (and of the tests' live server), with the
    head's deadline of the app's limits."""
    return uvicorn.Config(
        app,
        host=host,
        port=port,
        http=head_deadline(app.limits.head_seconds),
        server_header=False,
        log_level="warning",
        **more,  # type: ignore[arg-type]
    )
