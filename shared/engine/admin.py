"""Loading a site file into the store (idempotent upsert) and managing staff accounts."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from sqlalchemy import Table, delete, func, insert, select, update

from shared.domain.hours import hours_to_json
from shared.domain.states import CounterState, EventKind, TicketState
from shared.domain.values import ServiceStandard
from shared.engine.calling import set_state
from shared.engine.context import Context
from shared.errors import AuthError, CounterError, UserError
from shared.passwords import hash_password
from shared.site_config import SiteConfig
from shared.store.tables import (
    agencies,
    counter_services,
    counters,
    services,
    site,
    staff,
    staff_agencies,
    text_length,
    tickets,
)

ROLES = ("admin", "supervisor", "agency_supervisor", "complaint_officer", "staff")
CONSOLE_ROLES = ("admin", "supervisor", "agency_supervisor", "complaint_officer")
CONTACT_ROLES = ("admin", "complaint_officer")  # who may see a complainant's contact
USERNAME_RE: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{1,31}")
PASSWORD_MAX: Final = 256  # hashing a megabyte-long password is a way to stall a server
CONTROL: Final = frozenset(chr(c) for c in range(32))


# a stored column as the site file names it, where the two differ
FILE_KEYS: Final = {
    "name_id": "name",
    "agency_id": "agency",
    "fee_rupiah": "fee",
    "standard": "requirements/procedure/completion_time/product/complaints",
    "position": "(urutan / order)",
}


@dataclass(frozen=True, slots=True)
class SiteChange:
    """One change a site file makes: to the site's own settings (`kind` "site", no code) or
    to an agency, a service or a counter, by its code."""

    kind: str  # site, agency, service, counter
    code: str
    what: str  # created, updated, deactivated
    fields: tuple[str, ...] = ()  # what an update changed, as the site file's keys


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What `site load` changed, per kind of row: created, updated, unchanged, deactivated,
    and each change by name."""

    agencies: tuple[int, int, int, int]
    services: tuple[int, int, int, int]
    counters: tuple[int, int, int, int]
    changes: tuple[SiteChange, ...] = ()

    @property
    def changed(self) -> bool:
        return bool(self.changes)


@dataclass(frozen=True, slots=True)
class StaffMember:
    username: str
    display_name: str
    role: str
    counter_code: str | None = None


def _upsert(
    ctx: Context,
    kind: str,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    new_defaults: Mapping[str, Any],
) -> tuple[dict[str, int], list[SiteChange]]:
    """Insert or update `rows` by code, deactivate the rest; the ids by code, and the changes."""
    existing = {r.code: r for r in ctx.conn.execute(select(table))}
    ids: dict[str, int] = {}
    changes: list[SiteChange] = []
    for position, values in enumerate(rows):
        values = {**values, "position": position, "active": values.get("active", True)}
        code, old = values["code"], existing.get(values["code"])
        if old is None:
            ids[code] = int(
                ctx.conn.execute(
                    insert(table).values({**new_defaults, **values}).returning(table.c.id)
                ).scalar_one()
            )
            changes.append(SiteChange(kind, code, "created"))
            continue
        ids[code] = old.id
        fields = tuple(FILE_KEYS.get(k, k) for k, v in values.items() if getattr(old, k) != v)
        if fields:
            ctx.conn.execute(update(table).where(table.c.id == old.id).values(values))
            changes.append(SiteChange(kind, code, "updated", fields))
    gone = {code: r.id for code, r in existing.items() if code not in ids and r.active}
    if gone:
        ctx.conn.execute(update(table).where(table.c.id.in_(gone.values())).values(active=False))
    changes += [SiteChange(kind, code, "deactivated") for code in gone]
    return ids, changes


def _counts(changes: Sequence[SiteChange], kind: str, rows: int) -> tuple[int, int, int, int]:
    """(created, updated, unchanged, deactivated) of `kind`, of `rows` in the file."""
    made = [c.what for c in changes if c.kind == kind]
    created, updated = made.count("created"), made.count("updated")
    return created, updated, rows - created - updated, made.count("deactivated")


def _standard_json(standard: ServiceStandard) -> dict[str, Any]:
    def pair(text: Any) -> list[str]:
        return [text.id, text.en]

    return {
        "requirements": [pair(r) for r in standard.requirements],
        "procedure": pair(standard.procedure),
        "completion": pair(standard.completion),
        "fee": pair(standard.fee),
        "product": pair(standard.product),
        "complaints": pair(standard.complaints),
    }


def load_site(ctx: Context, config: SiteConfig) -> LoadReport:
    _check_nothing_stranded(ctx, config)
    settings = config.site
    site_values = {
        "name": settings.name,
        "timezone": settings.timezone,
        "holidays": [d.isoformat() for d in sorted(settings.holidays.own)],
        "national_holidays": settings.holidays.national,
        "ticker": [[t.id, t.en] for t in settings.ticker],
        "unstarted_on_next": settings.unstarted_on_next,
        "public_url": settings.public_url,
        "breaks": settings.breaks.as_list() if settings.breaks else None,
        "personal_data_days": settings.personal_data_days,
        "skm": {
            "publish": settings.publish_ikm,
            "questions": {code: [t.id, t.en] for code, t in settings.skm_questions},
        },
    }
    agency_ids, changes = _upsert(
        ctx,
        "agency",
        agencies,
        [
            {"code": a.code, "name_id": a.name.id, "name_en": a.name.en, "zone": a.zone}
            for a in config.agencies
        ],
        {},
    )
    service_ids, service_changes = _upsert(
        ctx,
        "service",
        services,
        [
            {
                "code": s.code,
                "agency_id": agency_ids[s.agency],
                "prefix": s.prefix,
                "name_id": s.name.id,
                "name_en": s.name.en,
                "standard": _standard_json(s.standard),
                "completion_minutes": s.standard.completion_minutes,
                "fee_rupiah": s.standard.fee_rupiah,
                "daily_quota": s.daily_quota,
                "hours": hours_to_json(s.hours),
                "priority_allowed": s.priority_allowed,
                "service_minutes": s.service_minutes,
                "wait_target_minutes": s.wait_target_minutes,
                "active": s.active,
                "appointments": s.appointments.as_json() if s.appointments else None,
            }
            for s in config.services
        ],
        {},
    )
    counter_ids, counter_changes = _upsert(
        ctx,
        "counter",
        counters,
        [
            {
                "code": c.code,
                "name": c.name,
                "number": c.number,
                "agency_id": agency_ids.get(c.agency) if c.agency else None,
                "zone": c.zone,
                "selection": c.selection.value,
                "active": c.active,
            }
            for c in config.counters
        ],
        {"state": CounterState.OPEN.value},
    )
    reprofiled = _replace_profiles(ctx, config, counter_ids, service_ids)
    changes += service_changes + _with_profiles(counter_changes, reprofiled)
    current = ctx.conn.execute(select(site).where(site.c.id == 1)).one()
    site_fields = tuple(k for k, v in site_values.items() if getattr(current, k) != v)
    if site_fields:
        changes.insert(0, SiteChange("site", "", "updated", site_fields))
    report = LoadReport(
        _counts(changes, "agency", len(config.agencies)),
        _counts(changes, "service", len(config.services)),
        _counts(changes, "counter", len(config.counters)),
        tuple(changes),
    )
    if report.changed:
        ctx.conn.execute(
            update(site)
            .where(site.c.id == 1)
            .values(**site_values, config_version=site.c.config_version + 1)
        )
        ctx.append_event(EventKind.SITE_LOADED, detail=str(len(report.changes)))
    return report


def _check_nothing_stranded(ctx: Context, config: SiteConfig) -> None:
    """Refuse a site that takes away, in the middle of a day, a service whose numbers still
    wait (or are parked, to be called back) or a counter that still holds a ticket: those
    citizens would wait for a call that no counter can make. Serve or transfer them first, or
    load the file after closing."""
    kept = {s.code for s in config.services if s.active}
    waiting = ctx.conn.execute(
        select(services.c.code, func.count(tickets.c.id))
        .join(tickets, tickets.c.service_id == services.c.id)
        .where(
            tickets.c.day == ctx.today,
            tickets.c.state.in_([TicketState.WAITING.value, TicketState.PARKED.value]),
            services.c.active.is_(True),
        )
        .group_by(services.c.code)
        .order_by(services.c.code)
    ).all()
    left = [f"{code} ({count})" for code, count in waiting if code not in kept]
    if left:
        raise UserError("site_strands_waiting", services=", ".join(left))
    open_counters = {c.code for c in config.counters if c.active}
    held = ctx.conn.execute(
        select(counters.c.code, tickets.c.number)
        .join(tickets, tickets.c.id == counters.c.current_ticket_id)
        .where(tickets.c.day == ctx.today, counters.c.active.is_(True))
        .order_by(counters.c.code)
    ).all()
    holding = [f"{code} ({number})" for code, number in held if code not in open_counters]
    if holding:
        raise UserError("site_strands_held", counters=", ".join(holding))


def _replace_profiles(
    ctx: Context, config: SiteConfig, counter_ids: Mapping[str, int], service_ids: Mapping[str, int]
) -> set[str]:
    """Set each counter's work profile; the codes of the counters whose profile changed."""
    changed: set[str] = set()
    for counter in config.counters:
        cid = counter_ids[counter.code]
        wanted = [service_ids[code] for code in counter.services]
        current = list(
            ctx.conn.execute(
                select(counter_services.c.service_id)
                .where(counter_services.c.counter_id == cid)
                .order_by(counter_services.c.position)
            ).scalars()
        )
        if current == wanted:
            continue
        ctx.conn.execute(delete(counter_services).where(counter_services.c.counter_id == cid))
        if wanted:
            ctx.conn.execute(
                insert(counter_services),
                [
                    {"counter_id": cid, "service_id": sid, "position": i}
                    for i, sid in enumerate(wanted)
                ],
            )
        changed.add(counter.code)
    return changed


def _with_profiles(changes: list[SiteChange], reprofiled: set[str]) -> list[SiteChange]:
    """The counters' changes with "services" among the fields of those whose profile changed."""
    out = [
        replace(c, fields=(*c.fields, "services"))
        if c.code in reprofiled and c.what == "updated"
        else c
        for c in changes
    ]
    noted = {c.code for c in changes}
    out += [
        SiteChange("counter", code, "updated", ("services",)) for code in sorted(reprofiled - noted)
    ]
    return out


def check_account(username: str, display_name: str, password: str) -> None:
    """A username is a short identifier; a display name and a password have sane lengths."""
    if not USERNAME_RE.fullmatch(username):
        raise AuthError("bad_username", username=username[:40])
    limit = text_length(staff.c.display_name)
    if len(display_name) > limit or not CONTROL.isdisjoint(display_name):
        raise AuthError("bad_display_name", limit=limit)
    if not password or len(password) > PASSWORD_MAX:
        raise AuthError("bad_password_length", limit=PASSWORD_MAX)


def add_user(
    ctx: Context,
    username: str,
    display_name: str,
    role: str,
    password: str,
    agency_codes: Sequence[str] = (),
    temporary: bool = False,
) -> None:
    """A new active account; `agency_codes`: the agencies whose counters it may work at;
    `temporary`: its password, set by someone else, serves only to choose its own."""
    if role not in ROLES:
        raise AuthError("bad_role", role=role)
    check_scope(role, agency_codes)
    display_name = display_name.strip()
    check_account(username, display_name, password)
    known = agency_ids(ctx, agency_codes)
    exists = ctx.conn.execute(select(staff.c.id).where(staff.c.username == username)).first()
    if exists:
        raise AuthError("user_exists", username=username)
    ctx.conn.execute(
        insert(staff).values(
            username=username,
            display_name=display_name or username,
            role=role,
            password_hash=hash_password(password),
            password_temporary=temporary,
            active=True,
        )
    )
    if known:
        member_id = ctx.conn.execute(
            select(staff.c.id).where(staff.c.username == username)
        ).scalar_one()
        ctx.conn.execute(
            insert(staff_agencies),
            [{"staff_id": member_id, "agency_id": agency_id} for agency_id in known.values()],
        )


def check_scope(role: str, agency_codes: Sequence[str]) -> None:
    """An agency supervisor sees only their agencies: without one they would see nothing."""
    if role == "agency_supervisor" and not agency_codes:
        raise AuthError("agency_supervisor_needs_agency")


def agency_ids(ctx: Context, codes: Sequence[str]) -> dict[str, int]:
    """Each agency code's id; an unknown code is refused."""
    known = {
        code: agency_id
        for code, agency_id in ctx.conn.execute(
            select(agencies.c.code, agencies.c.id).where(agencies.c.code.in_(list(codes)))
        )
    }
    for code in codes:
        if code not in known:
            raise AuthError("unknown_agency", agency=code[:40])
    return known


def stored_password(ctx: Context, username: str) -> tuple[str, bool] | None:
    """An active account's password hash, and whether that password is temporary."""
    found = ctx.conn.execute(
        select(staff.c.password_hash, staff.c.password_temporary).where(
            staff.c.username == username, staff.c.active.is_(True)
        )
    ).one_or_none()
    return None if found is None else (found.password_hash, bool(found.password_temporary))


def record_login(ctx: Context, username: str, counter_code: str | None) -> StaffMember:
    """Log the login; at a counter, the staff member takes it and a closed counter opens."""
    member = ctx.conn.execute(select(staff).where(staff.c.username == username)).one()
    if counter_code is not None:
        counter = ctx.conn.execute(
            select(counters)
            .where(counters.c.code == counter_code, counters.c.active.is_(True))
            .with_for_update()
        ).one_or_none()
        if counter is None:
            raise CounterError("unknown_counter", counter=counter_code)
        allowed = set(
            ctx.conn.execute(
                select(staff_agencies.c.agency_id).where(staff_agencies.c.staff_id == member.id)
            ).scalars()
        )
        if allowed and counter.agency_id not in allowed:
            raise AuthError("not_your_agency", counter=counter.name)
        _leave_other_counters(ctx, member, counter_code)
        state = CounterState.OPEN.value if counter.state == CounterState.CLOSED else counter.state
        ctx.conn.execute(
            update(counters)
            .where(counters.c.id == counter.id)
            .values(staff_id=member.id, state=state)
        )
        if state != counter.state:
            ctx.append_event(
                EventKind.COUNTER_OPENED,
                counter_code=counter_code,
                staff=username,
                from_state=counter.state,
                to_state=state,
            )
    ctx.conn.execute(
        update(staff)
        .where(staff.c.id == member.id)
        .values(last_login_at=ctx.now, last_login_counter=counter_code)
    )
    ctx.append_event(EventKind.STAFF_LOGIN, counter_code=counter_code, staff=username)
    return StaffMember(member.username, member.display_name, member.role, counter_code)


def _leave_other_counters(ctx: Context, member: Any, counter_code: str) -> None:
    """One counter at a time: a login here ends the staff member's session at any other
    counter (closed and released), unless that counter still holds a ticket (then refused)."""
    held = ctx.conn.execute(
        select(counters.c.code).where(
            counters.c.staff_id == member.id, counters.c.code != counter_code
        )
    ).scalars()
    for other in list(held):
        set_state(ctx, other, CounterState.CLOSED)  # refuses while a ticket is held there
        _release(ctx, other, member.username)


def record_logout(ctx: Context, username: str, counter_code: str | None) -> None:
    """Log the logout; the counter is closed and released (not while it holds a ticket)."""
    if counter_code is None:
        ctx.append_event(EventKind.STAFF_LOGOUT, staff=username)
        return
    set_state(ctx, counter_code, CounterState.CLOSED)
    _release(ctx, counter_code, username)


def close_and_release(ctx: Context, counter_code: str, by: str | None = None) -> CounterState:
    """Close a counter from elsewhere (the console, the CLI): whoever was logged in there is
    logged out, as at a logout (not while it holds a ticket)."""
    state = set_state(ctx, counter_code, CounterState.CLOSED, by)
    there = ctx.conn.execute(
        select(staff.c.username)
        .join(counters, counters.c.staff_id == staff.c.id)
        .where(counters.c.code == counter_code)
    ).scalar_one_or_none()
    if there is not None:
        _release(ctx, counter_code, there)
    return state


def _release(ctx: Context, counter_code: str, username: str) -> None:
    """The staff member leaves the counter: it is free for the next login."""
    ctx.conn.execute(update(counters).where(counters.c.code == counter_code).values(staff_id=None))
    ctx.append_event(EventKind.STAFF_LOGOUT, counter_code=counter_code, staff=username)
