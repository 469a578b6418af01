"""Ticket numbers: a prefix of 1-3 letters and a daily sequence, shown as A001; and what a
counter's number may be: what the display can say after "loket"."""

from __future__ import annotations

import re
from typing import Final

PREFIX_RE: Final = re.compile(r"^[A-Z]{1,3}$")
_NUMBER_RE: Final = re.compile(r"^\s*([A-Za-z]{1,3})[\s-]*0*(\d{1,6})\s*$")
MIN_DIGITS: Final = 3
# letters A-Z and digits (the voice reads nothing else), parted by '-', '.', '/' or a space
_COUNTER_NUMBER_RE: Final = re.compile(r"[A-Za-z0-9]+(?:[ ./-]+[A-Za-z0-9]+)*")
_COUNTER_WORD_RE: Final = re.compile(r"(?i)(?:loket|counter)(?![a-z])")  # "Loket 3": said twice


def is_valid_prefix(prefix: str) -> bool:
    return bool(PREFIX_RE.match(prefix))


def is_speakable_counter_number(number: str) -> bool:
    """A counter number the display says whole after "loket": "3", "12A", "L-01"; not "Ⅻ" or
    "Ö" (silent), nor "Loket 3" ("loket loket tiga")."""
    return bool(_COUNTER_NUMBER_RE.fullmatch(number)) and not _COUNTER_WORD_RE.match(number)


def format_number(prefix: str, sequence: int) -> str:
    """The printed number: A001 ... A999, then A1000."""
    return f"{prefix}{sequence:0{MIN_DIGITS}d}"


def parse_number(text: str) -> tuple[str, int] | None:
    """Read what staff type ("a1", "A-001", "B 12") as (prefix, sequence); None if it is not one."""
    match = _NUMBER_RE.match(text)
    if not match or int(match.group(2)) == 0:
        return None
    return match.group(1).upper(), int(match.group(2))
