"""The names people read beside a report's grouping keys: a service's, an agency's, a counter's
or a staff member's name as the site has it now, the weekday of a day, an hour as a span."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from sqlalchemy import select

from shared.engine.context import Context
from shared.i18n import LocalText, both
from shared.store.tables import agencies, counters, services, staff

TOTAL_KEY = "total"
NONE = "-"  # the key of no counter (never called) and of no staff (nobody logged in)
WEEKDAYS = frozenset("1234567")  # ISO weekday keys: 1 = Monday


def filter_names(ctx: Context, filters: dict[str, str]) -> dict[str, LocalText]:
    """Each filter's value named (`agency` may hold several codes, comma-separated)."""
    named = {}
    for kind, value in filters.items():
        codes = value.split(",") if kind == "agency" else [value]
        found = row_names(ctx, kind, codes)
        texts = [found.get(code, LocalText(code, code)) for code in codes]
        named[kind] = LocalText(
            ", ".join(t.id for t in texts), ", ".join(t.get("en") for t in texts)
        )
    return named


def row_names(ctx: Context, by: str, keys: Collection[str]) -> dict[str, LocalText]:
    """A name for each of `keys` (grouped `by`) that has one, and the total's."""
    names = {TOTAL_KEY: both("report_total")}
    wanted = [k for k in keys if k]
    if by in ("service", "agency"):
        table = services if by == "service" else agencies
        found = select(table.c.code, table.c.name_id, table.c.name_en)
        for code, name_id, name_en in ctx.conn.execute(found.where(table.c.code.in_(wanted))):
            names[code] = LocalText(name_id, name_en)
    elif by == "counter":
        found = select(counters.c.code, counters.c.name).where(counters.c.code.in_(wanted))
        names.update({code: LocalText(name, name) for code, name in ctx.conn.execute(found)})
        names[NONE] = both("report_no_counter")
    elif by == "staff":
        found = select(staff.c.username, staff.c.display_name).where(staff.c.username.in_(wanted))
        names.update({user: LocalText(name, name) for user, name in ctx.conn.execute(found)})
        names[NONE] = both("report_no_staff")
    elif by == "weekday":
        names.update({k: both(f"weekday_{int(k) - 1}") for k in wanted if k in WEEKDAYS})
    elif by == "day":
        names.update({k: both(f"weekday_{date.fromisoformat(k).weekday()}") for k in wanted})
    elif by == "hour":
        names.update({k: LocalText(f"{k}:00-{k}:59", f"{k}:00-{k}:59") for k in wanted})
    return names
