"""National holidays and cuti bersama close a site that observes them, on both databases: no
ticket, no booking, no working day for a complaint's deadline, and the next opening after them."""

from __future__ import annotations

import json
from datetime import date, datetime, time

import pytest

from shared.clock import ManualClock
from shared.engine import QueueEngine
from shared.engine.complaints import NewComplaint
from shared.errors import ServiceError, UserError
from shared.site_config import parse_site
from tests.conftest import JAKARTA
from tests.integration.helpers import antrian_at
from tests.integration.test_appointments import BOOKED_KTP

CUTI_NATAL = date(2026, 12, 24)  # a Thursday; Friday the 25th is Christmas (and the site's own)


def site_text(national: str) -> str:
    return BOOKED_KTP.replace("[site]\n", f'[site]\nnational_holidays = "{national}"\n', 1)


@pytest.fixture
def closed_on_national_days(db_url: str):
    clock = ManualClock(datetime(2026, 12, 23, 9, 0, tzinfo=JAKARTA))
    with QueueEngine.open(db_url, clock=clock, actor="test") as engine:
        engine.load_site(parse_site(site_text("all")))
        yield engine, clock


def test_on_cuti_bersama_no_ticket_is_issued_and_the_next_opening_is_after_christmas(
    closed_on_national_days,
) -> None:
    engine, clock = closed_on_national_days
    with pytest.raises(UserError) as refused:
        engine.book("KTP", CUTI_NATAL, time(10, 0), "Sari", "081234567890")
    assert refused.value.key == "booking_closed_day"
    clock.set(datetime.combine(CUTI_NATAL, time(9, 0), tzinfo=JAKARTA))
    with pytest.raises(ServiceError) as closed:
        engine.issue_ticket("KTP")
    assert closed.value.key == "service_closed_until"
    [ktp] = [s for a in engine.catalogue().agencies for s in a.services if s.code == "KTP"]
    assert ktp.next_open == datetime(2026, 12, 26, 8, 0, tzinfo=JAKARTA)  # Saturday hours


def test_a_complaints_deadline_skips_the_national_days_off(closed_on_national_days) -> None:
    engine, _clock = closed_on_national_days
    complaint = engine.file_complaint(NewComplaint("DUKCAPIL", "complaint", "web", "Lama"))
    # received Wednesday the 23rd: the 24th, the 25th and the weekend do not count
    assert complaint.response_due == date(2026, 12, 30)


def test_a_site_that_observes_none_stays_open_on_them(db_url: str) -> None:
    clock = ManualClock(datetime.combine(CUTI_NATAL, time(9, 0), tzinfo=JAKARTA))
    with QueueEngine.open(db_url, clock=clock, actor="test") as engine:
        engine.load_site(parse_site(site_text("none")))
        assert engine.issue_ticket("KTP").number == "A001"


def test_site_holidays_lists_the_years_days_off_with_their_names(closed_on_national_days, db_url):
    listed = antrian_at(None, db_url, "site", "holidays", "--year", "2026", "--json")
    assert listed.returncode == 0, listed.stderr
    december = [d for d in json.loads(listed.stdout) if d["date"].startswith("2026-12")]
    assert december == [
        {"date": "2026-12-24", "name": "Cuti Bersama Hari Raya Natal", "national": True},
        {"date": "2026-12-25", "name": "Hari Raya Natal", "national": True},
    ]
    refused = antrian_at(None, db_url, "site", "holidays", "--year", "99999")
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
