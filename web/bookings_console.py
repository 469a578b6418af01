"""The console's appointments: a day's bookings per service (booked, checked in with its
ticket, no-show, cancelled; name and phone for staff), booking a slot for a caller, cancelling.
An agency supervisor sees and changes their own agency's bookings only (also by edited URLs)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime
from typing import Any, Final

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from shared.domain.appointments import BookingState
from shared.domain.values import Catalogue, ServiceEntry
from shared.engine import QueueEngine
from shared.engine.accounts import ConsoleSession
from shared.errors import UserError
from shared.i18n import Lang

BOOKING_ROLES: Final = ("admin", "supervisor", "agency_supervisor")
Who = Callable[..., Awaitable[ConsoleSession]]
Page = Callable[..., Response]
CheckedForm = Callable[[Request, str], Awaitable[dict[str, str]]]


def bookings_routes(
    engine: Callable[[], QueueEngine],
    catalogue: Callable[[], Awaitable[Catalogue]],
    who: Who,
    page: Page,
    checked_form: CheckedForm,
    lang_of: Callable[[Request], Lang],
) -> list[Route]:
    async def offered(me: ConsoleSession) -> list[ServiceEntry]:
        """The services taking appointments that this person may see."""
        agencies = (await catalogue()).agencies
        mine = [a for a in agencies if me.sees(a.code)]
        return [s for a in mine for s in a.services if s.appointments is not None]

    def today() -> date:
        return engine().clock.now().astimezone(engine().zone).date()

    async def day_page(
        request: Request, me: ConsoleSession, message: str = "", status: int = 200, **kept: Any
    ) -> Response:
        services = await offered(me)
        codes = {s.code for s in services}
        try:
            day = date.fromisoformat(request.query_params.get("day", "")[:10])
        except ValueError:
            day = today()
        found = await run_in_threadpool(lambda: engine().bookings(day, with_phone=True))
        mine = [b for b in found if b.service in codes]
        groups = [
            {
                "service": service,
                "bookings": [b for b in mine if b.service == service.code],
                "counts": {
                    state: sum(b.state == state and b.service == service.code for b in mine)
                    for state in BookingState
                },
            }
            for service in services
        ]
        return page(
            request,
            "staff_bookings.html",
            me,
            status,
            site_name=(await catalogue()).site_name,
            day=day,
            groups=groups,
            services=services,
            message=message,
            kept=kept,
        )

    async def listing(request: Request) -> Response:
        me = await who(request, BOOKING_ROLES)
        made = request.query_params.get("kode", "")
        return await day_page(request, me, made=made)

    async def book(request: Request) -> Response:
        me = await who(request, BOOKING_ROLES)
        form = await checked_form(request, me.csrf)
        service = form.get("service", "")
        if service not in {s.code for s in await offered(me)}:
            raise HTTPException(404)  # unknown, or another agency's: the same to this person
        try:
            day = date.fromisoformat(form.get("day", ""))
            at = datetime.strptime(form.get("time", ""), "%H:%M").time()
        except ValueError:
            raise HTTPException(400) from None
        try:
            made = await run_in_threadpool(
                lambda: engine().book(
                    service, day, at, form.get("name", ""), form.get("phone", ""), by=me.username
                )
            )
        except UserError as refused:
            return await day_page(request, me, refused.message(lang_of(request)), 409, form=form)
        return RedirectResponse(
            f"/staff/bookings?day={day.isoformat()}&kode={made.shown_code}", status_code=303
        )

    async def cancel(request: Request) -> Response:
        me = await who(request, BOOKING_ROLES)
        form = await checked_form(request, me.csrf)
        booking = await run_in_threadpool(engine().booking, form.get("code", ""))
        if booking is None or booking.service not in {s.code for s in await offered(me)}:
            raise HTTPException(404)
        try:
            await run_in_threadpool(engine().cancel_booking, booking.code)
        except UserError as refused:
            return await day_page(request, me, refused.message(lang_of(request)), 409)
        return RedirectResponse(f"/staff/bookings?day={booking.day.isoformat()}", status_code=303)

    return [
        Route("/staff/bookings", listing, methods=["GET"]),
        Route("/staff/bookings", book, methods=["POST"]),
        Route("/staff/bookings/cancel", cancel, methods=["POST"]),
    ]
