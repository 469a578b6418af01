"""Call-button protocols over loop:// and a real pty pair: decoding, debounce, garbage, unplug."""

from __future__ import annotations

import os
import queue
import time
from pathlib import Path

import pytest
import serial
from hypothesis import given
from hypothesis import strategies as st

from hardware.buttons.events import ButtonAction, ButtonEvent
from hardware.buttons.protocols import KeymapProtocol, LinesProtocol, load_keymap, make_protocol
from hardware.buttons.simulator import VirtualButtonBox
from hardware.serial_source import Debouncer, SerialSource
from shared.errors import UserError

WAIT = 10  # seconds: a bound for a stuck reader, not a performance figure
NEXT3 = ButtonEvent("3", ButtonAction.NEXT)
KEYMAP = {
    b"\x02A1\x03": NEXT3,
    b"\x02A2\x03": ButtonEvent("3", ButtonAction.RECALL),
    b"\x02B1\x03": ButtonEvent("4", ButtonAction.NEXT),
}


def test_lines_are_read_as_counter_and_action_in_any_usual_spelling():
    protocol = LinesProtocol()
    events = protocol.feed(
        b"3:NEXT\r\n4:recall\n12 selesai\r\nL05;lewati\n7:istirahat\n8:Tunda\n9:park\n"
    )
    assert events == [
        NEXT3,
        ButtonEvent("4", ButtonAction.RECALL),
        ButtonEvent("12", ButtonAction.FINISH),
        ButtonEvent("L05", ButtonAction.SKIP),
        ButtonEvent("7", ButtonAction.PAUSE),
        ButtonEvent("8", ButtonAction.PARK),
        ButtonEvent("9", ButtonAction.PARK),
    ]


def test_a_line_split_across_reads_is_joined():
    protocol = LinesProtocol()
    assert protocol.feed(b"3:NE") == []
    assert protocol.feed(b"XT\r\n") == [NEXT3]


def test_a_site_can_give_its_own_line_pattern():
    protocol = LinesProtocol(r"^BTN(?P<counter>\d+)-(?P<action>\w+)$")
    assert protocol.feed(b"BTN3-next\n3:next\n") == [NEXT3]


def test_a_pattern_without_the_named_groups_is_refused():
    with pytest.raises(UserError):
        LinesProtocol(r"^(\d+):(\w+)$")


def test_keymap_codes_become_events_and_stray_bytes_are_dropped():
    protocol = KeymapProtocol(KEYMAP)
    assert protocol.feed(b"\x02A1\x03xx\x02B") == [NEXT3]
    assert protocol.feed(b"1\x03\r\n") == [ButtonEvent("4", ButtonAction.NEXT)]


def test_a_keymap_file_is_read(tmp_path):
    path = tmp_path / "keys.toml"
    path.write_text('[codes]\n"\\\\x02A1\\\\x03" = "3:next"\n"Z" = "9:recall"\n')
    table = load_keymap(path)
    assert table == {b"\x02A1\x03": NEXT3, b"Z": ButtonEvent("9", ButtonAction.RECALL)}
    assert make_protocol("keymap", keymap=path).feed(b"Z") == [ButtonEvent("9", "recall")]


def test_an_unknown_protocol_is_a_clear_error():
    with pytest.raises(UserError, match="lines atau keymap"):
        make_protocol("morse")


# A frame of garbage: anything, with at least one byte that is not ASCII, ending a line.
garbage_lines = st.lists(
    st.tuples(st.binary(max_size=30), st.integers(0x80, 0xFF), st.binary(max_size=30)).map(
        lambda t: (t[0] + bytes([t[1]]) + t[2]).replace(b"\n", b"").replace(b"\r", b"") + b"\n"
    ),
    max_size=20,
)


@given(garbage_lines)
def test_garbage_lines_never_raise_and_never_make_an_event(lines):
    protocol = LinesProtocol()
    assert [protocol.feed(line) for line in lines] == [[] for _ in lines]
    assert protocol.feed(b"3:next\n") == [NEXT3]  # and the protocol is not stuck afterwards


@given(st.binary(max_size=500).map(lambda b: b.replace(b"\x02", b"")))
def test_keymap_garbage_never_raises_and_never_makes_an_event(data):
    protocol = KeymapProtocol(KEYMAP)
    assert protocol.feed(data) == []
    assert protocol.feed(b"\x02A1\x03") == [NEXT3]


@given(st.binary(max_size=2000))
def test_any_bytes_at_all_never_raise(data):
    LinesProtocol().feed(data)
    KeymapProtocol(KEYMAP).feed(data)


def test_repeated_presses_within_the_debounce_window_count_once():
    now = [0.0]
    debouncer = Debouncer(0.7, clock=lambda: now[0])
    accepted = []
    for t in (0.0, 0.3, 0.6, 1.4, 1.5):
        now[0] = t
        accepted.append(debouncer.accept(NEXT3))
    assert accepted == [True, False, False, True, False]
    assert debouncer.accept(ButtonEvent("4", ButtonAction.NEXT))  # another button is not held


def collect(url: str, protocol=None, debounce: float = 0.7):
    events: queue.Queue = queue.Queue()
    statuses: queue.Queue = queue.Queue()
    source = SerialSource(
        url, protocol or LinesProtocol(), events.put, statuses.put, debounce=debounce
    ).start()
    return source, events, statuses


def test_events_arrive_over_a_pty_from_a_virtual_button_box():
    with VirtualButtonBox() as box:
        source, events, statuses = collect(box.path)
        try:
            assert statuses.get(timeout=WAIT) is True
            box.press("3:NEXT")
            box.press("3:NEXT")  # a bounce
            box.press("4:RECALL")
            assert events.get(timeout=WAIT) == NEXT3
            assert events.get(timeout=WAIT) == ButtonEvent("4", ButtonAction.RECALL)
            assert events.empty()
        finally:
            source.stop()


def test_events_arrive_over_loop_url():
    source, events, statuses = collect("loop://")
    try:
        assert statuses.get(timeout=WAIT) is True
        # loop:// echoes what is written to the same port object, so write through it
        deadline = time.monotonic() + WAIT
        while source._port is None and time.monotonic() < deadline:
            time.sleep(0.01)
        source._port.write(b"3:NEXT\r\n")
        assert events.get(timeout=WAIT) == NEXT3
    finally:
        source.stop()


def test_an_unplugged_receiver_is_reported_and_events_resume_after_replugging(tmp_path):
    link = tmp_path / "ttyUSB-buttons"  # like /dev/serial/by-id/...: stable across replugs
    first = VirtualButtonBox()
    os.symlink(first.path, link)
    source, events, statuses = collect(str(link))
    try:
        assert statuses.get(timeout=WAIT) is True
        first.press("3:NEXT")
        assert events.get(timeout=WAIT) == NEXT3
        first.unplug()
        link.unlink()
        assert statuses.get(timeout=WAIT) is False
        second = VirtualButtonBox()
        os.symlink(second.path, link)
        assert statuses.get(timeout=WAIT) is True
        second.press("5:FINISH")
        assert events.get(timeout=WAIT) == ButtonEvent("5", ButtonAction.FINISH)
        second.unplug()
    finally:
        source.stop()


def test_a_missing_device_is_retried_without_raising(tmp_path):
    source, events, _statuses = collect(str(tmp_path / "nothing-here"))
    try:
        deadline = time.monotonic() + WAIT
        while source.open_attempts < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert source.open_attempts >= 2  # it tried again after the first failure
        assert source.connected is False and events.empty()
    finally:
        source.stop()


def test_pyserial_reports_the_unplug_we_rely_on():
    box = VirtualButtonBox()
    port = serial.Serial(box.path, timeout=0.2)
    os.close(box._device)
    with pytest.raises((serial.SerialException, OSError)):
        for _ in range(10):
            port.read(1)
    port.close()
    os.close(box._port)


def test_example_keymap_file_loads():
    assert load_keymap(Path(__file__).parents[2] / "examples" / "buttons-keymap.toml")


@pytest.mark.parametrize("make", [LinesProtocol, lambda: KeymapProtocol(KEYMAP)])
def test_a_second_of_serial_noise_is_one_log_line_with_a_count(make, caplog):
    protocol = make()
    now = [0.0]
    protocol.noise._clock = lambda: now[0]
    noise = bytes(range(256)) * 4  # ~ a second of garbage at 9,600 baud
    with caplog.at_level("WARNING", logger="hardware.buttons.protocols"):
        for chunk in range(0, len(noise), 16):
            now[0] += 0.01
            protocol.feed(noise[chunk : chunk + 16] + b"\n")
        now[0] += 10
        protocol.feed(b"\xff\xfe" * 50 + b"\n")
    assert 1 <= len(caplog.records) <= 3
    assert "ignored" in caplog.records[-1].getMessage()


@pytest.mark.timeout(10)
def test_a_single_huge_line_is_dropped_without_the_pattern_reading_it():
    protocol = LinesProtocol(r"^(?P<counter>(a|aa)+)\s*:(?P<action>\w+)$")  # would backtrack
    assert protocol.feed(b"a" * 64_000 + b"!\n3:NEXT\n") == []
    assert LinesProtocol().feed(b"x" * 64_000 + b"\n3:NEXT\n") == [NEXT3]


def test_a_pattern_that_captures_control_characters_yields_no_counter():
    protocol = LinesProtocol(r"^(?P<counter>.+):(?P<action>\w+)$")
    assert protocol.feed(b"3\x00:NEXT\n3:NEXT\n") == [NEXT3]


@pytest.mark.parametrize(
    "text",
    ['codes = "not a table"', "[codes]\n'\\' = \"3:NEXT\"", "[codes]\n'\u0101' = \"3:NEXT\""],
    ids=["codes-not-table", "trailing-backslash", "not-latin1"],
)
def test_a_broken_keymap_file_is_one_plain_error(tmp_path, text):
    path = tmp_path / "keymap.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(UserError, match="keymap"):
        load_keymap(path)
