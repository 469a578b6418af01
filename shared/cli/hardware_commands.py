"""`antrian hw ...`: try printers and call buttons without the apps."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import threading
from dataclasses import asdict
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from hardware.buttons.events import ButtonEvent
from hardware.buttons.protocols import make_protocol
from hardware.buttons.simulator import VirtualButtonBox
from hardware.ports import serial_ports
from hardware.serial_source import SerialSource
from shared.i18n import as_lang, tr

if TYPE_CHECKING:
    from hardware.printing.printer import ThermalPrinter


def add_commands(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    hw = sub.add_parser("hw", help="printers and call buttons").add_subparsers(
        dest="action", required=True
    )
    ports = hw.add_parser("ports", help="serial ports and their USB descriptions")
    ports.add_argument("--json", action="store_true")
    ports.set_defaults(handler=ports_command)

    for name, handler, help_text in (
        ("print-test", print_test, "print a sample ticket"),
        ("status", printer_status, "the printer's status"),
    ):
        printer = hw.add_parser(name, help=help_text)
        printer.add_argument("--printer", required=True, help="e.g. usb:04b8:0e15, preview:DIR")
        printer.add_argument("--width", type=int, choices=(58, 80), default=80)
        printer.add_argument("--profile", help="python-escpos profile (TM-T20II, POS-5890, ...)")
        printer.add_argument("--lang", choices=("id", "en"), default="id")
        printer.add_argument("--priority", action="store_true", help="a priority ticket")
        printer.add_argument("--json", action="store_true")
        printer.set_defaults(handler=handler)

    buttons = hw.add_parser("buttons", help="print each call-button event until Ctrl-C")
    buttons.add_argument("--source", required=True, help="pyserial URL or device path")
    buttons.add_argument("--protocol", default="lines", help="lines or keymap")
    buttons.add_argument("--pattern", help="lines: regular expression with counter and action")
    buttons.add_argument("--keymap", help="keymap: TOML file with a [codes] table")
    buttons.add_argument("--baud", type=int, default=9600)
    buttons.add_argument("--seconds", type=float, help="stop after this long")
    buttons.add_argument("--json", action="store_true")
    buttons.set_defaults(handler=buttons_command)

    sim = hw.add_parser("button-sim", help="a virtual button box: type codes such as 3:NEXT")
    sim.set_defaults(handler=button_sim)


def ports_command(args: argparse.Namespace) -> int:
    ports = serial_ports()
    if args.json:
        print(json.dumps([asdict(p) for p in ports]))
    elif not ports:
        print("Tidak ada port serial / No serial ports")
    for port in [] if args.json else ports:
        print(f"{port.device}  {port.usb_id or '-'}  {port.description}  {port.hwid}")
    return 0


def _printer(args: argparse.Namespace) -> ThermalPrinter:
    from hardware.printing.printer import ThermalPrinter  # python-escpos loads in 0.4 s

    return ThermalPrinter(args.printer, paper_width=args.width, profile=args.profile)


def print_test(args: argparse.Namespace) -> int:
    printer = _printer(args)
    lang = as_lang(args.lang)
    from hardware.printing.printer import sample_ticket

    ticket = sample_ticket(lang, datetime.now(ZoneInfo("Asia/Jakarta")), priority=args.priority)
    printer.print_ticket(ticket, lang)
    printer.close()
    print(f"{args.printer}: OK")
    return 0


def printer_status(args: argparse.Namespace) -> int:
    printer = _printer(args)
    status = printer.status()
    printer.close()
    if args.json:
        print(json.dumps({**asdict(status), "problem": status.problem, "ready": status.ready}))
    elif not status.readable:
        print(f"{args.printer}: status cannot be read over this transport")
    else:
        problem = tr(status.problem, as_lang(args.lang)) if status.problem else "OK"
        print(
            f"{args.printer}: {problem}  (online={status.online}, paper={status.paper}, "
            f"cover_open={status.cover_open})"
        )
    return 0 if status.ready else 1


def buttons_command(args: argparse.Namespace) -> int:
    protocol = make_protocol(args.protocol, pattern=args.pattern, keymap=args.keymap)

    def show(event: ButtonEvent) -> None:
        line = (
            json.dumps({"counter": event.counter, "action": event.action.value})
            if args.json
            else f"{event.counter} {event.action.value}"
        )
        print(line, flush=True)

    def status(connected: bool) -> None:
        print(
            f"# {'tersambung / connected' if connected else 'terputus / disconnected'}",
            file=sys.stderr,
            flush=True,
        )

    source = SerialSource(args.source, protocol, show, status, baudrate=args.baud).start()
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait(args.seconds)
    source.stop()
    return 0


def button_sim(args: argparse.Namespace) -> int:
    with VirtualButtonBox() as box:
        print(box.path, flush=True)
        print(
            "# ketik kode tombol, mis. 3:NEXT / type button codes, e.g. 3:NEXT",
            file=sys.stderr,
            flush=True,
        )
        try:
            for line in sys.stdin:
                if line.strip():
                    box.press(line.strip())
        except KeyboardInterrupt:
            pass
    return 0
