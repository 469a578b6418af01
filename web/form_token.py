"""The citizen forms' guard against posts from other sites: a random token in an HttpOnly,
SameSite=Strict cookie that the form must send back (the double-submit pattern; the citizen has
no session)."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import Final

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from web.posted_form import same_token

COOKIE: Final = "antrian_form"
FIELD: Final = "form"


def token_for(request: Request) -> str:
    """The token the form carries: the cookie's, or a new one."""
    return request.cookies.get(COOKIE) or secrets.token_urlsafe(24)


def remember(response: Response, token: str, path: str) -> None:
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", path=path)


def check(request: Request, form: Mapping[str, str]) -> None:
    """A 403 when the form's token is not the cookie's (a form from another site, or stale)."""
    expected = request.cookies.get(COOKIE, "")
    if not expected or not same_token(form.get(FIELD, ""), expected):
        raise HTTPException(403)
