"""shared.qt: the feed as a signal on the GUI thread, the background-op runner, Qt's log."""

from __future__ import annotations

import gc
import logging
import sys
import threading
import weakref

from PySide6.QtCore import (
    QLoggingCategory,
    QThread,
    qCCritical,
    qCWarning,
    qInstallMessageHandler,
    qWarning,
)

from shared.errors import ServiceError
from shared.qt.feed_bridge import FeedBridge
from shared.qt.qt_log import QtLogRouter
from shared.qt.runner import OpRunner


def test_the_bridge_emits_each_committed_event_on_the_gui_thread(qtbot, engine):
    bridge = FeedBridge(engine)
    seen = []
    bridge.arrived.connect(lambda e: seen.append((e.number, QThread.currentThread())))
    bridge.start(engine.board().last_event_id)
    try:
        with qtbot.waitSignal(bridge.arrived, timeout=10_000):
            engine.issue_ticket("KTP")
        qtbot.waitUntil(lambda: len(seen) == 1)
    finally:
        bridge.stop()
    assert seen[0][0] == "A001"
    assert seen[0][1] is bridge.thread()


def test_the_runner_runs_work_off_the_gui_thread_and_returns_the_result_on_it(qtbot, engine):
    runner = OpRunner()
    where = {}

    def work():
        where["work"] = threading.current_thread()
        return engine.issue_ticket("KTP")

    results = []
    with qtbot.waitSignal(runner.busyChanged, check_params_cb=lambda busy: not busy):
        runner.run(work, on_done=results.append)
    assert results[0].number == "A001"
    assert where["work"] is not threading.main_thread()


def test_the_runner_hands_a_refusal_to_the_error_callback(qtbot, engine):
    runner = OpRunner()
    errors = []
    with qtbot.waitSignal(runner.busyChanged, check_params_cb=lambda busy: not busy):
        runner.run(lambda: engine.issue_ticket("SIM"), on_error=errors.append)
    assert isinstance(errors[0], ServiceError)


def test_the_runner_runs_operations_one_at_a_time_in_order(qtbot, engine):
    runner = OpRunner()
    numbers = []
    for _ in range(5):
        runner.run(lambda: engine.issue_ticket("KTP"), on_done=lambda t: numbers.append(t.number))
    qtbot.waitUntil(lambda: len(numbers) == 5, timeout=10_000)
    assert numbers == ["A001", "A002", "A003", "A004", "A005"]
    assert not runner.busy


class _Held:
    """Something an operation's work, result and callbacks hold (weakly referable)."""


def test_the_runner_keeps_nothing_of_an_operation_once_it_is_done(qtbot):
    # a relay and two connected lambdas per operation were never freed (PySide holds a
    # connected callable for as long as its sender lives): a kiosk grew some 8 MB a thousand
    # tickets, a counter app with every reload
    runner = OpRunner()
    held: list[weakref.ref[_Held]] = []
    finished = []

    def operation(fails: bool) -> None:
        work_holds, result, callback_holds = _Held(), _Held(), _Held()
        held.extend(weakref.ref(thing) for thing in (work_holds, result, callback_holds))

        def work() -> _Held:
            assert work_holds is not None
            if fails:
                raise ServiceError("unknown_service", service="X")
            return result

        def done(_value: object) -> None:
            finished.append(callback_holds is not None)

        runner.run(work, on_done=done, on_error=done)

    for n in range(200):
        operation(fails=n % 2 == 1)
    qtbot.waitUntil(lambda: len(finished) == 200, timeout=10_000)
    qtbot.waitUntil(lambda: not runner.busy)
    assert runner.wait()

    def all_freed() -> bool:
        gc.collect()
        return all(ref() is None for ref in held)

    # the worker thread lets go of its last job a moment after delivering it. On a QThreadPool,
    # PySide now and then kept one started job (with what its work held) for good: this failed
    # in some runs in four after the kiosk check-in tests
    qtbot.waitUntil(all_freed, timeout=10_000)


def test_a_closed_runner_runs_nothing_more_and_drops_the_outcomes_still_on_their_way(qtbot):
    runner = OpRunner()
    ran, delivered = [], []
    runner.run(lambda: ran.append("before"), on_done=delivered.append)
    assert runner.close()  # the work has run; its outcome waits in the event queue
    runner.run(lambda: ran.append("after"), on_done=delivered.append)
    qtbot.wait(200)
    assert ran == ["before"]
    assert delivered == []
    assert not runner.busy


def test_emitting_signals_keeps_pythons_reference_counts(qtbot):
    # PySide6 6.12.0's Signal.emit() returned True without a reference of its own, so a
    # display that emits for every call aborted the interpreter after some thousands of calls
    # ("bool_dealloc"); pyproject.toml excludes that release. This guards the version in use.
    # (True is shared by the whole process: threads left by earlier tests move its count by
    # some tens while this runs; the fault took one reference per emit, 5,000 here)
    runner = OpRunner()
    before = sys.getrefcount(True)
    for _ in range(5000):
        runner.busyChanged.emit(False)
    assert sys.getrefcount(True) >= before - 1000


def test_qt_multimedia_lines_are_logged_once_at_info_and_qml_warnings_stay_warnings(caplog):
    media = QLoggingCategory("qt.multimedia.ffmpeg")
    router = QtLogRouter()
    previous = qInstallMessageHandler(router)
    try:
        with caplog.at_level(logging.DEBUG, logger="qt"):
            for _ in range(4):  # what the media player says on every call
                qCWarning(media, "No audio device detected")
            qWarning("Board.qml:12: TypeError: Cannot read property 'x' of null")
            qCCritical(media, "Audio device lost")
    finally:
        qInstallMessageHandler(previous)
    seen = [(r.name, r.levelno, r.getMessage()) for r in caplog.records]
    assert seen == [
        ("qt.multimedia.ffmpeg", logging.INFO, "No audio device detected"),
        *[("qt.multimedia.ffmpeg", logging.DEBUG, "No audio device detected")] * 3,
        (
            "qt.default",
            logging.WARNING,
            "Board.qml:12: TypeError: Cannot read property 'x' of null",
        ),
        ("qt.multimedia.ffmpeg", logging.ERROR, "Audio device lost"),
    ]
