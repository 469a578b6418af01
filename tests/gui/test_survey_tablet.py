"""The survey tablet (pytest-qt over the real QML): the visit just finished at its counter is
offered, a typed number works too, nine answers are one survey, and an idle tablet starts over."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from datetime import datetime

import pytest
from PySide6.QtQml import QQmlProperty

from kiosk.survey.app import QML
from kiosk.survey.settings import load
from kiosk.survey.viewmodel import SurveyViewModel
from shared.clock import ManualClock
from shared.engine import QueueEngine
from shared.engine.survey import SurveyAnswer
from shared.qt.qml_window import load_window
from shared.site_config import load_site_file, parse_site
from tests.conftest import EXAMPLE_SITE, JAKARTA
from tests.gui.qml_driver import item, past_the_window, tap, text

WAIT = 10_000
MORNING = datetime(2026, 11, 30, 10, 0, tzinfo=JAKARTA)


@pytest.fixture
def clock():
    return ManualClock(MORNING)


@pytest.fixture
def site_db(db_url, clock):
    with QueueEngine.open(db_url, clock=clock) as engine:
        engine.load_site(load_site_file(EXAMPLE_SITE))
    return db_url


@contextlib.contextmanager
def open_tablet(url, clock, **settings):
    config = replace(load(None, url, "L01"), fullscreen=False, **settings)
    vm = SurveyViewModel(config, lambda: QueueEngine.open(url, clock=clock, actor="survey"))
    _engine, window = load_window(QML, vm)
    window.resize(1280, 800)
    window.show()
    vm.start()
    try:
        yield vm, window
    finally:
        vm.stop()
        window.close()


def serve(url, clock, counter="L01"):
    with QueueEngine.open(url, clock=clock) as desk:
        ticket = desk.issue_ticket("KTP-EL")
        desk.call_next(counter)
        desk.finish(counter)
        return ticket


def rated(url, clock):
    with QueueEngine.open(url, clock=clock) as engine:
        day = clock.now().date()
        return engine.skm_report(day, day, "counter")


def test_the_visit_just_finished_at_the_counter_is_offered_and_rated_with_nine_taps(
    qtbot, site_db, clock
):
    with open_tablet(site_db, clock) as (vm, window):
        qtbot.waitUntil(lambda: vm.siteName != "", timeout=WAIT)
        assert not item(window, "rateOffered").property("visible")  # nothing finished yet
        serve(site_db, clock)
        qtbot.waitUntil(lambda: vm.offer == "A001", timeout=WAIT)  # by the change feed
        tap(qtbot, window, "rateOffered")
        for answer in (4, 3, 4, 4, 3, 4, 4, 3, 4):
            qtbot.waitUntil(lambda: vm.screen == "question", timeout=WAIT)
            button = item(window, f"answer_{answer}")
            # laid out as a thumb-sized target, with its face and words
            qtbot.waitUntil(lambda b=button: b.height() >= 96 and b.width() >= 200, timeout=WAIT)
            tap(qtbot, window, f"answer_{answer}")
        qtbot.waitUntil(lambda: vm.screen == "thanks", timeout=WAIT)
        qtbot.waitUntil(lambda: vm.offer == "", timeout=WAIT)  # rated: no longer offered
    report = rated(site_db, clock)
    assert report.channels == {"tablet": 1}
    assert [(g.code, g.result.respondents) for g in report.groups] == [("L01", 1)]
    assert report.overall.nrr[1] == 3.0


def test_a_site_file_loaded_while_the_tablet_waits_shows_at_once(qtbot, site_db, clock):
    text = EXAMPLE_SITE.read_text(encoding="utf-8")
    assert 'name = "Mal Pelayanan Publik Kabupaten Bekasi"' in text
    renamed = text.replace(
        'name = "Mal Pelayanan Publik Kabupaten Bekasi"', 'name = "MPP Bekasi Baru"', 1
    )
    with open_tablet(site_db, clock) as (vm, _window):
        qtbot.waitUntil(lambda: vm.siteName != "", timeout=WAIT)
        with QueueEngine.open(site_db, clock=clock) as engine:
            engine.load_site(parse_site(renamed))
        qtbot.waitUntil(lambda: vm.siteName == "MPP Bekasi Baru", timeout=WAIT)


def test_a_typed_number_is_checked_before_the_questions_and_refused_plainly(qtbot, site_db, clock):
    serve(site_db, clock, "L02")  # served at another counter: typed by number
    with QueueEngine.open(site_db, clock=clock) as kiosk:
        waiting = kiosk.issue_ticket("KTP-EL")
    with open_tablet(site_db, clock) as (vm, window):
        qtbot.waitUntil(lambda: vm.siteName != "", timeout=WAIT)
        tap(qtbot, window, "typeNumber")
        field = item(window, "typed").parentItem()  # a box to type into, there before any key
        assert QQmlProperty.read(field, "border.width") > 0 and field.width() > 100
        for key in waiting.number:
            tap(qtbot, window, f"key_{key}")
        assert text(window, "typed") == waiting.number
        tap(qtbot, window, "confirmNumber")
        qtbot.waitUntil(lambda: vm.screen == "message", timeout=WAIT)
        assert "belum selesai" in text(window, "message")
        tap(qtbot, window, "ok")
        tap(qtbot, window, "typeNumber")
        for key in "A001":
            vm.key(key)
        vm.confirmNumber()
        qtbot.waitUntil(lambda: vm.screen == "question", timeout=WAIT)
        assert vm.visit.startswith("A001")
        vm.answer(2)
        tap(qtbot, window, "back")  # the answer is taken back
        assert vm.index == 0


def test_an_idle_tablet_starts_over_and_forgets_the_answers(qtbot, site_db, clock):
    serve(site_db, clock)
    with open_tablet(site_db, clock, idle_timeout=0.5) as (vm, _window):
        qtbot.waitUntil(lambda: vm.offer == "A001", timeout=WAIT)
        vm.rateOffered()
        vm.answer(4)
        vm.toggleLanguage()
        assert "requirements" in vm.question["text"] or "procedure" in vm.question["text"]
        qtbot.waitUntil(lambda: vm.screen == "start", timeout=WAIT)  # the citizen walked away
        assert (vm.index, vm.lang, vm.offer) == (0, "id", "A001")
    assert rated(site_db, clock).overall.respondents == 0


TABLET_SIZES = {
    "tablet": (1280, 800),
    "tablet-portrait": (800, 1280),
    "seven-inch": (1024, 600),
    "seven-inch-small": (800, 480),
    "phone-sized-portrait": (720, 1280),
}


@pytest.mark.parametrize("size", TABLET_SIZES.values(), ids=TABLET_SIZES.keys())
def test_every_text_and_button_is_on_the_screen_whatever_its_size(qtbot, site_db, clock, size):
    rated_before = serve(site_db, clock)  # so the start screen says the agency's index too
    with QueueEngine.open(site_db, clock=clock) as engine:
        engine.answer_survey(SurveyAnswer((4,) * 9, "phone"), token=rated_before.token)
    clock.advance(minutes=5)
    serve(site_db, clock)
    with open_tablet(site_db, clock) as (vm, window):
        window.resize(*size)
        qtbot.waitUntil(lambda: vm.offer == "A002" and vm.ikmText != "", timeout=WAIT)
        screens = {
            "start": lambda: None,
            "number": vm.typeNumber,
            "message": lambda: ([vm.key(k) for k in "Z999"], vm.confirmNumber()),
            "question": lambda: (vm.startOver(), vm.rateOffered()),
        }
        outside = {}

        def look(name: str, language: str) -> None:
            qtbot.waitUntil(lambda: vm.screen == name, timeout=WAIT)
            qtbot.wait(100)  # laid out
            if past := past_the_window(window):
                outside[f"{name}-{language}"] = past

        for language in ("id", "en"):
            vm.startOver()
            if vm.lang != language:
                vm.toggleLanguage()
            for name, show in screens.items():
                show()
                look(name, language)
        for _ in range(9):
            vm.answer(4)
        look("thanks", "en")
        assert outside == {}


def test_an_upright_tablet_lays_the_four_answers_two_by_two(qtbot, site_db, clock):
    # upright, the four answers were four tall slivers of a quarter of the width
    serve(site_db, clock)
    with open_tablet(site_db, clock) as (vm, window):
        window.resize(800, 1280)
        qtbot.waitUntil(lambda: vm.offer == "A001", timeout=WAIT)
        vm.rateOffered()
        qtbot.waitUntil(lambda: vm.screen == "question", timeout=WAIT)
        qtbot.wait(200)  # laid out
        first, third = item(window, "answer_1"), item(window, "answer_3")
        assert third.y() > first.y() + first.height() / 2  # a second row
        assert first.width() > window.width() / 3 and first.height() >= 96


def test_the_start_screen_reads_the_index_again_after_an_hour_not_at_every_visit(
    qtbot, site_db, clock
):
    # the tablet's first day: no answers yet, so no index; it appears once an hour has passed
    first = serve(site_db, clock)
    with open_tablet(site_db, clock) as (vm, _window):
        qtbot.waitUntil(lambda: vm.offer == first.number, timeout=WAIT)
        assert vm.ikmText == ""
        with QueueEngine.open(site_db, clock=clock) as engine:
            engine.answer_survey(SurveyAnswer((4,) * 9, "phone"), token=first.token)
        clock.advance(minutes=30)
        second = serve(site_db, clock)  # the visit's end makes the tablet look again
        qtbot.waitUntil(lambda: vm.offer == second.number, timeout=WAIT)
        assert vm.ikmText == ""  # within the hour: the index read at start still stands
        clock.advance(minutes=31)
        third = serve(site_db, clock)
        qtbot.waitUntil(lambda: vm.offer == third.number, timeout=WAIT)
        qtbot.waitUntil(lambda: "dari 1 responden" in vm.ikmText, timeout=WAIT)


def test_the_start_screen_says_the_agencys_published_index_only_where_the_site_publishes_it(
    qtbot, site_db, clock, tmp_path
):
    ticket = serve(site_db, clock)  # the example site publishes its agencies' IKM
    with QueueEngine.open(site_db, clock=clock) as engine:
        engine.answer_survey(SurveyAnswer((4, 4, 4, 4, 3, 4, 4, 4, 4), "phone"), token=ticket.token)
    with open_tablet(site_db, clock) as (vm, window):
        qtbot.waitUntil(lambda: vm.ikmText != "", timeout=WAIT)
        said = text(window, "ikm")
        assert said.startswith("Indeks Kepuasan Masyarakat Dinas Kependudukan")
        assert "97,22 (A · Sangat Baik), dari 1 responden" in said
        assert item(window, "ikm").property("visible")
        vm.toggleLanguage()
        qtbot.waitUntil(lambda: vm.ikmText.startswith("Satisfaction index of"), timeout=WAIT)
    quiet = tmp_path / "site.toml"
    published = EXAMPLE_SITE.read_text(encoding="utf-8")
    quiet.write_text(published.replace("publish_ikm = true", "publish_ikm = false", 1))
    with QueueEngine.open(site_db, clock=clock) as engine:
        engine.load_site(load_site_file(quiet))
    with open_tablet(site_db, clock) as (vm, window):
        qtbot.waitUntil(lambda: vm.siteName != "", timeout=WAIT)
        assert vm.ikmText == "" and not item(window, "ikm").property("visible")
