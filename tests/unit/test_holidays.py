"""A site's days off: its own, and Indonesia's national holidays and cuti bersama as it chooses."""

from __future__ import annotations

from datetime import date

from shared.domain.holidays import Holidays

CHRISTMAS, CUTI_NATAL = date(2026, 12, 25), date(2026, 12, 24)
ANNIVERSARY = date(2026, 8, 15)  # a regency's own day off, a Saturday in 2026


def test_the_national_days_off_follow_the_sites_choice_and_its_own_days_always_count():
    none, public, every = (Holidays(frozenset({ANNIVERSARY}), c) for c in ("none", "public", "all"))
    assert CHRISTMAS not in none and CHRISTMAS in public and CHRISTMAS in every
    assert CUTI_NATAL not in public and CUTI_NATAL in every  # cuti bersama only with "all"
    assert all(ANNIVERSARY in days for days in (none, public, every))
    assert date(2026, 12, 23) not in every and "2026-12-25" not in every


def test_a_years_days_off_are_listed_in_order_with_their_national_names():
    days = Holidays(frozenset({CHRISTMAS, date(2026, 12, 31), date(2027, 1, 4)}), "all")
    december = [(day, name) for day, name in days.of_year(2026) if day.month == 12]
    assert december == [
        (CUTI_NATAL, "Cuti Bersama Hari Raya Natal"),
        (CHRISTMAS, "Hari Raya Natal"),  # also one of the site's own: named as the nation's
        (date(2026, 12, 31), None),
    ]
    assert (date(2027, 8, 17), "Hari Kemerdekaan Republik Indonesia") in days.of_year(2027)
