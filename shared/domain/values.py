"""The immutable values the engine returns: safe to hold in a Qt view or send as JSON."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any

from shared.domain.appointments import AppointmentRules
from shared.domain.estimate import WaitEstimate
from shared.domain.hours import Availability, DayHours
from shared.domain.states import CounterState, EventKind, SelectionMode, TicketState
from shared.i18n import Lang, LocalText


@dataclass(frozen=True, slots=True)
class StandardSummary:
    """The short service-standard line for a ticket: fee and completion time."""

    fee: LocalText
    fee_rupiah: int
    completion: LocalText
    completion_minutes: int


@dataclass(frozen=True, slots=True)
class ServiceStandard:
    """The six published components of a Standar Pelayanan."""

    requirements: tuple[LocalText, ...]
    procedure: LocalText
    completion: LocalText
    completion_minutes: int
    fee: LocalText
    fee_rupiah: int
    product: LocalText
    complaints: LocalText

    def summary(self) -> StandardSummary:
        return StandardSummary(self.fee, self.fee_rupiah, self.completion, self.completion_minutes)

    def untranslated(self, lang: Lang) -> bool:
        """Whether some of it is shown in Bahasa Indonesia because no English was given."""
        texts = (*self.requirements, self.procedure, self.completion, self.fee, self.product)
        return any(text.lacks(lang) for text in (*texts, self.complaints))


@dataclass(frozen=True, slots=True)
class Ticket:
    id: int
    number: str
    day: date
    service_code: str
    service_name: LocalText
    agency_code: str
    agency_name: LocalText
    priority: bool
    source: str
    state: TicketState
    issued_at: datetime
    original_issued_at: datetime
    called_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    counter_code: str | None = None
    counter_name: str | None = None
    staff: str | None = None
    call_count: int = 0
    people_ahead: int | None = None
    wait: WaitEstimate | None = None  # while waiting: when its call is expected
    standard: StandardSummary | None = None
    token: str | None = None  # the ticket page's secret; the same along a transfer chain
    url: str | None = None  # the ticket page, when the site has a public address


def page_url(public_url: str | None, token: str | None) -> str | None:
    """The address of a ticket's page on the citizen web (None without a public address)."""
    return f"{public_url}/t/{token}" if public_url and token else None


@dataclass(frozen=True, slots=True)
class TicketProgress:
    """Where one ticket stands, as its citizen's page shows it: nothing of other tickets."""

    number: str
    day: date
    today: bool  # False: a ticket of an earlier business day
    service_code: str
    service_name: LocalText
    agency_name: LocalText
    standard: ServiceStandard
    priority: bool
    state: TicketState
    transferred: bool  # it came here from another service
    call_count: int
    counter_number: str | None
    counter_name: str | None
    people_ahead: int | None  # while waiting today
    wait: WaitEstimate | None
    sent_to: str | None = None  # the counter (its number) a colleague sent it to
    waits_for: str | None = None  # that counter, while it keeps the ticket for itself


@dataclass(frozen=True, slots=True)
class ProgressSnapshot:
    """Every ticket page of a day at one moment, keyed by token: computed once per change and
    shared by all open pages."""

    day: date
    generated_at: datetime
    last_event_id: int
    tickets: dict[str, TicketProgress]
    site_name: str = ""


@dataclass(frozen=True, slots=True)
class Event:
    """One row of the append-only events log."""

    id: int
    at: datetime
    day: date
    kind: EventKind
    actor: str
    ticket_id: int | None = None
    number: str | None = None
    service_code: str | None = None
    counter_code: str | None = None
    staff: str | None = None
    priority: bool = False
    from_state: str | None = None
    to_state: str | None = None
    related_ticket_id: int | None = None
    detail: str | None = None  # account changes: what changed


@dataclass(frozen=True, slots=True)
class CounterStatus:
    code: str
    name: str
    number: str
    agency_code: str | None
    zone: str | None
    state: CounterState
    selection: SelectionMode
    services: tuple[str, ...]
    staff: str | None
    current: Ticket | None
    parked: int = 0  # today's tickets parked here, to be called back
    sent_here: int = 0  # numbers waiting for this counter alone (sent here by a colleague)


@dataclass(frozen=True, slots=True)
class CallRecord:
    """A call or recall as the waiting room sees it."""

    event_id: int
    at: datetime
    number: str
    counter_code: str
    counter_name: str
    counter_number: str
    service_code: str
    priority: bool
    recall: bool


@dataclass(frozen=True, slots=True)
class ServiceWaiting:
    service_code: str
    service_name: LocalText
    agency_code: str
    waiting: int
    priority_waiting: int
    waiting_since: datetime | None = None  # the longest-waiting ticket's (original) issue
    wait: WaitEstimate | None = None  # for an ordinary ticket taken now


@dataclass(frozen=True, slots=True)
class Board:
    """What a waiting-room display shows; `last_event_id` is the cursor to follow from."""

    day: date
    generated_at: datetime
    counters: tuple[CounterStatus, ...]
    recent_calls: tuple[CallRecord, ...]
    waiting: tuple[ServiceWaiting, ...]
    open_counters: int
    ticker: tuple[LocalText, ...]
    site_name: str
    last_event_id: int


@dataclass(frozen=True, slots=True)
class CounterFigures:
    """Today's numbers for one counter."""

    served: int
    no_shows: int
    transferred: int
    average_service_minutes: float | None
    standard_minutes: float | None  # the mean completion target of what it served


@dataclass(frozen=True, slots=True)
class CounterView:
    counter: CounterStatus
    waiting: tuple[Ticket, ...]
    skipped: tuple[Ticket, ...]  # today's no-shows of its services, the latest skipped first
    parked: tuple[Ticket, ...]  # today's tickets parked at this counter, the longest parked first
    kept: frozenset[str]  # the numbers waiting that were sent to this counter only
    figures: CounterFigures
    last_event_id: int
    # the other counters a number may be sent to now (not closed): code -> (name, services)
    colleagues: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    # the site's active services as they stand now, in the catalogue's order (to transfer to)
    services: tuple[ServiceName, ...] = ()


@dataclass(frozen=True, slots=True)
class ServiceName:
    """A service as a counter names it, to transfer a ticket to or serve a walk-in in."""

    code: str
    name: LocalText
    agency_code: str


@dataclass(frozen=True, slots=True)
class ServiceEntry:
    code: str
    agency_code: str
    prefix: str
    name: LocalText
    standard: ServiceStandard
    priority_allowed: bool
    availability: Availability
    next_open: datetime | None
    daily_quota: int | None
    quota_left: int | None
    waiting: int
    ahead: int  # the people a ticket taken now has ahead: calls before it, whatever their service
    wait: WaitEstimate  # for a ticket taken now
    hours: tuple[tuple[int, DayHours], ...] = ()  # (weekday, hours), Monday = 0
    service_minutes: float = 10.0  # one visit at a counter, as the site file says
    wait_target_minutes: int = 30  # the waiting-time target of the service level
    appointments: AppointmentRules | None = None  # its bookable slots, when it offers them

    @property
    def can_issue(self) -> bool:
        return self.availability == Availability.OPEN and self.quota_left != 0


@dataclass(frozen=True, slots=True)
class AgencyEntry:
    code: str
    name: LocalText
    zone: str | None
    waiting: int
    services: tuple[ServiceEntry, ...]


@dataclass(frozen=True, slots=True)
class Catalogue:
    day: date
    generated_at: datetime
    site_name: str
    agencies: tuple[AgencyEntry, ...]
    public_url: str | None = None  # the web server's public address, if the site has one
    day_off: LocalText | None = None  # today's holiday, named, when the site is closed for it

    def service(self, code: str) -> ServiceEntry | None:
        for agency in self.agencies:
            for service in agency.services:
                if service.code == code:
                    return service
        return None


def jsonable(value: Any) -> Any:
    """Plain JSON data for any of these values (dates as ISO text, enums as their value)."""
    if isinstance(value, LocalText):
        return {"id": value.id, "en": value.en}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value
