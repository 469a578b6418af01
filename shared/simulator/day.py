"""Setting up a simulated day's database and the desks (counters with staff) that work it."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

from shared.engine import QueueEngine
from shared.simulator.model import Arrival, Settings, break_start, counter_hours
from shared.site_config import SiteConfig
from shared.store import schema


@dataclass
class Desk:
    """A counter as the simulation sees it."""

    code: str
    agency: str | None
    services: frozenset[str]
    opens: datetime
    closes: datetime
    break_at: datetime | None


def prepare_database(url: str | None) -> tuple[str, tempfile.TemporaryDirectory[str] | None]:
    """The database to simulate on: `url`, or a fresh SQLite file in a temporary folder (kept
    until the returned folder object is cleaned up)."""
    folder = None
    if url is None:
        folder = tempfile.TemporaryDirectory(prefix="antrian-sim-")
        url = f"sqlite:///{Path(folder.name) / 'simulation.db'}"
    schema.upgrade(url)
    return url, folder


def load_day(engine: QueueEngine, site: SiteConfig) -> None:
    """Load the site; counters switched off by a what-if are closed for the day."""
    engine.load_site(site)
    for counter in site.counters:
        if counter.active:
            engine.resume(counter.code)


def desks(site: SiteConfig, settings: Settings, day: date) -> list[Desk]:
    zone = ZoneInfo(site.site.timezone)
    out = []
    for counter in site.counters:
        hours = counter_hours(site, counter, day)
        if not counter.active or hours is None:
            continue
        opens = datetime.combine(day, time(hours.opens // 60, hours.opens % 60), tzinfo=zone)
        closes = datetime.combine(day, time(hours.closes // 60, hours.closes % 60), tzinfo=zone)
        pause = break_start(settings, site.site.breaks, counter.code, day, zone)
        out.append(
            Desk(
                counter.code,
                counter.agency,
                frozenset(counter.services),
                opens,
                closes,
                pause if pause and opens < pause < closes else None,
            )
        )
    return out


def transfer_targets(site: SiteConfig) -> dict[str, tuple[str, ...]]:
    """Where a ticket of each service can be sent: its agency's other services, else any."""
    by_agency: dict[str, list[str]] = {}
    for service in site.services:
        if service.active:
            by_agency.setdefault(service.agency, []).append(service.code)
    everything = [s.code for s in site.services if s.active]
    return {
        s.code: tuple(
            c
            for c in (by_agency[s.agency] if len(by_agency[s.agency]) > 1 else everything)
            if c != s.code
        )
        for s in site.services
        if s.active
    }


def service_minutes(site: SiteConfig) -> dict[str, float]:
    return {s.code: s.service_minutes for s in site.services}


def book_ahead(engine: QueueEngine, plan: Sequence[Arrival]) -> tuple[list[Arrival], int]:
    """Book each booked arrival's slot before the day starts (the next free one when it is full,
    the citizen then coming as much earlier than that slot); the arrivals that come (with their
    codes), and how many found no slot left and took a ticket at the kiosk instead."""
    out, unbooked = [], 0
    for n, arrival in enumerate(plan):
        if arrival.slot is None:
            out.append(arrival)
            continue
        slot = _free_slot(engine, arrival.service, arrival.slot)
        if slot is None:
            unbooked += 1
            out.append(replace(arrival, slot=None, comes=True))
            continue
        booked = engine.book(
            arrival.service, slot.date(), slot.time(), f"Warga {n}", f"0812{n:08d}"
        )
        if arrival.comes:
            early = arrival.slot - arrival.at
            out.append(replace(arrival, at=slot - early, slot=slot, code=booked.code))
    return sorted(out, key=lambda a: (a.at, a.service)), unbooked


def _free_slot(engine: QueueEngine, service: str, wanted: datetime) -> datetime | None:
    """The first slot from `wanted` on with a place left."""
    return next(
        (s.at for s in engine.booking_slots(service, wanted.date()) if s.at >= wanted and s.free),
        None,
    )
