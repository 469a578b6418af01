"""The survey tablet's settings: the [survey] table of the PC's settings file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from shared.device_settings import Option, load_app_settings
from shared.i18n import Lang, as_lang

OPTIONS: Final = {
    "counter": Option("text", ""),  # the counter it stands beside; empty: at the exit
    "language": Option("text", "id", ("id", "en")),
    "idle_timeout": Option("number", 40, low=5, high=3600),
    "thanks_seconds": Option("number", 5, low=1, high=60),
    "fullscreen": Option("bool", True),
    "width": Option("int", 1280, low=320, high=7680),
    "height": Option("int", 800, low=320, high=7680),
}


@dataclass(frozen=True, slots=True)
class SurveySettings:
    database: str | None
    counter: str | None
    language: Lang
    idle_timeout: float
    thanks_seconds: float
    fullscreen: bool
    width: int
    height: int


def load(
    path: str | Path | None, database: str | None = None, counter: str | None = None
) -> SurveySettings:
    url, v = load_app_settings(path, "survey", OPTIONS)
    return SurveySettings(
        database=database or url,
        counter=counter or v["counter"] or None,
        language=as_lang(v["language"]),
        idle_timeout=float(v["idle_timeout"]),
        thanks_seconds=float(v["thanks_seconds"]),
        fullscreen=v["fullscreen"],
        width=v["width"],
        height=v["height"],
    )
