"""The report against the standards, checked on a scripted day with figures worked out by hand.

Monday 30 November 2026 (small site, KTP and KK: waiting-time target 30 min by default):

    09:00 A001 KTP   09:02 A002 KTP   09:04 A003 KTP
    09:10 L1 calls A001 (waited 10), 09:12 start, 09:20 finish (served 8)
    09:20 L1 calls A002 (waited 18), 09:21 no-show
    09:25 L1 calls A003 (waited 21), 09:26 start, 09:30 transfer to KK (A004, issue time 09:04)
    09:40 L3 calls A004 (waited 36: from 09:04), 09:50 finish without start (served 10, from call)
    09:45 L1 calls A002 again (its last call: waited 43), 09:46 start, 09:55 finish (served 9)
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from shared.domain.report import Spread
from shared.engine import QueueEngine
from shared.engine.reports import ReportQuery
from shared.errors import UserError
from tests.conftest import MONDAY_9

DAY = MONDAY_9.date()


@pytest.fixture
def day(engine: QueueEngine, clock) -> QueueEngine:
    def at(hh_mm: str) -> None:
        hours, mins = map(int, hh_mm.split(":"))
        clock.set(MONDAY_9.replace(hour=hours, minute=mins))

    engine.add_user("sari", "rahasia123", display_name="Sari Rahayu")
    for when in ("09:00", "09:02", "09:04"):
        at(when)
        engine.issue_ticket("KTP")
    at("09:10")
    assert engine.call_next("L1", staff="sari").number == "A001"
    at("09:12")
    engine.start("L1")
    at("09:20")
    engine.finish("L1")
    assert engine.call_next("L1", staff="sari").number == "A002"
    at("09:21")
    engine.skip("L1")
    at("09:25")
    assert engine.call_next("L1", staff="sari").number == "A003"
    at("09:26")
    engine.start("L1")
    at("09:30")
    moved = engine.transfer("L1", "KK")
    at("09:40")
    assert engine.call_next("L3").number == moved.number
    at("09:45")
    engine.call_specific("L1", "A002", staff="sari")
    at("09:46")
    engine.start("L1")
    at("09:50")
    engine.finish("L3")
    at("09:55")
    engine.finish("L1")
    return engine


def report(engine: QueueEngine, **query):
    return engine.report(ReportQuery(DAY, DAY, **query))


def test_by_service_every_definition_gives_the_hand_computed_figures(day):
    rows = {r.key: r for r in report(day).rows}
    ktp, kk = rows["KTP"], rows["KK"]
    assert (ktp.arrived, ktp.called, ktp.served, ktp.no_show, ktp.transferred) == (3, 3, 2, 0, 1)
    assert ktp.by_source == {"kiosk": 3, "appointment": 0, "walk_in": 0}
    assert ktp.wait == Spread(3, (10 + 43 + 21) / 3, 21, 43, 43)
    assert ktp.service == Spread(2, 8.5, 8, 9, 9)
    assert (ktp.within_target, ktp.service_level) == (2, 2 / 3)
    assert (kk.arrived, kk.called, kk.served) == (0, 1, 1)  # a transfer is not a new arrival
    assert kk.wait == Spread(1, 36, 36, 36, 36)  # counted from the first issue, over the target
    assert kk.service == Spread(1, 10, 10, 10, 10)  # from the call: start was never pressed
    assert kk.service_level == 0


def test_the_total_adds_up_and_groupings_split_the_same_tickets(day):
    total = report(day).total
    assert (total.arrived, total.called, total.served, total.within_target) == (3, 4, 3, 2)
    assert total.service_level == 0.5
    by_counter = {r.key: r.called for r in report(day, by="counter").rows}
    assert by_counter == {"L1": 3, "L3": 1}
    by_staff = {r.key: r.served for r in report(day, by="staff").rows}
    assert by_staff == {"-": 1, "sari": 2}
    by_hour = report(day, by="hour").rows
    assert [(r.key, r.arrived) for r in by_hour] == [("09", 3)]


def test_filters_narrow_the_tickets(day):
    assert report(day, service="KK").total.called == 1
    assert report(day, agencies=("SAMSAT",)).total.arrived == 0
    assert report(day, staff="sari").total.called == 3


def test_a_ticket_of_another_day_is_outside_the_range(day, clock):
    clock.advance(days=1)
    day.issue_ticket("KTP")
    assert report(day).total.arrived == 3
    assert day.report(ReportQuery(DAY, DAY + timedelta(days=1))).total.arrived == 4


@pytest.mark.parametrize(
    "query",
    [
        ReportQuery(DAY, DAY, by="colour"),
        ReportQuery(DAY, DAY - timedelta(days=1)),
        ReportQuery(date(2020, 1, 1), DAY),
    ],
    ids=["grouping", "backwards", "too-long"],
)
def test_a_query_that_makes_no_sense_is_refused_plainly(engine, query):
    with pytest.raises(UserError):
        engine.report(query)


def test_the_cli_prints_json_and_writes_csv_and_a_workbook_with_every_grouping(
    day, db_url, tmp_path, capsys
):
    from openpyxl import load_workbook

    from shared.cli.main import main

    span = ["--from", DAY.isoformat(), "--to", DAY.isoformat()]
    assert main(["--db", db_url, "report", *span, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["total"]["called"] == 4 and printed["total"]["service_level"] == 0.5
    assert (
        main(["--db", db_url, "report", *span, "--by", "counter", "--csv", str(tmp_path / "r.csv")])
        == 0
    )
    lines = (tmp_path / "r.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("Kelompok,Nama,Datang") and lines[1].startswith("L1,Loket 1,")
    assert main(["--db", db_url, "report", *span, "--xlsx", str(tmp_path / "r.xlsx")]) == 0
    book = load_workbook(tmp_path / "r.xlsx")
    assert book.sheetnames == [
        "Laporan",
        *(
            "Layanan",
            "Instansi",
            "Loket",
            "Petugas",
            "Hari",
            "Hari dalam minggu",
            "Jam",
        ),
    ]
    service = book["Layanan"]
    assert [c.value for c in service["A"]][1:] == ["KK", "KTP", "total"]
    assert [c.value for c in service["B"]][1:] == ["Kartu Keluarga", "KTP Elektronik", "Jumlah"]
    assert service["W1"].value == "Tingkat layanan (%)"
    assert service["W3"].value == round(100 * 2 / 3, 1)  # KTP's service level, in percent


def test_the_cli_writes_a_printable_pdf_with_the_figures_and_a_place_to_sign(day, db_url, tmp_path):
    from pypdf import PdfReader

    from shared.cli.main import main

    span = ["--from", DAY.isoformat(), "--to", DAY.isoformat()]
    assert (
        main(
            [
                "--db",
                db_url,
                "report",
                *span,
                "--agency",
                "DUKCAPIL",
                "--pdf",
                str(tmp_path / "r.pdf"),
            ]
        )
        == 0
    )
    text = "".join(page.extract_text() for page in PdfReader(tmp_path / "r.pdf").pages)
    assert "Laporan Kinerja Pelayanan" in text
    assert "Instansi: Dinas Kependudukan dan Pencatatan Sipil" in text  # the filter, named
    assert "KTP Elektronik" in text and "Jumlah" in text and "(nama dan tanda tangan)" in text
    assert "66,7" in text and "66.7" not in text  # KTP's service level, as Indonesian writes it


@pytest.mark.parametrize(
    ("by", "names"),
    [
        ("service", {"KTP": "KTP Elektronik", "KK": "Kartu Keluarga"}),
        ("agency", {"DUKCAPIL": "Dinas Kependudukan dan Pencatatan Sipil"}),
        ("counter", {"L1": "Loket 1", "L3": "Loket 3"}),
        ("staff", {"sari": "Sari Rahayu"}),
        ("day", {DAY.isoformat(): "Senin"}),
        ("weekday", {"1": "Senin"}),
        ("hour", {"09": "09:00-09:59"}),
    ],
)
def test_every_grouping_names_its_rows_as_people_read_them(day, by, names):
    found = report(day, by=by)
    assert {row.key: found.name(row.key, "id") for row in found.rows if row.key in names} == names
    assert found.name("total", "id") == "Jumlah" and found.name("total", "en") == "Total"


def test_a_row_is_named_in_english_and_a_name_typed_as_a_formula_stays_text(day, tmp_path):
    from openpyxl import load_workbook

    from shared.report_export import to_csv, to_xlsx

    assert report(day).name("KTP", "en") == "Electronic ID card"
    assert report(day, by="weekday").name("1", "en") == "Monday"
    day.add_user("eve", "rahasia123", display_name='=HYPERLINK("http://x.example","klik")')
    day.issue_ticket("KTP")
    day.call_next("L2", staff="eve")
    by_staff = report(day, by="staff")
    assert "'=HYPERLINK" in to_csv(by_staff, "id")
    (tmp_path / "r.xlsx").write_bytes(to_xlsx([by_staff], "id", "Antrian"))
    sheet = load_workbook(tmp_path / "r.xlsx")["Petugas"]
    assert [c.value for c in sheet["A"]][1:] == ["-", "eve", "sari", "total"]
    assert sheet["B2"].value == "tanpa petugas masuk"
    assert sheet["B3"].value.startswith("'=HYPERLINK") and sheet["B3"].data_type == "s"


def test_the_cli_refuses_a_date_that_is_not_one(db_url, capsys):
    from shared.cli.main import main

    with pytest.raises(SystemExit) as stopped:
        main(["--db", db_url, "report", "--from", "2026-13-01", "--to", "2026-12-01"])
    assert stopped.value.code == 2
    assert "not a date" in capsys.readouterr().err


def test_tickets_refused_for_a_closed_service_or_a_full_quota_are_counted(engine, clock):
    from shared.errors import ServiceError

    clock.set(MONDAY_9.replace(hour=12, minute=30))  # Samsat (PKB) closes at 12:00
    with pytest.raises(ServiceError):
        engine.issue_ticket("PKB")
    with pytest.raises(ServiceError):
        engine.issue_ticket("NOSUCH")  # not a service: not counted, nothing logged
    rows = {r.key: r for r in report(engine).rows}
    assert rows["PKB"].refused == {"closed": 1, "quota": 0}
    assert report(engine).total.refused == {"closed": 1, "quota": 0}
    assert report(engine, by="counter").total.refused["closed"] == 1


@pytest.mark.parametrize(
    ("zone", "first", "second"),
    [
        # Jayapura is 9 hours ahead: 08:05 local is 23:05 UTC of the day before
        ("Asia/Jayapura", datetime(2026, 11, 30, 8, 5), datetime(2026, 12, 1, 8, 5)),
        # Berlin leaves summer time on 25 October 2026: the same local hour on both sides
        ("Europe/Berlin", datetime(2026, 10, 23, 8, 5), datetime(2026, 10, 26, 8, 5)),
    ],
)
def test_local_day_hour_and_weekday_hold_across_utc_midnight_and_offset_changes(
    db_url, zone, first, second
):
    from zoneinfo import ZoneInfo

    from shared.clock import ManualClock
    from shared.site_config import parse_site
    from tests.conftest import SMALL_SITE

    local = ZoneInfo(zone)
    site = SMALL_SITE.read_text().replace('timezone = "Asia/Jakarta"', f'timezone = "{zone}"')
    clock = ManualClock(first.replace(tzinfo=local))
    with QueueEngine.open(db_url, clock=clock) as engine:
        engine.load_site(parse_site(site))
        engine.issue_ticket("KTP")
        clock.set(second.replace(tzinfo=local))
        engine.issue_ticket("KTP")
        span = ReportQuery(first.date(), second.date())
        by_day = {r.key: r.arrived for r in engine.report(replace(span, by="day")).rows}
        assert by_day == {first.date().isoformat(): 1, second.date().isoformat(): 1}
        assert [(r.key, r.arrived) for r in engine.report(replace(span, by="hour")).rows] == [
            ("08", 2)
        ]
        weekdays = {r.key: r.arrived for r in engine.report(replace(span, by="weekday")).rows}
        assert weekdays == {str(first.isoweekday()): 1, str(second.isoweekday()): 1}
        assert engine.arrival_grid(span) == {
            (first.isoweekday(), 8): 1,
            (second.isoweekday(), 8): 1,
        }
