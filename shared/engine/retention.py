"""Citizens' personal data kept no longer than the site says (`personal_data_days`, 90 by
default), as the personal data protection law (UU 27/2022) asks: a booking's name and phone
number from that many days after its day, a complaint's contact from that many days after it
was closed. The records stay, for the reports and the register; an open complaint keeps its
contact however old it is. The account names and addresses of wrong logins (login_failures)
go a day after their last wrong try (a lock lasts 15 minutes at most). Run by the first write
of each business day."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from sqlalchemy import Connection, and_, delete, or_, update

from shared.store.tables import bookings, complaints, login_failures

log = logging.getLogger(__name__)

WRONG_TRIES_KEPT = timedelta(days=1)


def forget_personal_data(conn: Connection, now: datetime, today: date, days: int) -> int:
    """Erase what has been kept long enough; returns how many records lost it."""
    erased = conn.execute(
        update(bookings)
        .where(
            and_(
                bookings.c.day < today - timedelta(days=days),
                or_(bookings.c.name != "", bookings.c.phone != ""),
            )
        )
        .values(name="", phone="")
    ).rowcount
    erased += conn.execute(
        update(complaints)
        .where(
            and_(
                complaints.c.closed_at < now - timedelta(days=days),
                complaints.c.contact.is_not(None),
            )
        )
        .values(contact=None)
    ).rowcount
    erased += conn.execute(
        delete(login_failures).where(
            or_(
                login_failures.c.last_failed_at.is_(None),  # older than the column
                login_failures.c.last_failed_at < now - WRONG_TRIES_KEPT,
            )
        )
    ).rowcount
    if erased:
        log.info("personal data erased from %d records (kept %d days)", erased, days)
    return erased
