"""Serial ports on this machine, with the USB descriptions that tell receivers apart."""

from __future__ import annotations

from dataclasses import dataclass

from serial.tools import list_ports


@dataclass(frozen=True, slots=True)
class PortInfo:
    device: str
    description: str
    hwid: str
    usb_id: str | None  # "VVVV:PPPP"
    serial_number: str | None


def serial_ports() -> list[PortInfo]:
    return [
        PortInfo(
            device=port.device,
            description=port.description,
            hwid=port.hwid,
            usb_id=f"{port.vid:04x}:{port.pid:04x}" if port.vid is not None else None,
            serial_number=port.serial_number,
        )
        for port in sorted(list_ports.comports(), key=lambda p: p.device)
    ]
