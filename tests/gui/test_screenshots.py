"""`antrian APP --screenshot DIR`, as the README and the wheel's check run it: every app renders
its screens on any real date, since its demo database is written on the screens' own morning."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    ("app", "screens"),
    [("counter", 8), ("display", 7), ("survey", 7), ("kiosk", 44)],
)
def test_every_apps_screenshots_render_on_a_date_after_their_own_morning(tmp_path, app, screens):
    later = {**os.environ, "ANTRIAN_NOW": "2027-03-01T10:00", "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "shared.cli.main", app, "--screenshot", str(tmp_path)],
        env=later,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert len(list(tmp_path.glob("*.png"))) == screens
