"""The staff console over HTTP: who gets in, what each role may do, and what strangers cannot."""

from __future__ import annotations

import html
import io
import re
import time
from urllib.parse import urlencode

import httpx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import select

from shared.domain.complaints import shown_reference
from shared.engine import QueueEngine
from shared.engine.accounts import IDLE_MINUTES
from shared.engine.complaints import NewComplaint
from shared.engine.survey import SurveyAnswer
from shared.errors import AuthError
from shared.site_config import load_site_file
from shared.store.tables import report_months
from tests.web.conftest import caught_up, start_server
from tests.web.server import LiveServer
from web.guard import Limits


@pytest.fixture
def accounts(engine):
    engine.add_user("admin1", "rahasia-admin", role="admin", display_name="Ani Admin")
    engine.add_user("super1", "rahasia-super", role="supervisor")
    engine.add_user("dukcapil1", "rahasia-duk", role="agency_supervisor", agencies=["DUKCAPIL"])
    engine.add_user("sari", "rahasia123", role="staff")
    return engine


def client(server) -> httpx.Client:
    """A browser of the console; each request waits until the server has read what is
    committed (its hub follows the change feed a moment after each commit)."""
    return httpx.Client(
        base_url=server.url,
        timeout=10,
        follow_redirects=False,
        event_hooks={"request": [lambda _request: caught_up(server)]},
    )


def csrf_of(page: httpx.Response) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert match, page.text
    return match.group(1)


def log_in(server, username: str, password: str) -> tuple[httpx.Client, httpx.Response]:
    browser = client(server)
    form = browser.get("/staff/login")
    answer = browser.post(
        "/staff/login",
        data={"csrf": csrf_of(form), "username": username, "password": password},
    )
    return browser, answer


def test_a_login_streamed_past_the_body_limit_is_refused_and_logs_nobody_in(server, accounts):
    browser = client(server)
    csrf = csrf_of(browser.get("/staff/login"))
    login = urlencode({"csrf": csrf, "username": "admin1", "password": "rahasia-admin"}).encode()
    form = {"content-type": "application/x-www-form-urlencoded"}

    def padded():  # no Content-Length: the server counts the body as it arrives
        yield login + b"&pad="
        for _ in range(10):
            yield b"a" * 8192

    refused = browser.post("/staff/login", content=padded(), headers=form)
    assert refused.status_code == 413 and "Kiriman ini terlalu besar" in refused.text
    assert "antrian_staff" not in browser.cookies
    assert browser.get("/staff").status_code == 303  # still the login
    answer = browser.post("/staff/login", content=iter([login]), headers=form)
    assert answer.status_code == 303 and answer.headers["location"] == "/staff"


def test_a_supervisor_logs_in_and_sees_every_counter_live(server, accounts):
    accounts.issue_ticket("KTP")
    accounts.call_next("L1")
    browser, answer = log_in(server, "super1", "rahasia-super")
    assert answer.status_code == 303 and answer.headers["location"] == "/staff"
    cookie = answer.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/staff" in cookie
    monitor = browser.get("/staff")
    assert monitor.status_code == 200
    assert "A001" in monitor.text and "Loket 1" in monitor.text and "Loket Samsat" in monitor.text
    assert '<span class="who">super1 (Supervisor)</span>' in monitor.text  # the role in words
    assert 'data-stream="/staff/live' in monitor.text


def test_an_agency_supervisor_sees_only_their_agencys_counters(server, accounts):
    browser, _ = log_in(server, "dukcapil1", "rahasia-duk")
    text = browser.get("/staff").text
    assert "Loket 1" in text
    assert "Loket Samsat" not in text


def test_staff_without_console_access_are_turned_away_plainly(server, accounts):
    browser, answer = log_in(server, "sari", "rahasia123")
    assert answer.status_code == 403
    assert "masuk di aplikasi loket, bukan di konsol" in answer.text
    assert browser.get("/staff").headers["location"] == "/staff/login"


def test_a_wrong_password_is_refused_and_guessing_is_throttled_per_address(server, accounts):
    for _ in range(3):
        _, answer = log_in(server, "admin1", "salah")
        assert answer.status_code == 401 and "salah" in answer.text
    _, answer = log_in(server, "admin1", "rahasia-admin")  # the right one, too late
    assert answer.status_code == 401 and "Terlalu banyak" in answer.text


def test_a_login_without_the_forms_token_is_refused(server, accounts):
    answer = client(server).post(
        "/staff/login", data={"username": "admin1", "password": "rahasia-admin"}
    )
    assert answer.status_code == 403


def test_control_characters_in_a_posted_form_are_dropped_never_reaching_the_database(
    server, accounts
):
    _, answer = log_in(server, "admin1\x00", "salah\x1b")  # PostgreSQL cannot hold a NUL
    assert answer.status_code == 401 and "salah" in answer.text
    browser, answer = log_in(server, "admin1", "rahasia-admin")
    assert answer.status_code == 303  # the failed try above counted against admin1 only
    csrf = csrf_of(browser.get("/staff/accounts"))
    answer = browser.post(
        "/staff/accounts", data={"csrf": csrf, "action": "disable", "username": "sa\x00ri"}
    )
    assert answer.status_code == 303
    assert not {a.username: a.active for a in accounts.list_accounts()}["sari"]


def test_a_forms_token_with_characters_beyond_ascii_is_refused_plainly(server, accounts):
    browser = client(server)
    browser.get("/staff/login")
    answer = browser.post(
        "/staff/login", data={"csrf": "tökén", "username": "admin1", "password": "rahasia-admin"}
    )
    assert answer.status_code == 403


@pytest.mark.parametrize("path", ["/staff", "/staff/accounts", "/staff/live"])
def test_without_a_session_every_staff_page_leads_to_the_login(server, path):
    stranger = client(server)
    stranger.cookies.set("antrian_staff", "forged-token")
    answer = stranger.get(path)
    assert answer.status_code == 303 and answer.headers["location"] == "/staff/login"


def test_a_supervisor_cannot_reach_accounts_by_editing_the_url(server, accounts):
    browser, _ = log_in(server, "super1", "rahasia-super")
    assert browser.get("/staff/accounts").status_code == 403
    csrf = csrf_of(browser.get("/staff"))
    answer = browser.post(
        "/staff/accounts",
        data={"csrf": csrf, "action": "role", "username": "super1", "role": "admin"},
    )
    assert answer.status_code == 403
    assert {a.username: a.role for a in accounts.list_accounts()}["super1"] == "supervisor"
    widened = browser.post(
        "/staff/accounts",
        data={"csrf": csrf, "action": "agencies", "username": "dukcapil1"},
    )
    assert widened.status_code == 403
    assert {a.username: a.agencies for a in accounts.list_accounts()}["dukcapil1"] == ("DUKCAPIL",)


def test_an_admin_adds_disables_and_changes_accounts_and_each_change_is_logged(server, accounts):
    browser, _ = log_in(server, "admin1", "rahasia-admin")
    page = browser.get("/staff/accounts")
    assert page.status_code == 200 and "dukcapil1" in page.text
    csrf = csrf_of(page)
    for data in (
        {
            "action": "add",
            "username": "budi",
            "password": "rahasia-budi",
            "role": "staff",
            "display_name": "Budi",
            "agency:DUKCAPIL": "on",
        },
        {"action": "role", "username": "budi", "role": "supervisor"},
        {"action": "disable", "username": "sari"},
        {"action": "passwd", "username": "budi", "password": "baru-sekali"},
        {
            "action": "agencies",
            "username": "dukcapil1",
            "agency:DUKCAPIL": "on",
            "agency:SAMSAT": "on",
        },
    ):
        answer = browser.post("/staff/accounts", data={"csrf": csrf, **data})
        assert answer.status_code == 303, answer.text
    listed = {a.username: a for a in accounts.list_accounts()}
    assert listed["budi"].role == "supervisor" and listed["budi"].agencies == ("DUKCAPIL",)
    assert listed["sari"].active is False
    assert listed["dukcapil1"].agencies == ("DUKCAPIL", "SAMSAT")
    with pytest.raises(AuthError) as temporary:  # the admin's choice: budi chooses his own
        accounts.login("budi", "baru-sekali", place="t")
    assert temporary.value.key == "password_temporary"
    changes = [e.detail for e in accounts.events_after(0) if e.kind.value == "account_changed"]
    assert changes == [
        "role staff -> supervisor",
        "disabled",
        "password reset",
        "agencies DUKCAPIL -> DUKCAPIL,SAMSAT",
    ]
    shown = browser.get("/staff/accounts").text  # roles by name, an account's agencies ticked
    assert '<option value="agency_supervisor" selected>Supervisor instansi</option>' in shown
    assert "<summary>DUKCAPIL, SAMSAT</summary>" in shown
    assert 'name="agency:SAMSAT" checked' in shown
    monitor = log_in(server, "dukcapil1", "rahasia-duk")[0].get("/staff").text
    assert "Loket Samsat" in monitor  # the agency supervisor now sees SAMSAT's counter too


def test_an_admin_ticking_an_unknown_agency_gets_one_plain_message_and_nothing_changes(
    server, accounts
):
    browser, _ = log_in(server, "admin1", "rahasia-admin")
    csrf = csrf_of(browser.get("/staff/accounts"))
    answer = browser.post(
        "/staff/accounts",
        data={"csrf": csrf, "action": "agencies", "username": "dukcapil1", "agency:NOPE": "on"},
    )
    assert answer.status_code == 400 and 'class="error"' in answer.text
    assert {a.username: a.agencies for a in accounts.list_accounts()}["dukcapil1"] == ("DUKCAPIL",)


def test_an_action_without_the_sessions_token_changes_nothing(server, accounts):
    browser, _ = log_in(server, "admin1", "rahasia-admin")
    for csrf in ("", "forged"):
        answer = browser.post(
            "/staff/accounts", data={"csrf": csrf, "action": "disable", "username": "sari"}
        )
        assert answer.status_code == 403
    answer = browser.post(
        "/staff/accounts",
        data={"csrf": csrf_of(browser.get("/staff")), "action": "disable", "username": "sari"},
        headers={"origin": "https://evil.example"},
    )
    assert answer.status_code == 403
    assert all(a.active for a in accounts.list_accounts())


def test_the_accounts_page_says_when_and_where_each_account_last_logged_in(server, accounts, clock):
    accounts.login("sari", "rahasia123", "L1", place="pc-1")
    browser, _ = log_in(server, "admin1", "rahasia-admin")
    page = html.unescape(browser.get("/staff/accounts").text)
    local = clock.now().astimezone(accounts.zone).strftime("%d-%m-%Y %H:%M")
    assert f"terakhir masuk {local} · L1" in page  # sari, at her counter
    assert f"terakhir masuk {local} · Konsol petugas" in page  # admin1, just now
    assert page.count("belum pernah masuk") == 2  # super1 and dukcapil1


def test_the_last_admin_cannot_lock_themselves_out(server, accounts):
    browser, _ = log_in(server, "admin1", "rahasia-admin")
    csrf = csrf_of(browser.get("/staff/accounts"))
    for data in ({"action": "disable"}, {"action": "role", "role": "staff"}):
        answer = browser.post("/staff/accounts", data={"csrf": csrf, "username": "admin1", **data})
        assert answer.status_code == 400 and "admin aktif terakhir" in answer.text
    assert {a.username: (a.role, a.active) for a in accounts.list_accounts()}["admin1"] == (
        "admin",
        True,
    )


def test_logout_and_disabling_end_the_session_everywhere(server, accounts):
    browser, _ = log_in(server, "super1", "rahasia-super")
    other, _ = log_in(server, "super1", "rahasia-super")
    token = browser.cookies["antrian_staff"]
    answer = browser.post("/staff/logout", data={"csrf": csrf_of(browser.get("/staff"))})
    assert answer.status_code == 303
    replay = client(server)  # the old cookie, kept by someone: dead on the server
    replay.cookies.set("antrian_staff", token)
    assert replay.get("/staff").status_code == 303
    assert other.get("/staff").status_code == 200  # another browser's session goes on
    accounts.set_account_active("super1", False)
    assert other.get("/staff").status_code == 303


def test_a_person_changes_their_own_password_and_their_other_sessions_end(server, accounts):
    accounts.add_user("aduan1", "rahasia-aduan", role="complaint_officer")  # any console role
    browser, _ = log_in(server, "aduan1", "rahasia-aduan")
    elsewhere, _ = log_in(server, "aduan1", "rahasia-aduan")
    form = browser.get("/staff/password")
    assert form.status_code == 200 and 'autocomplete="new-password"' in form.text
    csrf = csrf_of(form)

    def change(current: str, new: str, again: str) -> httpx.Response:
        data = {"csrf": csrf, "current": current, "new": new, "again": again}
        return browser.post("/staff/password", data=data)

    refused = {
        "salah": change("tebakan-1", "kata-baru-1", "kata-baru-1"),
        "tidak sama": change("rahasia-aduan", "kata-baru-1", "kata-baru-2"),
        "sama dengan yang sekarang": change("rahasia-aduan", "rahasia-aduan", "rahasia-aduan"),
        "minimal 8 karakter": change("rahasia-aduan", "pendek", "pendek"),
    }
    for words, answer in refused.items():
        assert answer.status_code == 400 and words in html.unescape(answer.text), words
    assert elsewhere.get("/staff").status_code == 200  # nothing changed yet
    answer = change("rahasia-aduan", "kata-baru-1", "kata-baru-1")
    assert answer.status_code == 200 and "Kata sandi diganti" in answer.text
    assert browser.get("/staff").status_code == 200  # the session it was changed from goes on
    assert elsewhere.get("/staff").status_code == 303  # the others end
    assert log_in(server, "aduan1", "rahasia-aduan")[1].status_code == 401
    assert log_in(server, "aduan1", "kata-baru-1")[1].status_code == 303


def test_a_password_the_admin_set_serves_only_to_choose_ones_own_at_the_login(server, accounts):
    admin, _ = log_in(server, "admin1", "rahasia-admin")
    csrf = csrf_of(admin.get("/staff/accounts"))
    added = {"action": "add", "username": "aduan1", "role": "complaint_officer"}
    data = {**added, "password": "dari-admin-1", "display_name": "Aduan"}
    assert admin.post("/staff/accounts", data={"csrf": csrf, **data}).status_code == 303
    listed = admin.get("/staff/accounts").text
    assert listed.count("kata sandi sementara, belum diganti pemiliknya") == 1  # aduan1's
    browser, answer = log_in(server, "aduan1", "dari-admin-1")
    assert answer.status_code == 401 and "sementara" in answer.text
    assert 'name="new"' in answer.text and 'value="aduan1"' in answer.text
    assert "antrian_staff" not in browser.cookies  # no session on a temporary password

    def choose(current: str, new: str, again: str) -> httpx.Response:
        data = {"username": "aduan1", "password": current, "new": new, "again": again}
        return browser.post("/staff/login", data={"csrf": csrf_of(answer), **data})

    mismatched = choose("dari-admin-1", "milik-aduan-1", "milik-aduan-2")
    assert mismatched.status_code == 400 and 'name="new"' in mismatched.text
    assert choose("dari-admin-1", "milik-aduan-1", "milik-aduan-1").status_code == 303
    assert browser.get("/staff").status_code == 200  # logged in with their own
    assert log_in(server, "aduan1", "dari-admin-1")[1].status_code == 401
    assert log_in(server, "aduan1", "milik-aduan-1")[1].status_code == 303


def test_an_admin_changes_their_own_password_only_with_the_current_one(server, accounts):
    admin, _ = log_in(server, "admin1", "rahasia-admin")
    listed = admin.get("/staff/accounts")
    assert 'aria-label="Kata sandi baru admin1"' not in listed.text  # no reset form for oneself
    assert 'aria-label="Kata sandi baru super1"' in listed.text
    own = {"csrf": csrf_of(listed), "action": "passwd", "username": "admin1", "password": "x" * 12}
    answer = admin.post("/staff/accounts", data=own)  # a passer-by at a console left open
    assert answer.status_code == 400 and "Kata sandi saya" in html.unescape(answer.text)
    assert admin.get("/staff").status_code == 200  # nothing changed: still logged in
    assert log_in(server, "admin1", "rahasia-admin")[1].status_code == 303


def test_counter_staff_choosing_their_own_password_at_the_console_are_told_where_to_log_in(
    server, accounts
):
    accounts.set_password("sari", "dari-admin-1", temporary=True)
    browser, answer = log_in(server, "sari", "dari-admin-1")
    assert answer.status_code == 401 and 'name="new"' in answer.text
    data = {"username": "sari", "password": "dari-admin-1", "new": "milik-sari-1"}
    data |= {"again": "milik-sari-1", "csrf": csrf_of(answer)}
    answer = browser.post("/staff/login", data=data)
    assert answer.status_code == 403
    assert "Kata sandi sudah diganti. Akun petugas loket masuk di aplikasi loket" in answer.text
    assert "antrian_staff" not in browser.cookies
    assert accounts.login("sari", "milik-sari-1", None).username == "sari"


def test_an_idle_session_expires(server, accounts, clock):
    browser, _ = log_in(server, "super1", "rahasia-super")
    assert browser.get("/staff").status_code == 200
    clock.advance(minutes=IDLE_MINUTES + 1)
    assert browser.get("/staff").status_code == 303


def test_the_public_only_server_has_no_console(db_url, clock):
    public = LiveServer(lambda: QueueEngine.open(db_url, clock=clock), Limits(), public_only=True)
    public.start()
    try:
        for path in ("/staff/login", "/staff", "/staff/accounts"):
            assert client(public).get(path).status_code == 404
        assert client(public).post("/staff/login", data={}).status_code == 404
    finally:
        public.stop()


def test_a_supervisor_reads_the_report_and_downloads_it(server, accounts, tmp_path):
    from openpyxl import load_workbook

    accounts.issue_ticket("KTP")
    accounts.call_next("L1")
    browser, _ = log_in(server, "super1", "rahasia-super")
    page = browser.get("/staff/reports?by=service")
    assert page.status_code == 200 and "Tingkat layanan" in page.text
    assert "<td>KTP Elektronik<small" in page.text  # the row's name, its code beneath
    assert "<td>Jumlah</td>" in page.text
    xlsx = browser.get("/staff/reports.xlsx?by=service")
    assert xlsx.status_code == 200 and "attachment" in xlsx.headers["content-disposition"]
    (tmp_path / "r.xlsx").write_bytes(xlsx.content)
    assert "Layanan" in load_workbook(tmp_path / "r.xlsx").sheetnames
    csv = browser.get("/staff/reports.csv?by=counter")
    assert csv.text.splitlines()[1].startswith("L1,Loket 1,")
    pdf = browser.get("/staff/reports.pdf?by=service")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    (tmp_path / "r.pdf").write_bytes(pdf.content)
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "r.pdf").pages)
    assert "Laporan Kinerja Pelayanan" in text and "KTP Elektronik" in text and "Kepala Mal" in text
    assert browser.get("/staff/reports.doc").status_code == 404
    english = browser.get("/staff/reports?by=weekday&lang=en").text
    assert "<td>Monday</td>" in english  # a weekday by its name, without its number


def test_an_agency_supervisor_cannot_read_another_agencys_report(server, accounts):
    accounts.issue_ticket("PKB")
    browser, _ = log_in(server, "dukcapil1", "rahasia-duk")
    assert "PKB" not in browser.get("/staff/reports").text  # only DUKCAPIL by default
    for path in ("/staff/reports?agency=SAMSAT", "/staff/reports.csv?agency=SAMSAT"):
        assert browser.get(path).status_code == 403
    assert "PKB" not in browser.get("/staff/reports.csv?by=service").text


def service_choices(page: str) -> dict[str, str]:
    """The report form's services: code -> name as offered (the first, "all", has no code)."""
    chooser = page.split('<select name="service">')[1].split("</select>")[0]
    return dict(re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', chooser))


def test_the_report_offers_the_services_one_may_see_by_name_to_choose_from(server, accounts):
    # a box for a service's code, which a supervisor would have to know by heart
    super1, _ = log_in(server, "super1", "rahasia-super")
    everything = service_choices(super1.get("/staff/reports").text)
    assert everything[""] == "Semua" and everything["KTP"] == "KTP Elektronik"
    assert "PKB" in everything  # another agency's, for the MPP's supervisor
    chosen = super1.get("/staff/reports?service=KTP").text
    assert '<option value="KTP" selected>KTP Elektronik</option>' in chosen
    one_agency = service_choices(super1.get("/staff/reports?agency=DUKCAPIL").text)
    assert "KTP" in one_agency and "PKB" not in one_agency  # the agency asked for
    dukcapil, _ = log_in(server, "dukcapil1", "rahasia-duk")
    assert "PKB" not in service_choices(dukcapil.get("/staff/reports").text)  # theirs only
    gone = super1.get("/staff/reports?service=OLD-SVC").text  # a service no longer offered
    assert '<option value="OLD-SVC" selected>OLD-SVC</option>' in gone
    assert "&lt;b&gt;" in super1.get("/staff/reports", params={"service": "<b>"}).text


@pytest.mark.parametrize(
    "query", ["?from=2026-13-01", "?by=colour", "?from=2026-12-01&to=2026-11-01"]
)
def test_a_report_query_that_makes_no_sense_is_a_plain_400(server, accounts, query):
    browser, _ = log_in(server, "super1", "rahasia-super")
    assert browser.get("/staff/reports" + query).status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "agency=%00",  # PostgreSQL text cannot hold a NUL
        "service=KTP%00",
        "staff=%0b",  # nor can a worksheet hold a vertical tab
        "counter=L1%0d%0a",
    ],
)
@pytest.mark.parametrize("kind", ["", ".csv", ".xlsx", ".pdf"])
def test_a_report_filter_with_a_control_character_is_a_plain_400_in_every_format(
    server, accounts, query, kind
):
    browser, _ = log_in(server, "super1", "rahasia-super")
    answer = browser.get(f"/staff/reports{kind}?{query}")
    assert answer.status_code == 400 and "Permintaan tidak sah" in answer.text


def test_report_filters_are_downloaded_as_plain_text_never_as_markup_or_a_formula(
    server, accounts, tmp_path
):
    accounts.issue_ticket("KTP")
    browser, _ = log_in(server, "super1", "rahasia-super")
    formula = '=HYPERLINK("http://evil","klik")'
    markup = "<b><font size=90>KTP & KK"
    book = browser.get("/staff/reports.xlsx", params={"service": formula})
    assert book.status_code == 200
    cover = load_workbook(io.BytesIO(book.content)).worksheets[0]
    asked = next(row[1] for row in cover.iter_rows(max_col=2) if row[0].value == "Layanan")
    assert asked.value == "'" + formula and asked.data_type == "s"  # the filter, as asked
    pdf = browser.get("/staff/reports.pdf", params={"service": markup})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    (tmp_path / "r.pdf").write_bytes(pdf.content)
    assert (
        "Layanan: <b><font size=90>KTP & KK"
        in PdfReader(tmp_path / "r.pdf").pages[0].extract_text()
    )


def test_the_monitor_alerts_in_colour_and_words_when_a_wait_or_a_visit_runs_long(
    server, accounts, clock
):
    accounts.issue_ticket("KTP")
    accounts.issue_ticket("KTP")
    accounts.call_next("L1")
    accounts.start("L1")
    browser, _ = log_in(server, "super1", "rahasia-super")
    calm = browser.get("/staff").text
    assert "⚠ lewat" not in calm and "⚠ jauh" not in calm and "tile alert" not in calm
    clock.advance(minutes=20)
    assert browser.get("/staff").status_code == 200  # (the session stays in use)
    clock.advance(minutes=12)  # A002 has waited 32 minutes, past KTP's 30; A001's visit 32
    alarmed = browser.get("/staff").text
    assert "⚠ lewat target 30 mnt" in alarmed
    assert "⚠ jauh melebihi waktu layanan" in alarmed
    assert alarmed.count('class="alert"') + alarmed.count(' alert"') >= 2
    assert glance(alarmed)["layanan lewat target tunggu"] == 1
    assert glance(alarmed)["kunjungan jauh melebihi waktu layanan"] == 1
    assert alarmed.count('class="tile alert"') == 2


def test_the_monitor_shows_how_many_visits_each_counter_has_parked(server, accounts):
    for _ in range(3):
        accounts.issue_ticket("KTP")
    for _ in range(2):
        accounts.call_next("L1")
        accounts.park("L1")  # two citizens gone to fetch a paper
    accounts.call_next("L1")
    browser, _ = log_in(server, "super1", "rahasia-super")
    page = browser.get("/staff").text
    row = next(r for r in page.split("<tr ") if "<td>Loket 1</td>" in r)
    assert "A003 · dipanggil" in row and "‖ 2 ditunda" in row
    assert "ditunda" not in next(r for r in page.split("<tr ") if "<td>Loket 3</td>" in r)
    accounts.call_specific("L1", "A001")  # back with the paper
    caught_up(server)
    assert "‖ 1 ditunda" in browser.get("/staff").text


def test_the_monitor_counts_the_numbers_sent_to_each_counter_while_it_can_call_them(
    server, accounts
):
    for _ in range(3):
        accounts.issue_ticket("KTP")
    for _ in range(2):
        accounts.call_next("L1")
        accounts.transfer_to_counter("L1", "L3")  # to the colleague with the key
    browser, _ = log_in(server, "super1", "rahasia-super")

    def row_of(page, name):
        return next(r for r in page.split("<tr ") if f"<td>{name}</td>" in r)

    page = browser.get("/staff").text
    assert "↪ 2 dialihkan ke loket ini" in row_of(page, "Loket 3")
    assert "dialihkan" not in row_of(page, "Loket 1")
    accounts.call_specific("L3", "A001")
    caught_up(server)
    assert "↪ 1 dialihkan ke loket ini" in row_of(browser.get("/staff").text, "Loket 3")
    accounts.finish("L3")
    accounts.close_counter("L3")  # what it kept is open to every counter again
    caught_up(server)
    assert "dialihkan ke loket ini" not in browser.get("/staff").text


def glance(page: str) -> dict[str, int]:
    """The monitor's counts at a glance, by their Indonesian words."""
    tiles = re.findall(r'<p class="tile[^"]*"><strong>(\d+)</strong> ([^<]+)', page)
    return {words.strip(): int(count) for count, words in tiles}


def queue_rows(page: str) -> list[str]:
    """The monitor's waiting queues as their rows read, top to bottom."""
    waiting = page.split("<h2>Menunggu</h2>", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr class=\"[^\"]*\"><td>(.*?)</tr>", waiting, re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in rows]


def test_a_queue_no_open_counter_calls_comes_first_with_an_alert_and_is_counted(
    server, accounts, clock
):
    accounts.issue_ticket("KTP")
    accounts.issue_ticket("PKB", priority=True)
    accounts.issue_ticket("PKB")
    clock.advance(minutes=5)
    accounts.call_next("L1")  # A001: nobody waits for KTP any more, and L1 is at work
    accounts.issue_ticket("KK")
    browser, _ = log_in(server, "super1", "rahasia-super")
    calm = browser.get("/staff").text
    assert glance(calm) == {
        "orang menunggu": 3,
        "layanan lewat target tunggu": 0,
        "layanan ditunggu tanpa loket buka": 0,
        "kunjungan jauh melebihi waktu layanan": 0,
        "loket sedang melayani": 1,
    }
    assert "★ 1 prioritas" in calm and "3 kosong · 0 istirahat · 0 tutup" in calm
    rows = queue_rows(calm)  # the longest wait first, each with its agency
    assert rows[0].startswith("Pajak Kendaraan Tahunan Samsat 2 (★1) 5")
    assert rows[1].startswith("Kartu Keluarga Dinas Kependudukan dan Pencatatan Sipil 1 0")
    assert "tidak ada loket buka" not in calm

    clock.advance(minutes=1)
    accounts.issue_ticket("KK")
    accounts.pause("S1")  # the only counter serving PKB
    paused = browser.get("/staff").text
    assert glance(paused)["layanan ditunggu tanpa loket buka"] == 1
    assert "2 kosong · 1 istirahat · 0 tutup" in paused
    rows = queue_rows(paused)
    assert rows[0].startswith("Pajak Kendaraan Tahunan") and "⚠ tidak ada loket buka" in rows[0]
    assert "tidak ada loket buka" not in rows[1]

    accounts.resume("S1")
    accounts.finish("L1")
    for counter in ("L2", "L3", "L1"):  # every counter serving KK
        accounts.close_counter(counter)
    closed = browser.get("/staff").text
    rows = queue_rows(closed)  # the queue nobody will call goes before a longer wait
    assert rows[0].startswith("Kartu Keluarga") and "⚠ tidak ada loket buka" in rows[0]
    assert rows[1].startswith("Pajak Kendaraan Tahunan") and "tidak ada loket" not in rows[1]
    assert glance(closed)["layanan ditunggu tanpa loket buka"] == 1
    assert "1 kosong · 0 istirahat · 3 tutup" in closed  # S1, open again


def test_an_agency_supervisors_glance_counts_only_their_agencies(server, accounts):
    accounts.issue_ticket("KTP")
    accounts.issue_ticket("PKB")
    accounts.pause("S1")
    browser, _ = log_in(server, "dukcapil1", "rahasia-duk")
    page = browser.get("/staff").text
    assert glance(page)["orang menunggu"] == 1
    assert glance(page)["layanan ditunggu tanpa loket buka"] == 0
    assert "0 istirahat" in page and "tidak ada loket buka" not in page


def move_counter(browser, counter: str, move: str) -> httpx.Response:
    csrf = csrf_of(browser.get("/staff"))
    return browser.post("/staff/counters", data={"csrf": csrf, "counter": counter, "move": move})


def states(engine) -> dict[str, str]:
    return {c.code: c.state.value for c in engine.board().counters}


def test_a_supervisor_closes_a_counter_left_open_and_opens_it_again_by_name(server, accounts):
    accounts.login("sari", "rahasia123", "L3", place="pc-3")
    accounts.pause("L3")  # a break: still logged in there
    browser, _ = log_in(server, "super1", "rahasia-super")
    assert 'aria-label="Buka Loket 3"' in browser.get("/staff").text
    assert move_counter(browser, "L3", "open").status_code == 303
    assert states(accounts)["L3"] == "open"
    answer = move_counter(browser, "L3", "close")
    assert answer.status_code == 303 and answer.headers["location"] == "/staff"
    assert states(accounts)["L3"] == "closed"
    moves = [
        (e.kind.value, e.counter_code, e.detail)
        for e in accounts.events_after(0)
        if e.kind.value in ("counter_closed", "counter_opened")
    ]
    assert moves[-2:] == [
        ("counter_opened", "L3", "by super1"),
        ("counter_closed", "L3", "by super1"),
    ]


def test_a_counter_nobody_is_logged_in_at_is_not_opened_from_the_console(server, accounts):
    # it would count as open, in the waits the kiosk promises too, with no one to call there
    browser, _ = log_in(server, "super1", "rahasia-super")
    assert move_counter(browser, "L3", "close").status_code == 303
    assert 'aria-label="Buka Loket 3"' not in browser.get("/staff").text  # no button
    answer = move_counter(browser, "L3", "open")  # a form posted all the same
    assert answer.status_code == 409 and "Tidak ada petugas yang masuk di Loket 3" in answer.text
    assert states(accounts)["L3"] == "closed"
    accounts.login("sari", "rahasia123", "L3", place="pc-3")  # the counter app opens it
    assert states(accounts)["L3"] == "open"


def test_closing_a_counter_from_the_console_logs_out_whoever_was_there(server, accounts):
    accounts.login("sari", "rahasia123", "L2", place="pc-2")
    browser, _ = log_in(server, "super1", "rahasia-super")
    assert move_counter(browser, "L2", "close").status_code == 303
    assert [c.staff for c in accounts.board().counters if c.code == "L2"] == [None]
    left = [e for e in accounts.events_after(0) if e.kind.value == "staff_logout"]
    assert [(e.counter_code, e.staff) for e in left] == [("L2", "sari")]
    assert accounts.login("sari", "rahasia123", "L2", place="pc-2").counter_code == "L2"


def test_a_counter_holding_a_ticket_is_not_closed_from_the_console_and_says_why(server, accounts):
    accounts.issue_ticket("KTP")
    accounts.call_next("L1")
    browser, _ = log_in(server, "super1", "rahasia-super")
    assert 'aria-label="Tutup Loket 1"' not in browser.get("/staff").text  # no button
    answer = move_counter(browser, "L1", "close")  # a form posted all the same
    assert answer.status_code == 409 and "masih melayani A001" in answer.text
    assert states(accounts)["L1"] == "open"


def test_only_those_who_manage_a_counter_may_move_it_even_by_an_edited_form(server, accounts):
    before = states(accounts)
    dukcapil, _ = log_in(server, "dukcapil1", "rahasia-duk")
    assert move_counter(dukcapil, "S1", "close").status_code == 403  # SAMSAT's counter
    assert move_counter(dukcapil, "NOPE", "close").status_code == 400
    assert move_counter(dukcapil, "L2", "explode").status_code == 400
    accounts.add_user("aduan1", "rahasia-aduan", role="complaint_officer")
    officer, _ = log_in(server, "aduan1", "rahasia-aduan")
    assert "/staff/counters" not in officer.get("/staff").text
    assert move_counter(officer, "L2", "close").status_code == 403
    assert states(accounts) == before
    assert move_counter(dukcapil, "L2", "pause").status_code == 303  # their own agency's
    assert states(accounts)["L2"] == "paused"


def upload(browser, csrf: str, text: str, action: str = "preview") -> httpx.Response:
    return browser.post(
        "/staff/site",
        data={"csrf": csrf, "action": action},
        files={"file": ("my-mpp.toml", text.encode(), "text/plain")},
    )


def test_an_admin_sees_a_site_files_mistakes_with_line_and_key_and_nothing_changes(
    server, accounts, public_site
):
    browser, _ = log_in(server, "admin1", "rahasia-admin")
    csrf = csrf_of(browser.get("/staff/site"))
    before = accounts.catalogue()
    broken = public_site.read_text().replace("fee = 0", 'fee = "gratis"', 1)
    answer = upload(browser, csrf, broken)
    assert answer.status_code == 400
    assert re.search(r"my-mpp\.toml:\d+: &#39;fee&#39; harus berupa bilangan bulat", answer.text)
    assert accounts.catalogue() == before


def test_a_site_file_that_would_strand_waiting_numbers_is_refused_in_preview_and_apply(
    server, accounts, public_site
):
    accounts.issue_ticket("PKB")  # C001 waits at the Samsat counter
    browser, _ = log_in(server, "admin1", "rahasia-admin")
    csrf = csrf_of(browser.get("/staff/site"))
    before = accounts.catalogue()
    closing = public_site.read_text().replace('code = "PKB"\n', 'code = "PKB"\nactive = false\n')
    for action in ("preview", "apply"):
        answer = upload(browser, csrf, closing, action)
        assert answer.status_code == 400
        assert "nomornya masih menunggu hari ini: PKB (1)" in answer.text
    assert accounts.catalogue() == before


def test_an_admin_previews_a_site_file_then_loads_it(server, accounts, public_site):
    browser, _ = log_in(server, "admin1", "rahasia-admin")
    csrf = csrf_of(browser.get("/staff/site"))
    renamed = public_site.read_text().replace('name = "KTP Elektronik"', 'name = "KTP-el"', 1)
    preview = upload(browser, csrf, renamed)
    assert preview.status_code == 200 and "Yang akan berubah" in preview.text
    assert "<li><strong>Layanan KTP</strong>: berubah (name)</li>" in preview.text
    assert "KTP Elektronik" in {
        s.name.id for a in accounts.catalogue().agencies for s in a.services
    }
    text = re.search(r'<textarea name="text" hidden>(.*?)</textarea>', preview.text, re.S)
    assert text is not None
    applied = browser.post(
        "/staff/site",
        data={
            "csrf": csrf,
            "action": "apply",
            "name": "my-mpp.toml",
            "text": html.unescape(text.group(1)),
        },
        files={"none": ("", b"")},
    )
    assert applied.status_code == 200 and "dimuat" in applied.text
    names = {s.name.id for a in accounts.catalogue().agencies for s in a.services}
    assert "KTP-el" in names and "KTP Elektronik" not in names


def test_a_change_to_the_sites_own_settings_alone_is_previewed_and_can_be_loaded(
    server, accounts, public_site
):
    browser, _ = log_in(server, "admin1", "rahasia-admin")
    csrf = csrf_of(browser.get("/staff/site"))
    renamed = public_site.read_text().replace('name = "MPP Uji"', 'name = "MPP Kota Uji"', 1)
    preview = upload(browser, csrf, renamed)
    assert "<li><strong>Pengaturan situs</strong>: berubah (name)</li>" in preview.text
    assert "sama dengan yang sedang dipakai" not in preview.text
    applied = upload(browser, csrf, renamed, action="apply")
    assert applied.status_code == 200 and "dimuat" in applied.text
    assert accounts.catalogue().site_name == "MPP Kota Uji"


def test_a_site_file_far_larger_than_any_form_still_gets_through_to_its_check(
    server, accounts, public_site
):
    browser, _ = log_in(server, "admin1", "rahasia-admin")
    csrf = csrf_of(browser.get("/staff/site"))
    padded = public_site.read_text() + ("# catatan\n" * 100_000)  # a megabyte of comments
    assert upload(browser, csrf, padded).status_code == 200
    too_big = upload(browser, csrf, "#" * 2_100_000)
    assert too_big.status_code == 413 and "Kiriman ini terlalu besar" in too_big.text


def test_only_an_admin_may_upload_a_site_file(server, accounts, public_site):
    browser, _ = log_in(server, "super1", "rahasia-super")
    assert browser.get("/staff/site").status_code == 403
    answer = upload(browser, csrf_of(browser.get("/staff")), public_site.read_text(), "apply")
    assert answer.status_code == 403
    admin, _ = log_in(server, "admin1", "rahasia-admin")
    assert upload(admin, "forged", public_site.read_text(), "apply").status_code == 403


def test_the_report_draws_its_charts_as_inline_svg_without_styles(server, accounts, clock):
    accounts.issue_ticket("KTP")
    accounts.call_next("L1")
    clock.advance(minutes=8)
    accounts.finish("L1")  # L1 open from its first call to this end: 8 minutes, all serving
    browser, _ = log_in(server, "super1", "rahasia-super")
    page = browser.get("/staff/reports").text
    charts = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(charts) == 6  # arrivals, wait, service level, days, utilisation, weekday x hour
    assert all("style=" not in chart and "<script" not in chart for chart in charts)
    assert "<title>KTP Elektronik: 100%</title>" in page  # called at once: within its target
    assert "<title>Loket 1: 100%</title>" in charts[4]  # (the bars' labels: KTP, L1)
    assert "Sen" in charts[-1] and "<title>1</title>" in charts[-1]


def rated(engine, service: str, counter: str, answers: str) -> str:
    ticket = engine.issue_ticket(service)
    engine.call_next(counter)
    engine.finish(counter)
    engine.answer_survey(SurveyAnswer(tuple(int(a) for a in answers), "phone"), token=ticket.token)
    return ticket.number


def test_the_skm_page_shows_the_ikm_grade_weakest_elements_and_sample(server, accounts):
    rated(accounts, "KTP", "L1", "444434444")
    rated(accounts, "PKB", "S1", "333323333")
    browser, _ = log_in(server, "super1", "rahasia-super")
    day = accounts.clock.now().date().isoformat()
    page = browser.get(f"/staff/skm?from={day}&to={day}&by=agency")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "84,72" in text and "B · Baik" in text  # (4x8+3 + 3x8+2) / 18 answers x 25
    assert "2 responden dari 2 kunjungan selesai" in text
    assert text.count("▼ terendah") == 3 and '<tr class="weak">' in page.text
    assert "Dinas Kependudukan" in text and "(SAMSAT)" in text
    assert "<th>Instansi</th><th>Responden</th>" in text  # the groups' header, as the XLSX's
    assert "Dengan bobot 0,111: 84,64" in text


def test_an_agency_supervisor_sees_only_their_agencys_index_even_by_an_edited_url(server, accounts):
    rated(accounts, "KTP", "L1", "444444444")
    rated(accounts, "PKB", "S1", "111111111")
    browser, _ = log_in(server, "dukcapil1", "rahasia-duk")
    day = accounts.clock.now().date().isoformat()
    own = html.unescape(browser.get(f"/staff/skm?from={day}&to={day}").text)
    assert "100,00" in own and "1 responden dari 1 kunjungan selesai" in own
    assert browser.get(f"/staff/skm?from={day}&to={day}&agency=SAMSAT").status_code == 403
    assert log_in(server, "sari", "rahasia123")[0].get("/staff/skm").status_code in (303, 403)


def test_a_paper_form_is_typed_in_with_csrf_and_only_for_the_persons_agency(server, accounts):
    pkb = accounts.issue_ticket("PKB")
    accounts.call_next("S1")
    accounts.finish("S1")
    ktp = accounts.issue_ticket("KTP")
    accounts.call_next("L1")
    accounts.finish("L1")
    day = accounts.clock.now().date().isoformat()
    browser, _ = log_in(server, "dukcapil1", "rahasia-duk")
    form = {f"U{i}": "3" for i in range(1, 10)} | {"day": day}
    token = csrf_of(browser.get("/staff/skm"))
    assert browser.post("/staff/skm", data=form | {"ticket": ktp.number}).status_code == 403
    other = browser.post("/staff/skm", data=form | {"csrf": token, "ticket": pkb.number})
    assert other.status_code == 400 and "tidak ditemukan" in html.unescape(other.text)
    saved = browser.post("/staff/skm", data=form | {"csrf": token, "ticket": ktp.number})
    assert saved.status_code == 200 and f"✔ {ktp.number}" in html.unescape(saved.text)
    report = accounts.skm_report(accounts.clock.now().date(), accounts.clock.now().date())
    assert report.overall.respondents == 1 and report.channels == {"paper": 1}


def test_the_complaints_register_marks_overdue_and_due_today_in_colour_and_words(
    server, accounts, clock
):
    accounts.add_user("aduan1", "rahasia-aduan", role="complaint_officer")
    late = accounts.file_complaint(
        NewComplaint("DUKCAPIL", "complaint", "box", "Lama", contact="08123")
    )
    clock.advance(days=3)  # Thursday 3 December: late's first response is due today
    browser, _ = log_in(server, "aduan1", "rahasia-aduan")
    text = html.unescape(browser.get("/staff/complaints").text)
    assert "1 jatuh tempo hari ini" in text and "◷ hari ini" in text and 'class="row-due"' in text
    assert '<span class="flag flag-none">0 terlambat</span>' in text  # a zero is no alarm
    clock.advance(days=1)
    browser, _ = log_in(server, "aduan1", "rahasia-aduan")  # the session idled out overnight
    text = html.unescape(browser.get("/staff/complaints").text)
    assert "1 terlambat" in text and "⚠ terlambat" in text and 'class="row-overdue"' in text
    assert "⚠ 1 terlambat" in text  # and per agency
    detail = html.unescape(browser.get(f"/staff/complaints/{shown_reference(late.reference)}").text)
    assert "08123" in detail  # a complaint officer sees the contact


def test_a_step_is_taken_with_csrf_logged_with_the_person_and_shown_to_the_citizen(
    server, accounts
):
    complaint = accounts.file_complaint(
        NewComplaint("DUKCAPIL", "complaint", "web", "x", contact="08999")
    )
    code = shown_reference(complaint.reference)
    browser, _ = log_in(server, "dukcapil1", "rahasia-duk")
    page = browser.get(f"/staff/complaints/{code}")
    assert page.status_code == 200 and "08999" not in page.text  # a supervisor: no contact
    assert browser.post(f"/staff/complaints/{code}", data={"status": "verified"}).status_code == 403
    token = csrf_of(page)
    wrong = browser.post(f"/staff/complaints/{code}", data={"csrf": token, "status": "done"})
    assert wrong.status_code == 400 and "tidak dapat menjadi done" in html.unescape(wrong.text)
    moved = browser.post(f"/staff/complaints/{code}", data={"csrf": token, "status": "verified"})
    assert moved.status_code == 303
    steps = accounts.complaint_steps(complaint.reference)
    assert [(s.status.value, s.actor) for s in steps][-1] == ("verified", "dukcapil1")


def test_an_agency_supervisor_cannot_see_or_move_another_agencys_complaint_by_url(server, accounts):
    theirs = accounts.file_complaint(NewComplaint("SAMSAT", "complaint", "web", "pajak"))
    code = shown_reference(theirs.reference)
    browser, _ = log_in(server, "dukcapil1", "rahasia-duk")
    assert code not in browser.get("/staff/complaints").text
    assert browser.get(f"/staff/complaints/{code}").status_code == 404
    token = csrf_of(browser.get("/staff/complaints"))
    answer = browser.post(f"/staff/complaints/{code}", data={"csrf": token, "status": "verified"})
    assert answer.status_code == 404
    assert accounts.complaints()[0].status.value == "received"
    assert log_in(server, "sari", "rahasia123")[0].get("/staff/complaints").status_code in (
        303,
        403,
    )


def test_the_skm_report_downloads_as_xlsx_and_pdf_within_what_the_person_may_see(server, accounts):
    rated(accounts, "KTP", "L1", "444444444")
    day = accounts.clock.now().date().isoformat()
    browser, _ = log_in(server, "super1", "rahasia-super")
    book = browser.get(f"/staff/skm.xlsx?from={day}&to={day}")
    assert book.status_code == 200 and book.content[:2] == b"PK"
    assert "attachment" in book.headers["content-disposition"]
    pdf = browser.get(f"/staff/skm.pdf?from={day}&to={day}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert browser.get(f"/staff/skm.doc?from={day}&to={day}").status_code == 404
    agency, _ = log_in(server, "dukcapil1", "rahasia-duk")
    assert agency.get(f"/staff/skm.xlsx?from={day}&to={day}&agency=SAMSAT").status_code == 403
    assert client(server).get("/staff/skm.pdf").status_code == 303  # no session: to the login


def test_the_monthly_complaints_report_downloads_within_the_persons_agency(server, accounts):
    accounts.file_complaint(NewComplaint("DUKCAPIL", "complaint", "box", "a"))
    accounts.file_complaint(NewComplaint("SAMSAT", "complaint", "box", "b"))
    browser, _ = log_in(server, "dukcapil1", "rahasia-duk")
    register = browser.get("/staff/complaints").text  # the form starts on the month so far
    assert 'name="from" value="2026-11-01"' in register
    assert 'name="to" value="2026-11-30"' in register
    table = browser.get("/staff/complaints.csv?from=2026-11-01&to=2026-11-30")
    assert table.status_code == 200 and "attachment" in table.headers["content-disposition"]
    lines = table.text.strip().splitlines()
    assert lines[0].startswith("Bulan,Instansi,Jenis,Diterima") and len(lines) == 2
    assert lines[1].startswith("2026-11,DUKCAPIL,Pengaduan,1")
    book = browser.get("/staff/complaints.xlsx?from=2026-11-01&to=2026-11-30")
    assert book.status_code == 200 and book.content[:2] == b"PK"
    assert browser.get("/staff/complaints.csv?from=kemarin").status_code == 400


def test_suggestions_are_read_on_the_skm_page_and_exported_as_text_never_as_formulas(
    server, accounts
):
    for words in ("Ruang tunggu panas", '=HYPERLINK("http://evil","klik")'):
        ticket = accounts.issue_ticket("KTP")
        accounts.call_next("L1")
        accounts.finish("L1")
        accounts.answer_survey(SurveyAnswer((4,) * 9, "phone", {}, words), token=ticket.token)
    browser, _ = log_in(server, "super1", "rahasia-super")
    day = accounts.clock.now().date().isoformat()
    page = html.unescape(browser.get(f"/staff/skm?from={day}&to={day}").text)
    assert "Ruang tunggu panas" in page and "Saran dan masukan terbaru" in page
    book = load_workbook(io.BytesIO(browser.get(f"/staff/skm.xlsx?from={day}&to={day}").content))
    said = [row[2] for row in book["Saran"].iter_rows(min_row=2, values_only=True)]
    assert said == ["Ruang tunggu panas", '\'=HYPERLINK("http://evil","klik")']
    assert all(cell.data_type == "s" for row in book["Saran"].iter_rows() for cell in row)


def test_the_web_server_keeps_ended_months_by_itself(db_url, clock, public_site):
    """(So no supervisor waits for a month's counting; see test_report_rollups.)"""
    with QueueEngine.open(db_url, clock=clock) as engine:
        engine.load_site(load_site_file(public_site))
        engine.issue_ticket("KTP")
    clock.advance(days=3)  # Thursday 3 December: November has ended
    server = start_server(db_url, clock, public_site)
    try:
        deadline = time.monotonic() + 20
        with QueueEngine.open(db_url, clock=clock) as engine:
            while "2026-11" not in kept_months(engine):
                assert time.monotonic() < deadline, "November was not kept"
                time.sleep(0.1)
    finally:
        server.stop()


def kept_months(engine: QueueEngine) -> set[str]:
    with engine.db.engine.connect() as conn:
        return set(conn.scalars(select(report_months.c.month)))


def staff_posts(server, reference: str) -> list[str]:
    """Every POST address of the console the app mounts (path parameters filled in), so a
    route added later is swept too."""
    paths = []
    for route in server.app.app.routes:
        path, methods = getattr(route, "path", ""), getattr(route, "methods", None) or ()
        if path.startswith("/staff") and "POST" in methods and path != "/staff/login":
            paths.append(path.replace("{reference}", reference))
    assert not [p for p in paths if "{" in p], "a new path parameter needs a value here"
    return paths


def test_no_staff_action_is_taken_without_a_session_and_its_forms_token(server, accounts):
    complaint = accounts.file_complaint(NewComplaint("DUKCAPIL", "complaint", "web", "x"))
    posts = staff_posts(server, shown_reference(complaint.reference))
    assert len(posts) >= 7  # logout, site, accounts, bookings (2), skm, complaints
    data = {"action": "disable", "username": "sari", "status": "verified", "code": "X"}
    stranger = client(server)
    admin, _ = log_in(server, "admin1", "rahasia-admin")
    token = csrf_of(admin.get("/staff"))
    seen = len(list(accounts.events_after(0)))
    for path in posts:
        anonymous = stranger.post(path, data={**data, "csrf": token})
        assert anonymous.status_code in (303, 403), path
        assert anonymous.headers.get("location") in (None, "/staff/login"), path
        for forged in ("", "forged", token[:-1]):
            assert admin.post(path, data={**data, "csrf": forged}).status_code == 403, path
        elsewhere = admin.post(
            path, data={**data, "csrf": token}, headers={"origin": "https://evil.example"}
        )
        assert elsewhere.status_code == 403, path
    assert len(list(accounts.events_after(0))) == seen  # nothing changed, nobody logged out
    assert admin.get("/staff").status_code == 200
    assert all(a.active for a in accounts.list_accounts())


def test_no_console_page_or_download_opens_to_a_stranger(server, accounts):
    complaint = accounts.file_complaint(
        NewComplaint("DUKCAPIL", "complaint", "web", "x", contact="08123")
    )
    stranger = client(server)
    gets = []
    for route in server.app.app.routes:
        path, methods = getattr(route, "path", ""), getattr(route, "methods", None) or ()
        if path.startswith("/staff") and "GET" in methods and path != "/staff/login":
            path = path.replace("{reference}", shown_reference(complaint.reference))
            gets += [path.replace("{kind:str}", kind) for kind in ("xlsx", "pdf", "csv")]
    assert not [p for p in gets if "{" in p], "a new path parameter needs a value here"
    for path in dict.fromkeys(gets):
        answer = stranger.get(path)
        assert answer.status_code in (303, 403, 404), path
        assert answer.headers.get("location") in (None, "/staff/login"), path
        assert "08123" not in answer.text, path
