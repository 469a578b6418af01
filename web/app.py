"""The citizen web: the ticket page, the public catalogue and the live board (Starlette).

Pages are rendered on the server and work without JavaScript (they refresh themselves); with
it, they follow the hub's changes by Server-Sent Events. Engine calls run in the thread pool.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import json
import re
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sse_starlette import EventSourceResponse
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from shared.domain.skm import SkmResult
from shared.domain.values import Board, TicketProgress
from shared.engine import QueueEngine
from shared.errors import AntrianError
from shared.i18n import (
    DEFAULT_LANG,
    LANGS,
    Lang,
    LocalText,
    clock_text,
    figure,
    tr,
    tr_count,
    wait_text,
)
from shared.tomlcheck import MAX_FILE_BYTES
from web.booking_pages import booking_routes
from web.catalogue_view import availability_text, hours_lines, usual_hours
from web.complaint_pages import complaint_routes
from web.console import console_routes
from web.guard import Guard, Limits, Receive, Scope, Send, TooLarge, TooSlow
from web.hub import LiveHub, Unavailable
from web.report_keeper import keep_reports
from web.survey_pages import survey_routes
from web.ticket_view import ticket_view

HERE = Path(__file__).parent
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{22}$")
LANG_COOKIE = "lang"
NO_SCRIPT_REFRESH = 30
IKM_REFRESH_SECONDS = 600


def create_app(
    open_engine: Callable[[], QueueEngine],
    *,
    limits: Limits | None = None,
    public_only: bool = False,
) -> Guard:
    """The ASGI application over one hub (and so one change-feed follower).

    `public_only`: the citizen pages alone, for the instance an MPP exposes to the internet;
    the staff console (a later part of this package) is never mounted there.
    """
    hub = LiveHub(open_engine)
    templates = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],  # _("key", **params): gettext from the page's context
    )
    board_cache: dict[tuple[str | None, Lang, int], str] = {}

    def lang_of(request: Request) -> Lang:
        chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
        return chosen if chosen in LANGS else DEFAULT_LANG

    def words(lang: Lang) -> dict[str, Any]:
        """What every template writes with: the language, messages, local texts, waits."""
        return {
            "lang": lang,
            "gettext": lambda key, **params: tr(key, lang, **params),
            "counted": lambda key, n, **params: tr_count(key, lang, n, **params),
            "figure": lambda value, digits=1: figure(value, lang, digits),
            "local": lambda text: text.get(lang) if isinstance(text, LocalText) else text,
            "wait": lambda estimate: wait_text(estimate, lang),
        }

    def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        lang = lang_of(request)
        page = templates.get_template(name).render(
            **words(lang),
            other_langs=[
                (code, tr("language_name", code), f"{request.url.path}?{_with_lang(request, code)}")
                for code in LANGS
                if code != lang
            ],
            refresh=NO_SCRIPT_REFRESH,
            **{"site_name": hub.site_name, **context},  # known without a read, for any page
        )
        response = HTMLResponse(page, status_code=status)
        response.headers["cache-control"] = "no-store"
        if request.query_params.get("lang") in LANGS:
            response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
        return response

    def partial(name: str, lang: Lang, **context: Any) -> str:
        """A fragment of a page (for live streams), in `lang`."""
        return templates.get_template(name).render(**words(lang), **context)

    async def site_name() -> str:
        return (await hub.catalogue()).site_name

    # ----------------------------------------------------------------------- pages

    published: dict[str, Any] = {"at": -1.0, "ikm": None}

    async def published_ikm() -> dict[str, SkmResult] | None:
        """Each agency's IKM when the site publishes it, read again every ten minutes."""
        if time.monotonic() - published["at"] > IKM_REFRESH_SECONDS:
            published["ikm"] = await run_in_threadpool(hub.ready().published_ikm)
            published["at"] = time.monotonic()
        ikm: dict[str, SkmResult] | None = published["ikm"]
        return ikm

    async def catalogue_page(request: Request) -> Response:
        catalogue = await hub.catalogue()
        lang = lang_of(request)
        ikm = await published_ikm() or {}
        usual = usual_hours([s for agency in catalogue.agencies for s in agency.services])
        agencies = [
            {
                "name": agency.name.get(lang),
                "code": agency.code,
                "ikm": ikm.get(agency.code),
                "services": [
                    {
                        "entry": service,
                        "open": availability_text(service, catalogue.day, lang),
                        "hours": [] if service.hours == usual else hours_lines(service.hours, lang),
                    }
                    for service in agency.services
                ],
            }
            for agency in catalogue.agencies
        ]
        return render(
            request,
            "catalogue.html",
            site_name=catalogue.site_name,
            agencies=agencies,
            usual_hours=hours_lines(usual, lang) if usual else [],
            day_off=catalogue.day_off.get(lang) if catalogue.day_off else None,
            generated=clock_text(catalogue.generated_at.astimezone(hub.ready().zone), lang),
        )

    async def ticket_page(request: Request) -> Response:
        token = request.path_params["token"]
        progress = await _progress(token)
        view = _view(progress, lang_of(request))
        answered = bool(view["survey"]) and await run_in_threadpool(
            hub.ready().survey_answered, token
        )
        return render(
            request,
            "ticket.html",
            site_name=await site_name(),
            view=view,
            progress=progress,
            token=token,
            answered=answered,
        )

    async def ticket_stream(request: Request) -> Response:
        token = request.path_params["token"]
        lang = lang_of(request)
        await _progress(token)

        async def events() -> AsyncIterator[dict[str, Any]]:
            last: dict[str, Any] | None = None
            while True:
                version = hub.version
                view = _view(await _progress(token), lang)
                shown = {k: v for k, v in view.items() if k != "updated"}
                if shown != last:
                    last = shown
                    yield {"event": "ticket", "id": str(version), "data": json.dumps(view)}
                await hub.changed(version)

        return _stream(events())

    async def board_page(request: Request) -> Response:
        zone = await _zone(request)
        lang = lang_of(request)
        board = await hub.board(zone)
        return render(
            request,
            "board.html",
            site_name=board.site_name,
            zone=zone,
            board_html=_board_html(board, zone, lang),
            stream_url=f"/board/live?{_with_lang(request, lang)}",
        )

    async def board_stream(request: Request) -> Response:
        zone = await _zone(request)
        lang = lang_of(request)

        async def board_now() -> str:
            return _board_html(await hub.board(zone), zone, lang)

        return live_html(board_now)

    def live_html(html_now: Callable[[], Awaitable[str]]) -> EventSourceResponse:
        """A stream of a page part, rendered again on every change of the hub (None while
        the database is away); board.js swaps it in."""

        async def events() -> AsyncIterator[dict[str, Any]]:
            while True:
                version = hub.version
                try:
                    html: str | None = await html_now()
                except (AntrianError, Unavailable):
                    html = None
                data = json.dumps({"html": html, "online": hub.online and html is not None})
                yield {"event": "board", "id": str(version), "data": data}
                await hub.changed(version)

        return _stream(events())

    # --------------------------------------------------------------------- helpers

    async def _progress(token: str) -> TicketProgress:
        progress = await hub.ticket(token) if TOKEN_RE.match(token) else None
        if progress is None:
            raise HTTPException(404)
        return progress

    def _view(progress: TicketProgress, lang: Lang) -> dict[str, Any]:
        engine = hub.ready()
        return ticket_view(progress, lang, engine.clock.now(), engine.zone, hub.online)

    async def _zone(request: Request) -> str | None:
        zone = request.query_params.get("zone") or None
        if zone is not None:
            everything = await hub.board(None)
            if zone not in {c.zone for c in everything.counters}:
                raise HTTPException(404)
        return zone

    def _board_html(board: Board, zone: str | None, lang: Lang) -> str:
        key = (zone, lang, hub.version)
        if key not in board_cache:
            if len(board_cache) > 64:
                board_cache.clear()
            engine = hub.ready()
            board_cache[key] = templates.get_template("_board.html").render(
                **words(lang),
                board=board,
                clock=clock_text(engine.clock.now().astimezone(engine.zone), lang),
                online=hub.online,
            )
        return board_cache[key]

    def _stream(events: AsyncIterator[dict[str, Any]]) -> EventSourceResponse:
        return EventSourceResponse(
            events, ping=15, send_timeout=30, headers={"cache-control": "no-store"}
        )

    # ---------------------------------------------------------------------- errors

    def message(
        status: int, title_key: str, text_key: str, retry_after: int | None = None
    ) -> Callable[[Request, Exception], Awaitable[Response]]:
        """The handler that answers with the plain page of one refusal or failure."""

        async def answer(request: Request, _exc: Exception) -> Response:
            response = render(
                request, "message.html", status, title_key=title_key, text_key=text_key
            )
            if retry_after is not None:
                response.headers["retry-after"] = str(retry_after)
            return response

        return answer

    def before_routing(
        handler: Callable[[Request, Exception], Awaitable[Response]], exc: Exception
    ) -> Callable[[Scope, Receive, Send], Awaitable[None]]:
        """`handler` as the guard sends it, before any route has seen the request."""

        async def send_page(scope: Scope, receive: Receive, send: Send) -> None:
            await (await handler(Request(scope, receive), exc))(scope, receive, send)

        return send_page

    not_found = message(404, "web_not_found_title", "web_not_found")
    unavailable = message(503, "web_unavailable_title", "web_unavailable", retry_after=5)
    too_many = message(429, "web_unavailable_title", "web_too_many", retry_after=10)
    too_large = message(413, "web_bad_request_title", "web_too_large")
    too_slow = message(408, "web_bad_request_title", "web_too_slow")
    forbidden = message(403, "console_forbidden_title", "console_forbidden")

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        for name in templates.list_templates(extensions=["html"]):
            templates.get_template(name)  # compiled now, not on a citizen's first request
        await hub.start()
        keeper = asyncio.create_task(keep_reports(hub), name="report-keeper")
        # what is loaded by now lives as long as the process: keep it out of the collector's
        # full passes, which would otherwise pause every page for a tenth of a second
        gc.collect()
        gc.freeze()
        yield
        keeper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await keeper
        await hub.stop()

    async def bad_request(request: Request, exc: Exception) -> Response:
        """400, or 409 for a step that no longer fits (with the refusal in the person's words)."""
        detail = exc.detail if isinstance(exc, HTTPException) else ""
        return render(
            request,
            "message.html",
            exc.status_code if isinstance(exc, HTTPException) else 400,
            title_key="web_bad_request_title",
            text_key="web_bad_request",
            text=detail if detail and detail not in ("Bad Request", "Conflict") else "",
        )

    citizen: list[BaseRoute] = [
        Route("/", catalogue_page),
        Route("/board", board_page),
        Route("/board/live", board_stream),
        Route("/t/{token}", ticket_page),
        Route("/t/{token}/live", ticket_stream),
        *survey_routes(hub, render, lang_of),
        *complaint_routes(hub, render, lang_of),
        *booking_routes(hub, render, lang_of),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    staff: list[BaseRoute] = (
        [] if public_only else [*console_routes(hub, render, partial, live_html, lang_of)]
    )
    app = Starlette(
        routes=citizen + staff,
        exception_handlers={
            400: bad_request,
            409: bad_request,
            403: forbidden,
            404: not_found,
            405: not_found,
            429: too_many,
            TooLarge: too_large,
            TooSlow: too_slow,
            Unavailable: unavailable,
            AntrianError: unavailable,
            500: unavailable,
        },
        lifespan=lifespan,
    )
    app.state.hub = hub
    app.state.public_only = public_only

    def is_stream(scope: Scope) -> bool:
        return str(scope.get("path", "")).endswith("/live")

    limits = limits or Limits()
    # the admin's site file, with the form around it
    uploads = {} if public_only else {"/staff/site": MAX_FILE_BYTES + limits.body_bytes}
    return Guard(
        app,
        limits,
        is_stream,
        refuse=before_routing(too_many, HTTPException(429)),
        malformed=before_routing(bad_request, HTTPException(400)),
        too_large=before_routing(too_large, TooLarge()),
        larger_bodies=uploads,
    )


def _with_lang(request: Request, lang: Lang) -> str:
    """The request's query string with `lang` set."""
    params = dict(request.query_params)
    params["lang"] = lang
    return urlencode(params)
