"""The citizen pages in a real headless Chromium at phone size, changed live by the engine."""

from __future__ import annotations

import time

import httpx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from shared.engine import QueueEngine
from shared.engine.survey import SurveyAnswer
from tests.web.conftest import PUBLIC, start_server

WAIT = 10_000
# the cards whose content is wider than they are (a sideways scroll bar inside the card)
OVERFLOWING_CARDS = (
    "[...document.querySelectorAll('.card')]"
    ".filter(card => card.scrollWidth > card.clientWidth + 1).map(card => card.className)"
)


def hub_sees_called(server, token: str) -> bool:
    snapshot = server.hub.progress
    progress = snapshot.tickets.get(token) if snapshot else None
    return progress is not None and progress.state.value == "called"


def open_ticket(phone, server, ticket, query: str = "") -> None:
    phone.goto(server.url + ticket.url.removeprefix(PUBLIC) + query)


def test_a_waiting_ticket_turns_to_your_turn_when_a_counter_calls_it(phone, server, engine):
    ticket = engine.issue_ticket("KTP")
    open_ticket(phone, server, ticket)
    assert phone.locator("#number").inner_text() == "A001"
    assert phone.locator("#turn").is_hidden()
    phone.locator("#sound").click()  # the citizen's first tap allows sound and vibration
    engine.call_next("L1")
    phone.wait_for_selector("#turn:not([hidden])", timeout=WAIT)
    assert "Giliran Anda" in phone.locator("#turn").inner_text()
    assert "Loket 1" in phone.locator("#turn").inner_text()
    assert phone.title() == "Giliran Anda: Loket 1"


def test_a_recall_is_announced_again(phone, server, engine):
    ticket = engine.issue_ticket("KTP")
    engine.call_next("L1")
    open_ticket(phone, server, ticket)
    phone.wait_for_selector("#turn:not([hidden])", timeout=WAIT)  # already called: shown
    phone.locator("#turn-close").click()
    engine.recall("L1")
    phone.wait_for_selector("#turn:not([hidden])", timeout=WAIT)
    assert "Dipanggil lagi (2x)" in phone.locator("#turn").inner_text()


def test_after_a_transfer_the_page_shows_the_new_service_and_its_queue(phone, server, engine):
    ticket = engine.issue_ticket("KTP")
    engine.call_next("L1")
    open_ticket(phone, server, ticket)
    engine.transfer("L1", "AKTA")
    phone.locator("[data-field=transferred]").filter(has_text="Akta").wait_for(timeout=WAIT)
    assert phone.locator("#turn").is_hidden()
    assert "Anda berikutnya" in phone.locator("#status").inner_text()


def test_a_finished_ticket_says_so_and_stops_listening(phone, server, engine):
    ticket = engine.issue_ticket("KTP")
    engine.call_next("L1")
    open_ticket(phone, server, ticket)
    engine.start("L1")
    phone.wait_for_selector("body.state-serving", timeout=WAIT)
    engine.finish("L1")
    phone.wait_for_selector("body.state-done", timeout=WAIT)
    assert "Terima kasih" in phone.locator("#status").inner_text()


def test_the_page_works_in_english(phone, server, engine):
    engine.issue_ticket("KTP")
    ticket = engine.issue_ticket("KTP")
    open_ticket(phone, server, ticket, "?lang=en")
    assert "1 person ahead of you" in phone.locator("#status").inner_text()
    engine.call_next("L1")
    engine.call_next("L1")
    phone.wait_for_selector("#turn:not([hidden])", timeout=WAIT)
    assert "Please go to counter 1" in phone.locator("#turn").inner_text()


def test_without_javascript_the_page_shows_the_state_and_refreshes_itself(browser, server, engine):
    context = browser.new_context(viewport={"width": 360, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    ticket = engine.issue_ticket("KTP")
    engine.call_next("L1")
    # the server learns of the call from its change feed, a moment after the commit
    deadline = time.monotonic() + WAIT / 1000
    while time.monotonic() < deadline and not hub_sees_called(server, ticket.token):
        time.sleep(0.02)
    open_ticket(page, server, ticket)
    assert "Giliran Anda!" in page.locator("#status").inner_text()
    assert 'http-equiv="refresh"' in page.content()
    context.close()


def test_the_board_changes_live_when_a_number_is_called(browser, server, engine):
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    engine.issue_ticket("KTP")
    page.goto(server.url + "/board")
    assert "Tidak ada antrian yang menunggu" not in page.locator("#board").inner_text()
    engine.call_next("L1")
    page.wait_for_selector(".call-list li.latest", timeout=WAIT)
    assert "A001" in page.locator(".call-list li.latest").inner_text()
    context.close()


@pytest.mark.parametrize("width", [320, 360, 1366, 1920])
def test_the_boards_calls_stay_one_line_each_with_priority_and_recall_in_words(
    browser, server, engine, width
):
    engine.issue_ticket("KTP", priority=True)
    engine.call_next("L1")
    engine.recall("L1")
    engine.pause("L3")
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(server.url + "/board")
    page.wait_for_selector(".call-list li.latest .recall-mark", timeout=WAIT)
    latest = page.locator(".call-list li.latest")
    assert "PRIORITAS" in latest.inner_text() and "dipanggil ulang" in latest.inner_text()
    tops = [
        latest.locator(part).bounding_box()["y"]
        for part in (".call-number", ".star", ".call-counter", ".recall-mark")
    ]
    assert max(tops) - min(tops) < 12, tops  # the number, its star, the counter, its mark
    paused = page.locator(".counter.state-paused .counter-state")
    assert paused.inner_text() == "Istirahat"
    assert paused.bounding_box()["height"] < 45  # one line, never "Istiraha / t"
    context.close()


def test_the_catalogue_opens_a_services_standard_in_one_tap(phone, server, engine):
    phone.goto(server.url + "/")
    first = phone.locator("details.standard").first
    first.locator("summary").click()
    assert "Persyaratan" in first.inner_text()


@pytest.mark.postgres
def shows_the_next_call(page, url: str, clock) -> None:
    """Counter L1 calls; the offline page follows it by itself and drops its offline mark."""
    with QueueEngine.open(url, clock=clock) as engine:
        engine.call_next("L1")
    page.wait_for_selector("#turn:not([hidden])", timeout=30_000)
    page.wait_for_selector("#offline[hidden]", state="attached", timeout=WAIT)


def test_pages_mark_a_lost_database_and_recover_by_themselves(
    phone, pg_through_proxy, clock, public_site
):
    url, proxy = pg_through_proxy
    server = start_server(url, clock, public_site, requests_per_second=1000, burst=1000)
    try:
        with QueueEngine.open(url, clock=clock) as engine:
            open_ticket(phone, server, engine.issue_ticket("KTP"))
        proxy.cut()
        phone.wait_for_selector("#offline:not([hidden])", timeout=20_000)
        proxy.restore()
        shows_the_next_call(phone, url, clock)
    finally:
        server.stop()


def test_a_page_refused_its_live_stream_tries_again_and_then_follows_the_calls(
    phone, db_url, clock, public_site
):
    server = start_server(db_url, clock, public_site, burst=1000, streams=1)
    try:
        with QueueEngine.open(db_url, clock=clock) as engine:
            ticket = engine.issue_ticket("KTP")
        with httpx.stream("GET", server.url + "/board/live", timeout=10) as other:
            assert other.status_code == 200  # the address's one live page is taken
            open_ticket(phone, server, ticket)
            phone.wait_for_selector("#offline:not([hidden])", timeout=WAIT)
        shows_the_next_call(phone, db_url, clock)
    finally:
        server.stop()


def test_a_supervisor_watches_the_monitor_change_live_at_a_counter_pc(browser, server, engine):
    engine.add_user("super1", "rahasia-super", role="supervisor", display_name="Sri Supervisor")
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(server.url + "/staff/login")
    page.fill("#username", "super1")
    page.fill("#password", "rahasia-super")
    page.click("button[type=submit]")
    page.wait_for_selector("table.monitor", timeout=WAIT)
    assert "Sri Supervisor" in page.locator(".staff-nav").inner_text()
    engine.issue_ticket("KTP")
    engine.issue_ticket("KK")
    engine.call_next("L1")
    page.wait_for_selector("text=A001 · dipanggil", timeout=WAIT)
    context.close()


def test_a_slow_visits_alert_keeps_the_counters_table_within_its_card_at_a_counter_pc(
    browser, server, engine, clock
):
    engine.add_user("super1", "rahasia-super", role="supervisor")
    engine.issue_ticket("KTP")
    engine.call_next("L1")
    engine.start("L1")
    clock.advance(minutes=60)  # KTP's visits take 8 minutes
    for width, height in ((1366, 768), (360, 800)):
        page = browser.new_context(viewport={"width": width, "height": height}).new_page()
        page.goto(server.url + "/staff/login")
        page.fill("#username", "super1")
        page.fill("#password", "rahasia-super")
        page.click("button[type=submit]")
        page.wait_for_selector("text=jauh melebihi waktu layanan", timeout=WAIT)
        if width == 1366:  # every counter's button in sight, no sideways scroll in a card
            assert page.evaluate(OVERFLOWING_CARDS) == []
        # on a phone the tables scroll inside their cards, the page itself never sideways
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.context.close()


def test_no_citizen_page_hides_anything_sideways_on_a_phone_or_a_pc(browser, server, engine):
    ticket = engine.issue_ticket("KTP")
    engine.call_next("L1")
    engine.finish("L1")
    waiting = engine.issue_ticket("KTP")
    paths = [
        "/",
        "/board",
        "/booking",
        "/pengaduan",
        waiting.url.removeprefix(PUBLIC),
        ticket.url.removeprefix(PUBLIC) + "/survey",
    ]
    for width, height in ((360, 800), (1366, 768)):
        page = browser.new_context(viewport={"width": width, "height": height}).new_page()
        for path in paths:
            page.goto(server.url + path)
            assert page.evaluate(OVERFLOWING_CARDS) == [], (width, path)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (width, path)
        page.goto(server.url + "/pengaduan")  # both kinds of message, each beside its radio
        for choice in page.locator("label.choice").all():
            box, radio = choice.bounding_box(), choice.locator("input").bounding_box()
            assert box and radio and radio["width"] < 40 and box["x"] + box["width"] <= width
        page.context.close()


def test_the_survey_is_offered_when_the_visit_ends_and_answered_on_the_phone(phone, server, engine):
    ticket = engine.issue_ticket("KTP")
    engine.call_next("L1")
    open_ticket(phone, server, ticket)
    assert phone.locator(".survey-offer").is_hidden()  # not before the visit is over
    engine.finish("L1")
    phone.wait_for_selector(".survey-offer:not([hidden])", timeout=WAIT)  # appears live
    phone.locator(".survey-offer").click()
    phone.wait_for_selector("form.survey")
    phone.locator("button[type=submit]").click()  # nothing chosen: the browser asks first
    assert phone.url.endswith("/survey?lang=id")
    for i, code in enumerate(("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")):
        answer = phone.locator(f"#{code} .answer-{4 if i % 3 else 3}")
        assert answer.bounding_box()["height"] >= 96  # a thumb's target, face and words
        answer.click()
    phone.select_option("select[name=sex]", "P")
    phone.fill("textarea[name=suggestion]", "Kursi tunggu kurang")
    phone.locator("button[type=submit]").click()
    phone.wait_for_selector("text=Jawaban Anda sudah tercatat", timeout=WAIT)
    day = engine.clock.now().date()
    report = engine.skm_report(day, day)
    assert report.overall.respondents == 1 and report.channels == {"phone": 1}
    assert report.overall.nrr == (3.0, 4.0, 4.0, 3.0, 4.0, 4.0, 3.0, 4.0, 4.0)
    open_ticket(phone, server, ticket)  # the same page later: thanks, no second survey
    assert "Jawaban Anda sudah tercatat" in phone.locator(".thanks").inner_text()
    assert phone.locator(".survey-offer").count() == 0


def test_a_citizen_files_a_complaint_from_the_ticket_page_and_follows_its_code(
    phone, server, engine
):
    ticket = engine.issue_ticket("KTP")
    open_ticket(phone, server, ticket)
    phone.get_by_text("Sampaikan pengaduan atau saran").first.click()
    phone.wait_for_selector("form.complaint")
    assert phone.locator("select[name=agency]").input_value() == "DUKCAPIL"  # from the ticket
    phone.fill("textarea[name=text]", "Loket 2 tutup, antrian menumpuk")
    phone.fill("input[name=contact]", "0812 9999 0000")
    phone.locator("form.complaint button[type=submit]").click()
    phone.wait_for_selector(".reference", timeout=WAIT)
    code = phone.locator(".reference").inner_text()
    assert len(code) == 14 and "DITERIMA" in phone.locator(".complaint-status").inner_text()
    assert "0812" not in phone.content()
    (complaint,) = engine.complaints(with_contact=True)
    assert (complaint.ticket, complaint.contact) == ("A001", "0812 9999 0000")
    phone.goto(server.url + "/pengaduan")  # later: the code typed in, loosely
    phone.fill("input[name=kode]", code.lower().replace("-", " "))
    phone.get_by_role("button", name="Lihat status").click()
    phone.wait_for_selector(".reference", timeout=WAIT)
    assert phone.locator(".reference").inner_text() == code


def test_a_supervisor_downloads_the_month_report_and_the_ikm_as_xlsx_and_pdf(
    browser, server, engine, tmp_path
):
    engine.add_user("super2", "rahasia-super", role="supervisor")
    ticket = engine.issue_ticket("KTP")
    engine.call_next("L1")
    engine.finish("L1")
    engine.answer_survey(SurveyAnswer((4, 3, 4, 4, 3, 4, 4, 3, 4), "phone"), token=ticket.token)
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = context.new_page()
    page.goto(server.url + "/staff/login")
    page.fill("#username", "super2")
    page.fill("#password", "rahasia-super")
    page.click("button[type=submit]")
    page.wait_for_selector("table.monitor", timeout=WAIT)
    files = {}
    for path, kind in (
        ("/staff/reports", "xlsx"),
        ("/staff/reports", "pdf"),
        ("/staff/skm", "xlsx"),
        ("/staff/skm", "pdf"),
    ):
        page.goto(server.url + path)
        with page.expect_download(timeout=WAIT) as download:
            page.locator(f"a[href^='{path}.{kind}']").click()
        target = tmp_path / f"{path.rsplit('/', 1)[1]}.{kind}"
        download.value.save_as(target)
        files[(path, kind)] = target
    report = load_workbook(files[("/staff/reports", "xlsx")])
    assert "Layanan" in report.sheetnames
    assert any("KTP" in str(row) for row in report["Layanan"].iter_rows(values_only=True))
    text = "".join(p.extract_text() for p in PdfReader(files[("/staff/reports", "pdf")]).pages)
    assert "Laporan Kinerja Pelayanan" in text
    skm = load_workbook(files[("/staff/skm", "xlsx")])
    assert skm.worksheets[1]["E2"].value == 4  # the recapitulation's first answer
    skm_text = "".join(p.extract_text() for p in PdfReader(files[("/staff/skm", "pdf")]).pages)
    assert "91,67" in skm_text and "Sangat Baik" in skm_text
    context.close()


def test_a_name_of_one_long_word_never_widens_a_page_on_a_phone_or_at_a_counter_pc(
    phone, browser, db_url, clock, public_site
):
    long_name = "Pendaftaran" * 12  # wider than the phone in one word
    public_site.write_text(
        public_site.read_text().replace('name = "KTP Elektronik"', f'name = "{long_name}"')
    )
    server = start_server(db_url, clock, public_site)
    try:
        with QueueEngine.open(db_url, clock=clock) as engine:
            ticket = engine.issue_ticket("KTP")
            engine.issue_ticket("KTP")
            engine.add_user("super1", "rahasia-super", role="supervisor")
        for path in ("/", "/board", ticket.url.removeprefix(PUBLIC)):
            phone.goto(server.url + path)
            assert long_name in phone.locator("body").inner_text(), path
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 360, path  # no sideways scrolling: the word breaks inside the page
        for width, height in ((1366, 768), (360, 800)):  # a counter PC, a supervisor's phone
            console = browser.new_context(viewport={"width": width, "height": height}).new_page()
            console.goto(server.url + "/staff/login")
            console.fill("#username", "super1")
            console.fill("#password", "rahasia-super")
            console.click("button[type=submit]")
            console.wait_for_url(server.url + "/staff")
            assert long_name in console.locator("body").inner_text()  # the live monitor
            for path in ("/staff", "/staff/reports"):  # wide tables scroll inside their card
                console.goto(server.url + path)
                assert console.evaluate("document.documentElement.scrollWidth") <= width, path
            console.context.close()
    finally:
        server.stop()
