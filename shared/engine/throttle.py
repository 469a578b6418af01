"""Wrong passwords and PINs, counted in the database per account, per place and per kiosk.

Every client (counter app, web console, CLI, kiosk) asks here before it checks a secret, so
one rule holds everywhere and a restarted program forgets nothing. Each failure is logged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import and_, delete, or_, select, update

from shared.domain.states import EventKind
from shared.domain.throttle import lock_seconds
from shared.engine.context import Context
from shared.store.tables import login_failures, text_length

Key = tuple[str, str]  # (scope, key): ("account", username), ("place", "counter:L01")...


def _matching(keys: Sequence[Key]):  # type: ignore[no-untyped-def]
    return or_(
        *(and_(login_failures.c.scope == scope, login_failures.c.key == key) for scope, key in keys)
    )


def clean(keys: Sequence[Key]) -> list[Key]:
    """Keys as stored: cut to the column's length (a key may be whatever a stranger typed)."""
    limit = text_length(login_failures.c.key)
    return [(scope, key.replace("\x00", "")[:limit]) for scope, key in keys]


def wait_seconds(ctx: Context, keys: Sequence[Key]) -> int:
    """Seconds until any of `keys` may try again (0: now)."""
    until = ctx.conn.execute(
        select(login_failures.c.locked_until).where(
            _matching(clean(keys)), login_failures.c.locked_until > ctx.now
        )
    ).scalars()
    return max((math.ceil((u - ctx.now).total_seconds()) for u in until), default=0)


def failed(
    ctx: Context,
    keys: Sequence[Key],
    kind: EventKind,
    *,
    staff: str | None = None,
    counter_code: str | None = None,
) -> int:
    """Count a wrong try against every key, log it; the wait it earned (seconds)."""
    wait = 0
    for scope, key in clean(keys):
        count = ctx.upsert_increment(login_failures, {"scope": scope, "key": key}, "failures")
        lock = lock_seconds(count)
        stamp: dict[str, object] = {"last_failed_at": ctx.now}
        if lock:
            stamp["locked_until"] = ctx.now + timedelta(seconds=lock)
        ctx.conn.execute(
            update(login_failures)
            .where(login_failures.c.scope == scope, login_failures.c.key == key)
            .values(stamp)
        )
        wait = max(wait, lock)
    ctx.append_event(kind, staff=staff, counter_code=counter_code)  # both checked by callers
    return wait


def succeeded(ctx: Context, keys: Sequence[Key]) -> None:
    """A right secret: the keys start again from zero."""
    ctx.conn.execute(delete(login_failures).where(_matching(clean(keys))))
