"""The kiosk's settings: the [kiosk] table of the PC's settings file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

import platformdirs

from shared.device_settings import Option, load_app_settings
from shared.errors import ConfigFileError
from shared.i18n import Lang, as_lang

OPTIONS: Final = {
    "printer": Option("text", f"preview:{platformdirs.user_data_dir('antrian')}/tickets"),
    "paper_width": Option("int", 80, low=40, high=120),
    "profile": Option("text", ""),
    "language": Option("text", "id", ("id", "en")),
    "agencies": Option("texts", []),
    "idle_timeout": Option("number", 45, low=5, high=3600),
    "ticket_seconds": Option("number", 8, low=1, high=300),
    "printer_failure": Option("text", "stop", ("stop", "screen_only")),
    "qr_payload": Option("text", "url", ("reference", "url")),
    "footer": Option("texts", []),
    "logo": Option("text", ""),
    "fullscreen": Option("bool", True),
    "hide_cursor": Option("bool", False),
    "admin_pin": Option("text", ""),
    "scanner": Option("text", ""),
    "scanner_baud": Option("int", 9600, low=300, high=921_600),
    "status_interval": Option("number", 5, low=1, high=600),
    "width": Option("int", 1080, low=320, high=7680),
    "height": Option("int", 1920, low=320, high=7680),
}


@dataclass(frozen=True, slots=True)
class KioskSettings:
    database: str | None
    printer: str
    paper_width: int
    profile: str | None
    language: Lang
    agencies: tuple[str, ...]
    idle_timeout: float
    ticket_seconds: float
    printer_failure: str  # "stop": no tickets while the printer cannot print; "screen_only"
    qr_payload: str  # "url": the ticket page when the site has a public_url; "reference"
    footer: tuple[str, ...]
    logo: Path | None
    fullscreen: bool
    hide_cursor: bool
    admin_pin: str
    scanner: str  # a serial barcode scanner (pyserial URL); "": none, or one typing as keys
    scanner_baud: int
    status_interval: float
    width: int
    height: int


def load(path: str | Path | None, database: str | None = None) -> KioskSettings:
    url, values = load_app_settings(path, "kiosk", OPTIONS)
    if values["paper_width"] not in (58, 80):
        raise ConfigFileError(
            "site_file_error", path=str(path), line="paper_width", detail="58 | 80"
        )
    return KioskSettings(
        database=database or url,
        printer=values["printer"],
        paper_width=values["paper_width"],
        profile=values["profile"] or None,
        language=as_lang(values["language"]),
        agencies=tuple(values["agencies"]),
        idle_timeout=float(values["idle_timeout"]),
        ticket_seconds=float(values["ticket_seconds"]),
        printer_failure=values["printer_failure"],
        qr_payload=values["qr_payload"],
        footer=tuple(values["footer"]),
        logo=Path(values["logo"]) if values["logo"] else None,
        fullscreen=values["fullscreen"],
        hide_cursor=values["hide_cursor"],
        admin_pin=values["admin_pin"],
        scanner=values["scanner"],
        scanner_baud=values["scanner_baud"],
        status_interval=float(values["status_interval"]),
        width=values["width"],
        height=values["height"],
    )
