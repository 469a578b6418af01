"""A real uvicorn server of the web app on a free local port, in a thread of the test."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable

import uvicorn

from shared.engine import QueueEngine
from web.app import create_app
from web.guard import Limits
from web.server import server_config


class LiveServer:
    def __init__(
        self, open_engine: Callable[[], QueueEngine], limits: Limits, public_only: bool = False
    ) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(open_engine, limits=limits, public_only=public_only)
        config = server_config(self.app, "127.0.0.1", self.port, timeout_graceful_shutdown=1)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    @property
    def hub(self):
        return self.app.app.state.hub

    def start(self, *, reached: bool = True) -> LiveServer:
        """Serve; return once the hub has read the database (`reached`), or once serving."""
        self._thread.start()
        deadline = time.monotonic() + 15
        while not (self._server.started and (self.hub.progress is not None or not reached)):
            if time.monotonic() > deadline:
                raise TimeoutError("web server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(10)
