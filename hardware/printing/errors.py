"""Printer errors, typed, with messages in Bahasa Indonesia and English."""

from __future__ import annotations

from shared.errors import AntrianError, UserError


class PrinterError(AntrianError):
    """The ticket could not be printed; the device is recreated on the next attempt."""

    key = "printer_failed"


class PrinterOffline(PrinterError):
    key = "printer_offline"


class PaperOut(PrinterError):
    key = "printer_paper_out"


class CoverOpen(PrinterError):
    key = "printer_cover_open"


class PrinterTimeout(PrinterError):
    key = "printer_timeout"


class PrinterNotFound(PrinterError):
    key = "printer_not_found"


class PrinterBusy(PrinterError):
    key = "printer_busy"


class PrinterSpecError(UserError):
    """A printer setting that cannot be understood (exit status 2 on the command line)."""

    key = "printer_bad_spec"
