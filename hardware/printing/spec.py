"""The one printer setting: a spec string naming the transport and where the printer is.

usb:04b8:0e15[?timeout=5&in_ep=0x82&out_ep=0x01]    USB (pyusb), vendor:product in hex
serial:/dev/ttyUSB0[?baud=19200]                     serial port
tcp:192.168.1.50[:9100]                              network (raw port 9100)
file:/dev/usb/lp0                                    a device file (kernel usblp driver)
cups:QUEUE                                           a CUPS queue (needs pycups)
preview:DIR                                          simulator: each ticket as PNG + bytes
dummy:                                               in memory (tests)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final
from urllib.parse import parse_qsl

from hardware.printing.errors import PrinterSpecError

KINDS: Final = ("usb", "serial", "tcp", "file", "cups", "preview", "dummy")
OPTIONS: Final = {
    "usb": {"timeout", "in_ep", "out_ep"},
    "serial": {"baud", "timeout"},
    "tcp": {"timeout"},
}


@dataclass(frozen=True, slots=True)
class PrinterSpec:
    kind: str
    target: str = ""
    options: dict[str, str] = field(default_factory=dict)
    text: str = ""

    def number(self, name: str, default: float) -> float:
        value = self.options.get(name)
        if value is None:
            return default
        try:
            return float(int(value, 0)) if value.lower().startswith("0x") else float(value)
        except ValueError:
            raise PrinterSpecError(spec=self.text, detail=f"{name}={value}") from None

    def usb_ids(self) -> tuple[int, int]:
        vendor, _, product = self.target.partition(":")
        return int(vendor, 16), int(product, 16)

    def host_port(self) -> tuple[str, int]:
        host, _, port = (
            self.target.rpartition(":")
            if self.target.count(":") == 1
            else (self.target, "", "9100")
        )
        return host, int(port)


def parse_spec(text: str) -> PrinterSpec:
    """Read a spec string; PrinterSpecError (one clear line) when it is not one."""
    kind, sep, rest = text.strip().partition(":")
    if not sep or kind not in KINDS:
        raise PrinterSpecError(spec=text, detail=f"use one of {', '.join(k + ':' for k in KINDS)}")
    target, _, query = rest.partition("?")
    options = dict(parse_qsl(query, keep_blank_values=True))
    unknown = set(options) - OPTIONS.get(kind, set())
    if unknown:
        raise PrinterSpecError(spec=text, detail=f"unknown option {sorted(unknown)[0]}")
    spec = PrinterSpec(kind, target, options, text)
    _check(spec)
    return spec


def _check(spec: PrinterSpec) -> None:
    def bad(detail: str) -> PrinterSpecError:
        return PrinterSpecError(spec=spec.text, detail=detail)

    if spec.kind == "usb":
        try:
            spec.usb_ids()
        except ValueError:
            raise bad("usb:VENDOR:PRODUCT in hex, e.g. usb:04b8:0e15") from None
    elif spec.kind == "tcp":
        try:
            host, port = spec.host_port()
        except ValueError:
            raise bad("tcp:HOST[:PORT]") from None
        if not host or not 0 < port < 65536:
            raise bad("tcp:HOST[:PORT]")
    elif spec.kind in ("serial", "file", "cups", "preview") and not spec.target:
        raise bad(f"{spec.kind}: needs a {'queue' if spec.kind == 'cups' else 'path'}")
    for name in spec.options:
        spec.number(name, 0)
