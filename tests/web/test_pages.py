"""The citizen pages over HTTP: what they show, what they hide, and how they refuse."""

from __future__ import annotations

import contextlib
import html
import json
import re
import socket
from datetime import datetime

import httpx
import pytest

from shared.cli.main import main
from shared.domain.complaints import Status
from shared.engine import QueueEngine
from shared.engine.survey import SurveyAnswer
from shared.errors import DatabaseUnavailable
from shared.i18n import wait_text
from shared.site_config import parse_site
from tests.conftest import JAKARTA, SMALL_SITE
from tests.web.conftest import PUBLIC, caught_up, start_server
from tests.web.server import LiveServer
from web.guard import Limits

HEADERS = ("content-security-policy", "x-content-type-options", "referrer-policy")


def get(server, path: str, **kwargs) -> httpx.Response:
    """The page, once the server's hub has read what is committed (it follows the change feed
    a moment after each commit, as a citizen's page does)."""
    caught_up(server)
    return httpx.get(server.url + path, timeout=10, **kwargs)


def path_of(url: str) -> str:
    return url.removeprefix(PUBLIC)


def test_an_issued_ticket_carries_the_url_of_its_page_under_the_public_address(engine):
    ticket = engine.issue_ticket("KTP")
    assert ticket.url == f"{PUBLIC}/t/{ticket.token}"


def test_the_ticket_page_shows_the_number_its_service_and_people_ahead(server, engine):
    engine.issue_ticket("KTP")
    ticket = engine.issue_ticket("KTP")
    page = get(server, path_of(ticket.url))
    assert page.status_code == 200
    assert "A002" in page.text and "KTP Elektronik" in page.text
    assert "1 orang di depan Anda" in page.text
    assert "Menunggu" in page.text


def test_the_ticket_page_reveals_no_internal_id_no_staff_and_no_other_ticket(server, engine):
    first = engine.issue_ticket("KTP")
    engine.add_user("sari", "rahasia123", display_name="Sari Wulandari")
    engine.call_next("L1", staff="sari")
    mine = engine.issue_ticket("KTP")
    text = get(server, path_of(first.url)).text + get(server, path_of(mine.url)).text
    assert "sari" not in text.lower() and "Wulandari" not in text
    assert mine.token not in get(server, path_of(first.url)).text
    assert not re.search(rf"/{first.id}(?![A-Za-z0-9_-])", text) and first.token != mine.token


def test_a_ticket_page_is_light_enough_for_a_weak_phone_connection(server, engine):
    ticket = engine.issue_ticket("KTP")
    page = get(server, path_of(ticket.url))
    assets = set(re.findall(r'(?:src|href)="(/static/[^"?]+)', page.text))
    assert {"/static/style.css", "/static/live.js", "/static/ticket.js"} <= assets
    total = len(page.content) + sum(len(get(server, asset).content) for asset in assets)
    assert total < 50_000


@pytest.mark.parametrize("token", ["x" * 22, "short", "A001", "1", "../../etc/passwd", "%2e%2e"])
def test_an_unknown_or_malformed_token_gets_a_plain_indonesian_404(server, engine, token):
    engine.issue_ticket("KTP")
    page = get(server, f"/t/{token}")
    assert page.status_code == 404
    assert "Halaman tidak ditemukan" in page.text
    assert "Traceback" not in page.text and "starlette" not in page.text.lower()


@pytest.mark.parametrize(
    "path", ["/t/" + "x" * 22, "/tidak-ada", "/t/%00", "/booking/cek?kode=%0a"]
)
def test_a_refusal_page_names_the_site_in_its_header_and_title_as_every_page_does(
    server, engine, path
):
    page = get(server, path)
    assert page.status_code in (400, 404)
    assert '<a class="site" href="/">MPP Uji</a>' in page.text
    assert re.search(r"<title>[^<]+ · MPP Uji</title>", page.text)


def test_a_site_file_loaded_while_the_server_runs_shows_on_the_next_page(
    server, engine, public_site
):
    assert "MPP Uji" in get(server, "/").text
    text = public_site.read_text(encoding="utf-8")
    engine.load_site(parse_site(text.replace('name = "MPP Uji"', 'name = "MPP Baru"')))
    page = get(server, "/")
    assert "MPP Baru" in page.text and "MPP Uji" not in page.text


def test_before_the_database_is_first_reached_the_503_page_still_links_home_by_name():
    def unreachable() -> QueueEngine:
        raise DatabaseUnavailable()

    live = LiveServer(unreachable, Limits()).start(reached=False)
    try:
        page = httpx.get(live.url + "/", timeout=10)
    finally:
        live.stop()
    assert page.status_code == 503 and page.headers["retry-after"] == "5"
    assert '<a class="site" href="/">Daftar layanan</a>' in page.text


@pytest.mark.parametrize(
    "path", ["/t/%00", "/?lang=id%00", "/booking/cek?kode=AB%0aCD", "/pengaduan/cek?kode=%1b[2J"]
)
def test_a_url_with_a_control_character_is_a_plain_400(server, engine, path):
    answer = get(server, path)
    assert answer.status_code == 400 and "Permintaan tidak sah" in answer.text
    assert "content-security-policy" in answer.headers


def test_every_response_has_the_security_headers_and_no_server_banner(server, engine):
    for path in ("/", "/board", "/t/nope", "/static/style.css"):
        response = get(server, path)
        for header in HEADERS:
            assert header in response.headers, (path, header)
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "server" not in response.headers
        assert "uvicorn" not in response.text.lower()


def test_the_catalogue_publishes_each_services_standard_hours_and_queue(server, engine):
    for _ in range(3):
        engine.issue_ticket("KTP")
    page = get(server, "/")
    assert page.status_code == 200
    text = page.text
    assert "KTP Elektronik" in text and "Persyaratan" in text
    assert "Biaya / tarif" in text and "Jangka waktu penyelesaian" in text
    cards = {card.split("</h3>")[0]: card for card in text.split("<h3>")[1:]}
    # the people a ticket taken now has ahead, as its paper will say: KK's counters (L1, L3)
    # call two of the KTP tickets first, though no one waits for KK itself
    assert "3 orang di depan · tunggu" in cards["KTP Elektronik"]
    assert "2 orang di depan · tunggu" in cards["Kartu Keluarga"]
    assert "Hari ini libur" not in text


def test_the_catalogue_says_the_usual_hours_once_and_on_a_service_only_where_they_differ(
    server, engine
):
    cards = get(server, "/").text.split('<article class="card service-card">')
    usual = "Senin–Kamis 08:00–16:00 (nomor s.d. 15:00); Jumat 08:00–16:30 (nomor s.d. 15:30)"
    morning = "Senin–Jumat 08:00–12:00 (nomor s.d. 11:00)"  # Samsat's PKB
    assert "Jam layanan (kecuali tertulis lain pada layanannya):</strong> " + usual in cards[0]
    assert [morning in card for card in cards[1:]] == [False, False, False, True]
    assert sum("Senin–Kamis" in card for card in cards[1:]) == 0  # not repeated on each


def test_on_a_holiday_the_catalogue_says_which_one(db_url, clock, tmp_path):
    site = tmp_path / "site.toml"
    national = '[site]\nnational_holidays = "all"\n'
    site.write_text(SMALL_SITE.read_text(encoding="utf-8").replace("[site]\n", national, 1))
    clock.set(datetime(2026, 12, 24, 9, 0, tzinfo=JAKARTA))
    live = start_server(db_url, clock, site, requests_per_second=1000, burst=1000)
    try:
        said = "Hari ini libur: Cuti Bersama Hari Raya Natal. Layanan tutup."
        page = get(live, "/").text
        assert said in page
        assert "orang di depan" not in page and "tunggu" not in page  # no ticket to take
        assert "A day off today: Christmas Joint Holiday." in get(live, "/?lang=en").text
    finally:
        live.stop()


def test_english_is_one_tap_away_and_remembered(server, engine):
    ticket = engine.issue_ticket("KTP")
    english = get(server, path_of(ticket.url) + "?lang=en")
    assert "You are next" in english.text and "Your ticket number" in english.text
    remembered = get(server, "/", cookies={"lang": english.cookies["lang"]})
    assert "Services and their standards" in remembered.text


def test_a_standard_published_only_in_indonesian_says_so_in_english(server, engine):
    english = get(server, "/?lang=en").text  # the small site's services have Indonesian texts
    assert "published in Bahasa Indonesia only" in english
    assert "Copy of the family card" in english  # what was translated is shown translated
    assert "Bahasa Indonesia only" not in get(server, "/?lang=id").text


def test_the_board_of_an_unknown_zone_is_not_found(server, engine):
    assert get(server, "/board").status_code == 200
    assert get(server, "/board?zone=NOSUCH").status_code == 404


def test_the_board_says_per_service_the_wait_for_a_number_taken_now(server, engine):
    for _ in range(3):  # S1 alone serves PKB, 10 minutes each: a fourth waits about 30
        engine.issue_ticket("PKB")
    shown = wait_text(engine.catalogue().service("PKB").wait, "id")
    assert "menit" in shown
    page = html.unescape(get(server, "/board").text)
    row = re.search(r"<li><span>Pajak Kendaraan Tahunan(.*?)</li>", page, re.S)
    assert row and f'<small class="board-wait">{shown}</small>' in row.group(1)
    assert "<strong>3</strong>" in row.group(1)
    assert "perkiraan tunggu bagi yang mengambil nomor sekarang" in page


def test_a_finished_ticket_keeps_its_final_state_for_the_rest_of_the_day(server, engine, clock):
    ticket = engine.issue_ticket("KTP")
    engine.call_next("L1")
    engine.finish("L1")
    clock.advance(hours=5)
    page = get(server, path_of(ticket.url))
    assert "Selesai" in page.text and "Terima kasih" in page.text
    status = page.text.split('id="status"')[1].split("</section>")[0]
    assert status.count("Selesai") == 1  # said once, not as the state and again as a headline


def test_a_parked_tickets_page_says_where_to_go_back_and_stays_live_until_called_again(
    server, engine
):
    ticket = engine.issue_ticket("KTP")
    engine.call_next("L1")
    engine.park("L1")
    page = get(server, path_of(ticket.url))
    assert '<span data-field="state_label">Ditunda</span>' in page.text
    assert (
        "Layanan Anda ditunda di Loket 1. Bila sudah siap, kembali ke loket itu: nomor Anda "
        "akan dipanggil lagi." in page.text
    )
    assert "data-stream=" in page.text  # the page follows the ticket: its call will come
    engine.call_specific("L1", ticket.number)
    assert "Giliran Anda" in get(server, path_of(ticket.url)).text


def test_a_ticket_sent_to_a_colleagues_counter_says_which_counter_will_call_it(server, engine):
    ticket = engine.issue_ticket("KTP")
    engine.call_next("L1")
    engine.transfer_to_counter("L1", "L3")
    page = html.unescape(get(server, path_of(ticket.url)).text)
    assert '<span data-field="state_label">Menunggu</span>' in page
    assert "Anda akan dipanggil ke Loket 3" in page
    assert '<p class="transferred" data-field="transferred">Dialihkan ke Loket 3</p>' in page
    engine.call_next("L3")
    assert "Silakan menuju Loket 3" in html.unescape(get(server, path_of(ticket.url)).text)


def test_a_ticket_sent_to_a_counter_that_closes_no_longer_promises_that_counter(server, engine):
    ticket = engine.issue_ticket("KTP")
    engine.call_next("L1")
    engine.transfer_to_counter("L1", "L3")
    engine.close_counter("L3")  # its staff went home: any KTP counter calls the number now
    page = html.unescape(get(server, path_of(ticket.url)).text)
    assert "Anda akan dipanggil ke Loket 3" not in page
    assert "Dialihkan ke Loket 3" in page  # what happened to it stays told


def test_a_ticket_of_an_earlier_day_says_so_plainly(server, engine, clock):
    ticket = engine.issue_ticket("KTP")
    clock.advance(days=1)
    engine.close_day()
    page = get(server, path_of(ticket.url))
    assert page.status_code == 200
    assert "bukan hari ini" in page.text and "Kedaluwarsa" in page.text


def test_the_ticket_stream_sends_the_current_state_then_each_change(server, engine):
    ticket = engine.issue_ticket("KTP")
    seen: list[dict] = []
    with httpx.stream("GET", server.url + path_of(ticket.url) + "/live", timeout=10) as stream:
        lines = stream.iter_lines()
        for line in lines:
            if line.startswith("data:"):
                seen.append(json.loads(line[5:]))
                if len(seen) == 1:
                    engine.call_next("L1")
                else:
                    break
    assert seen[0]["state"] == "waiting" and seen[1]["state"] == "called"
    assert seen[1]["detail"] == "Silakan menuju Loket 1" and seen[1]["called"] is True


def test_a_client_over_its_request_rate_is_refused_plainly(db_url, clock, public_site):
    server = start_server(db_url, clock, public_site, requests_per_second=0.01, burst=5)
    try:
        codes = [get(server, "/board").status_code for _ in range(8)]
        refused = get(server, "/board")
    finally:
        server.stop()
    assert codes[:5] == [200] * 5 and set(codes[5:]) == {429}
    assert "Terlalu banyak permintaan" in refused.text


def test_a_client_cannot_hold_more_live_streams_than_its_limit(db_url, clock, public_site):
    server = start_server(db_url, clock, public_site, requests_per_second=100, burst=100, streams=2)
    try:
        with (
            httpx.stream("GET", server.url + "/board/live", timeout=10) as one,
            httpx.stream("GET", server.url + "/board/live", timeout=10) as two,
        ):
            assert one.status_code == two.status_code == 200
            assert get(server, "/board/live").status_code == 429
    finally:
        server.stop()


def test_an_address_named_shared_may_keep_more_live_pages_open_than_others(
    db_url, clock, public_site, caplog
):
    # a waiting room on the MPP's Wi-Fi comes from one public address
    server = start_server(
        db_url, clock, public_site, burst=100, streams=1, shared=("127.0.0.2/32",), shared_scale=3
    )
    wifi = httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"), timeout=10)
    try:
        with contextlib.ExitStack() as open_pages:
            for _ in range(3):
                page = open_pages.enter_context(wifi.stream("GET", server.url + "/board/live"))
                assert page.status_code == 200
            assert wifi.get(server.url + "/board/live").status_code == 429
            with httpx.stream("GET", server.url + "/board/live", timeout=10) as one:
                assert one.status_code == 200
                assert get(server, "/board/live").status_code == 429
                assert get(server, "/board/live").status_code == 429
    finally:
        wifi.close()
        server.stop()
    # the operator learns of it, once per address and limit, in the server's log
    told = [r.getMessage() for r in caplog.records if r.name == "web"]
    assert [m.split(" refused")[0] for m in told] == ["127.0.0.2", "127.0.0.1"]
    assert all("over its streams limit" in m and "--shared-ips" in m for m in told)


def connect(server) -> socket.socket:
    host, port = server.url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=10)


def closed_by_server(conn: socket.socket, within: float) -> bool:
    """Whether the server closes `conn` within `within` seconds (what it sent before is read)."""
    conn.settimeout(within)
    try:
        while conn.recv(4096):
            pass
    except TimeoutError:
        return False
    return True


def test_a_connection_whose_request_head_is_late_is_closed_and_a_live_page_is_not(
    db_url, clock, public_site
):
    server = start_server(db_url, clock, public_site, head_seconds=1.0)
    try:
        silent, partial, live = connect(server), connect(server), connect(server)
        partial.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
        live.sendall(b"GET /board/live HTTP/1.1\r\nHost: x\r\n\r\n")
        assert closed_by_server(silent, 5) and closed_by_server(partial, 5)
        assert not closed_by_server(live, 2)  # well past the head's deadline
        assert get(server, "/").status_code == 200  # and the server still serves
    finally:
        server.stop()


def test_a_body_still_arriving_past_its_deadline_is_refused_and_logs_nobody_in(
    db_url, clock, public_site
):
    server = start_server(db_url, clock, public_site, body_seconds=1.0)
    try:
        conn = connect(server)
        conn.sendall(
            b"POST /staff/login HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n\r\nusername=adm"
        )
        answer = b""
        while b"</html>" not in answer and (chunk := conn.recv(4096)):
            answer += chunk
        assert answer.startswith(b"HTTP/1.1 408") and b"set-cookie: antrian_staff" not in answer
        assert "Kiriman ini terlalu lambat" in answer.decode()
    finally:
        server.stop()


def test_ticket_issue_json_includes_the_page_url(db_url, clock, public_site, capsys, monkeypatch):
    monkeypatch.setenv("ANTRIAN_NOW", "2026-11-30T09:00")
    assert main(["--db", db_url, "site", "load", str(public_site)]) == 0
    capsys.readouterr()
    assert main(["--db", db_url, "ticket", "issue", "KTP", "--json"]) == 0
    issued = json.loads(capsys.readouterr().out)
    assert issued["url"] == f"{PUBLIC}/t/{issued['token']}"


def finished(engine):
    ticket = engine.issue_ticket("KTP")
    engine.call_next("L1")
    engine.finish("L1")
    return ticket


def survey_form(**answers: str) -> dict[str, str]:
    return {f"U{i}": "4" for i in range(1, 10)} | answers


def test_the_survey_is_refused_before_the_visit_ends_and_for_a_made_up_page(server, engine):
    ticket = engine.issue_ticket("KTP")
    page = path_of(ticket.url) + "/survey"
    assert get(server, page).status_code == 409
    assert "belum selesai" in get(server, page).text
    sent = httpx.post(server.url + page, data=survey_form(), timeout=10)
    assert sent.status_code == 409
    assert get(server, "/t/" + "A" * 22 + "/survey").status_code == 404


def test_a_survey_with_a_missing_answer_is_shown_again_with_the_choices_kept(server, engine):
    ticket = finished(engine)
    page = server.url + path_of(ticket.url) + "/survey"
    form = survey_form(U3="7", sex="P") | {"U5": ""}
    response = httpx.post(page, data=form, timeout=10)
    assert response.status_code == 400 and "Belum semua pertanyaan dijawab" in response.text
    assert 'class="card question missing" id="U3"' in response.text
    assert 'class="card question missing" id="U5"' in response.text
    assert '<option value="P" selected>' in response.text
    assert not engine.survey_answered(ticket.token)


def test_the_survey_is_answered_once_and_a_second_post_changes_nothing(server, engine):
    ticket = finished(engine)
    page = server.url + path_of(ticket.url) + "/survey"
    first = httpx.post(page, data=survey_form(sex="Z"), timeout=10)  # a forged profile value
    assert first.status_code == 409 and "profil" in first.text
    assert httpx.post(page, data=survey_form(suggestion="<b>x</b>"), timeout=10).status_code == 200
    again = httpx.post(page, data=survey_form(U1="1"), timeout=10)
    assert again.status_code == 409 and "sudah diisi" in again.text
    day = engine.clock.now().date()
    assert engine.skm_report(day, day).overall.nrr[0] == 4.0
    assert "Jawaban Anda sudah tercatat" in get(server, path_of(ticket.url)).text


def complaint_form(server, query: str = "") -> tuple[httpx.Client, str]:
    browser = httpx.Client(base_url=server.url, timeout=10, follow_redirects=False)
    page = browser.get("/pengaduan" + query)
    token = re.search(r'name="form" value="([^"]+)"', page.text).group(1)
    return browser, token


def test_a_citizen_files_a_complaint_and_follows_it_by_its_code_never_seeing_the_contact(
    server, engine
):
    ticket = finished(engine)
    browser, token = complaint_form(server, f"?t={ticket.token}")
    sent = browser.post(
        "/pengaduan",
        data={
            "form": token,
            "t": ticket.token,
            "agency": "DUKCAPIL",
            "service": "KTP",
            "category": "complaint",
            "text": "Menunggu terlalu lama",
            "contact": "0812 1111 2222",
        },
    )
    assert sent.status_code == 303
    status_url = sent.headers["location"]
    page = browser.get(status_url)
    assert (
        page.status_code == 200
        and "Diterima" in page.text
        and "Pengaduan Anda sudah diterima" in page.text
    )
    assert "0812" not in page.text and "Menunggu terlalu lama" not in page.text
    (complaint,) = engine.complaints(with_contact=True)
    assert (complaint.ticket, complaint.service, complaint.contact) == (
        "A001",
        "KTP",
        "0812 1111 2222",
    )
    engine.move_complaint(complaint.reference, Status.VERIFIED)
    engine.move_complaint(complaint.reference, Status.ANSWERED, "Loket tambahan dibuka pukul 10")
    later = get(server, status_url.split("?")[0])
    assert "Ditanggapi" in later.text and "Loket tambahan dibuka pukul 10" in later.text
    lowered = get(
        server, "/pengaduan/cek?kode=" + complaint.reference.lower(), follow_redirects=True
    )
    assert "Ditanggapi" in lowered.text


def test_a_complaint_pasted_with_control_characters_is_filed_without_them(server, engine):
    browser, token = complaint_form(server)
    sent = browser.post(
        "/pengaduan",
        data={
            "form": token,
            "agency": "DUKCAPIL",
            "category": "complaint",
            "text": "Antre\x0b lama\x00\r\nsekali",
            "contact": "0812\x00 1111",
        },
    )
    assert sent.status_code == 303
    (complaint,) = engine.complaints(with_contact=True)
    assert complaint.text == "Antre lama\nsekali" and complaint.contact == "0812 1111"


def declare_huge_body(server, path: str) -> str:
    """The server's answer to a post that declares a gigabyte and sends none of it: it comes
    (within the socket's 10 s) only if the server refuses the body without reading it."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as raw:
        raw.sendall(
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: {2**30}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n\r\n".encode()
        )
        answer = b""
        while b"</html>" not in answer and (chunk := raw.recv(4096)):
            answer += chunk
        return answer.decode()


@pytest.mark.parametrize("path", ["/pengaduan", "/staff/login", "/staff/site", "/t/nope"])
def test_a_body_declared_larger_than_any_form_is_refused_before_it_is_read(server, path):
    answer = declare_huge_body(server, path)
    assert answer.startswith("HTTP/1.1 413") and "Kiriman ini terlalu besar" in answer


def test_a_citizen_forms_token_beyond_ascii_is_refused_plainly(server, engine):
    browser, _token = complaint_form(server)
    forged = browser.post(
        "/pengaduan",
        data={"form": "tökén", "agency": "DUKCAPIL", "category": "complaint", "text": "x"},
    )
    assert forged.status_code == 403


def test_a_complaint_form_from_another_site_or_with_bad_values_is_refused(server, engine):
    forged = httpx.post(
        server.url + "/pengaduan",
        data={"form": "x", "agency": "DUKCAPIL", "category": "complaint", "text": "spam"},
        timeout=10,
    )
    assert forged.status_code == 403
    browser, token = complaint_form(server)
    base = {"form": token, "agency": "DUKCAPIL", "category": "complaint", "text": "x"}
    for change, said in (
        ({"agency": "NOPE"}, "Instansi tidak dikenal"),
        ({"service": "PKB"}, "Layanan tidak dikenal"),
        ({"category": "field_check"}, "Nilai tidak dikenal"),
        ({"text": "   "}, "tidak boleh kosong"),
    ):
        answer = browser.post("/pengaduan", data=base | change)
        assert answer.status_code == 400 and said in answer.text, change
    assert engine.complaints() == []
    assert get(server, "/pengaduan/ABCD-EFGH-JKMN").status_code == 404
    assert get(server, "/pengaduan/..%2F..%2Fetc").status_code == 404


def test_the_survey_asks_in_the_sites_own_words_and_the_catalogue_publishes_the_ikm(
    db_url, clock, public_site
):
    site = public_site.read_text() + '\n[skm]\nU8 = "Bagaimana ruang tunggu MPP kami?"\n'
    published = site.replace("[site]\n", "[site]\npublish_ikm = true\n", 1)
    public_site.write_text(published)
    live = start_server(db_url, clock, public_site, requests_per_second=1000, burst=1000)
    try:
        with QueueEngine.open(db_url, clock=clock) as engine:
            ticket = finished(engine)
            form = get(live, path_of(ticket.url) + "/survey").text
            assert "Bagaimana ruang tunggu MPP kami?" in form  # the site's U8
            assert "Sangat baik" in form  # with the regulation's answers
            engine.answer_survey(SurveyAnswer((4,) * 9, "phone"), token=ticket.token)
        catalogue = get(live, "/").text
        assert "Indeks Kepuasan Masyarakat 12 bulan terakhir: 100,00 (1 responden)" in catalogue
        assert "A · Sangat Baik" in catalogue
        english = get(live, "/?lang=en").text
        assert "over the last 12 months: 100.00 (1 respondent)" in english
    finally:
        live.stop()


def test_the_catalogue_does_not_publish_the_ikm_unless_the_site_says_so(server, engine):
    engine.answer_survey(SurveyAnswer((4,) * 9, "phone"), token=finished(engine).token)
    assert "Indeks Kepuasan" not in get(server, "/").text
