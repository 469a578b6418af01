"""Display benchmark: call-to-screen latency (engine commit to the board's view model), on SQLite
and PostgreSQL, the display's memory after 10,000 calls, and the CPU of the real display process
at rest and while calls come, per renderer.

    python bench/display.py [--calls 200] [--memory-calls 10000] [--cpu-seconds 30] [--no-pg]

Latency and memory offscreen; the CPU on an X server (Xvfb, started here when it is installed;
else offscreen, which says less). Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from engine import PG_DEFAULT, postgres_database  # noqa: E402

from display.app import QML  # noqa: E402
from display.settings import load  # noqa: E402
from display.viewmodel import BoardViewModel  # noqa: E402
from shared.clock import ManualClock  # noqa: E402
from shared.domain.states import EventKind  # noqa: E402
from shared.domain.values import Event  # noqa: E402
from shared.engine import QueueEngine  # noqa: E402
from shared.qt.qml_window import application, load_window, settle, wait_until  # noqa: E402
from shared.site_config import load_site_file  # noqa: E402
from shared.store import schema  # noqa: E402

SITE = ROOT / "examples" / "mpp-kabupaten-bekasi.toml"
MORNING = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


def board(url: str, clock: ManualClock) -> tuple[BoardViewModel, object]:
    settings = replace(load(None, url), fullscreen=False, voice="off")
    vm = BoardViewModel(settings, lambda: QueueEngine.open(url, clock=clock), None)
    engine, window = load_window(QML, vm)
    window.resize(1920, 1080)
    window.show()
    vm.start()
    wait_until(lambda: vm.siteName != "")
    return vm, (engine, window)


def latency(url: str, calls: int) -> list[float]:
    schema.upgrade(url)
    clock = ManualClock(MORNING)
    with QueueEngine.open(url, clock=clock) as desk:
        desk.load_site(load_site_file(SITE))
        for _ in range(calls):
            desk.issue_ticket("SKCK-BARU")
        vm, _keep = board(url, clock)
        desks = [c.code for c in desk.board().counters if "SKCK-BARU" in c.services]
        shown: dict[int, float] = {}
        vm.callShown.connect(lambda event_id: shown.setdefault(event_id, time.perf_counter()))
        samples = []
        for i in range(calls):
            before = len(shown)
            desk.call_next(desks[i % len(desks)])
            committed = time.perf_counter()  # call_next returns once its commit is done
            wait_until(lambda before=before: len(shown) > before, timeout=10)
            samples.append(max(shown.values()) - committed)
            settle(20)
        vm.stop()
    return samples


def memory(calls: int) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as work:
        url = f"sqlite:///{work}/bench.db"
        schema.upgrade(url)
        clock = ManualClock(MORNING)
        with QueueEngine.open(url, clock=clock) as desk:
            desk.load_site(load_site_file(SITE))
        vm, _keep = board(url, clock)
        codes = [r["code"] for r in vm.counters.rows]
        start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        for i in range(calls):
            vm.apply_event(
                Event(
                    id=1_000_000 + i,
                    at=clock.now(),
                    day=clock.now().date(),
                    kind=EventKind.CALLED,
                    actor="bench",
                    ticket_id=i,
                    number=f"A{i % 999 + 1:03d}",
                    service_code="KTP-EL",
                    counter_code=codes[i % len(codes)],
                    from_state="waiting",
                    to_state="called",
                )
            )
            if i % 200 == 0:
                settle(1)
        settle(200)
        end = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        vm.stop()
    return start, end


@contextlib.contextmanager
def x_server() -> Iterator[dict[str, str]]:
    """The environment of an Xvfb 1920x1080 screen, or of the offscreen platform without one."""
    if shutil.which("Xvfb") is None:
        yield {"QT_QPA_PLATFORM": "offscreen"}
        return
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
        yield {"QT_QPA_PLATFORM": "xcb", "DISPLAY": f":{number}"}
    finally:
        server.terminate()
        server.wait()


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def display_cpu(renderer: str, seconds: float, screen: dict[str, str]) -> tuple[float, float]:
    """% of one core the `antrian display` process uses at rest, then with a call every 5 s."""
    with tempfile.TemporaryDirectory() as work:
        url = f"sqlite:///{work}/bench.db"
        schema.upgrade(url)
        config = Path(work) / "pc.toml"
        config.write_text(
            f'database = "{url}"\n[display]\nvoice = "off"\nfullscreen = false\n'
            f'renderer = "{renderer}"\nstate_file = "{work}/announced.txt"\n'
        )
        clock = ManualClock(MORNING)  # another day than the board's: calls still come by the feed
        with QueueEngine.open(url, clock=clock) as desk:
            desk.load_site(load_site_file(SITE))
            for _ in range(200):
                desk.issue_ticket("SKCK-BARU")
            desks = [c.code for c in desk.board().counters if "SKCK-BARU" in c.services]
            board = subprocess.Popen(
                [sys.executable, "-m", "shared.cli.main", "display", "--config", str(config)],
                cwd=ROOT,
                env={**os.environ, **screen},
                stderr=subprocess.DEVNULL,
            )
            try:
                time.sleep(8)  # started, site loaded, first frames drawn
                start = cpu_seconds(board.pid)
                time.sleep(seconds)
                idle = (cpu_seconds(board.pid) - start) / seconds
                start, calls = cpu_seconds(board.pid), 0
                began = time.monotonic()
                while time.monotonic() - began < seconds:
                    desk.call_next(desks[calls % len(desks)])
                    clock.advance(minutes=1)
                    calls += 1
                    time.sleep(5)
                busy = (cpu_seconds(board.pid) - start) / (time.monotonic() - began)
            finally:
                board.terminate()
                board.wait()
    return idle * 100, busy * 100


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--memory-calls", type=int, default=10_000)
    parser.add_argument("--cpu-seconds", type=float, default=30)
    parser.add_argument("--pg", default=os.environ.get("ANTRIAN_TEST_PG", PG_DEFAULT))
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    application(offscreen=True)
    print(f"Antrian display benchmark: {args.calls} calls per database, offscreen 1920x1080")
    with tempfile.TemporaryDirectory() as work:
        samples = latency(f"sqlite:///{work}/bench.db", args.calls)
    print(
        f"  SQLite      commit -> board view model  p50 {statistics.median(samples) * 1000:.1f} "
        f"ms  p99 {pct(samples, 0.99):.1f} ms   (feed polls data_version every 50 ms)"
    )
    if not args.no_pg:
        with postgres_database(args.pg) as url:
            samples = latency(url, args.calls)
        print(
            f"  PostgreSQL  commit -> board view model  p50 "
            f"{statistics.median(samples) * 1000:.1f} ms  p99 {pct(samples, 0.99):.1f} ms   "
            f"(LISTEN/NOTIFY)"
        )
    start, end = memory(args.memory_calls)
    print(
        f"  memory: peak RSS {start:.0f} MB after loading, {end:.0f} MB after "
        f"{args.memory_calls:,} calls"
    )
    with x_server() as screen:
        where = "Xvfb" if "DISPLAY" in screen else "offscreen"
        print(f"  CPU of the display process, % of one core ({where}, 1920x1080, voice off):")
        for renderer in ("software", "gpu"):
            idle, busy = display_cpu(renderer, args.cpu_seconds, screen)
            print(
                f"    renderer = {renderer + ' ':<10} at rest {idle:5.1f}%   "
                f"a call every 5 s {busy:5.1f}%"
            )


if __name__ == "__main__":
    main()
