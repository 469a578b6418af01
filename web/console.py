"""The staff console under /staff: login, the live monitor, and account administration.

Sessions live in the database (the engine's `console_session`): the cookie holds a random
token (HttpOnly, SameSite=Strict, Secure over HTTPS, path /staff), every form carries the
session's CSRF token, and every handler checks the role itself, so an edited URL gets no
further than a click would. Logins are throttled by the engine per account and per address.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Any, Final

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from shared.domain.report import GROUPINGS
from shared.domain.states import CounterState
from shared.domain.values import Board, Catalogue
from shared.engine.accounts import Account, ConsoleSession
from shared.engine.admin import CONSOLE_ROLES, ROLES
from shared.engine.reports import ReportQuery
from shared.errors import ConfigFileError, UserError
from shared.i18n import Lang, tr
from shared.passwords import MIN_LENGTH
from shared.report_export import AT, header, table, to_csv, to_xlsx
from shared.report_pdf import to_pdf
from shared.site_config import parse_site
from shared.tomlcheck import MAX_FILE_BYTES
from web import charts
from web.bookings_console import bookings_routes
from web.complaints_console import complaints_routes
from web.guard import client_of
from web.hub import LiveHub
from web.monitor_view import monitor_view
from web.period import asked_period
from web.posted_form import same_token, text_fields
from web.skm_console import skm_routes

COOKIE: Final = "antrian_staff"
LOGIN_CSRF_COOKIE: Final = "antrian_login"
ACCOUNT_ACTIONS: Final = ("add", "disable", "enable", "passwd", "role", "agencies")
AGENCY_BOX: Final = "agency:"  # the name of an agency's checkbox, before its code
MANAGERS: Final = ("admin", "supervisor", "agency_supervisor")  # who may open or close counters
COUNTER_MOVES: Final = {
    "open": CounterState.OPEN,
    "pause": CounterState.PAUSED,
    "close": CounterState.CLOSED,
}

Render = Callable[..., Response]


# the groupings the report page's charts draw, beside the page's own
CHARTED: Final = ("hour", "service", "day", "counter")


def page_groupings(by: str) -> tuple[str, ...]:
    """What the report page grouped by `by` asks for: its own grouping, then the charts' (each
    once); bench/reports.py times the same."""
    return tuple(dict.fromkeys((by, *CHARTED)))


def console_routes(
    hub: LiveHub,
    render: Render,
    partial: Callable[..., str],
    live: Callable[[Callable[[], Awaitable[str]]], Response],
    lang_of: Callable[[Request], Lang],
) -> list[Route]:
    """The console's routes over the server's hub (never mounted with --public-only).

    `render(request, template, status, **context)` makes a page, `partial(template, lang,
    **context)` a fragment, `live(html_now)` the stream that re-renders a fragment on changes.
    """

    async def site_name() -> str:
        return (await hub.catalogue()).site_name

    async def who(request: Request, roles: tuple[str, ...] = CONSOLE_ROLES) -> ConsoleSession:
        """The request's staff session with one of `roles`; else to the login page (or 403)."""
        token = request.cookies.get(COOKIE, "")
        found = await run_in_threadpool(hub.ready().console_session, token) if token else None
        if found is None:
            raise HTTPException(303, headers={"location": "/staff/login"})
        if found.role not in roles:
            raise HTTPException(403)
        return found

    def check_origin(request: Request) -> None:
        """A browser names the page a form was posted from: it must be this console's."""
        origin = request.headers.get("origin")
        if origin is not None and origin != f"{request.url.scheme}://{request.url.netloc}":
            raise HTTPException(403)

    async def checked_form(request: Request, expected: str) -> dict[str, str]:
        """The posted form, after its CSRF token and its origin are checked."""
        check_origin(request)
        values = await text_fields(request)
        if not expected or not same_token(values.get("csrf", ""), expected):
            raise HTTPException(403)
        return values

    def page(
        request: Request, name: str, me: ConsoleSession | None, status: int = 200, **context: Any
    ) -> Response:
        response = render(request, name, status, me=me, csrf=me.csrf if me else "", **context)
        # the browser then sends the Origin of the console's forms (with no-referrer it
        # sends "null"), which checked_form compares; other sites still learn nothing
        response.headers["referrer-policy"] = "same-origin"
        return response

    # ------------------------------------------------------------------------ login

    async def login_form(
        request: Request, error: str = "", status: int = 200, changing: str = ""
    ) -> Response:
        """The login page; for `changing`, an account whose password is temporary, it asks for
        the new one twice as well."""
        token = request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(32)
        response = page(
            request,
            "staff_login.html",
            None,
            login_csrf=token,
            error=error,
            status=status,
            changing=changing,
            min_length=MIN_LENGTH,
        )
        response.set_cookie(
            LOGIN_CSRF_COOKIE,
            token,
            httponly=True,
            samesite="strict",
            path="/staff",
            secure=request.url.scheme == "https",
        )
        return response

    async def login_page(request: Request) -> Response:
        return await login_form(request)

    async def login(request: Request) -> Response:
        form = await checked_form(request, request.cookies.get(LOGIN_CSRF_COOKIE, ""))
        username, password = form.get("username", "").strip(), form.get("password", "")
        place = f"web:{client_of(request.scope).key}"
        lang = lang_of(request)
        new = form.get("new")  # a temporary password's owner chooses their own
        if new is not None and new != form.get("again", ""):
            return await login_form(request, tr("password_mismatch", lang), 400, username)
        try:
            if new is not None:
                await run_in_threadpool(
                    lambda: hub.ready().change_own_password(username, password, new, place=place)
                )
                password = new
            member = await run_in_threadpool(
                lambda: hub.ready().login(username, password, None, place=place)
            )
        except UserError as error:
            again = new is not None or error.key == "password_temporary"
            return await login_form(request, error.message(lang), 401, username if again else "")
        if member.role not in CONSOLE_ROLES:
            refused = "console_changed_no_access" if new is not None else "console_no_access"
            return await login_form(request, tr(refused, lang), 403)
        token, _csrf = await run_in_threadpool(
            hub.ready().open_console_session, member.username, place
        )
        response = RedirectResponse("/staff", status_code=303)
        response.set_cookie(
            COOKIE,
            token,
            httponly=True,
            samesite="strict",
            path="/staff",
            secure=request.url.scheme == "https",
        )
        response.delete_cookie(LOGIN_CSRF_COOKIE, path="/staff")
        return response

    async def logout(request: Request) -> Response:
        me = await who(request, tuple(ROLES))
        await checked_form(request, me.csrf)
        await run_in_threadpool(hub.ready().close_console_session, request.cookies[COOKIE])
        response = RedirectResponse("/staff/login", status_code=303)
        response.delete_cookie(COOKIE, path="/staff")
        return response

    async def password_page(
        request: Request, error: str = "", status: int = 200, changed: bool = False
    ) -> Response:
        me = await who(request)
        return page(
            request,
            "staff_password.html",
            me,
            status,
            site_name=await site_name(),
            min_length=MIN_LENGTH,
            error=error,
            changed=changed,
        )

    async def password_get(request: Request) -> Response:
        return await password_page(request)

    async def password_post(request: Request) -> Response:
        """One's own new password, after the current one (wrong ones count as wrong logins)."""
        me = await who(request)
        form = await checked_form(request, me.csrf)
        lang = lang_of(request)
        current, new = form.get("current", ""), form.get("new", "")
        if new != form.get("again", ""):
            return await password_page(request, tr("password_mismatch", lang), 400)
        try:
            await run_in_threadpool(
                lambda: hub.ready().change_own_password(
                    me.username,
                    current,
                    new,
                    place=f"web:{client_of(request.scope).key}",
                    keep_session=request.cookies[COOKIE],
                )
            )
        except UserError as error:
            return await password_page(request, error.message(lang), 400)
        return await password_page(request, changed=True)

    # ---------------------------------------------------------------------- monitor

    def monitor_html(board: Board, catalogue: Catalogue, me: ConsoleSession, lang: Lang) -> str:
        """The monitor (see monitor_view) within the agencies `me` may see; with a button to
        open or close each counter for those who manage them."""
        view = monitor_view(board, catalogue, hub.ready().clock.now(), me.scope)
        return partial("_monitor.html", lang, view=view, manage=me.role in MANAGERS, csrf=me.csrf)

    async def monitor(request: Request, message: str = "", status: int = 200) -> Response:
        me = await who(request)
        lang = lang_of(request)
        board = await hub.board(None)
        return page(
            request,
            "staff_monitor.html",
            me,
            status,
            site_name=board.site_name,
            monitor_html=monitor_html(board, await hub.catalogue(), me, lang),
            stream_url=f"/staff/live?lang={lang}",
            message=message,
        )

    async def counter_post(request: Request) -> Response:
        """Open, pause or close a counter from the console (staff who went home without
        closing it, a break taken without pausing; opened again only with someone logged in
        there, or the queue's forecast would count a counter nobody calls at); the event names
        who did it."""
        me = await who(request, MANAGERS)
        form = await checked_form(request, me.csrf)
        state = COUNTER_MOVES.get(form.get("move", ""))
        code = form.get("counter", "")
        counter = next((c for c in (await hub.board(None)).counters if c.code == code), None)
        if state is None or counter is None:
            raise HTTPException(400)
        if not me.sees(counter.agency_code):
            raise HTTPException(403)  # another agency's counter, by an edited form
        if state == CounterState.OPEN and counter.staff is None:  # no one would call there
            message = tr("console_counter_nobody", lang_of(request), counter=counter.name)
            return await monitor(request, message, 409)
        try:
            await run_in_threadpool(hub.ready().set_counter_state, code, state, me.username)
        except UserError as error:  # it holds a ticket: finish or transfer it first
            return await monitor(request, error.message(lang_of(request)), 409)
        return RedirectResponse("/staff", status_code=303)

    async def monitor_stream(request: Request) -> Response:
        me = await who(request)
        lang = lang_of(request)

        async def monitor_now() -> str:
            return monitor_html(await hub.board(None), await hub.catalogue(), me, lang)

        return live(monitor_now)

    # ---------------------------------------------------------------------- reports

    async def report_query(request: Request, me: ConsoleSession, by: str) -> ReportQuery:
        """The report the query string asks for, within what `me` may see."""
        params = request.query_params
        today = hub.ready().clock.now().astimezone(hub.ready().zone).date()
        date_from, date_to = asked_period(request, today)
        asked = tuple(a for a in params.getlist("agency") if a)
        if me.role == "agency_supervisor":
            if any(a not in me.agencies for a in asked):
                raise HTTPException(403)  # another agency's figures, by an edited URL
            asked = asked or me.agencies
        query = ReportQuery(
            date_from,
            date_to,
            by,
            asked,
            params.get("service") or None,
            params.get("counter") or None,
            params.get("staff") or None,
        )
        try:
            query.check()
        except UserError as error:
            raise HTTPException(400, error.message(lang_of(request))) from None
        return query

    async def reports_page(request: Request) -> Response:
        me = await who(request)
        by = request.query_params.get("by") or "service"
        query = await report_query(request, me, by)
        found = await run_in_threadpool(  # the charts need no percentiles: kept months serve
            hub.ready().grouped_reports, query, page_groupings(by), (by,)
        )
        result, by_hour, by_service, by_day, by_counter = (found[g] for g in (by, *CHARTED))
        hours, cells = charts.heatmap(await run_in_threadpool(hub.ready().arrival_grid, query))
        booked = await run_in_threadpool(hub.ready().booking_outcomes, query)
        catalogue = await hub.catalogue()
        visible = [a for a in catalogue.agencies if me.sees(a.code)]
        lang = lang_of(request)
        return page(
            request,
            "staff_reports.html",
            me,
            site_name=catalogue.site_name,
            report=result,
            query=query,
            header=header(lang),
            lines=table(result, lang),
            at=AT,
            groupings=GROUPINGS,
            agencies=[(a.code, a.name) for a in visible],
            services=[  # of the agencies asked for, to choose by name
                (a.name, [(s.code, s.name) for s in a.services])
                for a in visible
                if not query.agencies or a.code in query.agencies
            ],
            download=request.url.query,
            chart_arrivals=charts.arrivals(by_hour.rows),
            chart_wait=charts.mean_wait(by_hour.rows),
            chart_level=charts.named(charts.service_level(by_service.rows), by_service, lang),
            chart_days=charts.arrivals_per_day(by_day.rows),
            chart_utilisation=charts.named(charts.utilisation(by_counter.rows), by_counter, lang),
            heat_hours=hours,
            heat_cells=cells,
            booked=booked,
        )

    async def report_download(request: Request) -> Response:
        """The report as CSV (its grouping) or XLSX (a sheet per grouping)."""
        me = await who(request)
        lang = lang_of(request)
        kind = request.path_params["kind"]
        if kind not in ("csv", "xlsx", "pdf"):
            raise HTTPException(404)
        query = await report_query(request, me, request.query_params.get("by") or "service")
        if kind == "csv":
            body = to_csv(await run_in_threadpool(hub.ready().report, query), lang).encode()
            media = "text/csv; charset=utf-8"
        elif kind == "pdf":
            result = await run_in_threadpool(hub.ready().report, query)
            title = (await hub.catalogue()).site_name
            body = await run_in_threadpool(to_pdf, result, lang, title, hub.ready().zone)
            media = "application/pdf"
        else:
            found = await run_in_threadpool(hub.ready().grouped_reports, query, GROUPINGS)
            reports = [found[by] for by in GROUPINGS]
            title = (await hub.catalogue()).site_name
            body = await run_in_threadpool(to_xlsx, reports, lang, title)
            media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        name = f"laporan-{query.date_from.isoformat()}-{query.date_to.isoformat()}.{kind}"
        return Response(
            body,
            media_type=media,
            headers={
                "content-disposition": f'attachment; filename="{name}"',
                "cache-control": "no-store",
            },
        )

    # ------------------------------------------------------------------- site file

    async def site_page(request: Request) -> Response:
        me = await who(request, ("admin",))
        return page(request, "staff_site.html", me, site_name=(await hub.catalogue()).site_name)

    async def site_post(request: Request) -> Response:
        """Check an uploaded site file: its errors (file, line, key), or what it would
        change; `apply` loads it (the text travels back in the CSRF-protected form)."""
        me = await who(request, ("admin",))
        check_origin(request)
        form = await request.form(max_files=1, max_fields=10, max_part_size=MAX_FILE_BYTES)
        if not same_token(str(form.get("csrf", "")), me.csrf):
            raise HTTPException(403)
        upload = form.get("file")
        if isinstance(upload, UploadFile):
            raw, name = await upload.read(MAX_FILE_BYTES + 1), upload.filename or "site.toml"
        else:
            raw, name = str(form.get("text", "")).encode(), str(form.get("name", "site.toml"))
        name = "".join(ch for ch in name if ch.isprintable())[:80]
        context: dict[str, Any] = {
            "site_name": (await hub.catalogue()).site_name,
            "file_name": name,
        }
        try:
            if len(raw) > MAX_FILE_BYTES:
                raise ConfigFileError("site_file_unreadable", path=name, detail="> 2 MB")
            text = raw.decode("utf-8-sig")
            config = parse_site(text, name)
        except UnicodeDecodeError:
            context["errors"] = [f"{name}: UTF-8?"]
            return page(request, "staff_site.html", me, 400, **context)
        except ConfigFileError as error:
            context["errors"] = error.message(lang_of(request)).splitlines()
            return page(request, "staff_site.html", me, 400, **context)
        try:
            if form.get("action") == "apply":
                context["applied"] = await run_in_threadpool(hub.ready().load_site, config)
            else:
                context["preview"] = await run_in_threadpool(hub.ready().preview_site, config)
                context["text"] = text
        except UserError as error:  # e.g. it would take away a service whose numbers wait
            context["errors"] = [error.message(lang_of(request))]
            return page(request, "staff_site.html", me, 400, **context)
        return page(request, "staff_site.html", me, **context)

    # --------------------------------------------------------------------- accounts

    async def accounts_page(request: Request, message: str = "", status: int = 200) -> Response:
        me = await who(request, ("admin",))
        listed = await run_in_threadpool(hub.ready().list_accounts)
        catalogue = await hub.catalogue()
        lang, zone = lang_of(request), hub.ready().zone

        def last_login(account: Account) -> str:
            """When and where the account last logged in, as the accounts page says it."""
            if account.last_login_at is None:
                return tr("console_never_logged_in", lang)
            at = account.last_login_at.astimezone(zone).strftime("%d-%m-%Y %H:%M")
            where = account.last_login_counter or tr("console_title", lang)
            return tr("console_last_login", lang, at=at, where=where)

        return page(
            request,
            "staff_accounts.html",
            me,
            site_name=catalogue.site_name,
            accounts=listed,
            last_logins={a.username: last_login(a) for a in listed},
            agencies=[(a.code, a.name) for a in catalogue.agencies],
            roles=ROLES,
            message=message,
            status=status,
        )

    async def accounts_get(request: Request) -> Response:
        return await accounts_page(request)

    async def accounts_post(request: Request) -> Response:
        me = await who(request, ("admin",))
        form = await checked_form(request, me.csrf)
        action, username = form.get("action", ""), form.get("username", "").strip()
        lang = lang_of(request)
        if action not in ACCOUNT_ACTIONS:
            raise HTTPException(400)
        if action == "passwd" and username == me.username:
            # one's own goes by the current password ("Kata sandi saya"): a console left open
            # must not let a passer-by take the account over
            return await accounts_page(request, tr("console_own_password_here", lang), 400)
        queue = hub.ready()
        ticked = [k.removeprefix(AGENCY_BOX) for k, v in form.items() if k.startswith(AGENCY_BOX)]
        work: dict[str, Callable[[], None]] = {
            "add": lambda: queue.add_user(
                username,
                form.get("password", ""),
                role=form.get("role", "staff"),
                display_name=form.get("display_name", ""),
                agencies=ticked,
                temporary=True,
            ),
            "agencies": lambda: queue.set_agencies(username, ticked),
            "disable": lambda: queue.set_account_active(username, False),
            "enable": lambda: queue.set_account_active(username, True),
            "passwd": lambda: queue.set_password(
                username, form.get("password", ""), temporary=True
            ),
            "role": lambda: queue.set_role(username, form.get("role", "")),
        }
        try:
            await run_in_threadpool(work[action])
        except UserError as error:
            return await accounts_page(request, error.message(lang), 400)
        return RedirectResponse("/staff/accounts", status_code=303)

    return [
        Route("/staff/login", login_page, methods=["GET"]),
        Route("/staff/login", login, methods=["POST"]),
        Route("/staff/logout", logout, methods=["POST"]),
        Route("/staff/password", password_get, methods=["GET"]),
        Route("/staff/password", password_post, methods=["POST"]),
        Route("/staff", monitor, methods=["GET"]),
        Route("/staff/live", monitor_stream, methods=["GET"]),
        Route("/staff/counters", counter_post, methods=["POST"]),
        Route("/staff/reports", reports_page, methods=["GET"]),
        Route("/staff/reports.{kind:str}", report_download, methods=["GET"]),
        Route("/staff/site", site_page, methods=["GET"]),
        Route("/staff/site", site_post, methods=["POST"]),
        Route("/staff/accounts", accounts_get, methods=["GET"]),
        Route("/staff/accounts", accounts_post, methods=["POST"]),
        *skm_routes(hub, hub.ready, who, page, checked_form, lang_of),
        *complaints_routes(hub.ready, site_name, who, page, checked_form, lang_of),
        *bookings_routes(hub.ready, hub.catalogue, who, page, checked_form, lang_of),
    ]
