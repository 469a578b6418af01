"""Printer status from the real-time DLE EOT queries, decoded without trusting silence.

python-escpos's `paper_status()` says "adequate" when the printer answers nothing; here a printer
that does not answer is offline, and a reply that is not a status byte is "unknown".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

DLE_EOT_PRINTER: Final = b"\x10\x04\x01"  # online / offline
DLE_EOT_OFFLINE: Final = b"\x10\x04\x02"  # why offline: cover open, paper end, error
DLE_EOT_PAPER: Final = b"\x10\x04\x04"  # roll paper sensors: near end, end


class PaperLevel(StrEnum):
    OK = "ok"
    NEAR_END = "near_end"
    OUT = "out"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class PrinterStatus:
    readable: bool  # False: the transport cannot read (file, cups, preview): nothing is known
    online: bool
    paper: PaperLevel
    cover_open: bool | None

    @property
    def problem(self) -> str | None:
        """The message key of what stops printing now, or None."""
        if not self.readable:
            return None
        if not self.online and self.cover_open:
            return "printer_cover_open"
        if self.paper == PaperLevel.OUT:
            return "printer_paper_out"
        if not self.online:
            return "printer_offline"
        return None

    @property
    def ready(self) -> bool:
        return self.problem is None


UNREADABLE: Final = PrinterStatus(
    readable=False, online=True, paper=PaperLevel.UNKNOWN, cover_open=None
)
OFFLINE: Final = PrinterStatus(
    readable=True, online=False, paper=PaperLevel.UNKNOWN, cover_open=None
)


def _status_byte(reply: bytes) -> int | None:
    """The status byte of a DLE EOT reply: bits 1 and 4 set, 0 and 7 clear; else None."""
    if len(reply) < 1 or reply[-1] & 0x93 != 0x12:
        return None
    return reply[-1]


def decode(printer: bytes, offline: bytes, paper: bytes) -> PrinterStatus:
    """The status from the replies to DLE EOT 1, 2 and 4 (empty: no reply)."""
    state = _status_byte(printer)
    if state is None:
        return OFFLINE
    cause = _status_byte(offline)
    sensor = _status_byte(paper)
    if sensor is None:
        paper_state = PaperLevel.UNKNOWN
    elif sensor & 0x60:
        paper_state = PaperLevel.OUT
    elif sensor & 0x0C:
        paper_state = PaperLevel.NEAR_END
    else:
        paper_state = PaperLevel.OK
    if cause is not None and cause & 0x20:
        paper_state = PaperLevel.OUT
    return PrinterStatus(
        readable=True,
        online=not state & 0x08,
        paper=paper_state,
        cover_open=None if cause is None else bool(cause & 0x04),
    )
