"""Performance against the service standards: the definitions, and the figures per grouping.

Plain Python over one fact row per ticket (the engine reads them): the CLI, the console and
the exports all show these figures, so a definition lives here once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final

from shared.domain.states import TicketState
from shared.i18n import LocalText

GROUPINGS: Final = ("service", "agency", "counter", "staff", "day", "weekday", "hour")
SOURCES: Final = ("kiosk", "appointment", "walk_in")
REFUSAL_REASONS: Final = ("closed", "quota")

DEFINITIONS: Final[dict[str, LocalText]] = {
    "arrived": LocalText(
        "Datang: tiket yang diambil (tiket hasil pengalihan tidak dihitung lagi)",
        "Arrived: tickets issued (a transfer's new ticket is not counted again)",
    ),
    "refused": LocalText(
        "Ditolak: permintaan tiket saat layanan tutup atau kuota habis",
        "Refused: tickets asked for while the service was closed or its quota was full",
    ),
    "called": LocalText("Dipanggil: tiket yang dipanggil ke loket", "Called: tickets called"),
    "served": LocalText("Dilayani: tiket yang selesai dilayani", "Served: tickets finished"),
    "no_show": LocalText("Tidak hadir: dipanggil tetapi tidak datang", "No-show: called, absent"),
    "transferred": LocalText("Dialihkan ke layanan lain", "Transferred to another service"),
    "expired": LocalText(
        "Kedaluwarsa: masih terbuka saat hari berganti", "Expired: still open when the day ended"
    ),
    "wait": LocalText(
        "Waktu tunggu: panggilan (terakhir, bagi yang tidak hadir lalu dipanggil lagi) dikurangi "
        "waktu ambil tiket asli (tiket yang dialihkan tetap memakai waktu ambil pertamanya)",
        "Waiting time: the (last, for a no-show called again) call minus the original issue "
        "time (a transferred ticket keeps its first issue time)",
    ),
    "service": LocalText(
        "Waktu layanan: selesai dikurangi mulai (atau panggilan bila tidak ditekan mulai)",
        "Service time: finish minus start (or minus the call where start was not pressed)",
    ),
    "service_level": LocalText(
        "Tingkat layanan: bagian tiket yang dipanggil yang menunggu tidak lebih dari target "
        "waktu tunggu layanannya",
        "Service level: share of called tickets that waited no longer than their service's "
        "waiting-time target",
    ),
}


@dataclass(frozen=True, slots=True)
class TicketFacts:
    """One ticket as the report counts it (times are aware; `local_issue` in the site's zone)."""

    service_code: str
    agency_code: str
    counter_code: str | None
    staff: str | None
    source: str
    state: TicketState
    transferred_in: bool  # made by a transfer (not a new arrival)
    local_issue: datetime
    original_issued_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    wait_target_minutes: int
    service_minutes: float


@dataclass(frozen=True, slots=True)
class Refusal:
    """A ticket not issued (closed or quota): grouped like a ticket, by when it was asked for."""

    service_code: str
    agency_code: str
    reason: str  # closed | quota
    local_issue: datetime
    counter_code: None = None
    staff: None = None


@dataclass(frozen=True, slots=True)
class Spread:
    """Average, median, 90th percentile and maximum, in minutes (None: no values)."""

    count: int
    mean: float | None
    p50: float | None
    p90: float | None
    max: float | None


@dataclass(frozen=True, slots=True)
class ReportRow:
    key: str
    arrived: int
    by_source: dict[str, int]
    refused: dict[str, int]  # closed, quota
    called: int
    served: int
    no_show: int
    transferred: int
    expired: int
    wait: Spread
    service: Spread
    within_target: int
    service_level: float | None  # within_target / called
    no_show_rate: float | None  # no_show / called
    over_service_minutes: int  # served tickets that took longer than the service's minutes


@dataclass(frozen=True, slots=True)
class Report:
    date_from: date
    date_to: date
    by: str
    filters: dict[str, str]
    rows: tuple[ReportRow, ...]
    total: ReportRow
    generated_at: datetime
    definitions: dict[str, LocalText] = field(default_factory=lambda: dict(DEFINITIONS))


def spread(values: Sequence[float]) -> Spread:
    if not values:
        return Spread(0, None, None, None, None)
    ordered = sorted(values)

    def at(share: float) -> float:
        """The nearest-rank percentile: a value that occurred, as Qmatic reports it."""
        rank = max(1, -(-len(ordered) * share // 1))
        return ordered[int(rank) - 1]

    return Spread(len(ordered), sum(ordered) / len(ordered), at(0.5), at(0.9), ordered[-1])


def minutes(later: datetime | None, earlier: datetime | None) -> float | None:
    if later is None or earlier is None:
        return None
    return max(0.0, (later - earlier).total_seconds() / 60)


def row(key: str, facts: Sequence[TicketFacts], refusals: Sequence[Refusal] = ()) -> ReportRow:
    """The figures of one group of tickets (and of the refusals in the same group)."""
    arrivals = [f for f in facts if not f.transferred_in]
    called = [f for f in facts if f.called_at is not None]
    waits = [minutes(f.called_at, f.original_issued_at) or 0.0 for f in called]
    within = sum(1 for f, w in zip(called, waits, strict=True) if w <= f.wait_target_minutes)
    served = [f for f in facts if f.state == TicketState.DONE and f.finished_at is not None]
    service_times = [minutes(f.finished_at, f.started_at or f.called_at) or 0.0 for f in served]
    no_show = sum(1 for f in facts if f.state == TicketState.NO_SHOW)
    return ReportRow(
        key=key,
        arrived=len(arrivals),
        by_source={s: sum(1 for f in arrivals if f.source == s) for s in SOURCES},
        refused={r: sum(1 for f in refusals if f.reason == r) for r in REFUSAL_REASONS},
        called=len(called),
        served=len(served),
        no_show=no_show,
        transferred=sum(1 for f in facts if f.state == TicketState.TRANSFERRED),
        expired=sum(1 for f in facts if f.state == TicketState.EXPIRED),
        wait=spread(waits),
        service=spread(service_times),
        within_target=within,
        service_level=within / len(called) if called else None,
        no_show_rate=no_show / len(called) if called else None,
        over_service_minutes=sum(
            1 for f, t in zip(served, service_times, strict=True) if t > f.service_minutes
        ),
    )


KEYS: Final[dict[str, Callable[[TicketFacts | Refusal], str]]] = {
    "service": lambda f: f.service_code,
    "agency": lambda f: f.agency_code,
    "counter": lambda f: f.counter_code or "-",
    "staff": lambda f: f.staff or "-",
    "day": lambda f: f.local_issue.date().isoformat(),
    "weekday": lambda f: str(f.local_issue.isoweekday()),
    "hour": lambda f: f"{f.local_issue.hour:02d}",
}


def group(
    facts: Iterable[TicketFacts], by: str, refusals: Iterable[Refusal] = ()
) -> tuple[tuple[ReportRow, ...], ReportRow]:
    """(one row per value of `by`, sorted; the total over all)."""
    every, refused = list(facts), list(refusals)
    groups: dict[str, list[TicketFacts]] = {}
    turned_away: dict[str, list[Refusal]] = {}
    for fact in every:
        groups.setdefault(KEYS[by](fact), []).append(fact)
    for refusal in refused:
        turned_away.setdefault(KEYS[by](refusal), []).append(refusal)
    keys = sorted(set(groups) | set(turned_away))
    rows = tuple(row(key, groups.get(key, []), turned_away.get(key, [])) for key in keys)
    return rows, row("total", every, refused)


def arrival_grid(facts: Iterable[TicketFacts]) -> dict[tuple[int, int], int]:
    """Arrivals by (ISO weekday, hour of day): the heatmap of when citizens come."""
    grid: dict[tuple[int, int], int] = {}
    for fact in facts:
        if not fact.transferred_in:
            key = (fact.local_issue.isoweekday(), fact.local_issue.hour)
            grid[key] = grid.get(key, 0) + 1
    return grid
