"""Tickets sent to a colleague's counter (transfer to a counter): such a ticket waits for that
counter only, as long as the counter can call it (active, not closed, serving the ticket's
service); otherwise it is open to every counter serving its service, so a counter that closes
or stops serving the service strands nobody, with nothing to release and no race to lose.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, case, null, or_, select

from shared.domain.states import CounterState
from shared.store.tables import counter_services, counters, tickets

_keeper = counters.alias("keeper")
_keeper_serves = counter_services.alias("keeper_serves")


def _keeping(column: ColumnElement[Any]) -> Select[Any]:
    """`column` of the counter the ticket was sent to, while that counter can call it."""
    return (
        select(column)
        .join(_keeper_serves, _keeper_serves.c.counter_id == _keeper.c.id)
        .where(
            _keeper.c.id == tickets.c.for_counter_id,
            _keeper.c.active.is_(True),
            _keeper.c.state != CounterState.CLOSED.value,
            _keeper_serves.c.service_id == tickets.c.service_id,
        )
    )


def kept_by_another(counter_id: Any) -> ColumnElement[bool]:
    """The ticket waits for a counter other than `counter_id` (a value or bound parameter)
    that can still call it."""
    return _keeping(_keeper.c.id).where(_keeper.c.id != counter_id).exists()


def kept_for(column: str) -> ColumnElement[Any]:
    """`column` ("code", "number") of the counter the ticket waits for alone, NULL when it is
    open to all."""
    return case(
        (tickets.c.for_counter_id.is_(None), null()),
        else_=_keeping(_keeper.c[column]).scalar_subquery(),
    )


def open_to(counter_id: Any) -> ColumnElement[bool]:
    """The ticket may be called by "next" at `counter_id` (its service in the counter's
    profile aside): nobody's, this counter's, or kept by a counter that can no longer call it."""
    return or_(tickets.c.for_counter_id.is_(None), ~kept_by_another(counter_id))
