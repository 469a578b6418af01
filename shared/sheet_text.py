"""Text that people typed (a suggestion, a filter from a URL) as a spreadsheet cell holds it:
plain text, never a formula a spreadsheet would run, and without the control characters a
worksheet cannot store."""

from __future__ import annotations

from typing import Final

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def as_text(value: str | None) -> str:
    """`value` as a cell's text: a leading quote where it would start a formula."""
    text = ILLEGAL_CHARACTERS_RE.sub("", value or "")
    return "'" + text if text.startswith(FORMULA_STARTS) else text
