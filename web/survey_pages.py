"""The SKM survey on the citizen's phone: offered on the ticket page once the visit is finished,
answered the same day, once (the engine refuses a second answer)."""

from __future__ import annotations

import re
from collections.abc import Callable

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from shared.domain.skm import CODES, PROFILE, SUGGESTION_LENGTH
from shared.domain.states import TicketState
from shared.domain.values import TicketProgress
from shared.engine.survey import SurveyAnswer
from shared.errors import UserError
from shared.i18n import Lang
from web.hub import LiveHub
from web.posted_form import text_fields

TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{22}$")
VALUES = ("1", "2", "3", "4")
Render = Callable[..., Response]


def survey_routes(
    hub: LiveHub, render: Render, lang_of: Callable[[Request], Lang]
) -> list[BaseRoute]:
    async def visit(request: Request) -> tuple[str, TicketProgress]:
        """The ticket as the database has it now (not the hub's snapshot, which follows the
        feed a moment later: a survey opened right after the visit ended must be offered)."""
        token = request.path_params["token"]
        fresh = TOKEN_RE.match(token)
        progress = await run_in_threadpool(hub.ready().progress_of, token) if fresh else None
        if progress is None:
            raise HTTPException(404)
        return token, progress

    def cannot(request: Request, text: str, status: int) -> Response:
        return render(
            request,
            "message.html",
            status,
            title_key="skm_cannot_title",
            text_key="skm_cannot_title",
            text=text,
        )

    async def offered(request: Request, token: str, progress: TicketProgress) -> Response | None:
        """A plain page when the survey cannot be answered (yet, or any more); None when it can."""
        lang = lang_of(request)
        key = None
        if progress.state != TicketState.DONE:
            key = "skm_not_finished"
        elif not progress.today:
            key = "skm_too_late"
        elif await run_in_threadpool(hub.ready().survey_answered, token):
            key = "skm_already_answered"
        if key is None:
            return None
        return cannot(request, UserError(key, ticket=progress.number).message(lang), 409)

    async def form(
        request: Request,
        token: str,
        progress: TicketProgress,
        chosen: dict[str, str],
        missing: list[str],
    ) -> Response:
        lang = lang_of(request)
        return render(
            request,
            "survey.html",
            400 if missing else 200,
            site_name=(await hub.catalogue()).site_name,
            token=token,
            number=progress.number,
            service=progress.service_name.get(lang),
            elements=await run_in_threadpool(hub.ready().questionnaire),
            profile=PROFILE,
            suggestion_length=SUGGESTION_LENGTH,
            chosen=chosen,
            missing=missing,
        )

    async def survey_page(request: Request) -> Response:
        token, progress = await visit(request)
        refused = await offered(request, token, progress)
        return refused or await form(request, token, progress, {}, [])

    async def survey_answer(request: Request) -> Response:
        token, progress = await visit(request)
        refused = await offered(request, token, progress)
        if refused is not None:
            return refused
        fields = await text_fields(request, max_fields=30, max_part_size=4096)
        chosen = {k: v[:SUGGESTION_LENGTH] for k, v in fields.items()}
        answers = [chosen.get(code, "") for code in CODES]
        missing = [
            code
            for code, value in zip(CODES, answers, strict=True)
            if value not in "1234" or not value
        ]
        if missing:
            return await form(request, token, progress, chosen, missing)
        answer = SurveyAnswer(
            tuple(int(a) for a in answers),
            "phone",
            {key: chosen.get(key) or None for key in PROFILE},
            chosen.get("suggestion", ""),
        )
        try:
            await run_in_threadpool(lambda: hub.ready().answer_survey(answer, token=token))
        except UserError as error:
            return cannot(request, error.message(lang_of(request)), 409)
        return render(request, "message.html", title_key="skm_thanks_title", text_key="skm_thanks")

    return [
        Route("/t/{token}/survey", survey_page, methods=["GET"]),
        Route("/t/{token}/survey", survey_answer, methods=["POST"]),
    ]
