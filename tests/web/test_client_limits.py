"""Whom the web's limits count against: an IPv6 subscriber by its /64 network (a phone or a
home takes a new address in it at will), an IPv4 address mapped into IPv6 as itself, and a
shared address (the MPP's Wi-Fi) with its scale, for the request rate, the logins, the
bookings and the complaints alike. Clients are told apart as behind the site's reverse proxy,
by the `X-Forwarded-For` it sets (uvicorn trusts it from 127.0.0.1)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from shared.clock import ManualClock
from tests.web.conftest import caught_up, start_server
from tests.web.server import LiveServer
from web.complaint_pages import COMPLAINTS_PER_HOUR
from web.guard import address_key

SHARED = "203.0.113.7"  # the MPP's own public address, as named in --shared-ips
SHARED_V6 = "2001:db8:1:9::7"  # one address the Wi-Fi's IPv6 phones were seen at


def browser_at(server: LiveServer, address: str) -> httpx.Client:
    caught_up(server)
    return httpx.Client(
        base_url=server.url,
        timeout=10,
        follow_redirects=False,
        headers={"X-Forwarded-For": address},
    )


def form_token(page: httpx.Response, name: str = "form") -> str:
    match = re.search(rf'name="{name}" value="([^"]+)"', page.text)
    assert match, page.text
    return match.group(1)


@pytest.mark.parametrize(
    ("host", "key"),
    [
        ("198.51.100.4", "198.51.100.4"),
        ("::ffff:198.51.100.4", "198.51.100.4"),
        ("2001:db8:1:2:a:b:c:d", "2001:db8:1:2::/64"),
        ("2001:db8:1:2::1", "2001:db8:1:2::/64"),
        ("2001:db8:1:3::1", "2001:db8:1:3::/64"),
        ("?", "?"),
    ],
)
def test_a_client_address_counts_as_its_ipv4_address_or_its_ipv6_slash_64(host, key):
    assert address_key(host) == key


@pytest.fixture
def tight_server(db_url: str, clock: ManualClock, public_site: Path) -> Iterator[LiveServer]:
    live = start_server(
        db_url,
        clock,
        public_site,
        requests_per_second=0.01,
        burst=COMPLAINTS_PER_HOUR * 3,
        shared=(SHARED, SHARED_V6),
        shared_scale=2,
    )
    yield live
    live.stop()


def test_the_addresses_of_one_ipv6_subscriber_share_one_request_rate(tight_server):
    burst = COMPLAINTS_PER_HOUR * 3
    answers = [
        browser_at(tight_server, f"2001:db8:1:2::{n:x}").get("/board").status_code
        for n in range(1, burst + 2)
    ]
    assert answers == [200] * burst + [429]
    assert browser_at(tight_server, "2001:db8:1:3::1").get("/board").status_code == 200
    mapped = [
        browser_at(tight_server, address).get("/board").status_code
        for address in ["198.51.100.4"] * burst + ["::ffff:198.51.100.4"]
    ]
    assert mapped == [200] * burst + [429]


def complain(browser: httpx.Client, text: str) -> httpx.Response:
    token = form_token(browser.get("/pengaduan"))
    return browser.post(
        "/pengaduan",
        data={"form": token, "agency": "DUKCAPIL", "category": "complaint", "text": text},
    )


def test_complaints_sent_in_bulk_from_one_subscriber_are_refused_with_the_text_kept(
    tight_server, engine, caplog
):
    sent = [
        complain(browser_at(tight_server, f"2001:db8:1:2::{n:x}"), f"Keluhan {n}").status_code
        for n in range(COMPLAINTS_PER_HOUR)
    ]
    refused = complain(browser_at(tight_server, "2001:db8:1:2::ff"), "Antrean tidak bergerak")
    assert sent == [303] * COMPLAINTS_PER_HOUR and refused.status_code == 429
    assert "Sudah banyak pengaduan dikirim dari alamat Anda" in refused.text
    assert "Antrean tidak bergerak" in refused.text  # in the form again, not lost
    other = complain(browser_at(tight_server, "2001:db8:1:3::1"), "Dari rumah lain")
    assert other.status_code == 303
    filed = {complaint.text for complaint in engine.complaints()}
    assert len(filed) == COMPLAINTS_PER_HOUR + 1 and "Antrean tidak bergerak" not in filed
    complain(browser_at(tight_server, "2001:db8:1:2::fe"), "Sekali lagi")  # told once only
    told = [r.getMessage() for r in caplog.records if r.name == "web"]
    assert told == [
        "2001:db8:1:2::/64 refused: over its complaints an hour limit (many phones behind "
        "this one address? name it in --shared-ips)"
    ]


@pytest.mark.parametrize(
    "phones",
    [[SHARED], [f"2001:db8:1:9::{n:x}" for n in range(1, 40)]],
    ids=["ipv4", "ipv6-its-slash-64"],
)
def test_the_mpps_shared_address_may_send_as_many_times_more_complaints_as_its_scale(
    tight_server, engine, phones
):
    wifi = [browser_at(tight_server, address) for address in phones]
    allowed = COMPLAINTS_PER_HOUR * 2
    sent = [complain(wifi[n % len(wifi)], f"Keluhan {n}").status_code for n in range(allowed)]
    assert sent == [303] * allowed
    assert complain(wifi[-1], "Satu lagi").status_code == 429
    assert len(engine.complaints()) == allowed


def test_wrong_passwords_from_new_addresses_of_one_subscriber_still_lock_its_logins(server, engine):
    engine.add_user("admin1", "rahasia-admin", role="admin")

    def log_in(address: str, username: str, password: str) -> httpx.Response:
        browser = browser_at(server, address)
        token = form_token(browser.get("/staff/login"), "csrf")
        return browser.post(
            "/staff/login", data={"csrf": token, "username": username, "password": password}
        )

    for n, guess in enumerate(["tebak1", "tebak2", "tebak3"], start=1):
        assert log_in(f"2001:db8:1:2::{n}", f"orang{n}", guess).status_code == 401
    locked = log_in("2001:db8:1:2::99", "admin1", "rahasia-admin")
    assert locked.status_code == 401 and "Terlalu banyak percobaan" in locked.text
    assert log_in("2001:db8:1:3::1", "admin1", "rahasia-admin").status_code == 303
