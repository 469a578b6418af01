"""Printing benchmark: bytes per ticket, render time, and print-to-first-byte on a file: printer.

    python bench/printing.py [--tickets 500]

Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hardware.printing.printer import ThermalPrinter, sample_ticket

AT = datetime(2026, 11, 30, 9, 5, tzinfo=ZoneInfo("Asia/Jakarta"))
CASES = (
    (80, "TM-T20II", "native QR"),
    (58, "TM-T20II", "native QR"),
    (58, "POS-5890", "image QR (no native QR in the profile)"),
)


def ms(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))] * 1000


def _read_fifo(fifo: Path, stamp: list[float], arrived: threading.Event) -> None:
    with open(fifo, "rb") as device:
        device.read(1)
        stamp.append(time.perf_counter())
        arrived.set()
        device.read()


def first_byte_latency(width: int, profile: str, count: int) -> list[float]:
    """Seconds from print_ticket() being called to the first byte read from a FIFO printer."""
    samples = []
    with tempfile.TemporaryDirectory() as folder:
        fifo = Path(folder) / "lp0"
        os.mkfifo(fifo)
        for _ in range(count):
            arrived = threading.Event()
            stamp: list[float] = []
            reader = threading.Thread(target=_read_fifo, args=(fifo, stamp, arrived))
            reader.start()
            printer = ThermalPrinter(f"file:{fifo}", paper_width=width, profile=profile)
            started = time.perf_counter()
            printer.print_ticket(sample_ticket("id", AT))
            arrived.wait(10)
            printer.close()
            reader.join(10)
            samples.append(stamp[0] - started)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=500)
    args = parser.parse_args()
    ticket = sample_ticket("id", AT)
    print(f"Antrian printing benchmark: {args.tickets} tickets per case (sample ticket, id)")
    for width, profile, qr in CASES:
        printer = ThermalPrinter("dummy:", paper_width=width, profile=profile)
        size = len(printer.render(ticket))
        renders = []
        for _ in range(args.tickets):
            start = time.perf_counter()
            printer.render(ticket)
            renders.append(time.perf_counter() - start)
        first = first_byte_latency(width, profile, max(20, args.tickets // 10))
        print(
            f"  {width} mm {profile:9} {qr:40} {size:6,} bytes/ticket   render p50 "
            f"{statistics.median(renders) * 1000:.2f} ms  p99 {ms(renders, 0.99):.2f} ms   "
            f"print->first byte p50 {statistics.median(first) * 1000:.2f} ms  "
            f"p99 {ms(first, 0.99):.2f} ms"
        )


if __name__ == "__main__":
    main()
