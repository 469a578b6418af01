"""Staff accounts after they are made: list, disable, enable, passwords, roles, agencies;
console sessions.

Every change is in the events log (`account_changed`, who did it as the actor, what in
`detail`). Nobody can disable or demote the last active admin. A console session is a random
token whose SHA-256 alone is stored; it ends after IDLE_MINUTES unused, at logout, and as soon
as its account is disabled.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import delete, func, insert, select, update

from shared.domain.states import EventKind
from shared.engine.admin import ROLES, agency_ids, check_account, check_scope
from shared.engine.context import Context
from shared.errors import AuthError
from shared.passwords import hash_password
from shared.store.tables import agencies, staff, staff_agencies, staff_sessions

IDLE_MINUTES: Final = 30
TOUCH_SECONDS: Final = 60  # a session's last use is written at most once a minute


@dataclass(frozen=True, slots=True)
class Account:
    username: str
    display_name: str
    role: str
    active: bool
    agencies: tuple[str, ...]  # agency codes; empty: every agency
    last_login_at: datetime | None  # anywhere; never: None
    last_login_counter: str | None  # the counter of that login (none: the console, CLI)
    password_temporary: bool  # set by someone else, not chosen by its owner yet


@dataclass(frozen=True, slots=True)
class ConsoleSession:
    """Who a console request comes from, and the token its forms must carry."""

    username: str
    display_name: str
    role: str
    agencies: tuple[str, ...]
    csrf: str

    @property
    def scope(self) -> tuple[str, ...] | None:
        """The agencies this person may see: an agency supervisor's own, else None (every one)."""
        return self.agencies if self.role == "agency_supervisor" else None

    def sees(self, agency_code: str | None) -> bool:
        """Whether this person may see what belongs to `agency_code`."""
        return self.scope is None or agency_code in self.scope


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _agencies_of(ctx: Context, staff_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    rows = ctx.conn.execute(
        select(staff_agencies.c.staff_id, agencies.c.code)
        .join(agencies, agencies.c.id == staff_agencies.c.agency_id)
        .where(staff_agencies.c.staff_id.in_(list(staff_ids)))
        .order_by(agencies.c.code)
    ).all()
    out: dict[int, tuple[str, ...]] = {}
    for staff_id, code in rows:
        out[staff_id] = (*out.get(staff_id, ()), code)
    return out


def list_accounts(ctx: Context) -> tuple[Account, ...]:
    rows = ctx.conn.execute(select(staff).order_by(staff.c.username)).all()
    linked = _agencies_of(ctx, [r.id for r in rows])
    return tuple(
        Account(
            r.username,
            r.display_name,
            r.role,
            bool(r.active),
            linked.get(r.id, ()),
            r.last_login_at,
            r.last_login_counter,
            bool(r.password_temporary),
        )
        for r in rows
    )


def _member(ctx: Context, username: str):  # type: ignore[no-untyped-def]
    row = ctx.conn.execute(
        select(staff).where(staff.c.username == username).with_for_update()
    ).one_or_none()
    if row is None:
        raise AuthError("unknown_user", username=username[:40])
    return row


def _keep_an_admin(ctx: Context, username: str) -> None:
    """Refuse a change that would leave no active admin."""
    others = ctx.conn.execute(
        select(func.count())
        .select_from(staff)
        .where(staff.c.role == "admin", staff.c.active.is_(True), staff.c.username != username)
    ).scalar_one()
    if others == 0:
        raise AuthError("last_admin")


def _changed(ctx: Context, username: str, detail: str) -> None:
    ctx.append_event(EventKind.ACCOUNT_CHANGED, staff=username, detail=detail)


def set_active(ctx: Context, username: str, active: bool) -> None:
    row = _member(ctx, username)
    if bool(row.active) == active:
        return
    if not active and row.role == "admin":
        _keep_an_admin(ctx, username)
    ctx.conn.execute(update(staff).where(staff.c.id == row.id).values(active=active))
    if not active:  # a disabled account is out everywhere at once
        ctx.conn.execute(delete(staff_sessions).where(staff_sessions.c.staff_id == row.id))
    _changed(ctx, username, "enabled" if active else "disabled")


def set_password(ctx: Context, username: str, password: str, temporary: bool) -> None:
    """A password set for someone (by an admin): every console session of theirs ends;
    `temporary`: it serves only to choose their own."""
    _new_password(ctx, username, password, "password reset", temporary)


def change_own_password(ctx: Context, username: str, password: str, keep: str | None) -> None:
    """A password its owner changed: their console sessions end but `keep`, the one they
    changed it from (the current password was checked before)."""
    _new_password(ctx, username, password, "password changed by its owner", False, keep)


def _new_password(
    ctx: Context,
    username: str,
    password: str,
    detail: str,
    temporary: bool,
    keep: str | None = None,
) -> None:
    row = _member(ctx, username)
    check_account(username, row.display_name, password)
    ctx.conn.execute(
        update(staff)
        .where(staff.c.id == row.id)
        .values(password_hash=hash_password(password), password_temporary=temporary)
    )
    ended = delete(staff_sessions).where(staff_sessions.c.staff_id == row.id)
    if keep is not None:
        ended = ended.where(staff_sessions.c.token_hash != _digest(keep))
    ctx.conn.execute(ended)
    _changed(ctx, username, detail)


def set_role(ctx: Context, username: str, role: str) -> None:
    if role not in ROLES:
        raise AuthError("bad_role", role=role[:40])
    row = _member(ctx, username)
    if row.role == role:
        return
    check_scope(role, _agencies_of(ctx, [row.id]).get(row.id, ()))
    if row.role == "admin":
        _keep_an_admin(ctx, username)
    ctx.conn.execute(update(staff).where(staff.c.id == row.id).values(role=role))
    _changed(ctx, username, f"role {row.role} -> {role}")


def set_agencies(ctx: Context, username: str, codes: Sequence[str]) -> None:
    """The agencies whose counters the account may work at and whose figures an agency
    supervisor sees (none: every agency)."""
    row = _member(ctx, username)
    check_scope(row.role, codes)
    wanted = agency_ids(ctx, sorted(set(codes)))
    before, after = _agencies_of(ctx, [row.id]).get(row.id, ()), tuple(sorted(wanted))
    if after == before:
        return
    ctx.conn.execute(delete(staff_agencies).where(staff_agencies.c.staff_id == row.id))
    if wanted:
        ctx.conn.execute(
            insert(staff_agencies),
            [{"staff_id": row.id, "agency_id": agency_id} for agency_id in wanted.values()],
        )
    _changed(ctx, username, f"agencies {','.join(before) or '*'} -> {','.join(after) or '*'}")


# ---------------------------------------------------------------------------- sessions


def open_session(ctx: Context, username: str, place: str) -> tuple[str, str]:
    """A new console session for an account that just logged in: (token, csrf)."""
    row = _member(ctx, username)
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    ctx.conn.execute(
        insert(staff_sessions).values(
            token_hash=_digest(token),
            staff_id=row.id,
            csrf=csrf,
            place=place[:100],
            created_at=ctx.now,
            last_seen_at=ctx.now,
        )
    )
    return token, csrf


def session(ctx: Context, token: str) -> ConsoleSession | None:
    """The live session of `token` (used now), or None: unknown, idle too long, disabled."""
    found = ctx.conn.execute(
        select(staff_sessions, staff.c.username, staff.c.display_name, staff.c.role)
        .join(staff, staff.c.id == staff_sessions.c.staff_id)
        .where(staff_sessions.c.token_hash == _digest(token), staff.c.active.is_(True))
    ).one_or_none()
    if found is None:
        return None
    if ctx.now - found.last_seen_at > timedelta(minutes=IDLE_MINUTES):
        ctx.conn.execute(
            delete(staff_sessions).where(staff_sessions.c.token_hash == found.token_hash)
        )
        return None
    if ctx.now - found.last_seen_at > timedelta(seconds=TOUCH_SECONDS):
        ctx.conn.execute(
            update(staff_sessions)
            .where(staff_sessions.c.token_hash == found.token_hash)
            .values(last_seen_at=ctx.now)
        )
    linked = _agencies_of(ctx, [found.staff_id]).get(found.staff_id, ())
    return ConsoleSession(found.username, found.display_name, found.role, linked, found.csrf)


def close_session(ctx: Context, token: str) -> str | None:
    """End a session (logout); the username it belonged to."""
    found = ctx.conn.execute(
        select(staff.c.username)
        .join(staff_sessions, staff_sessions.c.staff_id == staff.c.id)
        .where(staff_sessions.c.token_hash == _digest(token))
    ).scalar_one_or_none()
    ctx.conn.execute(delete(staff_sessions).where(staff_sessions.c.token_hash == _digest(token)))
    if found is not None:
        ctx.append_event(EventKind.STAFF_LOGOUT, staff=found)
    return found
