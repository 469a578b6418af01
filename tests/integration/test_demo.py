"""`antrian demo` as a newcomer runs it: the person's counters, one demo at a time, what ends,
and a quiet Ctrl-C."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from shared.clock import ManualClock
from shared.demo import (
    STAFFED,
    DemoApp,
    Supervisor,
    choose_demo_clock,
    close_idle_partners,
    drive,
    only_demo,
    prepare,
    write_settings,
)
from shared.domain.states import EventKind
from shared.engine import QueueEngine
from shared.errors import UserError
from shared.site_config import load_site_file
from tests.conftest import EXAMPLE_SITE


def test_simulated_counters_leave_the_services_of_the_demos_own_counters_alone(db_url, clock):
    with QueueEngine.open(db_url, clock=clock, actor="demo") as engine:
        engine.load_site(load_site_file(EXAMPLE_SITE))
        counters = engine.board().counters
        theirs = {s for c in counters if c.code in STAFFED for s in c.services}
        rng = random.Random(7)
        for _ in range(400):
            drive(engine, rng, frozenset(STAFFED))
            clock.advance(seconds=20)
        events = engine.events_after(0)
    issued = {e.service_code for e in events if e.kind == EventKind.ISSUED}
    called = {e.service_code for e in events if e.kind == EventKind.CALLED}
    assert issued & theirs  # simulated citizens still take tickets for the person's counters
    assert called and not called & theirs  # but only the person calls them


def test_the_wait_shown_for_the_persons_services_counts_on_their_counters_alone(db_url, clock):
    # L03 and L06 serve KTP-EL too but the demo never works them: open, they were counted on
    # to call, and the kiosk told 15-35 minutes for a queue nobody but the person would call
    with QueueEngine.open(db_url, clock=clock, actor="demo") as engine:
        engine.load_site(load_site_file(EXAMPLE_SITE))
        for _ in range(20):
            engine.issue_ticket("KTP-EL")
        before = engine.catalogue().service("KTP-EL").wait
        assert close_idle_partners(engine, frozenset(STAFFED)) == ["L03", "L06"]
        after = engine.catalogue().service("KTP-EL").wait
        assert close_idle_partners(engine, frozenset(STAFFED)) == []  # closed once
        states = {c.code: c.state for c in engine.board().counters}
    assert states["L03"] == states["L06"] == "closed" and states["L01"] == "open"
    assert after.minutes >= 1.8 * before.minutes  # two counters' queue, not four's


def test_a_demo_database_left_on_a_later_days_clock_runs_on_from_the_next_weekday(
    tmp_path, monkeypatch
):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    prepare(url)
    friday = datetime(2099, 1, 2, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    with QueueEngine.open(url, clock=ManualClock(friday), actor="demo") as engine:
        engine.issue_ticket("KTP-EL")  # an earlier demo, run on a clock days ahead
    monkeypatch.setenv("ANTRIAN_NOW", "")  # unset, and unset again after the test
    choose_demo_clock(url)
    assert os.environ["ANTRIAN_NOW"].startswith("2099-01-05T09:00:00+07:00@")  # Monday
    with QueueEngine.open(url, actor="demo") as engine:  # on the demo's clock now
        assert engine.issue_ticket("KTP-EL").number.endswith("001")


@pytest.mark.parametrize(
    ("now", "clock_set"),
    [
        ((5, 50), "2099-01-06T09:00:00+07:00@"),  # before opening: the next day, not 09:00 again
        ((9, 10), "2099-01-06T09:00:00+07:00@"),  # open, but the earlier demo ran to 09:20
        ((10, 0), ""),  # open and after it: the real clock runs on
    ],
)
def test_a_second_demo_on_the_same_morning_never_runs_the_clock_back(
    tmp_path, monkeypatch, now, clock_set
):
    # run twice before opening, the demo started both on 09:00 of the same day: the second
    # run's tickets were issued before the first run's, and waited "0 minutes" out of order
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    prepare(url)
    monday = datetime(2099, 1, 5, 9, 20, tzinfo=ZoneInfo("Asia/Jakarta"))
    with QueueEngine.open(url, clock=ManualClock(monday), actor="demo") as engine:
        engine.issue_ticket("KTP-EL")  # the first demo, on 09:00 of that day, ran 20 minutes
    monkeypatch.setenv("ANTRIAN_NOW", "")
    choose_demo_clock(url, ManualClock(monday.replace(hour=now[0], minute=now[1])))
    assert os.environ["ANTRIAN_NOW"].startswith(clock_set)


def test_a_new_demo_before_opening_time_runs_on_that_mornings_clock(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    early = ManualClock(datetime(2099, 1, 5, 5, 50, tzinfo=ZoneInfo("Asia/Jakarta")))
    prepare(url, clock=early)  # the site and its accounts written at 05:50, nothing else
    monkeypatch.setenv("ANTRIAN_NOW", "")
    choose_demo_clock(url, early)
    assert os.environ["ANTRIAN_NOW"].startswith("2099-01-05T09:00:00+07:00@")


def test_the_demos_clock_passes_over_a_national_holiday(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    prepare(url)
    friday = datetime(2099, 8, 14, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    with QueueEngine.open(url, clock=ManualClock(friday), actor="demo") as engine:
        engine.issue_ticket("KTP-EL")
    monkeypatch.setenv("ANTRIAN_NOW", "")
    choose_demo_clock(url)
    # Monday 17 August is Independence Day, on which the example site is closed
    assert os.environ["ANTRIAN_NOW"].startswith("2099-08-18T09:00:00+07:00@")


def test_an_ended_app_is_reported_once_and_restarted_when_asked():
    app = DemoApp("kiosk", [sys.executable, "-c", "import sys; sys.exit(3)"])
    supervisor = Supervisor([app])
    try:
        deadline = time.monotonic() + 10
        while app.ended() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        (said,) = supervisor.check()
        assert said.startswith("  kiosk berhenti / ended (kode / status 3)") and "'ulang'" in said
        assert supervisor.check() == []  # once, not every tick
        first = app.process
        supervisor.restart_asked.set()
        assert supervisor.check()[0] == "  kiosk: dibuka lagi / started again"
        assert app.process is not first
    finally:
        supervisor.stop()


def demo_env(tmp_path) -> dict[str, str]:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "ANTRIAN_LANG": "id"}
    env.pop("ANTRIAN_DB", None)
    return env


def test_a_second_demo_on_the_same_pc_refuses_plainly(tmp_path):
    with only_demo(tmp_path / "antrian"):  # the first demo, running
        second = subprocess.run(
            [sys.executable, "-m", "shared.cli.main", "demo", "--no-apps", "--seconds", "1"],
            env=demo_env(tmp_path),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert second.returncode == 2
    assert second.stderr.startswith("Demo Antrian sudah berjalan di PC ini")
    assert "Traceback" not in second.stderr and second.stdout == ""
    with pytest.raises(UserError), only_demo(tmp_path / "antrian"), only_demo(tmp_path / "antrian"):
        pass  # the lock is the folder's, not the process's


def started_demo(tmp_path) -> tuple[subprocess.Popen[str], int]:
    """A terminal-only demo in a terminal group of its own, running, and its web server's pid."""
    demo = subprocess.Popen(
        [sys.executable, "-m", "shared.cli.main", "demo", "--no-apps"],
        env=demo_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own terminal group, as in a terminal of its own
    )
    assert demo.stdout is not None
    for line in demo.stdout:
        if "Ctrl-C" in line:
            break
    time.sleep(2)  # the web server is up, the feed is printing
    children = Path(f"/proc/{demo.pid}/task/{demo.pid}/children").read_text().split()
    assert len(children) == 1  # the web server
    return demo, int(children[0])


def running(pid: int) -> bool:
    """Whether `pid` still runs (an ended child nobody has reaped yet does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def ended_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while running(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not running(pid)


@pytest.mark.parametrize(
    ("how", "signal_number"),
    [
        ("ctrl-c", signal.SIGINT),  # what Ctrl-C sends: the whole foreground group
        ("kill", signal.SIGTERM),  # `kill PID`, a logout
        ("terminal closed", signal.SIGHUP),
    ],
)
def test_ctrl_c_kill_or_a_closed_terminal_end_the_demo_and_its_processes_quietly(
    tmp_path, how, signal_number
):
    demo, web = started_demo(tmp_path)
    try:
        if how == "ctrl-c":
            os.killpg(demo.pid, signal_number)
        else:
            os.kill(demo.pid, signal_number)  # the demo alone: its web server is in its own session
        out, err = demo.communicate(timeout=60)
    finally:
        if demo.poll() is None:
            demo.kill()
        if running(web):
            os.kill(web, signal.SIGKILL)
    assert demo.returncode == 0
    assert err == ""  # no traceback, from the demo or from the web server it started
    assert "loket buka / counters open" in out
    assert not running(web)


def test_a_demo_killed_outright_takes_its_web_server_with_it(tmp_path):
    demo, web = started_demo(tmp_path)
    try:
        demo.kill()  # kill -9: no handler runs in the demo
        demo.wait(10)
        assert ended_within(web, 20)
    finally:
        if running(web):
            os.kill(web, signal.SIGKILL)


def test_the_demos_settings_files_are_read_by_every_app_it_opens(tmp_path):
    from counter.settings import load as load_counter
    from display.settings import load as load_display
    from kiosk.settings import load as load_kiosk
    from kiosk.survey.settings import load as load_survey

    path = write_settings("sqlite:///demo.db", tmp_path, "L01", "/dev/pts/9")
    assert load_kiosk(path).fullscreen is False
    assert load_display(path).fullscreen is False
    assert load_counter(path).counter == "L01"
    assert load_survey(path).counter == "L01"
