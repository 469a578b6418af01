"""How the public catalogue words a service's opening hours and its state right now."""

from __future__ import annotations

from collections import Counter
from datetime import date

from shared.domain.hours import Availability, DayHours, format_clock
from shared.domain.values import ServiceEntry
from shared.i18n import Lang, tr, when_text

Hours = tuple[tuple[int, DayHours], ...]


def hours_lines(hours: Hours, lang: Lang) -> list[str]:
    """Runs of weekdays with the same hours: "Senin–Kamis 07:30–16:00 (nomor s.d. 15:00)"."""
    runs: list[tuple[int, int, DayHours]] = []
    for day, day_hours in hours:
        if runs and runs[-1][1] == day - 1 and runs[-1][2] == day_hours:
            runs[-1] = (runs[-1][0], day, day_hours)
        else:
            runs.append((day, day, day_hours))
    lines = []
    for first, last, h in runs:
        days = tr(f"weekday_{first}", lang)
        if last != first:
            days += "–" + tr(f"weekday_{last}", lang)
        lines.append(
            tr(
                "web_hours_line",
                lang,
                days=days,
                opens=format_clock(h.opens),
                closes=format_clock(h.closes),
                last=format_clock(h.last_ticket),
            )
        )
    return lines


def usual_hours(services: list[ServiceEntry]) -> Hours | None:
    """The hours most services keep, said once atop the catalogue instead of on each of them
    (None when no two services share their hours)."""
    counts = Counter(service.hours for service in services)
    hours, count = counts.most_common(1)[0] if counts else ((), 0)
    return hours if count > 1 else None


def availability_text(service: ServiceEntry, today: date, lang: Lang) -> tuple[bool, str]:
    """(open for tickets now?, the words for it)."""
    if service.availability == Availability.OPEN:
        if service.quota_left == 0:
            return False, tr("web_quota_full", lang)
        return True, tr("web_open_now", lang)
    if service.availability == Availability.ENDED:
        return False, tr("web_issuing_ended", lang)
    when = when_text(service.next_open, today)
    if when is None:
        return False, tr("web_closed_now", lang)
    return False, tr("web_opens", lang, when=when.get(lang))
