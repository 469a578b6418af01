"""A serial barcode scanner: its lines become scans, noise never raises, and scans arrive over
a real pty through the same SerialSource as the call buttons."""

from __future__ import annotations

import queue

from hypothesis import given
from hypothesis import strategies as st

from hardware.buttons.simulator import VirtualButtonBox
from hardware.scanner import MAX_SCAN, ScanLines
from hardware.serial_source import SerialSource

WAIT = 5


def test_each_line_is_one_scan_whatever_its_line_ending_and_split():
    lines = ScanLines()
    assert lines.feed(b"JMT9-XR") == []
    assert lines.feed(b"VJ\r\nK7MX92QD\n\r\n") == ["JMT9-XRVJ", "K7MX92QD"]


def test_unprintable_or_overlong_lines_are_dropped_as_noise():
    lines = ScanLines()
    assert lines.feed(b"\xff\xfe\x00ab\r\n" + b"A" * (MAX_SCAN + 1) + b"\r\nOK12\r\n") == ["OK12"]
    assert lines.feed(b"B" * (MAX_SCAN + 5)) == [] and lines.feed(b"\nGOOD\n") == ["GOOD"]


@given(st.binary(max_size=2048))
def test_any_bytes_at_all_never_raise_and_give_only_printable_scans(data):
    for scan in ScanLines().feed(data):
        assert scan.isprintable() and 0 < len(scan) <= MAX_SCAN


def test_scans_arrive_over_a_pty_and_a_double_read_counts_once():
    scans: queue.Queue = queue.Queue()
    statuses: queue.Queue = queue.Queue()
    with VirtualButtonBox() as scanner:
        source = SerialSource(
            scanner.path, ScanLines(), scans.put, statuses.put, what="scanner"
        ).start()
        try:
            assert statuses.get(timeout=WAIT) is True  # opening the port empties its buffer
            scanner.press("JMT9-XRVJ")
            scanner.press("JMT9-XRVJ")  # the scanner read the same code twice
            scanner.press("K7MX-92QD")
            assert scans.get(timeout=WAIT) == "JMT9-XRVJ"
            assert scans.get(timeout=WAIT) == "K7MX-92QD"
            assert scans.empty()
        finally:
            source.stop()
