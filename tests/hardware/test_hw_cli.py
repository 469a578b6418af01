"""`antrian hw ...` commands, their output and their errors."""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hardware.buttons.events import ButtonAction, ButtonEvent
from hardware.buttons.protocols import LinesProtocol
from hardware.buttons.simulator import VirtualButtonBox
from hardware.printing.status import DLE_EOT_PAPER
from hardware.serial_source import SerialSource
from shared.cli.main import main
from tests.hardware.fake_printer import PAPER_OUT, FakeNetworkPrinter

ANTRIAN = str(Path(sys.executable).with_name("antrian"))


def run(capsys, *args):
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_print_test_writes_a_preview_ticket(tmp_path, capsys):
    status, out, _ = run(
        capsys,
        "hw",
        "print-test",
        "--printer",
        f"preview:{tmp_path}",
        "--width",
        "58",
        "--lang",
        "en",
        "--priority",
    )
    assert status == 0 and "OK" in out
    assert len(list(tmp_path.glob("*.png"))) == 1


def test_a_bad_printer_setting_exits_2_with_one_line(capsys):
    status, out, err = run(capsys, "hw", "print-test", "--printer", "laser:1")
    assert (status, out) == (2, "") and err.count("\n") == 1 and "laser:1" in err


def test_status_of_a_printer_that_cannot_report_says_so(capsys):
    status, out, _ = run(capsys, "hw", "status", "--printer", "dummy:", "--json")
    assert status == 0 and json.loads(out)["readable"] is False


def test_status_of_a_printer_out_of_paper_exits_1_with_the_problem(capsys):
    fake = FakeNetworkPrinter()
    fake.replies[DLE_EOT_PAPER] = PAPER_OUT
    try:
        status, out, _ = run(capsys, "hw", "status", "--printer", fake.spec, "--json")
        assert status == 1 and json.loads(out)["problem"] == "printer_paper_out"
        status, out, _ = run(capsys, "hw", "status", "--printer", fake.spec)
        assert "Kertas printer tiket habis" in out
    finally:
        fake.stop()


def test_ports_lists_serial_ports_as_json(capsys):
    status, out, _ = run(capsys, "hw", "ports", "--json")
    assert status == 0 and isinstance(json.loads(out), list)


def test_buttons_prints_each_decoded_event_as_json():
    with VirtualButtonBox() as box:
        process = subprocess.Popen(
            [ANTRIAN, "hw", "buttons", "--source", box.path, "--json", "--seconds", "20"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert "connected" in process.stderr.readline()
            box.press("3:NEXT")
            assert json.loads(process.stdout.readline()) == {"counter": "3", "action": "next"}
        finally:
            process.terminate()
            process.wait(10)


def test_the_button_simulator_sends_what_is_typed():
    process = subprocess.Popen(
        [ANTRIAN, "hw", "button-sim"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    events: queue.Queue = queue.Queue()
    try:
        path = process.stdout.readline().strip()
        source = SerialSource(path, LinesProtocol(), events.put).start()
        deadline = time.monotonic() + 10
        while not source.connected and time.monotonic() < deadline:
            time.sleep(0.01)
        process.stdin.write("7:recall\n")
        process.stdin.flush()
        assert events.get(timeout=10) == ButtonEvent("7", ButtonAction.RECALL)
        source.stop()
    finally:
        process.stdin.close()
        process.wait(10)


@pytest.mark.parametrize("protocol", ["keymap"])
def test_the_keymap_protocol_needs_a_keymap_file(capsys, protocol):
    status, _, err = run(capsys, "hw", "buttons", "--source", "loop://", "--protocol", protocol)
    assert status == 2 and "keymap" in err
