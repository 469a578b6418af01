"""`ThermalPrinter`: prints tickets through any transport, never blocking past a timeout.

The ticket is rendered to bytes first (python-escpos on a Dummy: pure and fast), then sent by the
transport on a helper thread that the caller waits for at most `timeout` seconds: a jammed or
unplugged printer cannot hang the kiosk. After any failure the transport is closed and created
again on the next attempt, which is how an unplugged or power-cycled printer comes back.
"""

from __future__ import annotations

import errno
import logging
import socket
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import serial
from escpos.escpos import Escpos
from escpos.exceptions import DeviceNotFoundError, USBNotFoundError
from escpos.printer import Dummy, File, Network, Serial, Usb
from PIL import Image

from hardware.printing.errors import (
    CoverOpen,
    PaperOut,
    PrinterBusy,
    PrinterError,
    PrinterNotFound,
    PrinterOffline,
    PrinterSpecError,
    PrinterTimeout,
)
from hardware.printing.escpos_render import render_bytes
from hardware.printing.layout import Op, ticket_layout
from hardware.printing.preview import render_image
from hardware.printing.spec import PrinterSpec, parse_spec
from hardware.printing.status import (
    DLE_EOT_OFFLINE,
    DLE_EOT_PAPER,
    DLE_EOT_PRINTER,
    OFFLINE,
    UNREADABLE,
    PrinterStatus,
    decode,
)
from hardware.printing.ticket import PAPERS, Paper, TicketPrint
from shared.domain.estimate import WaitEstimate
from shared.i18n import Lang

log = logging.getLogger(__name__)

DEFAULT_PROFILE = "TM-T20II"
READABLE_KINDS = frozenset({"usb", "serial", "tcp"})


def _open_transport(spec: PrinterSpec, profile: str, timeout: float) -> Escpos:
    """The python-escpos printer object for a spec (opened on first use)."""
    if spec.kind == "usb":
        vendor, product = spec.usb_ids()
        return Usb(
            vendor,
            product,
            timeout=int(spec.number("timeout", timeout) * 1000),
            in_ep=int(spec.number("in_ep", 0x82)),
            out_ep=int(spec.number("out_ep", 0x01)),
            profile=profile,
        )
    if spec.kind == "serial":
        return Serial(
            devfile=spec.target,
            baudrate=int(spec.number("baud", 9600)),
            timeout=spec.number("timeout", 1.0),
            profile=profile,
        )
    if spec.kind == "tcp":
        host, port = spec.host_port()
        return Network(host, port, timeout=spec.number("timeout", timeout), profile=profile)
    if spec.kind == "file":
        return File(devfile=spec.target, profile=profile)
    if spec.kind == "cups":
        try:
            from escpos.printer import CupsPrinter
        except ImportError:
            raise PrinterSpecError(spec=spec.text, detail="pycups is not installed") from None
        return CupsPrinter(printer_name=spec.target, profile=profile)
    return Dummy(profile=profile)


def translate(error: BaseException, spec: PrinterSpec) -> PrinterError:
    """A library or OS error as one of ours (the log keeps the original)."""
    if isinstance(error, PrinterError):
        return error
    if isinstance(error, DeviceNotFoundError | USBNotFoundError | FileNotFoundError):
        return PrinterNotFound(spec=spec.text)
    text = str(error).lower()
    if "busy" in text or getattr(error, "errno", None) == errno.EBUSY:
        return PrinterBusy(spec=spec.text)
    if isinstance(error, socket.timeout | TimeoutError):
        return PrinterTimeout(seconds="?")
    if isinstance(error, ConnectionError | serial.SerialException | OSError):
        return PrinterOffline()
    return PrinterError(detail=str(error) or type(error).__name__)


class ThermalPrinter:
    """One ticket printer, configured by a spec string, a paper width and a profile."""

    def __init__(
        self,
        spec: str | PrinterSpec,
        *,
        paper_width: int = 80,
        profile: str | None = None,
        logo: Path | None = None,
        timeout: float = 10.0,
    ) -> None:
        self.spec = spec if isinstance(spec, PrinterSpec) else parse_spec(spec)
        if paper_width not in PAPERS:
            raise PrinterSpecError(spec=self.spec.text, detail=f"paper width {paper_width} mm")
        self.paper: Paper = PAPERS[paper_width]
        self.profile = profile or (DEFAULT_PROFILE if paper_width == 80 else "POS-5890")
        self.timeout = timeout
        self.logo = Image.open(logo) if logo else None
        self._device: Escpos | None = None
        self._lock = threading.Lock()
        self.printed = 0

    # --------------------------------------------------------------------------- printing

    def layout(self, ticket: TicketPrint, lang: Lang) -> list[Op]:
        return ticket_layout(ticket, self.paper, lang, self.logo)

    def render(self, ticket: TicketPrint, lang: Lang = "id") -> bytes:
        """The bytes this printer would receive for `ticket`."""
        return render_bytes(self.layout(ticket, lang), self.paper, self.profile)

    def print_ticket(self, ticket: TicketPrint, lang: Lang = "id") -> None:
        """Print one ticket, or raise a PrinterError within about `timeout` seconds."""
        ops = self.layout(ticket, lang)
        if self.spec.kind == "preview":
            self._run(lambda: self._write_preview(ops, ticket))
            return
        data = render_bytes(ops, self.paper, self.profile)
        if self.spec.kind in READABLE_KINDS:
            problem = self.status().problem
            if problem == "printer_paper_out":
                raise PaperOut()
            if problem == "printer_cover_open":
                raise CoverOpen()
            if problem is not None:
                raise PrinterOffline()
        self._run(lambda: self._device_for_use()._raw(data))
        self.printed += 1

    def _write_preview(self, ops: list[Op], ticket: TicketPrint) -> None:
        folder = Path(self.spec.target)
        folder.mkdir(parents=True, exist_ok=True)
        stem = f"{ticket.issued_at:%Y%m%d-%H%M%S}-{ticket.number}-{self.printed + 1:04d}"
        render_image(ops, self.paper).save(folder / f"{stem}.png")
        (folder / f"{stem}.bin").write_bytes(render_bytes(ops, self.paper, self.profile))
        self.printed += 1

    @property
    def output(self) -> bytes:
        """What a `dummy:` printer has received so far."""
        device = self._device
        return bytes(device.output) if isinstance(device, Dummy) else b""

    # ---------------------------------------------------------------------------- status

    def status(self) -> PrinterStatus:
        """Online, paper and cover, where the transport can read them; a silent printer is
        offline (never "paper ok")."""
        if self.spec.kind not in READABLE_KINDS:
            return UNREADABLE
        try:
            status: PrinterStatus = self._run(self._query_status, logging.DEBUG)
        except PrinterError:
            return OFFLINE
        if not status.online:
            self._reset()  # a silent connection may be dead: open a fresh one next time
        return status

    def _query_status(self) -> PrinterStatus:
        device = self._device_for_use()

        def ask(query: bytes) -> bytes:
            device._raw(query)
            try:
                return bytes(device._read() or b"")
            except TimeoutError:
                return b""

        first = ask(DLE_EOT_PRINTER)
        if not first:
            return OFFLINE
        return decode(first, ask(DLE_EOT_OFFLINE), ask(DLE_EOT_PAPER))

    # ------------------------------------------------------------------------ transport

    def _device_for_use(self) -> Escpos:
        if self._device is None:
            self._device = _open_transport(self.spec, self.profile, self.timeout)
            self._device.open()
        return self._device

    def _run(self, work: Callable[[], Any], log_level: int = logging.WARNING) -> Any:
        """Run `work` on a helper thread; wait at most `timeout`; reset the device on failure."""
        result: dict[str, Any] = {}

        def target() -> None:
            try:
                with self._lock:
                    result["value"] = work()
            except BaseException as error:  # handed to the caller below
                result["error"] = error

        helper = threading.Thread(target=target, name="printer-io", daemon=True)
        helper.start()
        helper.join(self.timeout)
        if helper.is_alive():
            self._reset()
            raise PrinterTimeout(seconds=f"{self.timeout:g}")
        if "error" in result:
            self._reset()
            error = translate(result["error"], self.spec)
            log.log(log_level, "printer %s: %s (%r)", self.spec.text, error.line(), result["error"])
            raise error from result["error"]
        return result.get("value")

    def _reset(self) -> None:
        """Drop the device; the next use creates it again (after an unplug, a power cycle)."""
        device, self._device = self._device, None
        if device is not None and not isinstance(device, Dummy):
            threading.Thread(target=_close_quietly, args=(device,), daemon=True).start()

    def close(self) -> None:
        self._reset()


def _close_quietly(device: Escpos) -> None:
    try:
        device.close()
    except Exception:  # closing a dead device may fail in many ways; it is gone either way
        log.debug("closing printer failed", exc_info=True)


class StatusMonitor:
    """Polls a printer's status on a background thread and reports each change."""

    def __init__(
        self,
        printer: ThermalPrinter,
        on_change: Callable[[PrinterStatus], None],
        interval: float = 5.0,
    ) -> None:
        self._printer = printer
        self._on_change = on_change
        self._interval = interval
        self._stopped = threading.Event()
        self.last: PrinterStatus | None = None
        self._thread = threading.Thread(target=self._run, name="printer-status", daemon=True)

    def start(self) -> StatusMonitor:
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stopped.is_set():
            status = self._printer.status()
            if status != self.last:
                self.last = status
                self._on_change(status)
            self._stopped.wait(self._interval)

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(self._interval + self._printer.timeout)


def sample_ticket(lang: Lang, issued_at: datetime, priority: bool = False) -> TicketPrint:
    """The ticket `antrian hw print-test` prints."""
    from shared.i18n import tr

    english = lang == "en"
    return TicketPrint(
        site_name="Mal Pelayanan Publik Kabupaten Bekasi",
        agency="Civil Registry Office" if english else "Dinas Kependudukan dan Pencatatan Sipil",
        service="Electronic ID card (KTP-el)" if english else "KTP Elektronik",
        number="A001",
        priority=priority,
        issued_at=issued_at,
        people_ahead=3,
        wait=WaitEstimate.exact(12),
        qr_payload="ANTRIAN:TEST:A001",
        fee=tr("fee_free", lang),
        completion="1 working day" if english else "1 hari kerja",
        footer=(tr("ticket_keep", lang), tr("ticket_complaints", lang)),
    )
