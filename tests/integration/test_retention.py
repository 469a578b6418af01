"""Citizens' personal data kept no longer than the site's `personal_data_days`: erased by the
first write of a business day, on both databases, while the records stay."""

from __future__ import annotations

from datetime import datetime, time

import pytest
from sqlalchemy import select

from shared.clock import ManualClock
from shared.domain.appointments import BookingState
from shared.domain.complaints import Status
from shared.domain.throttle import FREE_ATTEMPTS
from shared.engine import QueueEngine
from shared.engine.complaints import NewComplaint
from shared.errors import AuthError, ConfigFileError
from shared.site_config import parse_site
from shared.store.tables import login_failures
from tests.conftest import JAKARTA
from tests.integration.test_appointments import BOOKED_KTP, TUESDAY

KEPT_30_DAYS = BOOKED_KTP.replace("[site]\n", "[site]\npersonal_data_days = 30\n", 1)


@pytest.fixture
def site_engine(db_url: str, clock: ManualClock):
    with QueueEngine.open(db_url, clock=clock, actor="test") as engine:
        engine.load_site(parse_site(KEPT_30_DAYS))
        yield engine


def morning(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 7, 0, tzinfo=JAKARTA)


def test_a_bookings_name_and_phone_are_erased_once_its_day_is_the_sites_days_old(
    site_engine: QueueEngine, clock: ManualClock
) -> None:
    site_engine.book("KTP", TUESDAY, time(10, 0), "Sari", "0812-3456-7890")
    later = site_engine.book("KTP", TUESDAY.replace(day=8), time(9, 0), "Budi", "0812-1111-2222")
    clock.set(morning(2026, 12, 31))  # Tuesday 1 December is 30 days old: kept
    site_engine.close_day()
    [kept] = site_engine.bookings(TUESDAY, with_phone=True)
    assert (kept.name, kept.phone) == ("Sari", "0812-3456-7890")

    clock.set(morning(2027, 1, 2))  # 32 days: the first write of the day erases it
    site_engine.close_day()
    [erased] = site_engine.bookings(TUESDAY, with_phone=True)
    assert (erased.name, erased.phone) == ("", "")
    assert erased.code == kept.code and erased.state == BookingState.NO_SHOW  # the record stays
    [newer] = site_engine.bookings(later.day, with_phone=True)  # 25 days old
    assert (newer.name, newer.phone) == ("Budi", "0812-1111-2222")


def test_a_closed_complaints_contact_is_erased_after_the_sites_days_and_an_open_ones_kept(
    site_engine: QueueEngine, clock: ManualClock
) -> None:
    def filed(text: str) -> str:
        new = NewComplaint("DUKCAPIL", "complaint", "web", text, contact="sari@example.id")
        return site_engine.file_complaint(new).reference

    closed, still_open = filed("Antrian lama"), filed("AC mati")
    for step in (Status.VERIFIED, Status.ANSWERED, Status.DONE):
        site_engine.move_complaint(closed, step, "Sudah ditangani")
    clock.advance(days=30, hours=1)  # closed 30 days and an hour ago
    site_engine.close_day()

    def contact(reference: str) -> str | None:
        [complaint] = site_engine.complaints(reference=reference, with_contact=True)
        return complaint.contact

    assert contact(closed) is None
    assert contact(still_open) == "sari@example.id"  # still needed to answer it
    [complaint] = site_engine.complaints(reference=closed)
    assert complaint.text == "Antrian lama" and complaint.status == Status.DONE


@pytest.mark.parametrize("days", ["0", "3651", '"90"'])
def test_a_retention_that_is_no_number_of_days_is_refused(days: str) -> None:
    site_file = BOOKED_KTP.replace("[site]\n", f"[site]\npersonal_data_days = {days}\n", 1)
    with pytest.raises(ConfigFileError) as refused:
        parse_site(site_file)
    assert "personal_data_days" in refused.value.line()


def test_wrong_logins_names_and_addresses_are_forgotten_a_day_after_the_last_try(
    site_engine: QueueEngine, clock: ManualClock
) -> None:
    site_engine.add_user("sari", "rahasia123")

    def wrong(name: str, address: str) -> None:
        with pytest.raises(AuthError) as refused:
            site_engine.login(name, "salah", place=address)
        assert refused.value.key == "wrong_password"

    def kept() -> set[tuple[str, str]]:
        with site_engine.db.engine.connect() as conn:
            return {(row.scope, row.key) for row in conn.execute(select(login_failures))}

    wrong("sari", "10.0.0.7")  # Monday 09:00
    wrong("admin' --", "203.0.113.9")
    clock.set(datetime(2026, 12, 1, 8, 0, tzinfo=JAKARTA))
    wrong("sari", "10.0.0.7")  # Tuesday's first write: Monday's tries are not a day old
    assert len(kept()) == 4
    clock.set(datetime(2026, 12, 2, 7, 30, tzinfo=JAKARTA))  # 23.5 hours on
    site_engine.close_day()
    assert kept() == {("account", "sari"), ("place", "10.0.0.7")}  # the stranger's are gone
    clock.set(datetime(2026, 12, 3, 10, 0, tzinfo=JAKARTA))
    site_engine.close_day()
    assert kept() == set()
    for _ in range(FREE_ATTEMPTS):  # and the count starts again
        wrong("sari", "10.0.0.7")
