"""One engine operation's view of the world: its connection, the site, the time and the day.

Every write starts here: it reads the site row, turns the clock into the site's local time and
business day, expires the tickets of earlier days when the day has changed, and appends events
to the log (taking the events lock on PostgreSQL so ids commit in order).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Connection,
    Table,
    TextClause,
    and_,
    bindparam,
    func,
    insert,
    select,
    text,
    update,
)

from shared.clock import Clock
from shared.domain.holidays import Holidays
from shared.domain.hours import BreakTime
from shared.domain.states import (
    OPEN_STATES,
    Action,
    EventKind,
    TicketState,
    next_state,
)
from shared.engine.retention import forget_personal_data
from shared.engine.snapshots import ticket_select
from shared.errors import SetupError
from shared.i18n import LocalText
from shared.store.database import Database
from shared.store.tables import counters, events, site, tickets


@cache
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@dataclass(frozen=True, slots=True)
class SiteRow:
    name: str
    timezone: str
    holidays: Holidays
    ticker: tuple[LocalText, ...]
    unstarted_on_next: str
    public_url: str | None
    current_day: date | None
    breaks: BreakTime | None = None
    publish_ikm: bool = False
    personal_data_days: int = 90
    skm_wording: dict[str, LocalText] = field(default_factory=dict)  # the site's questions


SITE_ROW = select(site).where(site.c.id == 1)
NEWEST_EVENT = select(func.coalesce(func.max(events.c.id), 0))
INSERT_EVENT = insert(events).returning(events.c.id)
_UPSERTS: dict[tuple[str, tuple[str, ...], str], TextClause] = {}


def _upsert_statement(table: Table, keys: tuple[str, ...], column: str) -> TextClause:
    """`INSERT ... ON CONFLICT (keys) DO UPDATE SET column = column + 1 RETURNING column`.

    Written as text (the same SQL on SQLite 3.35+ and PostgreSQL) and built once: SQLAlchemy
    cannot cache a compiled ON CONFLICT statement, and this runs on every ticket issued.
    """
    cache_key = (table.name, keys, column)  # everything that shapes the statement
    if cache_key not in _UPSERTS:
        names = ", ".join(keys)
        _UPSERTS[cache_key] = text(
            f"INSERT INTO {table.name} ({names}, {column}) "
            f"VALUES ({', '.join(':' + k for k in keys)}, 1) "
            f"ON CONFLICT ({names}) DO UPDATE SET {column} = {table.name}.{column} + 1 "
            f"RETURNING {column}"
        ).bindparams(*(bindparam(k, type_=table.c[k].type) for k in keys))
    return _UPSERTS[cache_key]


def newest_event_id(conn: Connection) -> int:
    """The id of the newest committed event (0 for none): the data's version."""
    return int(conn.execute(NEWEST_EVENT).scalar_one())


def read_site(conn: Connection) -> SiteRow:
    row = conn.execute(SITE_ROW).one()
    return SiteRow(
        name=row.name,
        timezone=row.timezone,
        holidays=Holidays(
            frozenset(date.fromisoformat(d) for d in row.holidays), row.national_holidays
        ),
        ticker=tuple(LocalText(i, e) for i, e in row.ticker),
        unstarted_on_next=row.unstarted_on_next,
        public_url=row.public_url,
        current_day=row.current_day,
        breaks=BreakTime(*row.breaks) if row.breaks else None,
        publish_ikm=bool((row.skm or {}).get("publish")),
        personal_data_days=row.personal_data_days,
        skm_wording={
            code: LocalText(*texts) for code, texts in (row.skm or {}).get("questions", {}).items()
        },
    )


@dataclass
class Context:
    """A transaction plus the site and the local time it runs at."""

    conn: Connection
    db: Database
    site: SiteRow
    now: datetime  # site-local, aware
    actor: str
    last_event_id: int | None = None
    _events_locked: bool = field(default=False, repr=False)

    @classmethod
    def start(cls, conn: Connection, db: Database, clock: Clock, actor: str) -> Context:
        site_row = read_site(conn)
        now = clock.now().astimezone(zone(site_row.timezone))
        return cls(conn, db, site_row, now, actor)

    @property
    def today(self) -> date:
        return self.now.date()

    # ------------------------------------------------------------------ writing helpers

    def upsert_increment(self, table: Table, keys: Mapping[str, Any], column: str) -> int:
        """Add one to `column` of the row with `keys` (creating it at 1); the new value.

        One `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` on both databases: atomic, and on
        PostgreSQL it holds the row lock until commit, so two issuers never share a value.
        """
        statement = _upsert_statement(table, tuple(keys), column)
        return int(self.conn.execute(statement, dict(keys)).scalar_one())

    def lock_events(self) -> None:
        """Take the events-append lock now (once per transaction; PostgreSQL only)."""
        if not self._events_locked:
            self.db.lock_events(self.conn)
            self._events_locked = True

    def append_event(
        self,
        kind: EventKind,
        *,
        ticket: Any = None,
        counter_code: str | None = None,
        staff: str | None = None,
        from_state: str | None = None,
        to_state: str | None = None,
        related_ticket_id: int | None = None,
        service_code: str | None = None,
        detail: str | None = None,
    ) -> int:
        """Append one event; `ticket` is a row with id, number, priority and service_code."""
        self.lock_events()
        values: dict[str, Any] = {
            "at": self.now,
            "day": self.today,
            "kind": kind.value,
            "actor": self.actor,
            "counter_code": counter_code,
            "staff": staff,
            "from_state": from_state,
            "to_state": to_state,
            "related_ticket_id": related_ticket_id,
            "service_code": service_code,
            "priority": False,
            "detail": detail,
        }
        if ticket is not None:
            values.update(
                ticket_id=ticket.id,
                number=ticket.number,
                priority=bool(ticket.priority),
                service_code=service_code or ticket.service_code,
            )
        event_id = int(self.conn.execute(INSERT_EVENT, values).scalar_one())
        self.last_event_id = event_id
        return event_id

    def done(self) -> None:
        """End of a write: wake the followers (PostgreSQL delivers it at commit)."""
        if self.last_event_id is not None:
            self.db.notify(self.conn, self.last_event_id)

    # ------------------------------------------------------------------------- rollover

    def check_day(self) -> None:
        """Refuse a number for a day before the site's last business day: a clock set back (a
        dead CMOS battery, time sync not on) would hand the citizen a ticket of a day gone by,
        which no counter calls and the next rollover expires."""
        if self.site.current_day is not None and self.site.current_day > self.today:
            raise SetupError(
                "clock_behind", now=f"{self.now:%Y-%m-%d %H:%M}", day=self.site.current_day
            )

    def reset_day(self) -> date | None:
        """Set the site's business day back to the clock's, when a clock that ran ahead (set
        to a later year by mistake) left it in the future; the day it held, or None."""
        held = self.site.current_day
        if held is None or held <= self.today:
            return None
        self.conn.execute(update(site).where(site.c.id == 1).values(current_day=self.today))
        return held

    def roll_day(self) -> int:
        """Expire what earlier business days left open, and erase the personal data kept
        long enough; returns how many tickets expired.

        Many processes can see the new day at once: the first takes the site row's lock and
        rolls over; the others wait for it, find the day already rolled, and do nothing.
        """
        if self.site.current_day is not None and self.site.current_day >= self.today:
            return 0
        current = self.conn.execute(
            select(site.c.current_day).where(site.c.id == 1).with_for_update()
        ).scalar_one()
        if current is not None and current >= self.today:
            return 0
        stale = self.conn.execute(
            ticket_select()
            .where(
                and_(
                    tickets.c.day < self.today, tickets.c.state.in_([s.value for s in OPEN_STATES])
                )
            )
            .order_by(tickets.c.id)
            .with_for_update(of=tickets)
        ).all()
        for row in stale:
            state = TicketState(row.state)
            expired = next_state(state, Action.EXPIRE)
            assert expired is not None
            self.conn.execute(
                update(tickets)
                .where(tickets.c.id == row.id, tickets.c.state == state.value)
                .values(state=expired.value)
            )
            self.append_event(
                EventKind.EXPIRED,
                ticket=row,
                counter_code=row.counter_code,
                from_state=state.value,
                to_state=expired.value,
            )
        self.conn.execute(
            update(counters)
            .where(counters.c.current_ticket_id.is_not(None))
            .values(current_ticket_id=None)
        )
        self.conn.execute(update(site).where(site.c.id == 1).values(current_day=self.today))
        forget_personal_data(self.conn, self.now, self.today, self.site.personal_data_days)
        return len(stale)
