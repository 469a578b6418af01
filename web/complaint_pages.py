"""Complaints from citizens: a form (from `/` or a ticket page), the reference code it gives,
and the public status page of that code, which shows the status and the public answer only."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from shared.domain.complaints import (
    CATEGORIES,
    CONTACT_LENGTH,
    STATUS_NAMES,
    TEXT_LENGTH,
    shown_reference,
    typed_reference,
)
from shared.engine.complaints import NewComplaint
from shared.errors import UserError
from shared.i18n import Lang, tr
from web import form_token
from web.guard import Tally, client_of
from web.hub import LiveHub
from web.posted_form import text_fields

COMPLAINTS_PER_HOUR: Final = 10  # per address: a citizen sends one or two, a script many
CITIZEN_CATEGORIES: Final = ("complaint", "information")  # officers may file the others
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{22}$")
Render = Callable[..., Response]


def complaint_routes(
    hub: LiveHub, render: Render, lang_of: Callable[[Request], Lang]
) -> list[BaseRoute]:
    filed = Tally(COMPLAINTS_PER_HOUR, 3600, "complaints an hour")

    async def form_page(
        request: Request, chosen: dict[str, str], error: str = "", status: int = 200
    ) -> Response:
        catalogue = await hub.catalogue()
        token = form_token.token_for(request)
        ticket = request.query_params.get("t") or chosen.get("t", "")
        progress = await hub.ticket(ticket) if TOKEN_RE.match(ticket) else None
        if progress is not None and not chosen.get("agency"):
            chosen = {
                **chosen,
                "agency": next(
                    (
                        a.code
                        for a in catalogue.agencies
                        if any(s.code == progress.service_code for s in a.services)
                    ),
                    "",
                ),
                "service": progress.service_code,
            }
        response = render(
            request,
            "complaint_form.html",
            status,
            site_name=catalogue.site_name,
            agencies=catalogue.agencies,
            categories=[(c, CATEGORIES[c][1]) for c in CITIZEN_CATEGORIES],
            chosen=chosen,
            ticket=ticket if progress is not None else "",
            number=progress.number if progress is not None else "",
            form_token=token,
            error=error,
            text_length=TEXT_LENGTH,
            contact_length=CONTACT_LENGTH,
        )
        form_token.remember(response, token, "/pengaduan")
        return response

    async def new_complaint(request: Request) -> Response:
        return await form_page(request, {})

    async def send_complaint(request: Request) -> Response:
        chosen = await text_fields(request, max_fields=20, max_part_size=TEXT_LENGTH * 4)
        form_token.check(request, chosen)
        lang = lang_of(request)
        if not filed.allowed(client_of(request.scope)):
            return await form_page(request, chosen, tr("complaint_too_many", lang), 429)
        category = chosen.get("category", "")
        if category not in CITIZEN_CATEGORIES:
            return await form_page(
                request,
                chosen,
                UserError("complaint_bad_value", key="category", value=category[:20]).message(lang),
                400,
            )
        ticket = chosen.get("t", "")
        new = NewComplaint(
            chosen.get("agency", ""),
            category,
            "web",
            chosen.get("text", ""),
            service=chosen.get("service") or None,
            token=ticket if TOKEN_RE.match(ticket) else None,
            contact=chosen.get("contact") or None,
        )
        try:
            complaint = await run_in_threadpool(lambda: hub.ready().file_complaint(new))
        except UserError as error:
            return await form_page(request, chosen, error.message(lang), 400)
        filed.add(client_of(request.scope))
        return RedirectResponse(
            f"/pengaduan/{shown_reference(complaint.reference)}?lang={lang}&baru=1",
            status_code=303,
        )

    async def status_page(request: Request) -> Response:
        reference = request.path_params["reference"]
        if typed_reference(reference) is None:
            raise HTTPException(404)
        public = await run_in_threadpool(hub.ready().public_complaint, reference)
        if public is None:
            raise HTTPException(404)
        return render(
            request,
            "complaint_status.html",
            site_name=(await hub.catalogue()).site_name,
            complaint=public,
            reference=shown_reference(public.reference),
            status_names=STATUS_NAMES,
            fresh=request.query_params.get("baru") == "1",
        )

    async def look_up(request: Request) -> Response:
        code = typed_reference(request.query_params.get("kode", ""))
        if code is None:
            raise HTTPException(404)
        return RedirectResponse(f"/pengaduan/{shown_reference(code)}", status_code=303)

    return [
        Route("/pengaduan", new_complaint, methods=["GET"]),
        Route("/pengaduan", send_complaint, methods=["POST"]),
        Route("/pengaduan/cek", look_up, methods=["GET"]),
        Route("/pengaduan/{reference}", status_page, methods=["GET"]),
    ]
