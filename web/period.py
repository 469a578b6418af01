"""The period a console page or download asks for: `from` and `to` in the query string, by
default this month so far (site-local)."""

from __future__ import annotations

from datetime import date

from starlette.exceptions import HTTPException
from starlette.requests import Request


def asked_period(request: Request, today: date) -> tuple[date, date]:
    """(`from`, `to`) of the query string; 400 for a date that is not one."""
    params = request.query_params
    try:
        start = date.fromisoformat(params.get("from") or today.replace(day=1).isoformat())
        end = date.fromisoformat(params.get("to") or today.isoformat())
    except ValueError:
        raise HTTPException(400) from None
    return start, end
