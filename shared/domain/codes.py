"""Codes citizens read, write down and type: drawn at random from unambiguous characters (no
0/O, 1/I/L or U), shown in groups of four, and accepted however they are typed back."""

from __future__ import annotations

import secrets
from typing import Final

ALPHABET: Final = "23456789ABCDEFGHJKMNPQRSTVWXYZ"


def new_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def shown_code(code: str) -> str:
    """XXXX-XXXX(-XXXX), as printed and read."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def typed_code(text: str, length: int) -> str | None:
    """A code as a person typed it (any case, with or without dashes or spaces), or None when
    it cannot be one of `length` characters."""
    cleaned = "".join(c for c in text.upper() if c not in "- ")
    if len(cleaned) != length or any(c not in ALPHABET for c in cleaned):
        return None
    return cleaned
