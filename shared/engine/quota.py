"""A day's quota with appointments: how many walk-in tickets it still allows, counting the
places that bookings hold and the share reserved for them (the rule is in
shared/domain/appointments.py: walk_in_places)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from shared.domain.appointments import AppointmentRules, BookingState, walk_in_places
from shared.engine.context import Context
from shared.store.tables import bookings


@dataclass(frozen=True, slots=True)
class Holds:
    held: int = 0  # bookings of today still holding a place (to come, or checked in)
    checked_in: int = 0  # of which checked in: their tickets are among today's issued


def holds_today(
    ctx: Context, service_ids: Iterable[int], rules: dict[int, Any]
) -> dict[int, Holds]:
    """Per service (of those with appointments), today's bookings holding a place: checked in,
    or booked and not past the end of their check-in window."""
    wanted = [sid for sid in service_ids if rules.get(sid) is not None]
    if not wanted:
        return {}
    found: dict[int, list[int]] = {sid: [0, 0] for sid in wanted}
    for service_id, state, slot_at in ctx.conn.execute(
        select(bookings.c.service_id, bookings.c.state, bookings.c.slot_at).where(
            bookings.c.day == ctx.today,
            bookings.c.service_id.in_(wanted),
            bookings.c.state.in_([BookingState.BOOKED.value, BookingState.CHECKED_IN.value]),
        )
    ):
        if state == BookingState.CHECKED_IN.value:
            found[service_id][0] += 1
            found[service_id][1] += 1
        elif slot_at + timedelta(minutes=rules[service_id].checkin_after) >= ctx.now:
            found[service_id][0] += 1
    return {sid: Holds(*counts) for sid, counts in found.items()}


def walk_ins_left(
    ctx: Context, quota: int | None, rules: AppointmentRules | None, issued: int, holds: Holds
) -> int | None:
    """Walk-in tickets the quota still allows today, `issued` tickets having been issued (None:
    no quota)."""
    minute = ctx.now.hour * 60 + ctx.now.minute
    places = walk_in_places(quota, rules, holds.held, minute)
    return None if places is None else max(0, places - (issued - holds.checked_in))
