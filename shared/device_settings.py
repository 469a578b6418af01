"""A PC's settings file (TOML): the database URL at the top, a table per app on that PC.

    database = "postgresql://antrian:secret@192.168.1.10/antrian"
    [kiosk]
    printer = "usb:04b8:0e15"
    [display]
    zone = "lantai-1"
    [counter]
    counter = "L01"

Unknown keys, wrong types and values outside their choices are errors naming the file, the line
and the key; nothing starts with a broken file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from shared.errors import ConfigFileError
from shared.i18n import both
from shared.tomlcheck import Errors, Field, Lines, check_fields, parse_toml, read_settings_text

APPS: Final = ("kiosk", "display", "counter", "survey")


@dataclass(frozen=True, slots=True)
class Option:
    """One setting: its type (tomlcheck kinds), default, allowed values and bounds."""

    kind: str
    default: Any
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None

    def field(self) -> Field:
        return Field(self.kind, choices=self.choices, low=self.low, high=self.high)


def load_app_settings(
    path: str | Path | None, app: str, options: Mapping[str, Option]
) -> tuple[str | None, dict[str, Any]]:
    """(database URL or None, the app's settings with defaults filled in)."""
    values = {name: option.default for name, option in options.items()}
    if path is None:
        return None, values
    text = read_settings_text(path)
    data = parse_toml(text, str(path))
    errors = Errors(str(path), Lines(text))
    top = check_fields(
        errors,
        {k: v for k, v in data.items() if k not in APPS},
        {"database": Field("text")},
        "",
        None,
    )
    section = data.get(app, {})
    spec = {name: option.field() for name, option in options.items()}
    good = check_fields(errors, section, spec, app, None)
    for other in APPS:
        if other != app and not isinstance(data.get(other, {}), dict):
            errors.add(
                "",
                None,
                other,
                both("site_wrong_type", key=other, expected="tabel", expected_en="a table"),
            )
    if errors.found:
        raise ConfigFileError.from_lines(errors.found)
    values.update(good)
    return top.get("database"), values
