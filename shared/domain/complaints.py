"""Complaints (pengaduan) as SP4N-LAPOR! handles them: channels, categories with their deadlines
in working days, the status flow, and the public reference code.

Deadlines count working days in the site's time zone, skipping weekends and the site's holidays,
from the first working day after the day the complaint was received: a complaint received on a
Friday with 5 days is due the next Friday. The first response (any step out of "diterima") is due
within 3 working days; the resolution by the category's days.
"""

from __future__ import annotations

from collections.abc import Container, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Final

from shared.domain.codes import ALPHABET, new_code, shown_code, typed_code
from shared.i18n import LocalText

CHANNELS: Final = {
    "lapor": LocalText("SP4N-LAPOR!", "SP4N-LAPOR!"),
    "in_person": LocalText("Datang langsung", "In person"),
    "web": LocalText("Halaman web", "Web page"),
    "box": LocalText("Kotak saran", "Suggestion box"),
    "phone": LocalText("Telepon", "Phone"),
    "social": LocalText("Media sosial", "Social media"),
}
CATEGORIES: Final = {  # category -> (working days to resolve, name)
    "information": (5, LocalText("Permintaan informasi", "Information request")),
    "complaint": (5, LocalText("Pengaduan", "Complaint")),
    "dispute": (14, LocalText("Sengketa tanpa pemeriksaan lapangan", "Dispute, no field check")),
    "field_check": (
        60,
        LocalText("Sengketa dengan pemeriksaan lapangan", "Dispute with a field check"),
    ),
}
FIRST_RESPONSE_DAYS: Final = 3
TEXT_LENGTH: Final = 4000
CONTACT_LENGTH: Final = 200
REFERENCE_ALPHABET: Final = ALPHABET  # read aloud, written by hand, typed on a phone
REFERENCE_LENGTH: Final = 12  # 30^12 ~ 5 x 10^17: not to be walked, even without a rate limit


class Status(StrEnum):
    RECEIVED = "received"  # diterima
    VERIFIED = "verified"  # diverifikasi
    FORWARDED = "forwarded"  # diteruskan ke instansi
    ANSWERED = "answered"  # ditanggapi
    DONE = "done"  # selesai
    REJECTED = "rejected"  # ditolak (with a reason)


STATUS_NAMES: Final = {
    Status.RECEIVED: LocalText("Diterima", "Received"),
    Status.VERIFIED: LocalText("Diverifikasi", "Verified"),
    Status.FORWARDED: LocalText("Diteruskan ke instansi", "Forwarded to the agency"),
    Status.ANSWERED: LocalText("Ditanggapi", "Answered"),
    Status.DONE: LocalText("Selesai", "Resolved"),
    Status.REJECTED: LocalText("Ditolak", "Rejected"),
}
NEXT: Final = {
    Status.RECEIVED: frozenset({Status.VERIFIED, Status.REJECTED}),
    Status.VERIFIED: frozenset({Status.FORWARDED, Status.ANSWERED, Status.REJECTED}),
    Status.FORWARDED: frozenset({Status.ANSWERED, Status.REJECTED}),
    Status.ANSWERED: frozenset({Status.DONE, Status.FORWARDED}),
    Status.DONE: frozenset(),
    Status.REJECTED: frozenset(),
}
CLOSED: Final = frozenset({Status.DONE, Status.REJECTED})


def can_move(current: Status, to: Status) -> bool:
    return to in NEXT[current]


def add_working_days(received: date, days: int, holidays: Container[date]) -> date:
    """The `days`-th working day after `received` (weekends and holidays skipped)."""
    day, counted = received, 0
    while counted < days:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in holidays:
            counted += 1
    return day


@dataclass(frozen=True, slots=True)
class Deadlines:
    response: date
    resolution: date


def deadlines(received: date, category: str, holidays: Container[date]) -> Deadlines:
    days, _name = CATEGORIES[category]
    return Deadlines(
        add_working_days(received, FIRST_RESPONSE_DAYS, holidays),
        add_working_days(received, days, holidays),
    )


def new_reference() -> str:
    return new_code(REFERENCE_LENGTH)


def shown_reference(reference: str) -> str:
    """XXXX-XXXX-XXXX, as printed and read."""
    return shown_code(reference)


def typed_reference(text: str) -> str | None:
    """A reference as a person typed it, or None when it cannot be one."""
    return typed_code(text, REFERENCE_LENGTH)


@dataclass(frozen=True, slots=True)
class Complaint:
    """A complaint as staff see it (`contact` is None for those who may not see it)."""

    reference: str
    received_at: datetime
    channel: str
    lapor_id: str | None
    agency: str
    agency_name: LocalText
    service: str | None
    ticket: str | None
    category: str
    text: str
    contact: str | None
    status: Status
    answer: str | None
    reason: str | None
    response_due: date
    resolution_due: date
    responded_at: datetime | None
    closed_at: datetime | None

    def overdue(self, today: date) -> bool:
        """Past its resolution day and still open, or past its response day unanswered."""
        if self.status in CLOSED:
            return False
        return today > self.resolution_due or (
            self.responded_at is None and today > self.response_due
        )

    def due_today(self, today: date) -> bool:
        if self.status in CLOSED or self.overdue(today):
            return False
        return today == self.resolution_due or (
            self.responded_at is None and today == self.response_due
        )


@dataclass(frozen=True, slots=True)
class ComplaintStep:
    """One change of a complaint: who, when, to what, and the note given."""

    at: datetime
    actor: str
    status: Status
    note: str | None


@dataclass(frozen=True, slots=True)
class MonthFigures:
    """Complaints received in a month, for one agency and category, and what became of them."""

    month: str  # YYYY-MM of the day received
    agency: str
    category: str
    received: int
    responded_on_time: int  # the first response within its 3 working days
    resolved_on_time: int  # done or rejected by the resolution day
    resolved_late: int
    open: int
    overdue: int  # open and past a deadline now


REPORT_HEADER: Final = {
    "id": (
        "Bulan",
        "Instansi",
        "Jenis",
        "Diterima",
        "Ditanggapi tepat waktu",
        "Selesai tepat waktu",
        "Selesai terlambat",
        "Masih terbuka",
        "Terlambat",
    ),
    "en": (
        "Month",
        "Agency",
        "Category",
        "Received",
        "First response on time",
        "Resolved on time",
        "Resolved late",
        "Still open",
        "Overdue",
    ),
}


def month_figures(complaints: Sequence[Complaint], today: date, zone: tzinfo) -> list[MonthFigures]:
    """The monthly table: per month received, agency and category."""
    groups: dict[tuple[str, str, str], list[Complaint]] = {}
    for c in complaints:
        month = c.received_at.astimezone(zone).strftime("%Y-%m")
        groups.setdefault((month, c.agency, c.category), []).append(c)

    def on_time(moment: datetime | None, due: date) -> bool:
        return moment is not None and moment.astimezone(zone).date() <= due

    return [
        MonthFigures(
            month,
            agency,
            category,
            len(items),
            sum(on_time(c.responded_at, c.response_due) for c in items),
            sum(on_time(c.closed_at, c.resolution_due) for c in items),
            sum(
                c.closed_at is not None and not on_time(c.closed_at, c.resolution_due)
                for c in items
            ),
            sum(c.status not in CLOSED for c in items),
            sum(c.overdue(today) for c in items),
        )
        for (month, agency, category), items in sorted(groups.items())
    ]
