"""`antrian booking`: book a slot for a caller, list a day's bookings, cancel, check in."""

from __future__ import annotations

import argparse
import json
from datetime import datetime, time
from typing import Any

from shared.cli.commands import emit_json, engine_for, ticket_json, ticket_line
from shared.cli.report_command import iso_day
from shared.engine.bookings import Booking


def add_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    booking = sub.add_parser("booking", help="appointments: book, list, cancel, check in")
    actions = booking.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="book a slot (for a caller)")
    add.add_argument("--service", required=True)
    add.add_argument("--date", dest="day", type=iso_day, required=True, help="YYYY-MM-DD")
    add.add_argument("--time", dest="at", type=_clock, required=True, help="HH:MM")
    add.add_argument("--name", required=True)
    add.add_argument("--phone", required=True)
    add.add_argument("--json", action="store_true", help="JSON on stdout")
    add.set_defaults(handler=run_add)
    listing = actions.add_parser("list", help="a day's bookings, by slot")
    listing.add_argument("--date", dest="day", type=iso_day, help="YYYY-MM-DD (default: all)")
    listing.add_argument("--json", action="store_true", help="JSON on stdout")
    listing.set_defaults(handler=run_list)
    cancel = actions.add_parser("cancel", help="cancel a booking not yet used")
    cancel.add_argument("code")
    cancel.set_defaults(handler=run_cancel)
    checkin = actions.add_parser("checkin", help="check in: the ticket, as the kiosk issues it")
    checkin.add_argument("code")
    checkin.add_argument("--json", action="store_true", help="JSON on stdout (as ticket issue)")
    checkin.set_defaults(handler=run_checkin)


def _clock(text: str) -> time:
    try:
        return datetime.strptime(text, "%H:%M").time()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a time (HH:MM): {text[:10]}") from None


def booking_json(booking: Booking) -> dict[str, Any]:
    return {
        "code": booking.shown_code,
        "service": booking.service,
        "day": booking.day.isoformat(),
        "time": booking.slot_at.strftime("%H:%M"),
        "name": booking.name,
        "phone": booking.phone,
        "state": booking.state.value,
        "ticket": booking.ticket,
    }


def booking_line(booking: Booking) -> str:
    return (
        f"{booking.shown_code}  {booking.day.isoformat()} {booking.slot_at:%H:%M}  "
        f"{booking.service:<10} {booking.state.value:<10} {booking.name}"
        + (f"  -> {booking.ticket}" if booking.ticket else "")
    )


def run_add(args: argparse.Namespace) -> int:
    with engine_for(args) as engine:
        booking = engine.book(args.service, args.day, args.at, args.name, args.phone)
    print(
        json.dumps(booking_json(booking), ensure_ascii=False)
        if args.json
        else booking_line(booking)
    )
    return 0


def run_list(args: argparse.Namespace) -> int:
    with engine_for(args) as engine:
        found = engine.bookings(args.day, with_phone=True)
    if args.json:
        print(json.dumps([booking_json(b) for b in found], ensure_ascii=False))
    else:
        for booking in found:
            print(booking_line(booking))
    return 0


def run_cancel(args: argparse.Namespace) -> int:
    with engine_for(args) as engine:
        print(booking_line(engine.cancel_booking(args.code)))
    return 0


def run_checkin(args: argparse.Namespace) -> int:
    with engine_for(args) as engine:
        _booking, ticket = engine.check_in(args.code)
    if args.json:
        emit_json(ticket_json(ticket))
    else:
        print(ticket_line(ticket))
    return 0
