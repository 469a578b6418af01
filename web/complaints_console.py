"""The console's complaints register: what is due today and overdue per agency (colour AND
words), each complaint with its steps, and the next step taken with CSRF. An agency supervisor
sees and answers their own agency's complaints; the contact only complaint officers and admins."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from shared.complaint_export import to_csv, to_xlsx
from shared.domain.complaints import (
    CATEGORIES,
    CHANNELS,
    NEXT,
    STATUS_NAMES,
    Status,
    shown_reference,
    typed_reference,
)
from shared.engine import QueueEngine
from shared.engine.accounts import ConsoleSession
from shared.engine.admin import CONTACT_ROLES
from shared.errors import UserError
from shared.i18n import Lang
from web.period import asked_period

Who = Callable[[Request], Awaitable[ConsoleSession]]
Page = Callable[..., Response]
CheckedForm = Callable[[Request, str], Awaitable[dict[str, str]]]


def complaints_routes(
    engine: Callable[[], QueueEngine],
    site_name: Callable[[], Awaitable[str]],
    who: Who,
    page: Page,
    checked_form: CheckedForm,
    lang_of: Callable[[Request], Lang],
) -> list[Route]:
    async def register(request: Request) -> Response:
        me = await who(request)
        everything = request.query_params.get("semua") == "1"
        found = await run_in_threadpool(
            lambda: engine().complaints(agencies_of=me.scope, open_only=not everything)
        )
        today = engine().clock.now().astimezone(engine().zone).date()
        rows: list[dict[str, Any]] = [
            {
                "complaint": c,
                "reference": shown_reference(c.reference),
                "flag": "overdue" if c.overdue(today) else "due" if c.due_today(today) else "",
            }
            for c in found
        ]
        counts = {
            "overdue": sum(r["flag"] == "overdue" for r in rows),
            "due": sum(r["flag"] == "due" for r in rows),
        }
        per_agency: dict[str, dict[str, Any]] = {}
        for row in rows:
            complaint = row["complaint"]
            figures = per_agency.setdefault(
                complaint.agency, {"name": complaint.agency_name, "open": 0, "due": 0, "overdue": 0}
            )
            figures["open"] += 1
            if row["flag"]:
                figures[row["flag"]] += 1
        return page(
            request,
            "staff_complaints.html",
            me,
            site_name=await site_name(),
            rows=rows,
            counts=counts,
            per_agency=sorted(per_agency.values(), key=lambda f: (-f["overdue"], -f["due"])),
            everything=everything,
            period=(today.replace(day=1), today),  # the monthly report's dates, to start from
            status_names=STATUS_NAMES,
            categories=CATEGORIES,
            channels=CHANNELS,
        )

    async def one(request: Request, message: str = "", status: int = 200) -> Response:
        me = await who(request)
        reference = request.path_params["reference"]
        if typed_reference(reference) is None:
            raise HTTPException(404)
        found = await run_in_threadpool(
            lambda: engine().complaints(
                reference=reference,
                agencies_of=me.scope,
                with_contact=me.role in CONTACT_ROLES,
            )
        )
        if not found:
            raise HTTPException(404)  # unknown, or another agency's: the same to this person
        complaint = found[0]
        steps = await run_in_threadpool(engine().complaint_steps, complaint.reference)
        today = engine().clock.now().astimezone(engine().zone).date()
        return page(
            request,
            "staff_complaint.html",
            me,
            status,
            site_name=await site_name(),
            complaint=complaint,
            reference=shown_reference(complaint.reference),
            steps=steps,
            next_steps=sorted(NEXT[complaint.status], key=list(Status).index),
            status_names=STATUS_NAMES,
            categories=CATEGORIES,
            channels=CHANNELS,
            may_see_contact=me.role in CONTACT_ROLES,
            overdue=complaint.overdue(today),
            message=message,
        )

    async def complaint_page(request: Request) -> Response:
        return await one(request)

    async def complaint_step(request: Request) -> Response:
        me = await who(request)
        form = await checked_form(request, me.csrf)
        reference = request.path_params["reference"]
        try:
            to = Status(form.get("status", ""))
        except ValueError:
            raise HTTPException(400) from None
        note = form.get("note") or None
        try:
            await run_in_threadpool(
                lambda: engine().move_complaint(reference, to, note, me.scope, me.username)
            )
        except UserError as error:
            if error.key == "complaint_unknown":
                raise HTTPException(404) from None
            return await one(request, error.message(lang_of(request)), 400)
        return RedirectResponse(f"/staff/complaints/{reference}", status_code=303)

    async def monthly(request: Request) -> Response:
        """The monthly table of complaints received in a period, as CSV or XLSX."""
        me = await who(request)
        kind = request.path_params["kind"]
        if kind not in ("csv", "xlsx"):
            raise HTTPException(404)
        today = engine().clock.now().astimezone(engine().zone).date()
        start, end = asked_period(request, today)
        try:
            figures = await run_in_threadpool(engine().complaint_report, start, end, me.scope)
        except UserError as error:
            raise HTTPException(400, error.message(lang_of(request))) from None
        lang = lang_of(request)
        name = f"pengaduan-{start.isoformat()}-{end.isoformat()}.{kind}"
        headers = {"content-disposition": f'attachment; filename="{name}"'}
        if kind == "csv":
            return Response(to_csv(figures, lang), media_type="text/csv", headers=headers)
        body = to_xlsx(figures, lang, await site_name())
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return Response(body, media_type=media, headers=headers)

    return [
        Route("/staff/complaints.{kind:str}", monthly, methods=["GET"]),
        Route("/staff/complaints", register, methods=["GET"]),
        Route("/staff/complaints/{reference}", complaint_page, methods=["GET"]),
        Route("/staff/complaints/{reference}", complaint_step, methods=["POST"]),
    ]
