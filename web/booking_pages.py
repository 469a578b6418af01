"""Appointments on the citizen web: the services that take them, a service's days and free
slots with its standard, the booking form (name and phone), and the booking's own page (its
code and QR to show at the kiosk, its check-in window, a cancel button)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Final

import qrcode
import qrcode.image.svg
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from shared.domain.appointments import BookingState
from shared.engine.bookings import Booking
from shared.errors import UserError
from shared.i18n import Lang, tr
from web import form_token
from web.guard import Tally, client_of
from web.hub import LiveHub
from web.posted_form import text_fields

BOOKINGS_PER_HOUR: Final = 10  # per address: a family books a few, a script many
UNKNOWN_CODES_PER_HOUR: Final = 30  # per address: codes typed wrong, or walked
Render = Callable[..., Response]


def booking_routes(
    hub: LiveHub, render: Render, lang_of: Callable[[Request], Lang]
) -> list[BaseRoute]:
    booked = Tally(BOOKINGS_PER_HOUR, 3600, "bookings an hour")
    unknown = Tally(UNKNOWN_CODES_PER_HOUR, 3600, "unknown codes an hour")

    async def services_page(request: Request) -> Response:
        catalogue = await hub.catalogue()
        agencies = [
            (agency, [s for s in agency.services if s.appointments is not None])
            for agency in catalogue.agencies
        ]
        return render(
            request,
            "booking_services.html",
            site_name=catalogue.site_name,
            agencies=[(agency, offered) for agency, offered in agencies if offered],
        )

    async def form_page(
        request: Request, chosen: dict[str, str], error: str = "", status: int = 200
    ) -> Response:
        catalogue = await hub.catalogue()
        service = catalogue.service(request.path_params["service"])
        if service is None or service.appointments is None:
            raise HTTPException(404)
        days = await run_in_threadpool(hub.ready().booking_days, service.code)
        day = _day(chosen.get("day") or request.query_params.get("day", ""))
        if day not in {d for d, _ in days}:
            day = next((d for d, free in days if free), days[0][0] if days else None)
        slots = await run_in_threadpool(hub.ready().booking_slots, service.code, day) if day else []
        token = form_token.token_for(request)
        response = render(
            request,
            "booking_form.html",
            status,
            site_name=catalogue.site_name,
            service=service,
            standard=service.standard,
            days=days,
            day=day,
            slots=slots,
            chosen=chosen,
            form_token=token,
            error=error,
            day_text=lambda d: _day_text(d, lang_of(request)),
        )
        form_token.remember(response, token, "/booking")
        return response

    async def choose(request: Request) -> Response:
        return await form_page(request, {})

    async def book(request: Request) -> Response:
        chosen = await text_fields(request, max_fields=10, max_part_size=1024)
        form_token.check(request, chosen)
        lang = lang_of(request)
        if not booked.allowed(client_of(request.scope)):
            return await form_page(request, chosen, tr("booking_too_many", lang), 429)
        service = request.path_params["service"]
        day, at = _day(chosen.get("day", "")), _time(chosen.get("time", ""))
        if day is None or at is None:
            return await form_page(request, chosen, tr("booking_choose_time", lang), 400)
        try:
            made = await run_in_threadpool(
                hub.ready().book, service, day, at, chosen.get("name", ""), chosen.get("phone", "")
            )
        except UserError as refused:
            return await form_page(request, chosen, refused.message(lang), 409)
        booked.add(client_of(request.scope))
        return RedirectResponse(
            f"/booking/kode/{made.shown_code}?lang={lang}&baru=1", status_code=303
        )

    async def found(request: Request, code: str) -> Booking:
        """The booking of a code, or 404 (429 once an address has asked for many unknown)."""
        if not unknown.allowed(client_of(request.scope)):
            raise HTTPException(429)
        booking: Booking | None = await run_in_threadpool(hub.ready().booking, code)
        if booking is None:
            unknown.add(client_of(request.scope))
            raise HTTPException(404)
        return booking

    async def booking_page(request: Request) -> Response:
        booking = await found(request, request.path_params["code"])
        now = hub.ready().clock.now().astimezone(hub.ready().zone)
        token = form_token.token_for(request)
        response = render(
            request,
            "booking.html",
            site_name=(await hub.catalogue()).site_name,
            booking=booking,
            qr_svg=_qr_svg(booking.shown_code),
            fresh=request.query_params.get("baru") == "1",
            cancelled_now=request.query_params.get("batal") == "1",
            open=booking.state == BookingState.BOOKED and now <= booking.checkin_until,
            missed=booking.state == BookingState.NO_SHOW
            or (booking.state == BookingState.BOOKED and now > booking.checkin_until),
            day=_day_text(booking.day, lang_of(request)),
            form_token=token,
        )
        form_token.remember(response, token, "/booking")
        return response

    async def cancel(request: Request) -> Response:
        form_token.check(request, await text_fields(request, max_fields=4, max_part_size=256))
        booking = await found(request, request.path_params["code"])
        lang = lang_of(request)
        try:
            await run_in_threadpool(hub.ready().cancel_booking, booking.code)
        except UserError as refused:
            raise HTTPException(409, refused.message(lang)) from refused
        return RedirectResponse(
            f"/booking/kode/{booking.shown_code}?lang={lang}&batal=1", status_code=303
        )

    async def look_up(request: Request) -> Response:
        booking = await found(request, request.query_params.get("kode", ""))
        return RedirectResponse(f"/booking/kode/{booking.shown_code}", status_code=303)

    return [
        Route("/booking", services_page, methods=["GET"]),
        Route("/booking/cek", look_up, methods=["GET"]),
        Route("/booking/kode/{code}", booking_page, methods=["GET"]),
        Route("/booking/kode/{code}/batal", cancel, methods=["POST"]),
        Route("/booking/{service}", choose, methods=["GET"]),
        Route("/booking/{service}", book, methods=["POST"]),
    ]


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _time(text: str) -> time | None:
    try:
        return datetime.strptime(text[:5], "%H:%M").time()
    except ValueError:
        return None


def _day_text(day: date, lang: Lang) -> str:
    """'Selasa, 01-12-2026'."""
    return f"{tr(f'weekday_{day.weekday()}', lang)}, {day.strftime('%d-%m-%Y')}"


def _qr_svg(text: str) -> str:
    """The booking code as an inline SVG QR code (the kiosk's scanner types it back)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    svg: str = image.to_string(encoding="unicode")
    return svg.replace('width="', 'data-w="', 1).replace('height="', 'data-h="', 1)
