"""The site file (TOML): agencies, services and their standards, counters, hours, zones, ticker.

`load_site_file(path)` parses and validates it into plain values. Every problem is reported with
the file, the line and the key, in both languages; nothing is half-loaded.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.domain.appointments import AppointmentRules
from shared.domain.holidays import NATIONAL_CHOICES, Holidays
from shared.domain.hours import (
    BreakTime,
    DayHours,
    hours_to_json,
    parse_break_window,
    parse_clock,
    parse_days,
)
from shared.domain.numbering import is_speakable_counter_number, is_valid_prefix
from shared.domain.skm import CODES as SKM_CODES
from shared.domain.states import SelectionMode
from shared.domain.values import ServiceStandard
from shared.errors import ConfigFileError
from shared.i18n import LocalText, both, rupiah
from shared.store import tables
from shared.tomlcheck import (
    Errors,
    Field,
    Lines,
    check_fields,
    fields,
    parse_toml,
    read_settings_text,
)

CODE_RE: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
UNSTARTED_RULES: Final = ("done", "no_show")


@dataclass(frozen=True, slots=True)
class SiteSettings:
    name: str
    timezone: str
    holidays: Holidays  # its own days off, and the national ones it observes
    ticker: tuple[LocalText, ...]
    unstarted_on_next: str  # what "next" makes of a ticket that was called but never started
    public_url: str | None  # the web server's address: ticket QR codes open <public_url>/t/<token>
    breaks: BreakTime | None = None  # when counters take their break (the wait forecast)
    publish_ikm: bool = False  # the public catalogue shows each agency's IKM
    # a booking's name and phone, a closed complaint's contact: erased after this many days
    personal_data_days: int = 90
    skm_questions: tuple[tuple[str, LocalText], ...] = ()  # the site's wording, by element


@dataclass(frozen=True, slots=True)
class AgencyConfig:
    code: str
    name: LocalText
    zone: str | None


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    code: str
    agency: str
    prefix: str
    name: LocalText
    standard: ServiceStandard
    daily_quota: int | None
    hours: dict[int, DayHours]
    priority_allowed: bool
    service_minutes: float
    wait_target_minutes: int  # the service level counts waits up to this
    active: bool
    appointments: AppointmentRules | None = None  # bookable slots, when it offers them


@dataclass(frozen=True, slots=True)
class CounterConfig:
    code: str
    name: str
    number: str
    agency: str | None
    zone: str | None
    services: tuple[str, ...]
    selection: SelectionMode
    active: bool


@dataclass(frozen=True, slots=True)
class SiteConfig:
    site: SiteSettings
    agencies: tuple[AgencyConfig, ...]
    services: tuple[ServiceConfig, ...]
    counters: tuple[CounterConfig, ...]


def _column(column: Any) -> Field:
    """A text field as long as the database column it is stored in (same on both databases)."""
    return Field("text", length=tables.text_length(column))


_NAME = _column(tables.agencies.c.name_id)
_LONG_TEXT = Field("text", length=4000)  # standard texts, stored as JSON
_ITEMS = Field("texts", length=500)  # requirements, ticker lines
_WAIT_TARGET = Field("int", low=1, high=8 * 60)
DEFAULT_WAIT_TARGET_MINUTES: Final = 30
_SITE = fields(
    "name",
    "timezone holidays national_holidays ticker ticker_en unstarted_on_next public_url "
    "tracking_url hours "
    "wait_target_minutes break_window break_minutes publish_ikm personal_data_days",
    {
        "publish_ikm": Field("bool"),
        "personal_data_days": Field("int", low=1, high=3650),
        "break_window": Field("text", length=11),
        "break_minutes": Field("int", low=1, high=240),
        "wait_target_minutes": _WAIT_TARGET,
        "name": _column(tables.site.c.name),
        "timezone": _column(tables.site.c.timezone),
        "holidays": Field("texts", length=10),
        "national_holidays": Field("text", length=6),
        "ticker": _ITEMS,
        "ticker_en": _ITEMS,
        "public_url": _column(tables.site.c.public_url),
    },
)
_AGENCY = fields(
    "code name",
    "name_en zone hours",
    {"name": _NAME, "name_en": _NAME, "zone": _column(tables.agencies.c.zone)},
)
_SERVICE_TEXTS = ("procedure", "completion_time", "product", "complaints")
_SERVICE = fields(
    "code agency prefix name requirements procedure completion_time completion_minutes fee "
    "product complaints",
    "name_en requirements_en procedure_en completion_time_en product_en complaints_en "
    "fee_text fee_text_en daily_quota priority service_minutes wait_target_minutes hours active "
    "appointments",
    {
        "appointments": Field("table"),
        "name": _NAME,
        "name_en": _NAME,
        "requirements": _ITEMS,
        "requirements_en": _ITEMS,
        **{f"{key}{suffix}": _LONG_TEXT for key in _SERVICE_TEXTS for suffix in ("", "_en")},
        "fee_text": Field("text", length=200),
        "fee_text_en": Field("text", length=200),
        "completion_minutes": Field("int", low=0, high=366 * 24 * 60),  # a year at most
        "fee": Field("int", low=0, high=1_000_000_000),  # rupiah
        "daily_quota": Field("int", low=0, high=99_999),
        "priority": Field("bool"),
        "service_minutes": Field("number", low=0.5, high=8 * 60),  # one visit at a counter
        "wait_target_minutes": _WAIT_TARGET,
        "active": Field("bool"),
    },
)
_APPOINTMENTS = fields(
    "slot_minutes per_slot",
    "days_ahead checkin_before checkin_after reserved reserved_share release_at hours",
    {
        "slot_minutes": Field("int", low=5, high=240),
        "per_slot": Field("int", low=1, high=1000),
        "days_ahead": Field("int", low=0, high=90),
        "checkin_before": Field("int", low=0, high=240),
        "checkin_after": Field("int", low=0, high=240),
        "reserved": Field("int", low=0, high=100_000),
        "reserved_share": Field("number", low=0, high=1),
        "release_at": Field("text", length=5),
        "hours": Field("text", length=64),
    },
)
_COUNTER = fields(
    "code number services",
    "name agency zone selection active",
    {
        "number": _column(tables.counters.c.number),
        "name": _column(tables.counters.c.name),
        "zone": _column(tables.counters.c.zone),
        "services": Field("texts", length=32),
        "active": Field("bool"),
    },
)
_DAY_HOURS = fields("open close", "last_ticket", {})
_SKM = fields(
    "",
    " ".join(f"{code} {code}_en" for code in SKM_CODES),
    {key: Field("text", length=500) for code in SKM_CODES for key in (code, f"{code}_en")},
)
_TOP = {"site", "hours", "agencies", "services", "counters", "skm"}
KEYS: Final = {  # every table's keys, as the README's reference documents them
    "[site]": _SITE,
    "[hours.NAME]": _DAY_HOURS,
    "[[agencies]]": _AGENCY,
    "[[services]]": _SERVICE,
    "[[counters]]": _COUNTER,
    "[skm]": _SKM,
    "[[services]].appointments": _APPOINTMENTS,
}


# ------------------------------------------------------------------------------------ parsing


def parse_site(text: str, path: str = "<site>") -> SiteConfig:
    """Validate the TOML `text` of a site file; raise ConfigFileError listing every problem."""
    data = parse_toml(text, path)
    errors = Errors(path, Lines(text))
    for key in data:
        if key not in _TOP:
            errors.add("", None, key, both("site_unknown_key", key=key, table="(top)"))
    schedules = _parse_schedules(errors, data.get("hours", {}))
    site, default_hours = _parse_settings(errors, data.get("site"), schedules)
    agencies, agency_hours = _parse_agencies(errors, data.get("agencies", []), schedules)
    site_data = data.get("site")
    default_wait = (
        site_data.get("wait_target_minutes", DEFAULT_WAIT_TARGET_MINUTES)
        if isinstance(site_data, dict)
        else DEFAULT_WAIT_TARGET_MINUTES
    )
    services = _parse_services(
        errors,
        data.get("services", []),
        schedules,
        agencies,
        agency_hours,
        default_hours,
        default_wait if isinstance(default_wait, int) else DEFAULT_WAIT_TARGET_MINUTES,
    )
    raw_services = data.get("services", [])
    declared = (
        {str(item.get("code")) for item in raw_services if isinstance(item, dict)}
        if isinstance(raw_services, list)
        else set()
    )
    counters = _parse_counters(errors, data.get("counters", []), agencies, declared)
    _check_served(errors, raw_services, services, counters)
    wording = _parse_skm(errors, data.get("skm", {}))
    if errors.found:
        raise ConfigFileError.from_lines(errors.found)
    assert site is not None
    site = replace(site, skm_questions=wording)
    return SiteConfig(site, tuple(agencies.values()), tuple(services.values()), tuple(counters))


def _check_served(
    errors: Errors,
    raw_services: Any,
    services: Mapping[str, ServiceConfig],
    counters: Sequence[CounterConfig],
) -> None:
    """Every active service is in the work profile of an active counter: the kiosk would
    otherwise hand out numbers that no counter can ever call."""
    served = {code for c in counters if c.active for code in c.services}
    for index, item in enumerate(raw_services if isinstance(raw_services, list) else []):
        service = services.get(str(item.get("code"))) if isinstance(item, dict) else None
        if service is not None and service.active and service.code not in served:
            unserved = both("site_service_unserved", service=service.code)
            errors.add("services", index, "code", unserved)


def load_site_file(path: str | Path) -> SiteConfig:
    return parse_site(read_settings_text(path), str(path))


def _parse_schedules(errors: Errors, data: Any) -> dict[str, dict[int, DayHours]]:
    if not isinstance(data, dict):
        errors.add(
            "hours",
            None,
            None,
            both("site_wrong_type", key="hours", expected="tabel", expected_en="a table"),
        )
        return {}
    schedules: dict[str, dict[int, DayHours]] = {}
    for name, days in data.items():
        table = f"hours.{name}"
        if not isinstance(days, dict):
            errors.add(
                "hours",
                None,
                name,
                both("site_wrong_type", key=name, expected="tabel", expected_en="a table"),
            )
            continue
        week: dict[int, DayHours] = {}
        for day_key, spec in days.items():
            try:
                weekdays = parse_days(day_key)
            except ValueError:
                errors.add(table, None, day_key, both("site_bad_days", key=day_key))
                continue
            good = check_fields(errors, spec, _DAY_HOURS, table, None)
            if "open" not in good or "close" not in good:
                continue
            try:
                opens, closes = parse_clock(good["open"]), parse_clock(good["close"])
                last = parse_clock(good["last_ticket"]) if "last_ticket" in good else closes
                hours = DayHours(opens, closes, last)
            except ValueError:
                errors.add(
                    table, None, day_key, both("site_bad_hours", key=day_key, value=str(spec))
                )
                continue
            for weekday in weekdays:
                if weekday in week:
                    errors.add(
                        table,
                        None,
                        day_key,
                        both("site_days_twice", day=weekday + 1, table=f"[{table}]"),
                    )
                week[weekday] = hours
        schedules[name] = week
    return schedules


def _schedule(
    errors: Errors,
    schedules: Mapping[str, dict[int, DayHours]],
    good: Mapping[str, Any],
    table: str,
    index: int | None,
) -> dict[int, DayHours] | None:
    name = good.get("hours")
    if name is None:
        return None
    if name not in schedules:
        errors.add(
            table,
            index,
            "hours",
            both("site_unknown_ref", key="hours", what="jadwal", what_en="schedule", code=name),
        )
        return None
    return schedules[name]


def _parse_settings(
    errors: Errors, data: Any, schedules: Mapping[str, dict[int, DayHours]]
) -> tuple[SiteSettings | None, dict[int, DayHours] | None]:
    if data is None:
        errors.add("", None, None, both("site_missing_key", key="site", table="(top)"))
        return None, None
    good = check_fields(errors, data, _SITE, "site", None)
    timezone = good.get("timezone", "Asia/Jakarta")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        errors.add("site", None, "timezone", both("site_bad_value", key="timezone", value=timezone))
    holidays: list[date] = []
    for value in good.get("holidays", []):
        try:
            holidays.append(date.fromisoformat(value))
        except ValueError:
            errors.add(
                "site", None, "holidays", both("site_bad_value", key="holidays", value=value)
            )
    national = _site_choice(errors, good, "national_holidays", NATIONAL_CHOICES)
    rule = _site_choice(errors, good, "unstarted_on_next", UNSTARTED_RULES)
    ticker = _paired(errors, good, "ticker", "site", None)
    if "tracking_url" in good:  # replaced by public_url (migration 0002)
        errors.add("site", None, "tracking_url", both("site_tracking_url_renamed"))
    settings = SiteSettings(
        name=good.get("name", ""),
        timezone=timezone,
        holidays=Holidays(frozenset(holidays), national),
        ticker=tuple(LocalText(i, e) for i, e in ticker),
        unstarted_on_next=rule,
        public_url=_public_url(errors, good.get("public_url")),
        breaks=_breaks(errors, good),
        publish_ikm=bool(good.get("publish_ikm", False)),
        personal_data_days=int(good.get("personal_data_days", 90)),
    )
    return settings, _schedule(errors, schedules, good, "site", None)


def _site_choice(
    errors: Errors, good: Mapping[str, Any], key: str, choices: tuple[str, ...]
) -> str:
    """One of `choices` (the first when the key is absent); another value is named."""
    value = str(good.get(key, choices[0]))
    if value not in choices:
        errors.add("site", None, key, both("site_bad_value", key=key, value=value))
    return value


def _parse_skm(errors: Errors, data: Any) -> tuple[tuple[str, LocalText], ...]:
    """`[skm]`: the site's own wording of some of the nine questions (`U3 = "..."`, with an
    optional `U3_en`); the answers and the arithmetic are the regulation's, not the site's."""
    good = check_fields(errors, data, _SKM, "skm", None)
    return tuple((code, _text(good, code)) for code in SKM_CODES if code in good)


def _breaks(errors: Errors, good: Mapping[str, Any]) -> BreakTime | None:
    """`break_window = "11:30-13:00"` with `break_minutes` (default 30), or no break."""
    if "break_window" not in good:
        if "break_minutes" in good:
            errors.add("site", None, "break_minutes", both("site_break_needs_window"))
        return None
    try:
        return parse_break_window(good["break_window"], good.get("break_minutes", 30))
    except ValueError:
        errors.add(
            "site",
            None,
            "break_window",
            both("site_bad_value", key="break_window", value=good["break_window"]),
        )
        return None


def _public_url(errors: Errors, value: str | None) -> str | None:
    """The web server's public address: http(s), a host, no query or fragment; no trailing /."""
    if value is None:
        return None
    parts = urlsplit(value)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.query
        or parts.fragment
        or "{" in value
        or len(value) > 300
    ):
        errors.add("site", None, "public_url", both("site_bad_public_url", value=value))
        return None
    return value.rstrip("/")


def _paired(
    errors: Errors, good: Mapping[str, Any], key: str, table: str, index: int | None
) -> list[tuple[str, str]]:
    """A list in Indonesian with its optional English twin `key_en`, as (id, en) pairs (en ""
    where none was given: shown in Indonesian, and said so)."""
    items: list[str] = good.get(key, [])
    english: list[str] | None = good.get(f"{key}_en")
    if english is not None and len(english) != len(items):
        errors.add(
            table, index, f"{key}_en", both("site_length_mismatch", key=f"{key}_en", other=key)
        )
        english = None
    return [(item, english[i] if english else "") for i, item in enumerate(items)]


def _text(good: Mapping[str, Any], key: str) -> LocalText:
    value = str(good.get(key, ""))
    return LocalText(value, str(good.get(f"{key}_en", "")))


def _check_code(
    errors: Errors, seen: dict[str, int], good: Mapping[str, Any], table: str, index: int
) -> str | None:
    code = good.get("code")
    if code is None:
        return None
    if not CODE_RE.match(code):
        errors.add(table, index, "code", both("site_bad_value", key="code", value=code))
        return None
    if code in seen:
        errors.add(
            table,
            index,
            "code",
            both(
                "site_duplicate",
                code=code,
                table=f"[[{table}]]",
                first=errors.lines.line(table, seen[code], "code"),
            ),
        )
        return None
    seen[code] = index
    return str(code)


def _parse_agencies(
    errors: Errors, data: Any, schedules: Mapping[str, dict[int, DayHours]]
) -> tuple[dict[str, AgencyConfig], dict[str, dict[int, DayHours] | None]]:
    agencies: dict[str, AgencyConfig] = {}
    hours: dict[str, dict[int, DayHours] | None] = {}
    seen: dict[str, int] = {}
    for index, item in enumerate(_array(errors, data, "agencies")):
        good = check_fields(errors, item, _AGENCY, "agencies", index)
        code = _check_code(errors, seen, good, "agencies", index)
        if code is None or "name" not in good:
            continue
        agencies[code] = AgencyConfig(code, _text(good, "name"), good.get("zone"))
        hours[code] = _schedule(errors, schedules, good, "agencies", index)
    return agencies, hours


def _array(errors: Errors, data: Any, table: str) -> list[Any]:
    if isinstance(data, list):
        return data
    errors.add(
        "",
        None,
        table,
        both(
            "site_wrong_type",
            key=table,
            expected="daftar tabel",
            expected_en=f"an array of tables ([[{table}]])",
        ),
    )
    return []


def _parse_services(
    errors: Errors,
    data: Any,
    schedules: Mapping[str, dict[int, DayHours]],
    agencies: Mapping[str, AgencyConfig],
    agency_hours: Mapping[str, dict[int, DayHours] | None],
    default_hours: dict[int, DayHours] | None,
    default_wait_target: int,
) -> dict[str, ServiceConfig]:
    services: dict[str, ServiceConfig] = {}
    seen: dict[str, int] = {}
    for index, item in enumerate(_array(errors, data, "services")):
        good = check_fields(errors, item, _SERVICE, "services", index)
        code = _check_code(errors, seen, good, "services", index)
        agency = good.get("agency")
        if agency is not None and agency not in agencies:
            errors.add(
                "services",
                index,
                "agency",
                both(
                    "site_unknown_ref", key="agency", what="instansi", what_en="agency", code=agency
                ),
            )
            agency = None
        prefix = good.get("prefix")
        if prefix is not None and not is_valid_prefix(prefix):
            errors.add(
                "services",
                index,
                "prefix",
                both("site_bad_value", key="prefix", value=f"{prefix} (A-Z, 1-3)"),
            )
            prefix = None
        hours = _schedule(errors, schedules, good, "services", index)
        if hours is None and "hours" not in good and agency is not None:
            hours = agency_hours.get(agency) or default_hours
            if hours is None:
                errors.add("services", index, None, both("site_no_hours"))
        requirements = _paired(errors, good, "requirements", "services", index)
        if code is None or agency is None or prefix is None or hours is None:
            continue
        if not all(key in good for key in _SERVICE if _SERVICE[key].required):
            continue
        fee = int(good["fee"])
        fee_text = (
            LocalText(good["fee_text"], good.get("fee_text_en", ""))
            if "fee_text" in good
            else rupiah(fee)
        )
        standard = ServiceStandard(
            requirements=tuple(LocalText(i, e) for i, e in requirements),
            procedure=_text(good, "procedure"),
            completion=_text(good, "completion_time"),
            completion_minutes=int(good["completion_minutes"]),
            fee=fee_text,
            fee_rupiah=fee,
            product=_text(good, "product"),
            complaints=_text(good, "complaints"),
        )
        services[code] = ServiceConfig(
            code=code,
            agency=agency,
            prefix=prefix,
            name=_text(good, "name"),
            standard=standard,
            daily_quota=good.get("daily_quota"),
            hours=hours,
            priority_allowed=good.get("priority", True),
            service_minutes=float(good.get("service_minutes", 10)),
            wait_target_minutes=int(good.get("wait_target_minutes", default_wait_target)),
            active=good.get("active", True),
            appointments=_appointments(errors, good.get("appointments"), index, schedules),
        )
    return services


def _appointments(
    errors: Errors, data: Any, index: int, schedules: Mapping[str, dict[int, DayHours]]
) -> AppointmentRules | None:
    """`appointments = { slot_minutes = 30, per_slot = 2, ... }` of a service, or None."""
    if data is None:
        return None
    good = check_fields(errors, data, _APPOINTMENTS, "services", index)
    if not all(key in good for key in ("slot_minutes", "per_slot")):
        return None
    if "reserved" in good and "reserved_share" in good:
        errors.add(
            "services",
            index,
            "appointments",
            LocalText(
                "appointments: isi `reserved` atau `reserved_share`, tidak keduanya",
                "appointments: give `reserved` or `reserved_share`, not both",
            ),
        )
        return None
    if "release_at" in good:
        try:
            good["release_at"] = parse_clock(good["release_at"])
        except ValueError:
            errors.add(
                "services",
                index,
                "appointments",
                LocalText(
                    f"appointments.release_at: bukan jam (JJ:MM): {good['release_at']!r}",
                    f"appointments.release_at: not a time of day (HH:MM): {good['release_at']!r}",
                ),
            )
            return None
    if "hours" in good:
        if good["hours"] not in schedules:
            errors.add(
                "services",
                index,
                "appointments",
                both(
                    "site_unknown_ref",
                    key="appointments.hours",
                    what="jadwal",
                    what_en="schedule",
                    code=good["hours"],
                ),
            )
            return None
        good["hours"] = hours_to_json(schedules[good["hours"]])
    return AppointmentRules(**good)


def _parse_counters(
    errors: Errors,
    data: Any,
    agencies: Mapping[str, AgencyConfig],
    declared_services: set[str],
) -> list[CounterConfig]:
    counters: list[CounterConfig] = []
    seen: dict[str, int] = {}
    numbers: dict[str, int] = {}  # what the board shows and the voice says: once per site
    for index, item in enumerate(_array(errors, data, "counters")):
        good = check_fields(errors, item, _COUNTER, "counters", index)
        code = _check_code(errors, seen, good, "counters", index)
        agency = good.get("agency")
        if agency is not None and agency not in agencies:
            errors.add(
                "counters",
                index,
                "agency",
                both(
                    "site_unknown_ref", key="agency", what="instansi", what_en="agency", code=agency
                ),
            )
        profile = good.get("services", [])
        for service in profile:
            if service not in declared_services:
                errors.add(
                    "counters",
                    index,
                    "services",
                    both(
                        "site_unknown_ref",
                        key="services",
                        what="layanan",
                        what_en="service",
                        code=service,
                    ),
                )
        if len(set(profile)) != len(profile):
            errors.add(
                "counters",
                index,
                "services",
                both("site_bad_value", key="services", value="duplicate service"),
            )
        selection = good.get("selection", "oldest")
        if selection not in {mode.value for mode in SelectionMode}:
            errors.add(
                "counters",
                index,
                "selection",
                both("site_bad_value", key="selection", value=f"{selection} (oldest | strict)"),
            )
            continue
        if code is None or "number" not in good:
            continue
        shown = good["number"].strip()  # what the board shows, and the voice says
        number = shown.upper()
        if not is_speakable_counter_number(shown):
            errors.add(
                "counters",
                index,
                "number",
                both("site_counter_number_unspeakable", number=good["number"]),
            )
            continue
        if number in numbers:
            first = errors.lines.line("counters", numbers[number], "number")
            errors.add(
                "counters",
                index,
                "number",
                both("site_counter_number_twice", number=good["number"], first=first),
            )
            continue
        numbers[number] = index
        known = agencies.get(agency) if isinstance(agency, str) else None
        zone = good.get("zone") or (known.zone if known else None)
        counters.append(
            CounterConfig(
                code=code,
                name=good.get("name", f"Loket {shown}"),
                number=shown,
                agency=known.code if known else None,
                zone=zone,
                services=tuple(profile),
                selection=SelectionMode(selection),
                active=good.get("active", True),
            )
        )
    return counters
