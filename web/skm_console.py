"""The console's SKM page: the IKM of a period with its grade, each element against the others,
per group, the sample against the visits served; and paper forms typed in by staff."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from shared.domain.skm import CODES, ELEMENTS, REGULATION_WEIGHT
from shared.engine import QueueEngine
from shared.engine.accounts import ConsoleSession
from shared.engine.survey import SKM_GROUPINGS, SurveyAnswer
from shared.errors import UserError
from shared.i18n import Lang
from shared.report_export import grouping_title
from shared.skm_export import to_pdf, to_xlsx
from web.hub import LiveHub
from web.period import asked_period

SUGGESTIONS_SHOWN = 50  # the newest; the XLSX has them all
Who = Callable[[Request], Awaitable[ConsoleSession]]
Page = Callable[..., Response]
CheckedForm = Callable[[Request, str], Awaitable[dict[str, str]]]


def skm_routes(
    hub: LiveHub,
    engine: Callable[[], QueueEngine],
    who: Who,
    page: Page,
    checked_form: CheckedForm,
    lang_of: Callable[[Request], Lang],
) -> list[Route]:
    def period(request: Request) -> tuple[date, date]:
        return asked_period(request, engine().clock.now().astimezone(engine().zone).date())

    def agency_for(me: ConsoleSession, asked: str | None) -> str | None:
        """The agency whose visits `me` may see: an agency supervisor only their own."""
        if me.role != "agency_supervisor":
            return asked or None
        if asked and asked not in me.agencies:
            raise HTTPException(403)  # another agency's index, by an edited URL
        return asked or (me.agencies[0] if me.agencies else "-")

    async def show(
        request: Request, me: ConsoleSession, message: str = "", status: int = 200
    ) -> Response:
        start, end = period(request)
        params = request.query_params
        by = params.get("by") or "service"
        agency = agency_for(me, params.get("agency"))
        try:
            report = await run_in_threadpool(engine().skm_report, start, end, by, agency)
        except UserError as error:
            raise HTTPException(400, error.message(lang_of(request))) from None
        catalogue = await hub.catalogue()
        visible = [a for a in catalogue.agencies if me.sees(a.code)]
        responses = await run_in_threadpool(engine().skm_responses, start, end, agency)
        suggestions = [r for r in reversed(responses) if r.suggestion][:SUGGESTIONS_SHOWN]
        overall = report.overall
        weak = set(overall.lowest())
        elements: list[dict[str, Any]] = [
            {
                "element": element,
                "nrr": nrr,
                "weighted": nrr / len(ELEMENTS),
                "regulation": nrr * REGULATION_WEIGHT,
                "weak": element.code in weak,
            }
            for element, nrr in zip(ELEMENTS, overall.nrr, strict=True)
        ]
        return page(
            request,
            "staff_skm.html",
            me,
            status,
            site_name=catalogue.site_name,
            report=report,
            elements=elements,
            groupings=SKM_GROUPINGS,
            grouped_by=grouping_title(report.by, lang_of(request)),
            agencies=[(a.code, a.name) for a in visible],
            agency=agency,
            message=message,
            codes=CODES,
            today=engine().clock.now().astimezone(engine().zone).date(),
            request_query=request.url.query,
            suggestions=suggestions,
        )

    async def skm_page(request: Request) -> Response:
        return await show(request, await who(request))

    async def paper_form(request: Request) -> Response:
        """A paper questionnaire typed in: the visit's ticket and day, the nine answers."""
        me = await who(request)
        form = await checked_form(request, me.csrf)
        lang = lang_of(request)
        try:
            day = date.fromisoformat(form.get("day", ""))
            answers = tuple(int(form.get(code, "0") or 0) for code in CODES)
        except ValueError:
            return await show(request, me, UserError("skm_bad_answers").message(lang), 400)
        mine = me.scope
        try:
            receipt = await run_in_threadpool(
                lambda: engine().answer_survey(
                    SurveyAnswer(answers, "paper", entered_by=me.username),
                    number=form.get("ticket", "")[:12],
                    day=day,
                    agencies=mine,
                )
            )
        except UserError as error:
            return await show(request, me, error.message(lang), 400)
        said = f"✔ {receipt.number} ({receipt.day.isoformat()}, {receipt.service.get(lang)})"
        return await show(request, me, said)

    async def download(request: Request) -> Response:
        """The regulation's report of what the page shows: XLSX or PDF."""
        me = await who(request)
        kind = request.path_params["kind"]
        if kind not in ("xlsx", "pdf"):
            raise HTTPException(404)
        start, end = period(request)
        params = request.query_params
        agency = agency_for(me, params.get("agency"))
        by = params.get("by") or "service"
        try:
            report = await run_in_threadpool(engine().skm_report, start, end, by, agency)
        except UserError as error:
            raise HTTPException(400, error.message(lang_of(request))) from None
        responses = await run_in_threadpool(engine().skm_responses, start, end, agency)
        site = (await hub.catalogue()).site_name
        lang = lang_of(request)
        make = to_xlsx if kind == "xlsx" else to_pdf
        body = await run_in_threadpool(make, report, responses, lang, site)
        media = {
            "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "pdf": "application/pdf",
        }[kind]
        name = f"skm-{start.isoformat()}-{end.isoformat()}.{kind}"
        return Response(
            body,
            media_type=media,
            headers={
                "content-disposition": f'attachment; filename="{name}"',
                "cache-control": "no-store",
            },
        )

    return [
        Route("/staff/skm.{kind:str}", download, methods=["GET"]),
        Route("/staff/skm", skm_page, methods=["GET"]),
        Route("/staff/skm", paper_form, methods=["POST"]),
    ]
