"""A full-screen window on a bare X server: a TV's or a kiosk's session started by xinit, with
no window manager to grant the full-screen request (a real process on Xvfb)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOW = """
import json
from PySide6.QtQuick import QQuickWindow
from shared.qt.qml_window import application, settle, show_window
application()
window = QQuickWindow()
show_window(window, 1080, 1920, fullscreen=True)
settle(800)
print(json.dumps([window.geometry().getRect(), window.screen().geometry().getRect()]))
"""


@pytest.fixture
def bare_x_server() -> Iterator[str]:
    """The DISPLAY of an Xvfb 1920x1080 screen with no window manager."""
    if shutil.which("Xvfb") is None:
        message = "Xvfb is not installed (apt-get install xvfb)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("under CI the X server test must run: " + message)
        pytest.skip(message)
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        pass_fds=(write,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait()


def test_a_full_screen_window_covers_the_screen_without_a_window_manager(bare_x_server):
    env = {**os.environ, "DISPLAY": bare_x_server, "QT_QPA_PLATFORM": "xcb"}
    shown = subprocess.run(
        [sys.executable, "-c", SHOW], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert shown.returncode == 0, shown.stderr
    window, screen = json.loads(shown.stdout.strip().splitlines()[-1])
    assert screen == [0, 0, 1920, 1080] and window == screen
