"""Printer status, timeouts and reconnection, over real transports (a fake network printer,
a FIFO that nobody reads, a preview folder)."""

from __future__ import annotations

import os
import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from hardware.printing.errors import (
    CoverOpen,
    PaperOut,
    PrinterOffline,
    PrinterSpecError,
    PrinterTimeout,
)
from hardware.printing.printer import StatusMonitor, ThermalPrinter, sample_ticket
from hardware.printing.spec import parse_spec
from hardware.printing.status import (
    DLE_EOT_OFFLINE,
    DLE_EOT_PAPER,
    DLE_EOT_PRINTER,
    PaperLevel,
    decode,
)
from tests.hardware.fake_printer import (
    COVER_OPEN,
    OFFLINE_STATE,
    PAPER_NEAR_END,
    PAPER_OUT,
    FakeNetworkPrinter,
)

AT = datetime(2026, 11, 30, 9, 5, tzinfo=ZoneInfo("Asia/Jakarta"))
TICKET = sample_ticket("id", AT)


@pytest.fixture
def fake():
    printer = FakeNetworkPrinter()
    yield printer
    printer.stop()


def test_a_ready_network_printer_receives_exactly_the_rendered_bytes(fake):
    printer = ThermalPrinter(fake.spec, timeout=3)
    assert printer.status().ready
    printer.print_ticket(TICKET)
    deadline = time.monotonic() + 5
    expected = printer.render(TICKET)
    while len(fake.received) < len(expected) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert bytes(fake.received) == expected


@pytest.mark.parametrize(
    ("replies", "paper", "problem"),
    [
        ({DLE_EOT_PAPER: PAPER_NEAR_END}, PaperLevel.NEAR_END, None),
        ({DLE_EOT_PAPER: PAPER_OUT}, PaperLevel.OUT, "printer_paper_out"),
        (
            {DLE_EOT_PRINTER: OFFLINE_STATE, DLE_EOT_OFFLINE: COVER_OPEN},
            PaperLevel.OK,
            "printer_cover_open",
        ),
        ({DLE_EOT_PRINTER: None}, PaperLevel.UNKNOWN, "printer_offline"),
        ({DLE_EOT_PRINTER: b"\xff"}, PaperLevel.UNKNOWN, "printer_offline"),
    ],
    ids=["near-end", "paper-out", "cover-open", "no-answer", "garbage"],
)
def test_status_is_read_from_the_printers_answers(fake, replies, paper, problem):
    fake.replies.update(replies)
    status = ThermalPrinter(fake.spec, timeout=3).status()
    assert (status.paper, status.problem) == (paper, problem)


def test_a_silent_printer_is_offline_never_paper_ok():
    status = decode(b"", b"", b"")
    assert not status.online and status.paper == PaperLevel.UNKNOWN
    assert status.problem == "printer_offline"


@pytest.mark.parametrize(
    ("replies", "error"),
    [
        ({DLE_EOT_PAPER: PAPER_OUT}, PaperOut),
        ({DLE_EOT_PRINTER: OFFLINE_STATE, DLE_EOT_OFFLINE: COVER_OPEN}, CoverOpen),
        ({DLE_EOT_PRINTER: None}, PrinterOffline),
    ],
)
def test_printing_is_refused_before_sending_when_the_printer_cannot_print(fake, replies, error):
    fake.replies.update(replies)
    with pytest.raises(error) as caught:
        ThermalPrinter(fake.spec, timeout=3).print_ticket(TICKET)
    assert caught.value.message("en")
    assert fake.received == bytearray()


def test_printing_reconnects_after_the_printer_was_switched_off_and_on(fake):
    printer = ThermalPrinter(fake.spec, timeout=2)
    printer.print_ticket(TICKET)
    port = fake.port
    fake.stop()
    with pytest.raises(PrinterOffline):
        printer.print_ticket(TICKET)
    again = FakeNetworkPrinter(port)
    try:
        printer.print_ticket(TICKET)
        assert again.first_byte.wait(5)
    finally:
        again.stop()


def test_a_printer_that_never_takes_the_bytes_times_out_instead_of_hanging(tmp_path):
    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)  # opening it for writing blocks until a reader comes: a jammed device
    printer = ThermalPrinter(f"file:{fifo}", timeout=0.5)
    started = time.monotonic()
    with pytest.raises(PrinterTimeout) as caught:
        printer.print_ticket(TICKET)
    assert time.monotonic() - started < 5
    assert "0.5" in caught.value.message("en")
    threading.Thread(target=drain, args=(fifo,), daemon=True).start()  # frees the stuck writer


def drain(path) -> None:
    with open(path, "rb") as device:
        device.read()


def test_the_status_monitor_reports_each_change(fake):
    changes = []
    monitor = StatusMonitor(
        ThermalPrinter(fake.spec, timeout=1), changes.append, interval=0.05
    ).start()
    try:
        deadline = time.monotonic() + 5
        while not changes and time.monotonic() < deadline:
            time.sleep(0.01)
        fake.replies[DLE_EOT_PAPER] = PAPER_OUT
        while len(changes) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        monitor.stop()
    assert [c.paper for c in changes[:2]] == [PaperLevel.OK, PaperLevel.OUT]


def test_the_preview_printer_writes_a_png_and_the_bytes(tmp_path):
    printer = ThermalPrinter(f"preview:{tmp_path}", paper_width=58)
    printer.print_ticket(TICKET)
    (png,) = tmp_path.glob("*.png")
    (raw,) = tmp_path.glob("*.bin")
    assert png.read_bytes().startswith(b"\x89PNG")
    assert raw.read_bytes() == printer.render(TICKET)


def test_a_dummy_printer_keeps_what_it_printed():
    printer = ThermalPrinter("dummy:")
    printer.print_ticket(TICKET, "en")
    assert printer.output == printer.render(TICKET, "en")
    assert not printer.status().readable


@pytest.mark.parametrize(
    "spec",
    [
        "usb:zz:01",
        "tcp:",
        "tcp:host:99999",
        "serial:",
        "laser:x",
        "usb:04b8:0e15?baud=9",
        "serial:/dev/ttyUSB0?baud=fast",
    ],
)
def test_a_bad_printer_setting_is_one_clear_error(spec):
    with pytest.raises(PrinterSpecError) as caught:
        parse_spec(spec)
    assert caught.value.line().count("\n") == 0 and spec in caught.value.message("id")


def test_printer_settings_are_read():
    assert parse_spec("usb:04b8:0e15").usb_ids() == (0x04B8, 0x0E15)
    assert parse_spec("tcp:192.168.1.50").host_port() == ("192.168.1.50", 9100)
    assert parse_spec("tcp:192.168.1.50:9101").host_port() == ("192.168.1.50", 9101)
    assert parse_spec("serial:/dev/ttyUSB0?baud=19200").number("baud", 9600) == 19200
    assert parse_spec("usb:04b8:0e15?in_ep=0x81").number("in_ep", 0) == 0x81
