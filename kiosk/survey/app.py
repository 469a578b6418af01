"""`antrian survey`: the SKM survey tablet beside a counter or at the exit."""

from __future__ import annotations

from pathlib import Path

from kiosk.survey.settings import load
from kiosk.survey.viewmodel import SurveyViewModel
from shared.engine import QueueEngine
from shared.qt.event_loop import run_until_quit
from shared.qt.qml_window import application, load_window, show_window

QML = Path(__file__).parents[1] / "qml" / "Survey.qml"


def run(config: str | None, database: str | None = None, counter: str | None = None) -> int:
    settings = load(config, database, counter)
    app = application()
    vm = SurveyViewModel(settings, lambda: QueueEngine.open(settings.database, actor="survey"))
    _engine, window = load_window(QML, vm)
    show_window(window, settings.width, settings.height, settings.fullscreen)
    return run_until_quit(app, vm)
