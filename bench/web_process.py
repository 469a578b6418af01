"""The web server as its own process for the benchmarks, as a site runs it: started on a
free port of this PC, answering before it is handed over, stopped after."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def web_server(url: str, port: int, *options: str) -> Iterator[subprocess.Popen[bytes]]:
    """`antrian --db URL web` on 127.0.0.1:PORT with OPTIONS (e.g. "--rate", "10000"), once
    its board answers."""
    command = [sys.executable, "-m", "shared.cli.main", "--db", url, "web"]
    command += ["--host", "127.0.0.1", "--port", str(port), *options]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                if httpx.get(f"http://127.0.0.1:{port}/board", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield server
    finally:
        server.terminate()
        server.wait(10)
