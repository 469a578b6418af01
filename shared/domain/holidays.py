"""The days a site is closed: its own list (the regency's anniversary, a local day off) and,
as its site file chooses, Indonesia's national holidays (hari libur nasional) and joint leave
days (cuti bersama) of every year, from the `holidays` library, which follows the government's
yearly decree (SKB 3 Menteri): keep it up to date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Final

import holidays as calendars

from shared.i18n import LocalText

# none: only the site's own days; public: the national holidays; all: with cuti bersama
NATIONAL_CHOICES: Final = ("none", "public", "all")


@cache
def national_days(year: int, choice: str, language: str = "id") -> dict[date, str]:
    """The national days off of `year` under `choice`, named in `language` (id, en_US)."""
    if choice == "none":
        return {}
    categories = ("public", "government") if choice == "all" else ("public",)
    found = calendars.country_holidays("ID", years=year, categories=categories, language=language)
    return dict(sorted(found.items()))


@dataclass(frozen=True, slots=True)
class Holidays:
    own: frozenset[date] = frozenset()
    national: str = "none"

    def __contains__(self, day: object) -> bool:
        if day in self.own:
            return True
        return isinstance(day, date) and day in national_days(day.year, self.national)

    def national_name(self, day: date) -> LocalText | None:
        """The national day off's name in both languages; None for any other day."""
        named = national_days(day.year, self.national).get(day)
        if named is None:
            return None
        return LocalText(named, national_days(day.year, self.national, "en_US").get(day, named))

    def of_year(self, year: int) -> list[tuple[date, str | None]]:
        """Every day off of `year` in order, with its national name (None: the site's own)."""
        days: dict[date, str | None] = dict(national_days(year, self.national))
        for day in self.own:
            if day.year == year:
                days.setdefault(day, None)
        return sorted(days.items())
