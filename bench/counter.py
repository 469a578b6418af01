"""Counter benchmark: pressing "next" to the new number shown in the counter app, on SQLite and
PostgreSQL, and a serial call-button press to the engine's commit.

    python bench/counter.py [--presses 100] [--no-pg]

Offscreen; prints p50/p95, asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from engine import PG_DEFAULT, postgres_database  # noqa: E402
from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from counter.app import application  # noqa: E402
from counter.settings import load  # noqa: E402
from counter.viewmodel import CounterViewModel  # noqa: E402
from counter.window import CounterWindow  # noqa: E402
from hardware.buttons.simulator import VirtualButtonBox  # noqa: E402
from shared.clock import ManualClock  # noqa: E402
from shared.engine import QueueEngine  # noqa: E402
from shared.qt.qml_window import wait_until  # noqa: E402
from shared.site_config import load_site_file  # noqa: E402
from shared.store import schema  # noqa: E402

SITE = ROOT / "tests" / "data" / "small-site.toml"
MORNING = datetime(2026, 11, 30, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


def prepared(url: str, tickets: int) -> ManualClock:
    schema.upgrade(url)
    clock = ManualClock(MORNING)
    with QueueEngine.open(url, clock=clock) as engine:
        engine.load_site(load_site_file(SITE))
        engine.add_user("sari", "rahasia123")
        for _ in range(tickets):
            engine.issue_ticket("KTP")
    return clock


def open_counter(url: str, clock: ManualClock, buttons: str | None = None):
    settings = replace(load(None, url), counter="L1", buttons=buttons)
    vm = CounterViewModel(settings, lambda: QueueEngine.open(url, clock=clock))
    window = CounterWindow(vm)
    window.show()
    vm.start()
    wait_until(lambda: bool(vm.counters) and not vm.busy)
    vm.login("sari", "rahasia123", "L1")
    wait_until(lambda: vm.view is not None and not vm.busy)
    return vm, window


def press_to_screen(url: str, presses: int) -> list[float]:
    clock = prepared(url, presses + 2)
    vm, window = open_counter(url, clock)
    samples = []
    for _ in range(presses):
        before = window.number.text()
        started = time.perf_counter()
        QTest.keyClick(window, Qt.Key.Key_F1)
        wait_until(lambda before=before: window.number.text() != before and not vm.busy)
        samples.append(time.perf_counter() - started)
    vm.stop()
    window.close()
    window.deleteLater()  # its F1 would otherwise make the next window's F1 ambiguous
    return samples


def button_to_commit(url: str, presses: int) -> list[float]:
    clock = prepared(url, presses + 2)
    samples = []
    with VirtualButtonBox() as box, QueueEngine.open(url, clock=clock) as observer:
        vm, window = open_counter(url, clock, buttons=box.path)
        wait_until(lambda: vm.buttons_connected is True)
        for _ in range(presses):
            cursor = observer.board().last_event_id
            started = time.perf_counter()
            box.press("1:NEXT")
            wait_until(
                lambda cursor=cursor: any(e.kind == "called" for e in observer.events_after(cursor))
            )
            samples.append(time.perf_counter() - started)
            wait_until(lambda: not vm.busy)
            time.sleep(0.75)  # past the debounce window before the next press
        vm.stop()
        window.close()
        window.deleteLater()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--presses", type=int, default=100)
    parser.add_argument("--button-presses", type=int, default=20)
    parser.add_argument("--pg", default=os.environ.get("ANTRIAN_TEST_PG", PG_DEFAULT))
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    application()
    print(f"Antrian counter benchmark (offscreen, {args.presses} presses of F1 per database)")
    for label in ("SQLite",) if args.no_pg else ("SQLite", "PostgreSQL"):
        if label == "SQLite":
            with tempfile.TemporaryDirectory() as work:
                screen = press_to_screen(f"sqlite:///{work}/a.db", args.presses)
                button = button_to_commit(f"sqlite:///{work}/b.db", args.button_presses)
        else:
            with postgres_database(args.pg) as url:
                screen = press_to_screen(url, args.presses)
            with postgres_database(args.pg) as url:
                button = button_to_commit(url, args.button_presses)
        print(
            f"  {label:10}  next pressed -> number shown  p50 "
            f"{statistics.median(screen) * 1000:.1f} ms  p95 {pct(screen, 0.95):.1f} ms"
        )
        print(
            f"  {label:10}  button press -> engine commit p50 "
            f"{statistics.median(button) * 1000:.1f} ms  p95 {pct(button, 0.95):.1f} ms  "
            f"(pty serial, {args.button_presses} presses)"
        )


if __name__ == "__main__":
    main()
