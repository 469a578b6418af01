"""`antrian survey --screenshot DIR`: the tablet's screens at 1280x800, in both languages.

Offscreen, on a temporary demo database (the example site) on Monday 30 November 2026, beside
counter L01 where a visit has just been finished.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.survey.app import QML
from kiosk.survey.settings import load
from kiosk.survey.viewmodel import SurveyViewModel
from shared.clock import ManualClock
from shared.demo import prepare
from shared.engine import QueueEngine
from shared.engine.survey import SurveyAnswer
from shared.qt.qml_window import application, capture, load_window, wait_until

MORNING = datetime(2026, 11, 30, 10, 5, tzinfo=ZoneInfo("Asia/Jakarta"))


def take(folder: Path) -> list[Path]:
    application(offscreen=True)
    shots: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="antrian-survey-shots-") as work:
        url = f"sqlite:///{work}/demo.db"
        clock = ManualClock(MORNING)
        prepare(url, clock=clock)  # its business day is that morning's, whatever the date now
        with QueueEngine.open(url, clock=clock) as desk:
            for answers in ((4, 4, 3, 4, 3, 4, 4, 3, 4), None):  # one rated, one to be rated
                ticket = desk.issue_ticket("KTP-EL")
                desk.call_next("L01")
                desk.finish("L01")
                if answers is not None:  # an index to publish (the example site does)
                    desk.answer_survey(SurveyAnswer(answers, "phone"), token=ticket.token)
                clock.advance(minutes=5)
        settings = replace(load(None, url, "L01"), fullscreen=False)
        # Any: its Qt properties are read here as the values QML sees
        vm: Any = SurveyViewModel(settings, lambda: QueueEngine.open(url, clock=clock))
        _engine, window = load_window(QML, vm)
        window.resize(1280, 800)
        vm.start()
        try:
            wait_until(lambda: vm.offer != "")
            for lang in ("id", "en"):
                if vm.lang != lang:
                    vm.toggleLanguage()
                shots.append(capture(window, folder / f"start-{lang}.png"))
                vm.rateOffered()
                vm.answer(4)
                vm.answer(3)
                shots.append(capture(window, folder / f"question-{lang}.png", 300))
                vm.back()
                vm.back()
                vm.back()  # before the first question: the start again, in the same language
                vm.typeNumber()
                for key in "A002":
                    vm.key(key)
                shots.append(capture(window, folder / f"number-{lang}.png"))
                vm.startOver()
            vm.rateOffered()
            for _ in range(9):
                vm.answer(4)
            wait_until(lambda: vm.screen == "thanks")
            shots.append(capture(window, folder / "thanks-id.png"))
        finally:
            vm.stop()
            window.close()
    return shots
