"""Kiosk benchmark: confirming tap to the first byte at a `file:` printer, and cold start.

    python bench/kiosk.py [--taps 60]

Offscreen, on a temporary SQLite database with the example site. Prints p50/p95 and the
process's memory after the first 50 tickets and after the last (a kiosk runs for weeks: run
with --taps 2000 to see whether it grows); asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

MORNING = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def tap_to_first_byte(taps: int) -> tuple[list[float], dict[int, float]]:
    from hardware.printing.printer import ThermalPrinter
    from kiosk.app import kiosk_window
    from kiosk.settings import load
    from kiosk.viewmodel import KioskViewModel
    from shared.clock import ManualClock
    from shared.demo import prepare
    from shared.engine import QueueEngine
    from shared.qt.qml_window import application, wait_until

    application(offscreen=True)
    samples, memory = [], {}
    with tempfile.TemporaryDirectory() as work:
        url = f"sqlite:///{work}/bench.db"
        clock = ManualClock(MORNING)
        prepare(url, clock=clock)
        fifo = Path(work) / "lp0"
        os.mkfifo(fifo)
        settings = replace(load(None, url), fullscreen=False, printer=f"file:{fifo}")
        vm = KioskViewModel(
            settings, lambda: QueueEngine.open(url, clock=clock), ThermalPrinter(settings.printer)
        )
        _engine, _window = kiosk_window(vm)
        vm.start(watch_printer=False)
        wait_until(lambda: bool(vm.agencies))
        arrivals: queue.Queue[float] = queue.Queue()
        threading.Thread(target=_watch_printer, args=(fifo, arrivals), daemon=True).start()
        for tap in range(1, taps + 1):
            vm.chooseAgency("DUKCAPIL")
            vm.chooseService("KIA")
            started = time.perf_counter()
            vm.takeTicket("")
            wait_until(lambda: not arrivals.empty())  # the GUI keeps processing events
            samples.append(arrivals.get() - started)
            wait_until(lambda: vm.ticket.get("printState") == "done")
            vm.goHome()
            if tap in (min(50, taps), taps):
                memory[tap] = rss_mb()
        vm.stop()
    return samples, memory


def _watch_printer(fifo: Path, arrivals: queue.Queue[float]) -> None:
    """The printer's side: note the moment each ticket's first bytes (ESC @) arrive."""
    with open(fifo, "rb", buffering=0) as device:
        while chunk := device.read(65536):
            if chunk.startswith(b"\x1b@"):
                arrivals.put(time.perf_counter())


def child_cold_start(url: str) -> None:
    """Run in a fresh interpreter: build the kiosk and say when the home screen is drawn."""
    from hardware.printing.printer import ThermalPrinter
    from kiosk.app import kiosk_window
    from kiosk.settings import load
    from kiosk.viewmodel import KioskViewModel
    from shared.engine import QueueEngine
    from shared.qt.qml_window import application, wait_until

    application(offscreen=True)
    settings = replace(load(None, url), fullscreen=False, printer="dummy:")
    vm = KioskViewModel(settings, lambda: QueueEngine.open(url), ThermalPrinter("dummy:"))
    _engine, window = kiosk_window(vm)
    window.show()
    vm.start(watch_printer=False)
    wait_until(lambda: bool(vm.agencies))
    window.grabWindow()  # the home screen, rendered
    print("ready", flush=True)
    vm.stop()


def cold_starts(runs: int) -> list[float]:
    from shared.clock import ManualClock
    from shared.demo import prepare

    samples = []
    with tempfile.TemporaryDirectory() as work:
        url = f"sqlite:///{work}/bench.db"
        prepare(url, clock=ManualClock(MORNING))
        env = {**os.environ, "ANTRIAN_NOW": MORNING.isoformat()}
        for _ in range(runs):
            started = time.perf_counter()
            out = subprocess.run(
                [sys.executable, __file__, "--child", url],
                env=env,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            assert "ready" in out
            samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--taps", type=int, default=60)
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--child")
    args = parser.parse_args()
    if args.child:
        child_cold_start(args.child)
        return
    taps, memory = tap_to_first_byte(args.taps)
    print(f"Antrian kiosk benchmark (SQLite, offscreen, {args.taps} taps)")
    p50 = statistics.median(taps) * 1000
    print(
        f"  confirming tap -> first byte at a file: printer  p50 {p50:.1f} ms  "
        f"p95 {pct(taps, 0.95):.1f} ms"
    )
    print(
        "  memory: RSS "
        + ", ".join(f"{mb:.0f} MB after {tap:,} tickets" for tap, mb in sorted(memory.items()))
    )
    starts = cold_starts(args.starts)
    print(
        f"  cold start (new process) -> home screen drawn     "
        f"p50 {statistics.median(starts):.2f} s  max {max(starts):.2f} s"
    )


if __name__ == "__main__":
    main()
