"""The counter app's settings: the [counter] table of the PC's settings file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from shared.device_settings import Option, load_app_settings
from shared.i18n import Lang, as_lang

OPTIONS: Final = {
    "counter": Option("text", ""),
    "buttons": Option("text", ""),
    "protocol": Option("text", "lines", ("lines", "keymap")),
    "pattern": Option("text", ""),
    "keymap": Option("text", ""),
    "baud": Option("int", 9600, low=300, high=4_000_000),
    "window": Option("text", "full", ("full", "compact")),
    "language": Option("text", "id", ("id", "en")),
}


@dataclass(frozen=True, slots=True)
class CounterSettings:
    database: str | None
    counter: str | None  # fixed for this PC, else chosen at login
    buttons: str | None  # pyserial URL of the call-button receiver
    protocol: str
    pattern: str | None
    keymap: Path | None
    baud: int
    window: str  # "full" or "compact" (small, always on top)
    language: Lang


def load(
    path: str | Path | None, database: str | None = None, counter: str | None = None
) -> CounterSettings:
    url, v = load_app_settings(path, "counter", OPTIONS)
    return CounterSettings(
        database=database or url,
        counter=counter or v["counter"] or None,
        buttons=v["buttons"] or None,
        protocol=v["protocol"],
        pattern=v["pattern"] or None,
        keymap=Path(v["keymap"]) if v["keymap"] else None,
        baud=v["baud"],
        window=v["window"],
        language=as_lang(v["language"]),
    )
