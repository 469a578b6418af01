"""Checking a TOML settings file: line numbers of keys, and per-key type checks.

Used by the site file and the apps' device settings: every mistake is reported with the file,
the line and the key, in Bahasa Indonesia and English.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from shared.i18n import LocalText, both


class Lines:
    """Line numbers of table headers and keys, found by a light scan of the TOML text."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\")\s*=")

    def __init__(self, text: str) -> None:
        self.tables: dict[tuple[str, int | None], int] = {}
        self.keys: dict[tuple[str, int | None, str], int] = {}
        counts: dict[str, int] = {}
        where: tuple[str, int | None] = ("", None)
        in_string: str | None = None
        for number, line in enumerate(text.splitlines(), start=1):
            if in_string:
                if line.count(in_string) % 2 == 1:
                    in_string = None
                continue
            header = self._HEADER.match(line)
            if header:
                name = header.group(2).replace('"', "").replace(" ", "")
                if header.group(1) == "[[":
                    counts[name] = counts.get(name, -1) + 1
                    where = (name, counts[name])
                else:
                    where = (name, None)
                self.tables.setdefault(where, number)
                continue
            key = self._KEY.match(line)
            if key:
                self.keys.setdefault((*where, key.group(1).strip('"')), number)
            for quote in ('"""', "'''"):
                if line.count(quote) % 2 == 1:
                    in_string = quote

    def line(self, table: str, index: int | None, key: str | None = None) -> int:
        if key is not None and (table, index, key) in self.keys:
            return self.keys[(table, index, key)]
        return self.tables.get((table, index), 1)


@dataclass
class Errors:
    path: str
    lines: Lines
    found: list[LocalText] = field(default_factory=list)

    def add(self, table: str, index: int | None, key: str | None, text: LocalText) -> None:
        line = self.lines.line(table, index, key)
        self.found.append(
            LocalText(f"{self.path}:{line}: {text.id}", f"{self.path}:{line}: {text.en}")
        )


def label(table: str, index: int | None) -> str:
    return f"[[{table}]] #{index + 1}" if index is not None else f"[{table}]"


TYPE_NAMES: Final[dict[str, tuple[str, str]]] = {
    "text": ("teks", "text"),
    "int": ("bilangan bulat", "a whole number"),
    "number": ("angka", "a number"),
    "bool": ("true atau false", "true or false"),
    "texts": ("daftar teks", "a list of texts"),
    "table": ("tabel", "a table"),
}

CHECKS: Final[dict[str, Callable[[Any], bool]]] = {
    "text": lambda v: isinstance(v, str) and v.strip() != "",
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool) and v > 0,
    "bool": lambda v: isinstance(v, bool),
    "texts": lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v),
    "table": lambda v: isinstance(v, dict),
}


@dataclass(frozen=True)
class Field:
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()


def fields(required: str, optional: str, kinds: Mapping[str, str]) -> dict[str, Field]:
    out = {name: Field(kinds.get(name, "text"), True) for name in required.split()}
    out.update({name: Field(kinds.get(name, "text")) for name in optional.split()})
    return out


def check_fields(
    errors: Errors, data: Any, spec: Mapping[str, Field], table: str, index: int | None
) -> dict[str, Any]:
    """The table's values that passed; an error for each unknown, missing or mistyped key."""
    where = label(table, index)
    if not isinstance(data, dict):
        errors.add(
            table,
            index,
            None,
            both("site_wrong_type", key=table, expected="tabel", expected_en="a table"),
        )
        return {}
    good: dict[str, Any] = {}
    for key, value in data.items():
        if key not in spec:
            errors.add(table, index, key, both("site_unknown_key", key=key, table=where))
        elif not CHECKS[spec[key].kind](value):
            id_name, en_name = TYPE_NAMES[spec[key].kind]
            errors.add(
                table,
                index,
                key,
                both("site_wrong_type", key=key, expected=id_name, expected_en=en_name),
            )
        elif spec[key].choices and value not in spec[key].choices:
            shown = f"{value} ({' | '.join(spec[key].choices)})"
            errors.add(table, index, key, both("site_bad_value", key=key, value=shown))
        else:
            good[key] = value
    for key, fld in spec.items():
        if fld.required and key not in data:
            errors.add(table, index, None, both("site_missing_key", key=key, table=where))
    return good
