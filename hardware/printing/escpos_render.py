"""Layout operations to ESC/POS commands through python-escpos (any Escpos, usually Dummy)."""

from __future__ import annotations

from escpos.escpos import Escpos
from escpos.printer import Dummy

from hardware.printing.layout import Cut, Feed, Logo, Op, Qr, Rule, Text
from hardware.printing.ticket import Paper


def native_qr_supported(profile: str) -> bool:
    """Whether the printer draws QR codes itself (GS ( k); else the QR goes as an image."""
    return bool(Dummy(profile=profile).profile.supports("qrCode"))


class _Styler:
    """Sends text attributes only when they change: a ticket stays a few hundred bytes."""

    def __init__(self, printer: Escpos) -> None:
        self._printer = printer
        # what ESC @ (initialise) leaves the printer in
        self._current: dict[str, object] = {
            "align": "left",
            "bold": False,
            "invert": False,
            "scale": 1,
        }

    def apply(
        self, align: str = "left", bold: bool = False, invert: bool = False, scale: int = 1
    ) -> None:
        wanted: dict[str, object] = {"align": align, "bold": bold, "invert": invert, "scale": scale}
        changed = {k: v for k, v in wanted.items() if self._current.get(k) != v}
        if not changed:
            return
        args: dict[str, object] = {k: v for k, v in changed.items() if k != "scale"}
        if "scale" in changed:  # GS ! n: 3 bytes, also for back to normal size
            args.update(custom_size=True, width=scale, height=scale)
        self._printer.set(**args)
        self._current = wanted


def render(ops: list[Op], printer: Escpos, paper: Paper) -> None:
    """Send the operations to `printer` as ESC/POS commands."""
    native_qr = printer.profile.supports("qrCode")
    style = _Styler(printer)
    printer.hw("INIT")
    for op in ops:
        if isinstance(op, Text):
            style.apply(op.align, op.bold, op.invert, op.scale)
            printer.text(op.text + "\n")
        elif isinstance(op, Rule):
            style.apply()
            printer.text("-" * paper.columns + "\n")
        elif isinstance(op, Qr):
            style.apply("center")
            if native_qr:
                printer.qr(op.payload, size=op.module_dots, native=True)
                printer.text("\n")
            else:
                printer.qr(op.payload, size=op.module_dots, native=False, center=True)
        elif isinstance(op, Logo):
            printer.image(op.image, center=True, fragment_height=256)
        elif isinstance(op, Feed):
            printer.text("\n" * op.lines)
        elif isinstance(op, Cut):
            style.apply()
            printer.cut()


def render_bytes(ops: list[Op], paper: Paper, profile: str) -> bytes:
    """The exact bytes a printer with `profile` receives for these operations."""
    dummy = Dummy(profile=profile)
    render(ops, dummy, paper)
    return bytes(dummy.output)
