"""The display's settings: the [display] table of the PC's settings file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import platformdirs

from display.phrases import valid_template
from shared.device_settings import Option, load_app_settings
from shared.errors import ConfigFileError
from shared.i18n import Lang, as_lang

DATA: Final = Path(platformdirs.user_data_dir("antrian", appauthor=False))
OPTIONS: Final = {
    "zone": Option("text", ""),
    "language": Option("text", "id", ("id", "en")),
    "voice": Option("text", "auto", ("auto", "clips", "espeak", "chime", "off")),
    "clips": Option("text", ""),
    "numbers": Option("text", "digits", ("digits", "words")),
    "zero": Option("text", "nol", ("nol", "kosong")),
    "phrase": Option("text", ""),
    "recall_phrase": Option("text", ""),
    "volume": Option("number", 1.0, low=0, high=1),
    "ticker": Option("texts", []),
    "media": Option("text", ""),
    "recent": Option("int", 8, low=1, high=50),
    "announce_cap": Option("int", 5, low=1, high=100),
    "fullscreen": Option("bool", True),
    "renderer": Option("text", "software", ("software", "gpu")),
    "width": Option("int", 1920, low=320, high=7680),
    "height": Option("int", 1080, low=320, high=7680),
    "state_file": Option("text", ""),  # default: one per zone, see `announced_file`
}


@dataclass(frozen=True, slots=True)
class DisplaySettings:
    database: str | None
    zone: str | None
    language: Lang
    voice: str  # auto (clips, then espeak-ng, then chime), clips, espeak, chime, off
    clips: Path | None
    numbers: str  # digits ("nol nol satu") or words ("seratus dua puluh tiga")
    zero: str
    templates: dict[str, str]  # the site's own wording: {"call": ..., "recall": ...}
    volume: float
    ticker: tuple[str, ...]  # overrides the site's ticker when given
    media: Path | None
    recent: int
    announce_cap: int
    fullscreen: bool
    renderer: str  # software: Qt Quick's own rasteriser (idle board ~3% of a core); gpu: OpenGL
    width: int
    height: int
    state_file: Path


def load(
    path: str | Path | None, database: str | None = None, zone: str | None = None
) -> DisplaySettings:
    url, v = load_app_settings(path, "display", OPTIONS)
    return DisplaySettings(
        database=database or url,
        zone=zone or v["zone"] or None,
        language=as_lang(v["language"]),
        voice=v["voice"],
        clips=Path(v["clips"]) if v["clips"] else None,
        numbers=v["numbers"],
        zero=v["zero"],
        templates=_templates(path, v),
        volume=float(v["volume"]),
        ticker=tuple(v["ticker"]),
        media=Path(v["media"]) if v["media"] else None,
        recent=v["recent"],
        announce_cap=v["announce_cap"],
        fullscreen=v["fullscreen"],
        renderer=v["renderer"],
        width=v["width"],
        height=v["height"],
        state_file=Path(v["state_file"]) if v["state_file"] else announced_file(zone or v["zone"]),
    )


def announced_file(zone: str | None) -> Path:
    """Where a display keeps its last announced call: one file per zone, so two boards on one
    PC (a TV per floor) never take each other's calls for their own."""
    if not zone:
        return DATA / "display-announced.txt"
    return DATA / f"display-announced-{re.sub(r'[^A-Za-z0-9_-]', '_', zone)}.txt"


def _templates(path: str | Path | None, values: dict[str, object]) -> dict[str, str]:
    """The phrase templates given, each checked to name {number} and {counter}."""
    templates = {}
    for key, kind in (("phrase", "call"), ("recall_phrase", "recall")):
        text = str(values[key])
        if not text:
            continue
        if not valid_template(text):
            raise ConfigFileError(
                "site_file_error",
                path=str(path),
                line=key,
                detail=f"{key} needs {{number}} and {{counter}}",
            )
        templates[kind] = text
    return templates
