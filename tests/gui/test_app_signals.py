"""The apps as processes (`antrian kiosk|counter|display|survey`): a Ctrl-C, a `kill` or a closed
terminal ends each cleanly, with status 0 and no traceback; a signal it was told to ignore
(`nohup`, a shell's background job) it keeps ignoring."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.engine import QueueEngine
from shared.site_config import load_site_file
from shared.store import schema
from tests.conftest import SMALL_SITE

READY = "running; ended by"  # what an app logs (-v) once the signals end its loop


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('signals') / 'antrian.db'}"
    schema.upgrade(url)
    with QueueEngine.open(url) as engine:
        engine.load_site(load_site_file(SMALL_SITE))
    return url


class App:
    def __init__(self, name: str, url: str, log: Path, ignoring: tuple[int, ...]) -> None:
        def dispositions() -> None:  # as a terminal would start it, whatever pytest's are
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            for number in ignoring:
                signal.signal(number, signal.SIG_IGN)

        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "shared.cli.main", "-v", "--db", url, name],
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(log.parent)},
            stdout=subprocess.DEVNULL,
            stderr=log.open("w"),
            preexec_fn=dispositions,
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 120
        while READY not in self.output():
            assert self.process.poll() is None, self.output()
            assert time.monotonic() < deadline, self.output()
            time.sleep(0.1)

    def end_with(self, number: int) -> int:
        self.process.send_signal(number)
        return self.process.wait(timeout=60)


@pytest.fixture
def started(site_url: str, tmp_path: Path) -> Iterator:
    apps: list[App] = []

    def start(name: str, ignoring: tuple[int, ...] = ()) -> App:
        apps.append(App(name, site_url, tmp_path / f"{name}.log", ignoring))
        apps[-1].wait_ready()
        return apps[-1]

    yield start
    for app in apps:
        if app.process.poll() is None:
            app.process.kill()
            app.process.wait()


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("kiosk", signal.SIGINT),
        ("counter", signal.SIGTERM),
        ("display", signal.SIGHUP),
        ("survey", signal.SIGTERM),
    ],
)
def test_a_signal_ends_an_app_cleanly(started, name, number):
    # a Ctrl-C raised KeyboardInterrupt in whatever slot ran next and the app went on; a
    # SIGTERM or SIGHUP killed it on the spot (status -15, -1), a print or write cut off
    app = started(name)
    assert app.end_with(number) == 0
    output = app.output()
    assert f"ended by {signal.Signals(number).name}" in output
    assert "Traceback" not in output and "KeyboardInterrupt" not in output


def test_an_app_started_with_nohup_outlives_its_terminal(started):
    app = started("display", ignoring=(signal.SIGHUP,))
    assert "SIGHUP" not in app.output().split(READY)[1].splitlines()[0]
    app.process.send_signal(signal.SIGHUP)
    assert app.end_with(signal.SIGTERM) == 0
    assert "ended by SIGHUP" not in app.output()
    assert "ended by SIGTERM" in app.output()
