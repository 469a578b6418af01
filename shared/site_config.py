"""The site file (TOML): agencies, services and their standards, counters, hours, zones, ticker.

`load_site_file(path)` parses and validates it into plain values. Every problem is reported with
the file, the line and the key, in both languages; nothing is half-loaded.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from shared.domain.hours import DayHours, parse_clock, parse_days
from shared.domain.numbering import is_valid_prefix
from shared.domain.states import SelectionMode
from shared.domain.values import ServiceStandard
from shared.errors import SiteFileError
from shared.i18n import LocalText, both, rupiah

CODE_RE: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")
UNSTARTED_RULES: Final = ("done", "no_show")


@dataclass(frozen=True, slots=True)
class SiteSettings:
    name: str
    timezone: str
    holidays: tuple[date, ...]
    ticker: tuple[LocalText, ...]
    unstarted_on_next: str  # what "next" makes of a ticket that was called but never started
    tracking_url: str | None


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
    active: bool


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


# ---------------------------------------------------------------- where things are in the file


class _Lines:
    """Line numbers of table headers and keys, found by a light scan of the TOML text."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")
    _KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+|\"[^\"]*\")\s*=")

    def __init__(self, text: str) -> None:
        self.tables: dict[tuple[str, int | None], int] = {}
        self.keys: dict[tuple[str, int | None, str], int] = {}
        counts: dict[str, int] = {}
        where: tuple[str, int | None] = ("", None)
        in_string: str | None = None
        for number, line in enumerate(text.splitlines(), start=1):
            if in_string:
                if line.count(in_string) % 2 == 1:
                    in_string = None
                continue
            header = self._HEADER.match(line)
            if header:
                name = header.group(2).replace('"', "").replace(" ", "")
                if header.group(1) == "[[":
                    counts[name] = counts.get(name, -1) + 1
                    where = (name, counts[name])
                else:
                    where = (name, None)
                self.tables.setdefault(where, number)
                continue
            key = self._KEY.match(line)
            if key:
                self.keys.setdefault((*where, key.group(1).strip('"')), number)
            for quote in ('"""', "'''"):
                if line.count(quote) % 2 == 1:
                    in_string = quote

    def line(self, table: str, index: int | None, key: str | None = None) -> int:
        if key is not None and (table, index, key) in self.keys:
            return self.keys[(table, index, key)]
        return self.tables.get((table, index), 1)


@dataclass
class _Errors:
    path: str
    lines: _Lines
    found: list[LocalText] = field(default_factory=list)

    def add(self, table: str, index: int | None, key: str | None, text: LocalText) -> None:
        line = self.lines.line(table, index, key)
        self.found.append(
            LocalText(f"{self.path}:{line}: {text.id}", f"{self.path}:{line}: {text.en}")
        )


def _label(table: str, index: int | None) -> str:
    return f"[[{table}]] #{index + 1}" if index is not None else f"[{table}]"


# ---------------------------------------------------------------------------- field checking

_TYPE_NAMES: Final[dict[str, tuple[str, str]]] = {
    "text": ("teks", "text"),
    "int": ("bilangan bulat", "a whole number"),
    "number": ("angka", "a number"),
    "bool": ("true atau false", "true or false"),
    "texts": ("daftar teks", "a list of texts"),
    "table": ("tabel", "a table"),
}

_CHECKS: Final[dict[str, Callable[[Any], bool]]] = {
    "text": lambda v: isinstance(v, str) and v.strip() != "",
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool) and v > 0,
    "bool": lambda v: isinstance(v, bool),
    "texts": lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v),
    "table": lambda v: isinstance(v, dict),
}


@dataclass(frozen=True)
class _Field:
    kind: str
    required: bool = False


def _fields(required: str, optional: str, kinds: Mapping[str, str]) -> dict[str, _Field]:
    out = {name: _Field(kinds.get(name, "text"), True) for name in required.split()}
    out.update({name: _Field(kinds.get(name, "text")) for name in optional.split()})
    return out


_SITE = _fields(
    "name",
    "timezone holidays ticker ticker_en unstarted_on_next tracking_url hours",
    {"holidays": "texts", "ticker": "texts", "ticker_en": "texts"},
)
_AGENCY = _fields("code name", "name_en zone hours", {})
_SERVICE_TEXTS = ("procedure", "completion_time", "product", "complaints")
_SERVICE = _fields(
    "code agency prefix name requirements procedure completion_time completion_minutes fee "
    "product complaints",
    "name_en requirements_en procedure_en completion_time_en product_en complaints_en "
    "fee_text fee_text_en daily_quota priority service_minutes hours active",
    {
        "requirements": "texts",
        "requirements_en": "texts",
        "completion_minutes": "int",
        "fee": "int",
        "daily_quota": "int",
        "priority": "bool",
        "service_minutes": "number",
        "active": "bool",
    },
)
_COUNTER = _fields(
    "code number services",
    "name agency zone selection active",
    {"services": "texts", "active": "bool"},
)
_DAY_HOURS = _fields("open close", "last_ticket", {})
_TOP = {"site", "hours", "agencies", "services", "counters"}


def _check_fields(
    errors: _Errors, data: Any, spec: Mapping[str, _Field], table: str, index: int | None
) -> dict[str, Any]:
    """The table's values that passed; an error for each unknown, missing or mistyped key."""
    label = _label(table, index)
    if not isinstance(data, dict):
        errors.add(
            table,
            index,
            None,
            both("site_wrong_type", key=table, expected="tabel", expected_en="a table"),
        )
        return {}
    good: dict[str, Any] = {}
    for key, value in data.items():
        if key not in spec:
            errors.add(table, index, key, both("site_unknown_key", key=key, table=label))
        elif not _CHECKS[spec[key].kind](value):
            id_name, en_name = _TYPE_NAMES[spec[key].kind]
            errors.add(
                table,
                index,
                key,
                both("site_wrong_type", key=key, expected=id_name, expected_en=en_name),
            )
        else:
            good[key] = value
    for key, fld in spec.items():
        if fld.required and key not in data:
            errors.add(table, index, None, both("site_missing_key", key=key, table=label))
    return good


# ------------------------------------------------------------------------------------ parsing


def parse_site(text: str, path: str = "<site>") -> SiteConfig:
    """Validate the TOML `text` of a site file; raise SiteFileError listing every problem."""
    errors = _Errors(path, _Lines(text))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        line = int(match.group(1)) if match else 1
        detail = both("site_bad_syntax", detail=str(error))
        raise SiteFileError("site_file_error", path=path, line=line, detail=detail.id) from None
    for key in data:
        if key not in _TOP:
            errors.add("", None, key, both("site_unknown_key", key=key, table="(top)"))
    schedules = _parse_schedules(errors, data.get("hours", {}))
    site, default_hours = _parse_settings(errors, data.get("site"), schedules)
    agencies, agency_hours = _parse_agencies(errors, data.get("agencies", []), schedules)
    services = _parse_services(
        errors, data.get("services", []), schedules, agencies, agency_hours, default_hours
    )
    raw_services = data.get("services", [])
    declared = (
        {str(item.get("code")) for item in raw_services if isinstance(item, dict)}
        if isinstance(raw_services, list)
        else set()
    )
    counters = _parse_counters(errors, data.get("counters", []), agencies, declared)
    if errors.found:
        raise SiteFileError.from_lines(errors.found)
    assert site is not None
    return SiteConfig(site, tuple(agencies.values()), tuple(services.values()), tuple(counters))


def load_site_file(path: str | Path) -> SiteConfig:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SiteFileError("site_file_unreadable", path=str(path), detail=str(error)) from None
    return parse_site(text, str(path))


def _parse_schedules(errors: _Errors, data: Any) -> dict[str, dict[int, DayHours]]:
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
            good = _check_fields(errors, spec, _DAY_HOURS, table, None)
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
    errors: _Errors,
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
    errors: _Errors, data: Any, schedules: Mapping[str, dict[int, DayHours]]
) -> tuple[SiteSettings | None, dict[int, DayHours] | None]:
    if data is None:
        errors.add("", None, None, both("site_missing_key", key="site", table="(top)"))
        return None, None
    good = _check_fields(errors, data, _SITE, "site", None)
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
    rule = good.get("unstarted_on_next", "done")
    if rule not in UNSTARTED_RULES:
        errors.add(
            "site",
            None,
            "unstarted_on_next",
            both("site_bad_value", key="unstarted_on_next", value=rule),
        )
    ticker = _paired(errors, good, "ticker", "site", None)
    settings = SiteSettings(
        name=good.get("name", ""),
        timezone=timezone,
        holidays=tuple(holidays),
        ticker=tuple(LocalText(i, e) for i, e in ticker),
        unstarted_on_next=rule,
        tracking_url=good.get("tracking_url"),
    )
    return settings, _schedule(errors, schedules, good, "site", None)


def _paired(
    errors: _Errors, good: Mapping[str, Any], key: str, table: str, index: int | None
) -> list[tuple[str, str]]:
    """A list in Indonesian with its optional English twin `key_en`, as (id, en) pairs."""
    items: list[str] = good.get(key, [])
    english: list[str] | None = good.get(f"{key}_en")
    if english is not None and len(english) != len(items):
        errors.add(
            table, index, f"{key}_en", both("site_length_mismatch", key=f"{key}_en", other=key)
        )
        english = None
    return [(item, english[i] if english else item) for i, item in enumerate(items)]


def _text(good: Mapping[str, Any], key: str) -> LocalText:
    value = str(good.get(key, ""))
    return LocalText(value, str(good.get(f"{key}_en", value)))


def _check_code(
    errors: _Errors, seen: dict[str, int], good: Mapping[str, Any], table: str, index: int
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
    errors: _Errors, data: Any, schedules: Mapping[str, dict[int, DayHours]]
) -> tuple[dict[str, AgencyConfig], dict[str, dict[int, DayHours] | None]]:
    agencies: dict[str, AgencyConfig] = {}
    hours: dict[str, dict[int, DayHours] | None] = {}
    seen: dict[str, int] = {}
    for index, item in enumerate(_array(errors, data, "agencies")):
        good = _check_fields(errors, item, _AGENCY, "agencies", index)
        code = _check_code(errors, seen, good, "agencies", index)
        if code is None or "name" not in good:
            continue
        agencies[code] = AgencyConfig(code, _text(good, "name"), good.get("zone"))
        hours[code] = _schedule(errors, schedules, good, "agencies", index)
    return agencies, hours


def _array(errors: _Errors, data: Any, table: str) -> list[Any]:
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
    errors: _Errors,
    data: Any,
    schedules: Mapping[str, dict[int, DayHours]],
    agencies: Mapping[str, AgencyConfig],
    agency_hours: Mapping[str, dict[int, DayHours] | None],
    default_hours: dict[int, DayHours] | None,
) -> dict[str, ServiceConfig]:
    services: dict[str, ServiceConfig] = {}
    seen: dict[str, int] = {}
    for index, item in enumerate(_array(errors, data, "services")):
        good = _check_fields(errors, item, _SERVICE, "services", index)
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
            LocalText(good["fee_text"], good.get("fee_text_en", good["fee_text"]))
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
            active=good.get("active", True),
        )
    return services


def _parse_counters(
    errors: _Errors,
    data: Any,
    agencies: Mapping[str, AgencyConfig],
    declared_services: set[str],
) -> list[CounterConfig]:
    counters: list[CounterConfig] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(_array(errors, data, "counters")):
        good = _check_fields(errors, item, _COUNTER, "counters", index)
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
        known = agencies.get(agency) if isinstance(agency, str) else None
        zone = good.get("zone") or (known.zone if known else None)
        counters.append(
            CounterConfig(
                code=code,
                name=good.get("name", f"Loket {good['number']}"),
                number=good["number"],
                agency=known.code if known else None,
                zone=zone,
                services=tuple(profile),
                selection=SelectionMode(selection),
                active=good.get("active", True),
            )
        )
    return counters
