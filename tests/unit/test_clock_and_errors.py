import time
from datetime import datetime, timedelta

import pytest

from shared.clock import RunningClock, clock_from_env, parse_local, shared_now
from shared.errors import ServiceError, UserError
from shared.i18n import LocalText, figure, tr_count
from tests.conftest import JAKARTA


def test_antrian_now_starts_a_clock_that_runs_on(monkeypatch):
    monkeypatch.setenv("ANTRIAN_NOW", "2026-11-30T08:00")
    clock = clock_from_env(JAKARTA)
    assert isinstance(clock, RunningClock)
    first = clock.now()
    assert first.replace(microsecond=0, second=0) == datetime(2026, 11, 30, 8, 0, tzinfo=JAKARTA)
    assert clock.now() >= first


def test_processes_given_one_anchored_antrian_now_share_one_clock(monkeypatch):
    start = datetime(2026, 11, 30, 9, 0, tzinfo=JAKARTA)
    monkeypatch.setenv("ANTRIAN_NOW", shared_now(start))
    first = clock_from_env(JAKARTA)
    time.sleep(0.05)
    second = clock_from_env(JAKARTA)  # made later, as a later process would
    assert abs((first.now() - second.now()).total_seconds()) < 0.01
    assert first.now() - start < timedelta(seconds=5)


def test_a_bad_antrian_now_is_a_clear_user_error(monkeypatch):
    monkeypatch.setenv("ANTRIAN_NOW", "senin pagi")
    with pytest.raises(UserError, match="ANTRIAN_NOW"):
        clock_from_env(JAKARTA)


def test_an_explicit_offset_in_antrian_now_is_kept():
    assert parse_local("2026-11-30T08:00+00:00", JAKARTA).utcoffset().total_seconds() == 0


def test_an_error_line_gives_both_languages_with_localised_parameters():
    error = ServiceError(
        "service_closed_until",
        service="KTP",
        when=LocalText("Senin pukul 08:00", "Monday at 08:00"),
    )
    assert error.message("id") == "Layanan KTP sedang tutup; buka Senin pukul 08:00"
    assert error.message("en") == "Service KTP is closed now; opens Monday at 08:00"
    assert error.line() == f"{error.message('id')} / {error.message('en')}"


@pytest.mark.parametrize(
    ("lang", "n", "said"),
    [
        ("en", 1, "1 person ahead of you"),
        ("en", 2, "2 people ahead of you"),
        ("id", 1, "1 orang di depan Anda"),
        ("id", 2, "2 orang di depan Anda"),
    ],
)
def test_one_of_something_is_said_as_one_and_more_as_more(lang, n, said):
    assert tr_count("web_people_ahead", lang, n) == said


@pytest.mark.parametrize(
    ("value", "lang", "digits", "written"),
    [
        (87.184, "id", 2, "87,18"),
        (87.184, "en", 2, "87.18"),
        (1234, "id", 1, "1.234"),  # a whole count: no decimals, thousands grouped
        (1234.5, "id", 1, "1.234,5"),
        (1234.5, "en", 1, "1,234.5"),
        (3.4615, "id", 3, "3,462"),  # never "3.462", which reads as three thousand
        (12.25, "xx", 1, "12,2"),  # a language Babel does not know: as Indonesian
    ],
)
def test_a_number_is_written_as_its_language_writes_numbers(value, lang, digits, written):
    assert figure(value, lang, digits) == written
