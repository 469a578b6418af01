"""The `antrian web` process as a service starts it: what it makes of its open-files limit."""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import SMALL_SITE

ANTRIAN = str(Path(sys.executable).with_name("antrian"))  # the console script of this venv


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def open_files_of(pid: int) -> int:
    limits = Path(f"/proc/{pid}/limits").read_text().splitlines()
    (line,) = [line for line in limits if line.startswith("Max open files")]
    return int(line.split()[3])


HARD = resource.getrlimit(resource.RLIMIT_NOFILE)[1]  # this machine's (20,000 on the CI's)
AS_HIGH_AS_ALLOWED = 65_536 if HARD == resource.RLIM_INFINITY else min(65_536, HARD)


@pytest.mark.parametrize(("hard", "raised"), [(2048, 2048), (HARD, AS_HIGH_AS_ALLOWED)])
def test_the_web_server_raises_its_open_files_limit_and_says_when_it_stays_low(
    db_url, hard, raised
):
    env = {**os.environ, "ANTRIAN_DB": db_url, "ANTRIAN_NOW": "2026-11-30T09:00"}
    subprocess.run([ANTRIAN, "site", "load", str(SMALL_SITE)], env=env, check=True)
    port = free_port()

    def as_systemd_starts_it() -> None:  # a soft limit of 1,024 (systemd's default)
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, hard))

    server = subprocess.Popen(
        [ANTRIAN, "web", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        preexec_fn=as_systemd_starts_it,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the web server did not start"
                time.sleep(0.2)
        assert open_files_of(server.pid) == raised
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=10)
    assert (f"Hanya {raised} berkas boleh terbuka" in out) == (raised < 4096)
