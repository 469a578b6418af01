"""The day's report, computed from the database after the day: what an MPP head plans with.

Waiting time is from a ticket's issue (or its transfer) to its first call, per queue it waited
in. "Within standard" means the citizen left done within the service's completion-time target,
counted from the original issue. Utilisation is the time a counter held tickets over the time it
was open (its services' hours and any overtime serving the last tickets, less its break).
p50 is the median, p90 the nearest-rank 90th percentile.
"""

from __future__ import annotations

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select

from shared.domain.states import EventKind, TicketSource, TicketState
from shared.simulator.accuracy import Outcome, accuracy, by_group
from shared.simulator.day import Desk
from shared.simulator.loop import DayRun
from shared.store.database import Database
from shared.store.tables import agencies, counters, events, services, tickets


def spread(values: Sequence[float]) -> dict[str, float]:
    """avg, p50, p90, max of minutes (0 for none), to one decimal."""
    if not values:
        return {"count": 0, "avg": 0.0, "p50": 0.0, "p90": 0.0, "max": 0.0}
    ordered = sorted(values)
    p90 = ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]
    return {
        "count": len(ordered),
        "avg": round(statistics.fmean(ordered), 1),
        "p50": round(statistics.median(ordered), 1),
        "p90": round(p90, 1),
        "max": round(ordered[-1], 1),
    }


def _minutes(later: datetime, earlier: datetime) -> float:
    return (later - earlier).total_seconds() / 60


def build_report(
    db: Database, day: date, desks: Sequence[Desk], run: DayRun, zone: Any
) -> dict[str, Any]:
    with db.read() as conn:
        rows = conn.execute(
            select(
                tickets,
                services.c.code.label("service"),
                services.c.completion_minutes,
                agencies.c.code.label("agency"),
                counters.c.code.label("counter"),
            )
            .join(services, services.c.id == tickets.c.service_id)
            .join(agencies, agencies.c.id == services.c.agency_id)
            .outerjoin(counters, counters.c.id == tickets.c.counter_id)
            .where(tickets.c.day == day)
            .order_by(tickets.c.id)
        ).all()
        pauses = conn.execute(
            select(events.c.counter_code, events.c.kind, events.c.at)
            .where(
                events.c.day == day,
                events.c.kind.in_([EventKind.COUNTER_PAUSED.value, EventKind.COUNTER_OPENED.value]),
            )
            .order_by(events.c.id)
        ).all()
        parked = conn.execute(
            select(func.count()).where(events.c.day == day, events.c.kind == EventKind.PARKED.value)
        ).scalar_one()
        first_calls = dict(
            conn.execute(
                select(events.c.ticket_id, func.min(events.c.at))
                .where(events.c.day == day, events.c.kind == EventKind.CALLED.value)
                .group_by(events.c.ticket_id)
            )
            .tuples()
            .all()
        )
    states = Counter(r.state for r in rows)
    originals = [r for r in rows if r.transferred_from_id is None]
    waits_by_service: dict[str, list[float]] = defaultdict(list)
    waits_by_agency: dict[str, list[float]] = defaultdict(list)
    for r in rows:
        if r.called_at is not None:  # as the reports count it (shared.engine.report_sql)
            wait = _minutes(r.visit_called_at or r.called_at, r.issued_at)
            waits_by_service[r.service].append(wait)
            waits_by_agency[r.agency].append(wait)
    done = [r for r in rows if r.state == TicketState.DONE]
    within = [
        r for r in done if _minutes(r.finished_at, r.original_issued_at) <= r.completion_minutes
    ]
    hours = Counter(r.issued_at.astimezone(zone).hour for r in originals)
    busiest = max(sorted(hours), key=lambda h: hours[h]) if hours else None
    return {
        "day": day.isoformat(),
        "tickets": {
            "issued": len(originals),
            "walk_ins": sum(r.source == TicketSource.WALK_IN for r in originals),
            "parked": parked,
            "sent_to_counter": sum(r.for_counter_id is not None for r in rows),
            "refused": dict(sorted(run.refused.items())),
            "served": states[TicketState.DONE],
            "no_shows": states[TicketState.NO_SHOW],
            "transferred": states[TicketState.TRANSFERRED],
            "expired": states[TicketState.EXPIRED],
            "still_open": sum(states[s] for s in ("waiting", "called", "serving")),
        },
        "waiting_minutes": {
            "all": spread([w for ws in waits_by_service.values() for w in ws]),
            "by_agency": {a: spread(w) for a, w in sorted(waits_by_agency.items())},
            "by_service": {s: spread(w) for s, w in sorted(waits_by_service.items())},
        },
        "within_standard": round(len(within) / len(done), 3) if done else None,
        "utilisation": _utilisation(rows, desks, pauses),
        "busiest_hour": None if busiest is None else {"hour": busiest, "issued": hours[busiest]},
        "estimate": _estimate_accuracy(originals, first_calls, run, zone),
    }


def _estimate_accuracy(
    originals: Sequence[Any], first_calls: Mapping[int, datetime], run: DayRun, zone: Any
) -> dict[str, Any]:
    """The shown waits against the real ones, each to the ticket's first call (a parked visit
    called back was called when it was promised): at issue (all, per service, per hour of issue
    in the site's zone, "09:00") and on the pages."""
    promised = [r for r in originals if r.id in first_calls and r.id in run.shown]
    outcomes = [
        Outcome(run.shown[r.id], _minutes(first_calls[r.id], r.issued_at)) for r in promised
    ]
    hours = [f"{r.issued_at.astimezone(zone).hour:02d}:00" for r in promised]
    called = {r.token: first_calls[r.id] for r in originals if r.id in first_calls}
    live = [
        Outcome(shown, _minutes(called[token], at))
        for token, at, shown in run.live
        if token in called and called[token] >= at
    ]
    return {
        "at_issue": accuracy(outcomes),
        "by_service": by_group(zip((r.service for r in promised), outcomes, strict=True)),
        "by_hour": by_group(zip(hours, outcomes, strict=True)),
        "live": accuracy(live),
    }


def _utilisation(
    rows: Sequence[Any], desks: Sequence[Desk], pauses: Sequence[Any]
) -> dict[str, Any]:
    held: dict[str, float] = defaultdict(float)
    last_finish: dict[str, datetime] = {}
    for r in rows:
        if r.counter and r.called_at and r.finished_at:
            held[r.counter] += _minutes(r.finished_at, r.called_at) + r.served_before_park
            last_finish[r.counter] = max(r.finished_at, last_finish.get(r.counter, r.finished_at))
    paused: dict[str, float] = defaultdict(float)
    since: dict[str, datetime] = {}
    for p in pauses:
        if p.kind == EventKind.COUNTER_PAUSED:
            since[p.counter_code] = p.at
        elif p.counter_code in since:
            paused[p.counter_code] += _minutes(p.at, since.pop(p.counter_code))
    by_counter = {}
    for desk in desks:
        until = max(desk.closes, last_finish.get(desk.code, desk.closes))  # overtime counts
        open_minutes = _minutes(until, desk.opens) - paused[desk.code]
        by_counter[desk.code] = (held[desk.code], open_minutes, desk.agency or "-")
    per_agency: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for busy, open_minutes, agency in by_counter.values():
        per_agency[agency].append((busy, open_minutes))

    def share(pairs: Sequence[tuple[float, float]]) -> float:
        total = sum(o for _, o in pairs)
        return round(sum(b for b, _ in pairs) / total, 3) if total else 0.0

    return {
        "all": share([(b, o) for b, o, _ in by_counter.values()]),
        "by_agency": {a: share(p) for a, p in sorted(per_agency.items())},
        "counters": len(by_counter),
    }


def _estimate_lines(estimate: Mapping[str, Any]) -> list[str]:
    lines = []
    for key, label in (("at_issue", "wait shown at issue"), ("live", "ticket pages (live)")):
        f = estimate[key]
        if not f["count"]:
            continue
        ranged = (
            f"; {f['ranges']} ranges, {f['in_range']:.0%} held the real wait" if f["ranges"] else ""
        )
        lines.append(
            f"  {label}: {f['within']:.0%} within max(5 min, 25%) of {f['count']}, mean error "
            f"{f['mean_error']:+} min (real {f['mean_real']}), |error| p50 "
            f"{f['median_abs_error']} p90 {f['p90_abs_error']}{ranged}"
        )
    return lines


def format_report(report: Mapping[str, Any]) -> str:
    """The report as a person reads it on a terminal."""
    t = report["tickets"]
    refused = sum(t["refused"].values())
    lines = [
        f"Hari / day {report['day']}",
        f"  tiket / tickets: {t['issued']} issued, {refused} refused, {t['served']} served, "
        f"{t['no_shows']} no-shows, {t['transferred']} transferred, {t['expired']} expired",
    ]
    if t["walk_ins"]:
        lines.append(f"  tanpa tiket / walk-ins: {t['walk_ins']} of the issued, served at once")
    if t["parked"]:
        lines.append(f"  ditunda / parked: {t['parked']} visits set aside for a missing paper")
    if t["sent_to_counter"]:
        lines.append(
            f"  dialihkan ke loket / sent to a counter: {t['sent_to_counter']} numbers, each "
            "for one colleague's counter alone"
        )
    if t["refused"]:
        lines.append("  refused: " + ", ".join(f"{k}={v}" for k, v in t["refused"].items()))
    b = report.get("bookings")
    if b and any(b.values()):
        lines.append(
            f"  janji / bookings: {sum(v for k, v in b.items() if k != 'no_slot_took_ticket')} "
            f"made, {b['checked_in']} checked in, {b['no_show']} no-shows, "
            f"{b['no_slot_took_ticket']} found no slot and took a ticket"
        )
    w = report["waiting_minutes"]["all"]
    lines.append(f"  waiting (min): avg {w['avg']}  p50 {w['p50']}  p90 {w['p90']}  max {w['max']}")
    if report["within_standard"] is not None:
        lines.append(f"  served within the service standard: {report['within_standard']:.1%}")
    u = report["utilisation"]
    lines.append(f"  counter utilisation: {u['all']:.1%} over {u['counters']} counters")
    if report["busiest_hour"]:
        b = report["busiest_hour"]
        lines.append(
            f"  busiest hour: {b['hour']:02d}:00-{b['hour'] + 1:02d}:00 ({b['issued']} tickets)"
        )
    lines += _estimate_lines(report["estimate"])
    lines.append("  per agency:            wait avg  p50   p90   max   utilisation")
    for agency, spread_ in report["waiting_minutes"]["by_agency"].items():
        util = u["by_agency"].get(agency, 0.0)
        lines.append(
            f"    {agency:18} {spread_['avg']:8} {spread_['p50']:5} {spread_['p90']:5} "
            f"{spread_['max']:5}   {util:.0%}"
        )
    lines.append("  per service:           wait avg  p50   p90   max   tickets")
    for service, spread_ in report["waiting_minutes"]["by_service"].items():
        lines.append(
            f"    {service:18} {spread_['avg']:8} {spread_['p50']:5} {spread_['p90']:5} "
            f"{spread_['max']:5}   {spread_['count']}"
        )
    return "\n".join(lines)
