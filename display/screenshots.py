"""`antrian display --screenshot DIR`: the board quiet, calling, with many counters, offline.

Offscreen, on a temporary demo database (the example site) on Monday 30 November 2026.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from display.app import QML, make_player
from display.settings import load
from display.viewmodel import BoardViewModel
from shared.clock import ManualClock
from shared.demo import prepare
from shared.engine import QueueEngine
from shared.qt.qml_window import application, capture, load_window, settle, wait_until

MORNING = datetime(2026, 11, 30, 10, 15, tzinfo=ZoneInfo("Asia/Jakarta"))
SIZES = {"1080p": (1920, 1080), "4k": (3840, 2160), "1366": (1366, 768), "upright": (1080, 1920)}


def take(folder: Path) -> list[Path]:
    application(offscreen=True)
    shots: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="antrian-display-shots-") as work:
        url = f"sqlite:///{work}/demo.db"
        clock = ManualClock(MORNING)
        prepare(url, clock=clock)  # its business day is that morning's, whatever the date now
        settings = replace(
            load(None, url),
            fullscreen=False,
            voice="chime",
            state_file=Path(work) / "announced.txt",
        )
        player = make_player(settings, play_audio=False, cache=Path(work) / "voice")
        # Any: its Qt properties are read here as the values QML sees
        vm: Any = BoardViewModel(settings, lambda: QueueEngine.open(url, clock=clock), player)
        _engine, window = load_window(QML, vm)
        window.resize(*SIZES["1080p"])
        vm.start()
        wait_until(lambda: vm.siteName != "")
        shots.append(capture(window, folder / "quiet.png"))
        with QueueEngine.open(url, clock=clock) as engine:
            catalogue = engine.catalogue()
            for agency in catalogue.agencies:
                for service in agency.services[:2]:
                    for _ in range(3):
                        engine.issue_ticket(service.code, priority=service.code == "KIA")
            counters = [c.code for c in engine.board().counters]
            for code in counters[:-3]:
                engine.call_next(code)
            engine.pause(counters[-2])
            engine.close_counter(counters[-1])
            wait_until(lambda: len(vm.recent.rows) >= settings.recent)
            wait_until(lambda: player is not None and not player.busy, timeout=60)
            desk = engine.board().counters[0]
            engine.issue_ticket(desk.services[0])
            engine.finish(desk.code)
            called = engine.call_next(desk.code)  # the call being announced in the picture
            assert called is not None
            wait_until(lambda: vm.calling.get("eventId") and vm.calling["number"] == called.number)
            wait_until(lambda: vm.calling["speaking"])
            vm.refresh_waits()  # as the board does a little after the queue moved
            wait_until(lambda: any(row["wait"] for row in vm.waiting.rows))
            shots.append(capture(window, folder / "calling.png", 400))
            for size, (width, height) in SIZES.items():
                window.resize(width, height)
                shots.append(capture(window, folder / f"many-counters-{size}.png", 400))
        window.resize(*SIZES["1080p"])
        assert vm._feed is not None
        vm._feed.online.emit(False)  # what the feed reports when the database is lost
        settle(200)
        shots.append(capture(window, folder / "offline.png"))
        vm.stop()
        window.close()
    return shots
