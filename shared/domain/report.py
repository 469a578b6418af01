"""Performance against the service standards: the definitions and the shape of the figures.

The database counts them (`shared.engine.report_sql` writes each definition below once as SQL,
so a year of tickets is not carried into Python); the CLI, the console and the exports all show
the same figures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Final

from shared.i18n import Lang, LocalText

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
        "Waktu tunggu: panggilan (terakhir, bagi yang tidak hadir lalu dipanggil lagi; bagi "
        "yang ditunda, panggilan awal layanannya) dikurangi waktu ambil tiket asli (tiket yang "
        "dialihkan tetap memakai waktu ambil pertamanya)",
        "Waiting time: the call (the last, for a no-show called again; for a parked visit, the "
        "call it began with) minus the original issue time (a transferred ticket keeps its "
        "first issue time)",
    ),
    "service": LocalText(
        "Waktu layanan: selesai dikurangi mulai (atau panggilan bila tidak ditekan mulai; bagi "
        "yang ditunda, ditambah layanan sebelum ditunda)",
        "Service time: finish minus start (or minus the call where start was not pressed; for a "
        "parked visit, plus its service before the park)",
    ),
    "utilisation": LocalText(
        "Utilisasi loket: waktu layanan dibagi waktu loket buka (dari buka atau login sampai "
        "jeda, tutup atau logout; jeda tidak dihitung), per loket, instansi, petugas, hari",
        "Counter utilisation: service time over the time the counter was open (from its "
        "opening or a login to a pause, close or logout; pauses not counted), per counter, "
        "agency, staff member, day",
    ),
    "service_level": LocalText(
        "Tingkat layanan: bagian tiket yang dipanggil yang menunggu tidak lebih dari target "
        "waktu tunggu layanannya",
        "Service level: share of called tickets that waited no longer than their service's "
        "waiting-time target",
    ),
}


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
    open_minutes: float | None  # the counters' open time (None: not for this grouping)
    paused_minutes: float | None
    utilisation: float | None  # service time / open time


@dataclass(frozen=True, slots=True)
class CounterTime:
    """Minutes a counter was open and paused on one day while one staff member (or none)
    was logged in there."""

    counter: str
    agency: str
    staff: str | None
    day: date
    open_minutes: float
    paused_minutes: float


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
    names: dict[str, LocalText] = field(default_factory=dict)  # a row's key: what people read
    filter_names: dict[str, LocalText] = field(default_factory=dict)  # every filter's value, named

    def name(self, key: str, lang: Lang) -> str:
        """The row's name in `lang`, or its key where it has none."""
        found = self.names.get(key)
        return found.get(lang) if found else key


# the groupings that a counter's open time falls into, and its key in each (service and hour
# have none: a counter serves many services, and a visit's time is grouped by its issue hour)
TIME_KEYS: Final[dict[str, Callable[[CounterTime], str]]] = {
    "agency": lambda t: t.agency,
    "counter": lambda t: t.counter,
    "staff": lambda t: t.staff or "-",
    "day": lambda t: t.day.isoformat(),
    "weekday": lambda t: str(t.day.isoweekday()),
}


# the grouping key of a refusal (the SQL of shared.engine.report_sql gives tickets the same keys)
KEYS: Final[dict[str, Callable[[Refusal], str]]] = {
    "service": lambda f: f.service_code,
    "agency": lambda f: f.agency_code,
    "counter": lambda f: f.counter_code or "-",
    "staff": lambda f: f.staff or "-",
    "day": lambda f: f.local_issue.date().isoformat(),
    "weekday": lambda f: str(f.local_issue.isoweekday()),
    "hour": lambda f: f"{f.local_issue.hour:02d}",
}
