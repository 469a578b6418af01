"""Checking a TOML settings file: line numbers of keys, and per-key type checks.

Used by the site file and the apps' device settings: every mistake is reported with the file,
the line and the key, in Bahasa Indonesia and English.
"""

from __future__ import annotations

import math
import re
import string
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final

from shared.errors import ConfigFileError
from shared.i18n import LocalText, both

MAX_FILE_BYTES: Final = 2_000_000  # a site file of a large MPP is a few tens of kilobytes


def read_settings_text(path: str | Path) -> str:
    """A settings file's text: UTF-8, with or without the byte-order mark Notepad writes."""
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise ConfigFileError(
                "site_file_unreadable", path=str(path), detail=f"> {MAX_FILE_BYTES} bytes"
            )
        return data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigFileError("site_file_unreadable", path=str(path), detail=str(error)) from None


def parse_toml(text: str, path: str) -> dict[str, Any]:
    """The parsed TOML, or one ConfigFileError naming the line of a syntax error."""
    try:
        return tomllib.loads(text.removeprefix("\ufeff"))
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        line = int(match.group(1)) if match else 1
        detail = both("site_bad_syntax", detail=str(error))
    except RecursionError:  # arrays or tables nested thousands deep
        line, detail = 1, both("site_too_deep")
    raise ConfigFileError.from_lines(
        [LocalText(f"{path}:{line}: {detail.id}", f"{path}:{line}: {detail.en}")]
    )


class Lines:
    """Line numbers of table headers and keys, found by a light scan of the TOML text.

    Plain string operations, linear in the text: the scan runs before TOML parsing, on
    whatever a person or a broken editor wrote.
    """

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
            header = _header(line)
            if header is not None:
                name, is_array = header
                if is_array:
                    counts[name] = counts.get(name, -1) + 1
                    where = (name, counts[name])
                else:
                    where = (name, None)
                self.tables.setdefault(where, number)
                continue
            key = _key(line)
            if key is not None:
                self.keys.setdefault((*where, key), number)
            for quote in ('"""', "'''"):
                if line.count(quote) % 2 == 1:
                    in_string = quote

    def line(self, table: str, index: int | None, key: str | None = None) -> int:
        if key is not None and (table, index, key) in self.keys:
            return self.keys[(table, index, key)]
        return self.tables.get((table, index), 1)


_NAME_CHARS: Final = frozenset(string.ascii_letters + string.digits + '_-." ')
_KEY_CHARS: Final = frozenset(string.ascii_letters + string.digits + "_-")


def _header(line: str) -> tuple[str, bool] | None:
    """(table name, is an array of tables) when `line` is a table header like `[[services]]`."""
    stripped = line.split("#", 1)[0].strip()
    is_array = stripped.startswith("[[") and stripped.endswith("]]")
    if not is_array and not (stripped.startswith("[") and stripped.endswith("]")):
        return None
    inner = stripped[2:-2] if is_array else stripped[1:-1]
    if not inner.strip() or not set(inner) <= _NAME_CHARS:
        return None
    return inner.replace('"', "").replace(" ", ""), is_array


def _key(line: str) -> str | None:
    """The key of a `key = value` line (bare or double-quoted)."""
    name, equals, _value = line.partition("=")
    name = name.strip()
    if not equals or not name:
        return None
    if len(name) >= 2 and name[0] == name[-1] == '"' and '"' not in name[1:-1]:
        return name[1:-1]
    return name if set(name) <= _KEY_CHARS else None


@dataclass
class Errors:
    path: str
    lines: Lines
    found: list[LocalText] = field(default_factory=list)

    def add(self, table: str, index: int | None, key: str | None, text: LocalText) -> None:
        line = self.lines.line(table, index, key)
        # one problem, one line: a value quoted in the message may hold line breaks (also
        # Unicode's, such as U+0085 and U+2028) or other characters no terminal shows
        said = [_one_line(t) for t in (text.id, text.en)]
        self.found.append(
            LocalText(f"{self.path}:{line}: {said[0]}", f"{self.path}:{line}: {said[1]}")
        )


def _one_line(text: str) -> str:
    """`text` with each character that is not printable written as its escape ("\\x85")."""
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in text)


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
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v),
    "bool": lambda v: isinstance(v, bool),
    "texts": lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v),
    "table": lambda v: isinstance(v, dict),
}

INT_MAX: Final = 2**31 - 1  # what a PostgreSQL integer column holds
TEXT_MAX: Final = 1000  # any text of a settings file whose field names no tighter length
LIST_MAX: Final = 100  # items of any list
# characters no setting may hold: NUL (PostgreSQL refuses it) and the other C0 controls
_CONTROL: Final = frozenset(chr(c) for c in range(32)) - {"\t", "\n", "\r"}


@dataclass(frozen=True)
class Field:
    """One key of a settings table: its type, whether it must be there, and its bounds.

    `low`/`high` bound numbers (whole numbers default to 0..INT_MAX; other numbers must be
    given a range); `length` bounds each text (default TEXT_MAX); `choices` lists allowed texts.
    """

    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    length: int | None = None

    def problem(self, key: str, value: Any) -> LocalText | None:
        """What is wrong with a value of the right type: range, length, characters, choices."""
        if self.kind in ("int", "number"):
            low = self.low if self.low is not None else 0
            high = self.high if self.high is not None else INT_MAX
            if not low <= value <= high:
                return both("site_out_of_range", key=key, value=value, low=low, high=high)
            return None
        texts = value if self.kind == "texts" else [value] if self.kind == "text" else []
        if len(texts) > LIST_MAX:
            return both("site_too_many", key=key, count=len(texts), limit=LIST_MAX)
        limit = self.length or TEXT_MAX
        for text in texts:
            if len(text) > limit:
                return both("site_too_long", key=key, length=len(text), limit=limit)
            if not _CONTROL.isdisjoint(text):
                return both("site_control_char", key=key)
        if self.choices and value not in self.choices:
            return both("site_bad_value", key=key, value=f"{value} ({' | '.join(self.choices)})")
        return None


def fields(required: str, optional: str, kinds: Mapping[str, str | Field]) -> dict[str, Field]:
    """A table's keys: names split by spaces; `kinds` gives a kind, or a whole Field, by name.

    A name missing from `kinds` is a text of the default length.
    """

    def make(name: str, is_required: bool) -> Field:
        given = kinds.get(name, "text")
        if isinstance(given, str):
            return Field(given, is_required)
        return replace(given, required=is_required)

    out = {name: make(name, True) for name in required.split()}
    out.update({name: make(name, False) for name in optional.split()})
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
        elif (problem := spec[key].problem(key, value)) is not None:
            errors.add(table, index, key, problem)
        else:
            good[key] = value
    for key, fld in spec.items():
        if fld.required and key not in data:
            errors.add(table, index, None, both("site_missing_key", key=key, table=where))
    return good
