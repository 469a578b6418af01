"""A posted form as its text fields, without the control characters no field takes (a NUL,
which PostgreSQL cannot store, an escape; tab and line breaks are text), as the engine stores a
citizen's words; and tokens compared in constant time whatever characters they hold."""

from __future__ import annotations

import hmac
import re
from typing import Final

from starlette.requests import Request

CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


async def text_fields(
    request: Request, *, max_fields: int = 1000, max_part_size: int = 1024 * 1024
) -> dict[str, str]:
    """The form's text fields (no files), each without its control characters."""
    form = await request.form(max_files=0, max_fields=max_fields, max_part_size=max_part_size)
    return {CONTROL.sub("", k): CONTROL.sub("", v) for k, v in form.items() if isinstance(v, str)}


def same_token(given: str, expected: str) -> bool:
    """Whether a form's token is the expected one (never an error for a non-ASCII one)."""
    return hmac.compare_digest(given.encode(), expected.encode())
