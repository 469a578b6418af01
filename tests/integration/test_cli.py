"""The `antrian` command line: each command, its JSON, its errors and exit codes."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from shared.cli.main import main
from shared.clock import shared_now
from tests.conftest import MONDAY_9, SMALL_SITE

ANTRIAN = str(Path(sys.executable).with_name("antrian"))  # the console script of this venv


@pytest.fixture
def cli(db_url, monkeypatch, capsys):
    """Run `antrian ARGS` in-process against a loaded small site; returns (status, out, err)."""
    monkeypatch.setenv("ANTRIAN_DB", db_url)
    monkeypatch.setenv("ANTRIAN_NOW", shared_now(MONDAY_9))

    def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        try:
            status = main(list(args))
        except SystemExit as exit_:
            status = int(exit_.code or 0)
        out, err = capsys.readouterr()
        return status, out, err

    assert run("site", "load", str(SMALL_SITE))[0] == 0
    return run


def test_a_priority_ticket_says_so_on_the_terminal_too(cli):
    status, out, _ = cli("ticket", "issue", "KTP", "--priority")
    assert status == 0 and "A001" in out and "PRIORITAS" in out
    assert "PRIORITAS" not in cli("ticket", "issue", "KTP")[1]


def test_ticket_issue_prints_the_ticket_as_json(cli):
    status, out, _ = cli("ticket", "issue", "KTP", "--json")
    data = json.loads(out)
    assert status == 0
    assert {k: data[k] for k in ("number", "service", "state", "people_ahead")} == {
        "number": "A001",
        "service": "KTP",
        "state": "waiting",
        "people_ahead": 0,
    }
    assert isinstance(data["id"], int) and data["estimated_wait_minutes"] == 0


def test_a_priority_ticket_from_the_cli(cli):
    status, out, _ = cli("ticket", "issue", "KTP", "--priority", "--json")
    assert status == 0 and json.loads(out)["priority"] is True


def test_an_unknown_service_is_one_line_in_both_languages_and_exit_2(cli):
    status, out, err = cli("ticket", "issue", "SIM")
    assert (status, out) == (2, "")
    assert err == "Layanan tidak dikenal: SIM / Unknown service: SIM\n"


def test_the_counter_commands_walk_a_ticket_through_its_day(cli):
    cli("ticket", "issue", "KTP")
    cli("ticket", "issue", "KTP")
    status, out, _ = cli("call", "next", "--counter", "L1", "--json")
    assert status == 0 and json.loads(out)["state"] == "called"
    for action, state in (("recall", "called"), ("start", "serving"), ("finish", "done")):
        status, out, _ = cli("call", action, "--counter", "L1", "--json")
        assert (status, json.loads(out)["state"]) == (0, state)
    cli("call", "next", "--counter", "L1")
    status, out, _ = cli("call", "transfer", "--counter", "L1", "--to", "AKTA", "--json")
    assert (json.loads(out)["service"], json.loads(out)["number"]) == ("AKTA", "A002")
    status, out, _ = cli("call", "specific", "--counter", "L2", "A002", "--json")
    assert (status, json.loads(out)["counter_code"]) == (0, "L2")
    status, out, _ = cli("call", "skip", "--counter", "L2", "--json")
    assert json.loads(out)["state"] == "no_show"
    status, out, _ = cli("call", "walk-in", "--counter", "L2", "AKTA", "--json")
    served = json.loads(out)
    assert (status, served["number"], served["state"], served["source"]) == (
        0,
        "B001",
        "serving",
        "walk_in",
    )
    status, out, _ = cli("call", "park", "--counter", "L2", "--json")
    assert (status, json.loads(out)["state"]) == (0, "parked")  # B001 went to fetch a paper
    status, out, _ = cli("call", "specific", "--counter", "L2", "B001", "--json")
    assert (status, json.loads(out)["state"]) == (0, "called")
    status, out, _ = cli("call", "transfer", "--counter", "L2", "--to-counter", "L1", "--json")
    assert (status, json.loads(out)["state"]) == (0, "waiting")  # for L1 only
    assert json.loads(cli("call", "next", "--counter", "L1", "--json")[1])["number"] == "B001"


def test_next_with_nobody_waiting_says_so(cli):
    status, out, _ = cli("call", "next", "--counter", "L1")
    assert (status, out) == (0, "Tidak ada antrian yang menunggu\n")
    assert json.loads(cli("call", "next", "--counter", "L1", "--json")[1]) is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("call", "finish", "--counter", "L1"), "Loket L1 tidak sedang memanggil"),
        (("call", "next", "--counter", "L99"), "Loket tidak dikenal: L99"),
        (("call", "specific", "--counter", "L1", "xyz"), "Nomor antrian tidak sah: xyz"),
        (("call", "walk-in", "--counter", "S1", "KTP"), "Layanan KTP tidak dilayani di loket S1"),
    ],
)
def test_refused_counter_actions_exit_2_with_a_clear_line(cli, args, message):
    status, _, err = cli(*args)
    assert status == 2 and err.startswith(message) and err.count("\n") == 1


def test_pause_and_resume_a_counter(cli):
    assert cli("counter", "pause", "--counter", "L1")[1] == "L1: istirahat\n"
    status, _, err = cli("call", "next", "--counter", "L1")
    assert status == 2 and "istirahat" in err
    assert err.endswith("(antrian counter resume --counter L1)\n")  # what to type to open it
    assert json.loads(cli("counter", "resume", "--counter", "L1", "--json")[1])["state"] == "open"


def test_status_shows_the_board(cli):
    cli("ticket", "issue", "KTP")
    cli("call", "next", "--counter", "L3")
    board = json.loads(cli("status", "--json")[1])
    assert board["recent_calls"][0]["number"] == "A001"
    assert board["site_name"] == "MPP Uji"
    human = cli("status")[1]
    assert "Loket 3" in human and "A001" in human


def test_events_prints_one_json_object_a_line(cli):
    cli("ticket", "issue", "KTP")
    cli("call", "next", "--counter", "L1")
    lines = cli("events", "--json")[1].splitlines()
    # the site file the fixture loaded, then the ticket
    assert [json.loads(line)["kind"] for line in lines] == ["site_loaded", "issued", "called"]
    assert [
        json.loads(line)["kind"] for line in cli("events", "--json", "--after", "2")[1].splitlines()
    ] == ["called"]


def test_site_show_and_a_broken_site_file(cli, tmp_path):
    shown = json.loads(cli("site", "show", "--json")[1])
    assert [c["code"] for c in shown["counters"]] == ["L1", "L2", "L3", "S1"]
    broken = tmp_path / "broken.toml"
    broken.write_text(SMALL_SITE.read_text().replace('prefix = "C"', 'prefix = "cc1"'))
    status, out, err = cli("site", "load", str(broken))
    assert status == 2 and out == ""
    assert err.startswith(f"{broken}:") and "'prefix'" in err


def test_user_add_reads_the_password_from_stdin(cli):
    assert (
        cli(
            "user", "add", "sari", "--role", "supervisor", "--password-stdin", stdin="rahasia123\n"
        )[0]
        == 0
    )
    status, _, err = cli("user", "add", "sari", "--password-stdin", stdin="rahasia123\n")
    assert status == 2 and "sudah ada" in err


def test_day_close_reports_what_expired(cli):
    assert cli("day", "close")[1] == "expired 0\n"


def test_bad_usage_exits_2_with_one_line(cli):
    status, _, err = cli("call", "next")
    assert status == 2 and "--counter" in err and err.count("\n") == 1


def test_an_unreachable_database_exits_1(monkeypatch, capsys):
    status = main(["--db", "postgresql://nobody@127.0.0.1:1/none", "status"])
    assert status == 1
    assert "tidak dapat dihubungi" in capsys.readouterr().err


def test_a_database_without_schema_says_to_run_db_upgrade(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert main(["--db", url, "status"]) == 2
    assert "antrian db upgrade" in capsys.readouterr().err
    assert main(["--db", url, "db", "upgrade"]) == 0
    assert main(["--db", url, "status", "--json"]) == 0


def test_the_installed_command_follows_new_events(db_url):
    env = {**os.environ, "ANTRIAN_DB": db_url, "ANTRIAN_NOW": "2026-11-30T09:00"}
    subprocess.run(
        [ANTRIAN, "site", "load", str(SMALL_SITE)], env=env, check=True, capture_output=True
    )
    follower = subprocess.Popen(
        [ANTRIAN, "events", "--follow", "--json"], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        # the follower starts after the current last event: issue until it sees one
        for _ in range(50):
            subprocess.run(
                [ANTRIAN, "ticket", "issue", "KTP"], env=env, check=True, capture_output=True
            )
            line = _readline(follower, timeout=1.0)
            if line:
                break
        assert json.loads(line)["kind"] == "issued"
    finally:
        follower.terminate()
        follower.wait(10)


def _readline(process: subprocess.Popen, timeout: float) -> str:
    import selectors

    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    return process.stdout.readline() if selector.select(timeout) else ""


def test_skm_add_types_in_a_paper_form_and_refuses_a_wrong_one_with_exit_2(cli, monkeypatch):
    monkeypatch.setenv("ANTRIAN_LANG", "en")
    cli("ticket", "issue", "KTP")
    status, _, err = cli("skm", "add", "--ticket", "A001", "--answers", "4,3,4,4,3,4,4,3,4")
    assert status == 2 and "has not been served yet" in err  # still waiting
    cli("call", "next", "--counter", "L1")
    cli("call", "finish", "--counter", "L1")
    refused = {
        "4,3,4": "nine answers",
        "4,3,4,4,3,4,4,3,5": "nine answers",
        "4,x": "nine answers",
    }
    for answers, said in refused.items():
        status, _, err = cli("skm", "add", "--ticket", "A001", "--answers", answers)
        assert status == 2 and said in err and "Traceback" not in err, answers
    status, _, err = cli("skm", "add", "--ticket", "B777", "--answers", "4,4,4,4,4,4,4,4,4")
    assert status == 2 and "was not found" in err
    status, out, _ = cli("skm", "add", "--ticket", "a001", "--answers", "4,3,4,4,3,4,4,3,4")
    assert status == 0 and out.startswith("A001 ")
    status, _, err = cli("skm", "add", "--ticket", "A001", "--answers", "4,4,4,4,4,4,4,4,4")
    assert status == 2 and "already been answered" in err


def test_skm_report_gives_the_nrr_ikm_and_grade_as_json(cli):
    cli("ticket", "issue", "KTP")
    cli("call", "next", "--counter", "L1")
    cli("call", "finish", "--counter", "L1")
    cli("skm", "add", "--ticket", "A001", "--answers", "4,3,4,4,3,4,4,3,4")
    day = MONDAY_9.date().isoformat()
    status, out, _ = cli("skm", "report", "--from", day, "--to", day, "--by", "service", "--json")
    data = json.loads(out)
    assert status == 0 and data["respondents"] == 1
    assert data["nrr"]["U2"] == 3.0 and data["ikm"] == 91.67 and data["grade"] == "A"
    assert data["ikm_regulation_weight"] == 91.58 and data["channels"] == {"paper": 1}
    assert [g["code"] for g in data["groups"]] == ["KTP"]
    status, out, _ = cli("skm", "report", "--from", day, "--to", day)
    assert status == 0 and "IKM 91,67 (A, Sangat Baik)" in out


def test_complaint_add_list_and_update_from_the_command_line(cli):
    status, out, _ = cli(
        "complaint",
        "add",
        "--agency",
        "DUKCAPIL",
        "--category",
        "complaint",
        "--channel",
        "lapor",
        "--lapor-id",
        "LPR-99",
        "Petugas tidak ramah",
        "--json",
    )
    data = json.loads(out)
    assert status == 0 and data["status"] == "received" and data["lapor_id"] == "LPR-99"
    assert (data["response_due"], data["resolution_due"]) == ("2026-12-03", "2026-12-07")
    reference = data["reference"]
    status, out, _ = cli("complaint", "list", "--json")
    assert [c["reference"] for c in json.loads(out)] == [reference]
    assert json.loads(cli("complaint", "list", "--overdue", "--json")[1]) == []
    status, _, err = cli("complaint", "update", reference, "--status", "done")
    assert status == 2 and "tidak dapat menjadi done" in err
    assert cli("complaint", "update", reference, "--status", "verified")[0] == 0
    status, out, _ = cli(
        "complaint", "update", reference, "--status", "rejected", "--answer", "Bukan kewenangan"
    )
    assert status == 0 and "Ditolak" in out
    assert json.loads(cli("complaint", "list", "--json")[1]) == []
    status, _, err = cli(
        "complaint", "add", "--agency", "NOPE", "--category", "complaint", "--channel", "web", "x"
    )
    assert status == 2 and "Instansi tidak dikenal" in err


def test_skm_report_writes_the_regulations_layout_as_xlsx_and_pdf(cli, tmp_path):
    for _ in range(2):  # A001 and A002, served
        cli("ticket", "issue", "KTP")
        cli("call", "next", "--counter", "L1")
        cli("call", "finish", "--counter", "L1")
    cli("skm", "add", "--ticket", "A001", "--answers", "4,3,4,4,3,4,4,3,4")
    cli("skm", "add", "--ticket", "A002", "--answers", "3,3,3,3,3,3,3,3,3")
    day = MONDAY_9.date().isoformat()
    book_path, pdf_path = tmp_path / "skm.xlsx", tmp_path / "skm.pdf"
    assert (
        cli(
            "skm", "report", "--from", day, "--to", day, "--by", "service", "--xlsx", str(book_path)
        )[0]
        == 0
    )
    assert cli("skm", "report", "--from", day, "--to", day, "--pdf", str(pdf_path))[0] == 0
    book = load_workbook(book_path)
    recap = [list(r) for r in book.worksheets[1].iter_rows(values_only=True)]
    assert recap[0][4:] == ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"]
    assert recap[1][4:] == [4, 3, 4, 4, 3, 4, 4, 3, 4] and recap[2][4:] == [3] * 9
    assert recap[3][4:] == [7, 6, 7, 7, 6, 7, 7, 6, 7]  # the sum per element
    summary = [list(r)[:2] for r in book.worksheets[0].iter_rows(values_only=True)]
    assert ["IKM (jumlah NRR tertimbang x 25)", 83.33] in summary  # 60 points / 18 x 25
    assert ["Mutu pelayanan", "B (Baik)"] in summary
    assert book["Layanan"]["A1"].value == "Layanan"  # the groups' sheet and column, in words
    text = "".join(page.extract_text() for page in PdfReader(pdf_path).pages)
    assert "83,33" in text and "B (Baik)" in text and "PermenPAN-RB Nomor 14 Tahun 2017" in text


def test_complaint_report_per_month_as_json_and_csv(cli, tmp_path):
    cli(
        "complaint", "add", "--agency", "SAMSAT", "--category", "dispute", "--channel", "phone", "x"
    )
    status, out, _ = cli(
        "complaint", "report", "--from", "2026-11-01", "--to", "2026-11-30", "--json"
    )
    (figures,) = json.loads(out)
    assert status == 0 and (figures["month"], figures["agency"], figures["received"]) == (
        "2026-11",
        "SAMSAT",
        1,
    )
    path = tmp_path / "aduan.csv"
    assert (
        cli(
            "complaint", "report", "--from", "2026-11-01", "--to", "2026-11-30", "--csv", str(path)
        )[0]
        == 0
    )
    assert path.read_text().splitlines()[1].startswith("2026-11,SAMSAT,Sengketa")


def test_booking_add_list_checkin_and_cancel_from_the_command_line(cli, tmp_path, monkeypatch):
    site = tmp_path / "site.toml"
    site.write_text(
        SMALL_SITE.read_text().replace(
            'code = "KTP"\n',
            'code = "KTP"\nappointments = { slot_minutes = 30, per_slot = 1 }\n',
            1,
        )
    )
    assert cli("site", "load", str(site))[0] == 0
    add = (
        "booking",
        "add",
        "--service",
        "KTP",
        "--date",
        "2026-11-30",
        "--name",
        "Sari",
        "--phone",
        "08123456789",
    )
    status, _, err = cli(*add, "--time", "09:15")
    assert status == 2 and "bukan awal slot" in err
    status, out, _ = cli(*add, "--time", "09:30", "--json")
    booking = json.loads(out)
    assert status == 0 and booking["state"] == "booked" and len(booking["code"]) == 9
    status, _, err = cli(*add, "--time", "09:30")
    assert status == 2 and "sudah penuh" in err
    listed = json.loads(cli("booking", "list", "--date", "2026-11-30", "--json")[1])
    assert [b["code"] for b in listed] == [booking["code"]] and listed[0]["phone"] == "08123456789"
    status, out, _ = cli("booking", "checkin", booking["code"], "--json")  # 09:00: in its window
    ticket = json.loads(out)
    assert status == 0 and ticket["number"] == "A001" and ticket["source"] == "appointment"
    status, _, err = cli("booking", "checkin", booking["code"])
    assert status == 2 and "sudah dipakai" in err
    status, _, err = cli("booking", "cancel", booking["code"])
    assert status == 2 and "tidak dapat dibatalkan" in err
