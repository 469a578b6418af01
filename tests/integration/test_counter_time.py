"""Counter utilisation: each counter's open and paused time per staff member and day, read
from the events log, over its service time; worked out by hand on two scripted days.

Monday 30 November 2026, counter L1 (never moved before: the site file leaves it open):

    08:00 sari logs in             08:10-08:30 serves A001 (20 min)
    09:00 pauses, 09:30 resumes     09:40-09:50 serves A002 (10 min, from the call)
    10:00 sari logs out: open 90 min, paused 30, served 30
    10:30 budi logs in              10:40-11:00 serves A003 (20 min), goes home logged in

Tuesday 1 December: 08:15-08:45 budi serves A001 (30 min), 09:00 logs out. Budi's Monday
ends at his last event (11:00: 30 min open), his Tuesday starts at his first (08:15: 45 min).
"""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from shared.clock import ManualClock
from shared.engine import QueueEngine
from shared.engine.reports import ReportQuery
from tests.conftest import JAKARTA

MONDAY, TUESDAY = date(2026, 11, 30), date(2026, 12, 1)


@pytest.fixture
def two_days(engine: QueueEngine, clock: ManualClock) -> QueueEngine:
    def at(day: date, hh_mm: str) -> None:
        hours, minutes = map(int, hh_mm.split(":"))
        clock.set(datetime(day.year, day.month, day.day, hours, minutes, tzinfo=JAKARTA))

    def serve(day: date, issued: str, called: str, finished: str, *, start: bool) -> None:
        at(day, issued)
        engine.issue_ticket("KTP")
        at(day, called)
        assert engine.call_next("L1") is not None
        if start:
            engine.start("L1")
        at(day, finished)
        engine.finish("L1")

    engine.add_user("sari", "rahasia123")
    engine.add_user("budi", "rahasia456")
    at(MONDAY, "08:00")
    engine.login("sari", "rahasia123", "L1")
    serve(MONDAY, "08:05", "08:10", "08:30", start=True)
    at(MONDAY, "09:00")
    engine.pause("L1")
    at(MONDAY, "09:30")
    engine.resume("L1")
    serve(MONDAY, "09:35", "09:40", "09:50", start=False)
    at(MONDAY, "10:00")
    engine.logout("sari", "L1")
    at(MONDAY, "10:30")
    engine.login("budi", "rahasia456", "L1")
    serve(MONDAY, "10:35", "10:40", "11:00", start=True)
    serve(TUESDAY, "08:10", "08:15", "08:45", start=True)
    at(TUESDAY, "09:00")
    engine.logout("budi", "L1")
    return engine


def rows(engine: QueueEngine, by: str, **query):
    report = engine.report(ReportQuery(MONDAY, TUESDAY, by=by, **query))
    found = {r.key: (r.open_minutes, r.paused_minutes, r.utilisation) for r in report.rows}
    total = report.total
    return found, (total.open_minutes, total.paused_minutes, total.utilisation)


def test_open_and_paused_time_per_staff_member_comes_from_logins_pauses_and_logouts(two_days):
    by_staff, total = rows(two_days, "staff")
    assert by_staff["sari"] == pytest.approx((90, 30, 30 / 90))
    assert by_staff["budi"] == pytest.approx((75, 0, 50 / 75))
    assert total == pytest.approx((165, 30, 80 / 165))


def test_a_counter_left_open_counts_from_its_first_to_its_last_event_of_each_day(two_days):
    by_day, _ = rows(two_days, "day")
    assert by_day["2026-11-30"] == pytest.approx((120, 30, 50 / 120))
    assert by_day["2026-12-01"] == pytest.approx((45, 0, 30 / 45))
    by_weekday, _ = rows(two_days, "weekday")
    assert by_weekday["2"] == pytest.approx((45, 0, 30 / 45))


def test_counters_and_agencies_have_their_open_time_and_an_unused_counter_none(two_days):
    by_counter, _ = rows(two_days, "counter")
    assert by_counter["L1"] == pytest.approx((165, 30, 80 / 165))
    assert "L2" not in by_counter  # never opened, nothing served: no row
    by_agency, _ = rows(two_days, "agency")
    assert by_agency["DUKCAPIL"] == pytest.approx((165, 30, 80 / 165))
    _, only_l2 = rows(two_days, "counter", counter="L2")
    assert only_l2 == (0, 0, None)


def test_filters_by_staff_and_agency_narrow_the_open_time_too(two_days):
    _, sari = rows(two_days, "counter", staff="sari")
    assert sari == pytest.approx((90, 30, 30 / 90))
    _, samsat = rows(two_days, "counter", agencies=("SAMSAT",))
    assert samsat == (0, 0, None)


@pytest.mark.parametrize("by", ["service", "hour"])
def test_groupings_a_counters_time_does_not_fall_into_show_no_utilisation(two_days, by):
    grouped, total = rows(two_days, by)
    assert {figures for figures in grouped.values()} == {(None, None, None)}
    assert total == pytest.approx((165, 30, 80 / 165))


def test_a_report_of_one_service_shows_no_utilisation(two_days):
    _, total = rows(two_days, "counter", service="KTP")
    assert total == (None, None, None)  # its counters served other services too


def test_the_csv_and_json_carry_open_time_and_utilisation(two_days, db_url, tmp_path, capsys):
    from shared.cli.main import main

    span = ["--from", MONDAY.isoformat(), "--to", TUESDAY.isoformat(), "--by", "staff"]
    assert main(["--db", db_url, "report", *span, "--csv", str(tmp_path / "r.csv")]) == 0
    header, *lines = (tmp_path / "r.csv").read_text(encoding="utf-8").splitlines()
    assert header.endswith(",Loket buka (mnt),Loket jeda (mnt),Utilisasi (%)")
    [sari] = [line for line in lines if line.startswith("sari,")]
    assert sari.endswith(",90.0,30.0,33.3")
    capsys.readouterr()
    assert main(["--db", db_url, "report", *span, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["total"]["open_minutes"] == pytest.approx(165)
    assert printed["total"]["utilisation"] == pytest.approx(80 / 165)


def test_a_counter_no_event_has_moved_is_open_from_its_first_call_to_its_last_visits_end(
    engine: QueueEngine, clock: ManualClock
) -> None:
    for called, finished in (("09:10", "09:30"), ("10:00", "10:20")):  # nobody logged in
        clock.set(datetime(2026, 11, 30, *map(int, called.split(":")), tzinfo=JAKARTA))
        engine.issue_ticket("KTP")
        engine.call_next("L3")
        clock.set(datetime(2026, 11, 30, *map(int, finished.split(":")), tzinfo=JAKARTA))
        engine.finish("L3")
    report = engine.report(ReportQuery(MONDAY, MONDAY, by="counter"))
    [l3] = [r for r in report.rows if r.key == "L3"]
    assert (l3.open_minutes, l3.utilisation) == pytest.approx((70, 40 / 70))
