"""Ticket numbers: a prefix of 1-3 letters and a daily sequence, shown as A001."""

from __future__ import annotations

import re
from typing import Final

PREFIX_RE: Final = re.compile(r"^[A-Z]{1,3}$")
_NUMBER_RE: Final = re.compile(r"^\s*([A-Za-z]{1,3})[\s-]*0*(\d{1,6})\s*$")
MIN_DIGITS: Final = 3


def is_valid_prefix(prefix: str) -> bool:
    return bool(PREFIX_RE.match(prefix))


def format_number(prefix: str, sequence: int) -> str:
    """The printed number: A001 ... A999, then A1000."""
    return f"{prefix}{sequence:0{MIN_DIGITS}d}"


def parse_number(text: str) -> tuple[str, int] | None:
    """Read what staff type ("a1", "A-001", "B 12") as (prefix, sequence); None if it is not one."""
    match = _NUMBER_RE.match(text)
    if not match or int(match.group(2)) == 0:
        return None
    return match.group(1).upper(), int(match.group(2))
