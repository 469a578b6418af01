"""The citizen's booking pages: services that take appointments, days and free slots, the
booking form, the booking's page (code and QR, never the phone), cancelling, refusals, and the
limits on strangers who book or guess codes in bulk; also in a real Chromium on a phone."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import httpx
import pytest

from shared.clock import ManualClock
from shared.domain.appointments import BookingState
from shared.engine import QueueEngine
from tests.conftest import JAKARTA
from tests.web.conftest import caught_up, start_server
from tests.web.server import LiveServer

TUESDAY = date(2026, 12, 1)

_phones = itertools.count(1)


def phone() -> str:
    """A phone number no other booking of the test holds (one a day per phone and service)."""
    return f"0813{next(_phones):08d}"


SCREENS = Path(__file__).resolve().parents[2] / "docs" / "screens"


@pytest.fixture
def booking_server(db_url: str, clock: ManualClock, public_site: Path) -> Iterator[LiveServer]:
    text = public_site.read_text()
    for service in ("KTP", "PKB"):
        text = text.replace(
            f'code = "{service}"\n',
            f'code = "{service}"\nappointments = {{ slot_minutes = 30, per_slot = 2 }}\n',
            1,
        )
    public_site.write_text(text)
    live = start_server(db_url, clock, public_site, requests_per_second=1000, burst=1000)
    yield live
    live.stop()


@pytest.fixture
def staff_engine(db_url: str, clock: ManualClock, booking_server) -> Iterator[QueueEngine]:
    with QueueEngine.open(db_url, clock=clock, actor="test") as queue:
        yield queue


def form(server: LiveServer, path: str) -> tuple[httpx.Client, str, str]:
    """A citizen's browser on a form page: the client, its form token, the page."""
    caught_up(server)
    browser = httpx.Client(base_url=server.url, timeout=10, follow_redirects=False)
    page = browser.get(path)
    assert page.status_code == 200, page.text
    token = re.search(r'name="form" value="([^"]+)"', page.text)
    assert token is not None
    return browser, token.group(1), page.text


def booking_form(**changes: str) -> dict[str, str]:
    base = {"day": TUESDAY.isoformat(), "time": "10:00", "name": "Sari Dewi"}
    return base | {"phone": "0812 3456 7890"} | changes


def test_only_services_taking_appointments_are_offered_with_their_days_and_slots(
    booking_server,
):
    caught_up(booking_server)
    browser = httpx.Client(base_url=booking_server.url, timeout=10)
    listing = browser.get("/booking").text
    assert "/booking/KTP" in listing and "/booking/PKB" in listing
    assert "/booking/KK" not in listing
    page = browser.get("/booking/KTP")
    assert "Persyaratan" in page.text  # the service's standard, as on the kiosk
    assert "30-11-2026" in page.text  # today (Monday 09:00): its later slots
    assert 'value="08:30"' not in page.text and 'value="09:30"' in page.text
    tuesday = browser.get(f"/booking/KTP?day={TUESDAY}")
    assert 'value="08:00"' in tuesday.text and "2 tempat" in tuesday.text
    assert browser.get("/booking/KK").status_code == 404
    assert browser.get("/booking/NOPE").status_code == 404


def test_a_citizen_books_gets_a_code_and_qr_and_never_sees_the_phone_again(
    booking_server, staff_engine
):
    browser, token, _page = form(booking_server, f"/booking/KTP?day={TUESDAY}")
    sent = browser.post("/booking/KTP", data=booking_form(form=token))
    assert sent.status_code == 303
    page = browser.get(sent.headers["location"])
    (booking,) = staff_engine.bookings(TUESDAY, with_phone=True)
    assert booking.phone == "0812 3456 7890" and booking.name == "Sari Dewi"
    assert booking.shown_code in page.text and "<svg" in page.text
    assert "Janji Anda tercatat" in page.text and "09:30" in page.text and "10:15" in page.text
    assert "0812" not in page.text and "3456" not in page.text
    looked_up = browser.get("/booking/cek", params={"kode": booking.code.lower()})
    assert looked_up.headers["location"] == f"/booking/kode/{booking.shown_code}"


def test_a_full_slot_a_bad_phone_and_a_forged_form_are_refused_and_book_nothing(
    booking_server, staff_engine
):
    staff_engine.book("KTP", TUESDAY, time(10), "A", phone())
    staff_engine.book("KTP", TUESDAY, time(10), "B", phone())
    browser, token, _page = form(booking_server, f"/booking/KTP?day={TUESDAY}")
    full = browser.post("/booking/KTP", data=booking_form(form=token))
    assert full.status_code == 409 and "sudah penuh" in full.text
    bad_phone = browser.post("/booking/KTP", data=booking_form(form=token, time="10:30", phone="x"))
    assert bad_phone.status_code == 409 and "Nomor telepon tidak sah" in bad_phone.text
    no_time = browser.post("/booking/KTP", data=booking_form(form=token, time="pagi"))
    assert no_time.status_code == 400
    forged = httpx.post(
        booking_server.url + "/booking/KTP", data=booking_form(form="x", time="10:30"), timeout=10
    )
    assert forged.status_code == 403
    assert len(staff_engine.bookings(TUESDAY)) == 2


def test_a_citizen_cancels_from_the_booking_page_and_the_place_is_free_again(
    booking_server, staff_engine
):
    made = staff_engine.book("KTP", TUESDAY, time(10), "Sari", phone())
    browser, token, page = form(booking_server, f"/booking/kode/{made.shown_code}")
    assert "Batalkan janji" in page
    done = browser.post(f"/booking/kode/{made.shown_code}/batal", data={"form": token})
    assert done.status_code == 303
    after = browser.get(done.headers["location"])
    assert "Janji sudah dibatalkan" in after.text and "<svg" not in after.text
    assert staff_engine.bookings(TUESDAY)[0].state == BookingState.CANCELLED
    assert staff_engine.booking_slots("KTP", TUESDAY)[4].free == 2
    again = browser.post(f"/booking/kode/{made.shown_code}/batal", data={"form": token})
    assert again.status_code == 409 and "tidak dapat dibatalkan" in again.text


def test_an_address_guessing_codes_or_booking_in_bulk_is_stopped(booking_server, staff_engine):
    browser = httpx.Client(base_url=booking_server.url, timeout=10)
    guesses = [f"ABCD-{a}{b}{c}{d}" for a in "EFG" for b in "HJ" for c in "KMN" for d in "PQ"]
    for guess in guesses[:30]:
        assert browser.get(f"/booking/kode/{guess}").status_code == 404
    made = staff_engine.book("KTP", TUESDAY, time(11), "Sari", phone())
    refused = browser.get(f"/booking/kode/{made.shown_code}")  # even a real code, for now
    assert refused.status_code == 429 and "Terlalu banyak" in refused.text
    booker, token, _page = form(booking_server, f"/booking/KTP?day={TUESDAY}")
    slots = [f"{h:02d}:{m:02d}" for h in range(8, 15) for m in (0, 30)]
    answers = [
        booker.post("/booking/KTP", data=booking_form(form=token, time=slot, phone=phone()))
        for slot in slots[:11]
    ]
    assert [answer.status_code for answer in answers] == [303] * 10 + [429]
    assert "Sudah banyak janji temu dibuat dari alamat Anda" in answers[-1].text
    assert 'value="Sari Dewi"' in answers[-1].text  # the form again, as it was filled in
    assert len(staff_engine.bookings(TUESDAY)) == 11  # ten from the web, one from staff


def test_a_phone_books_a_slot_in_chromium_and_shows_the_code_at_the_kiosk(
    phone, booking_server, staff_engine, clock
):
    caught_up(booking_server)
    phone.goto(booking_server.url + "/booking")
    phone.get_by_role("link", name=re.compile("KTP Elektronik")).click()
    phone.get_by_role("link", name=re.compile("Selasa.*01-12-2026")).click()
    phone.locator("label.slot", has_text="10:30").click()
    phone.get_by_label("Nama lengkap").fill("Sari Dewi")
    phone.get_by_label("Nomor telepon").fill("0812 3456 7890")
    SCREENS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SCREENS / "web-booking-form.png"), full_page=True)
    phone.get_by_role("button", name="Pesan janji").click()
    phone.get_by_text("Janji Anda tercatat").wait_for()
    (booking,) = staff_engine.bookings(TUESDAY)
    assert phone.locator("h1.reference").inner_text() == booking.shown_code
    assert phone.locator(".qr svg").is_visible()
    box = phone.locator(".qr svg").bounding_box()
    assert box is not None and box["width"] >= 200 and box["x"] + box["width"] <= 360
    phone.screenshot(path=str(SCREENS / "web-booking.png"), full_page=True)


def staff_in(server: LiveServer, username: str, password: str) -> tuple[httpx.Client, str]:
    """A console browser logged in: the client and its session's CSRF token."""
    caught_up(server)
    browser = httpx.Client(base_url=server.url, timeout=10, follow_redirects=False)
    login = browser.get("/staff/login")
    token = re.search(r'name="csrf" value="([^"]+)"', login.text)
    assert token is not None
    data = {"csrf": token.group(1), "username": username, "password": password}
    assert browser.post("/staff/login", data=data).status_code == 303
    page = browser.get("/staff/bookings")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert page.status_code == 200 and csrf is not None
    return browser, csrf.group(1)


def test_staff_book_for_a_caller_see_the_day_with_phones_and_cancel(booking_server, staff_engine):
    staff_engine.add_user("super1", "rahasia-super", role="supervisor")
    staff_engine.book("KTP", TUESDAY, time(9), "Budi", "081199998888")
    browser, csrf = staff_in(booking_server, "super1", "rahasia-super")
    made = browser.post(
        f"/staff/bookings?day={TUESDAY}",
        data=booking_form(csrf=csrf, service="PKB", time="10:00") | {"form": ""},
    )
    assert made.status_code == 303
    page = browser.get(made.headers["location"])
    pkb = next(b for b in staff_engine.bookings(TUESDAY) if b.service == "PKB")
    assert f"kode {pkb.shown_code}" in page.text
    assert "081199998888" in page.text and "Budi" in page.text  # staff see the phone
    assert "1 terjadwal" in page.text
    full = browser.post(
        f"/staff/bookings?day={TUESDAY}",
        data=booking_form(csrf=csrf, service="PKB", time="10:07"),
    )
    assert full.status_code == 409 and "bukan awal slot" in full.text
    cancelled = browser.post("/staff/bookings/cancel", data={"csrf": csrf, "code": pkb.code})
    assert cancelled.status_code == 303
    assert {b.service: b.state for b in staff_engine.bookings(TUESDAY)}["PKB"] == (
        BookingState.CANCELLED
    )
    forged = browser.post("/staff/bookings/cancel", data={"csrf": "x", "code": pkb.code})
    assert forged.status_code == 403


def test_an_agency_supervisor_sees_and_changes_only_their_agencys_bookings(
    booking_server, staff_engine
):
    staff_engine.add_user(
        "dukcapil1", "rahasia-duk", role="agency_supervisor", agencies=["DUKCAPIL"]
    )
    samsat = staff_engine.book("PKB", TUESDAY, time(9), "Rina", "081277776666")
    browser, csrf = staff_in(booking_server, "dukcapil1", "rahasia-duk")
    page = browser.get(f"/staff/bookings?day={TUESDAY}")
    assert "Rina" not in page.text and "081277776666" not in page.text
    assert 'value="PKB"' not in page.text
    edited = browser.post("/staff/bookings/cancel", data={"csrf": csrf, "code": samsat.code})
    assert edited.status_code == 404
    other = browser.post(
        f"/staff/bookings?day={TUESDAY}", data=booking_form(csrf=csrf, service="PKB")
    )
    assert other.status_code == 404
    assert [b.state for b in staff_engine.bookings(TUESDAY)] == [BookingState.BOOKED]


def test_a_supervisor_books_for_a_caller_in_chromium_at_a_counter_pc(
    browser, booking_server, staff_engine
):
    staff_engine.add_user("super1", "rahasia-super", role="supervisor")
    staff_engine.book("KTP", TUESDAY, time(9), "Budi Santoso", "081199998888")
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(booking_server.url + "/staff/login")
    page.fill("#username", "super1")
    page.fill("#password", "rahasia-super")
    page.click("button[type=submit]")
    page.wait_for_selector("table.monitor")
    page.get_by_role("link", name="Janji temu").click()
    page.fill("input[name=day]", TUESDAY.isoformat())
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_selector("text=Budi Santoso")
    form = page.locator("form.stack")
    form.locator("select[name=service]").select_option("KTP")
    form.locator("input[name=time]").fill("10:30")
    form.locator("input[name=name]").fill("Sari Dewi")
    form.locator("input[name=phone]").fill("0812 3456 7890")
    form.get_by_role("button", name="Pesan janji").click()
    page.wait_for_selector("text=Janji dibuat dengan kode")
    assert page.locator("table.bookings tbody tr").count() == 2
    page.screenshot(path=str(SCREENS / "console-bookings.png"), full_page=True)
    context.close()


def test_the_report_counts_what_became_of_the_periods_bookings_within_what_staff_may_see(
    booking_server, staff_engine, clock
):
    staff_engine.add_user("super1", "rahasia-super", role="supervisor")
    staff_engine.add_user(
        "dukcapil1", "rahasia-duk", role="agency_supervisor", agencies=["DUKCAPIL"]
    )
    came = staff_engine.book("KTP", TUESDAY, time(9), "A", phone())
    staff_engine.book("KTP", TUESDAY, time(9), "B", phone())  # will not come
    staff_engine.cancel_booking(staff_engine.book("KTP", TUESDAY, time(10), "C", phone()).code)
    staff_engine.book("PKB", TUESDAY, time(9), "D", phone())
    clock.set(datetime(2026, 12, 1, 9, 5, tzinfo=JAKARTA))
    staff_engine.check_in(came.code)
    clock.set(datetime(2026, 12, 1, 12, 0, tzinfo=JAKARTA))  # the 09:00 windows have ended
    period = "?from=2026-12-01&to=2026-12-01"
    browser, _csrf = staff_in(booking_server, "super1", "rahasia-super")
    page = browser.get("/staff/reports" + period).text
    ktp = re.search(r"<tr><td>KTP Elektronik</td>((?:<td>[^<]*</td>)+)</tr>", page)
    assert ktp is not None
    assert re.findall(r"<td>([^<]*)</td>", ktp.group(1)) == ["3", "0", "1", "1", "1", "50,0"]
    assert "Pajak Kendaraan Tahunan</td><td>1<" in page
    duk, _csrf = staff_in(booking_server, "dukcapil1", "rahasia-duk")
    assert "Pajak Kendaraan Tahunan</td><td>" not in duk.get("/staff/reports" + period).text
