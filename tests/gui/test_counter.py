"""The counter app (pytest-qt, offscreen): login, every action by button and shortcut, the
call-button box over a pty, two counters at once, the database going away and back."""

from __future__ import annotations

import contextlib
import os
import re
import threading
import time
from dataclasses import replace
from datetime import datetime
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QPushButton

from counter.settings import load
from counter.viewmodel import REFRESH_DEBOUNCE_MS, CounterViewModel
from counter.window import CounterWindow, ServiceDialog
from hardware.buttons.simulator import VirtualButtonBox
from hardware.serial_source import DEBOUNCE_SECONDS
from shared.clock import ManualClock
from shared.domain.states import CounterState, TicketState
from shared.engine import QueueEngine
from shared.site_config import load_site_file, parse_site
from tests.conftest import JAKARTA, SMALL_SITE
from tests.gui.threads import assert_none_left, threads_started_since

WAIT = 10_000
MORNING = datetime(2026, 11, 30, 9, 0, tzinfo=JAKARTA)

D = TypeVar("D", bound=QDialog)


@pytest.fixture
def clock():
    return ManualClock(MORNING)


@pytest.fixture
def site(db_url, clock):
    with QueueEngine.open(db_url, clock=clock) as engine:
        engine.load_site(load_site_file(SMALL_SITE))
        engine.add_user("sari", "rahasia123", display_name="Sari")
        engine.add_user("budi", "rahasia456", display_name="Budi")
        for service in ("KTP", "KK", "KTP"):
            engine.issue_ticket(service)
    return db_url


@contextlib.contextmanager
def counter_app(qtbot, url, clock, **settings):
    config = replace(load(None, url), **settings)
    vm = CounterViewModel(config, lambda: QueueEngine.open(url, clock=clock, actor="counter"))
    window = CounterWindow(vm)
    qtbot.addWidget(window)
    window.show()
    vm.start()
    try:
        yield vm, window
    finally:
        vm.stop()


def log_in(qtbot, vm, window, user="sari", password="rahasia123", counter="L1"):
    qtbot.waitUntil(lambda: window.counter_choice.count() > 0, timeout=WAIT)
    window.username.setText(user)
    window.password.setText(password)
    window.counter_choice.setCurrentIndex(window.counter_choice.findData(counter))
    qtbot.mouseClick(window.login_button, Qt.MouseButton.LeftButton)


def serve_first(qtbot, vm, window) -> None:
    """Log in and call the first number: the counter holds a ticket, its services known."""
    log_in(qtbot, vm, window)
    qtbot.waitUntil(lambda: idle(vm) and bool(vm.services()), timeout=WAIT)
    vm.act("next")
    qtbot.waitUntil(lambda: idle(vm) and vm.current() is not None, timeout=WAIT)


def shown(kind: type[D]) -> D:
    """The dialog of that kind on the screen now."""
    return next(w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible())


def idle(vm) -> bool:
    return not vm.busy and vm.view is not None


def state_of(url, clock, number):
    with QueueEngine.open(url, clock=clock) as engine:
        return engine.ticket(number)


def test_staff_log_in_and_the_login_is_recorded(qtbot, site, clock):
    with counter_app(qtbot, site, clock) as (vm, window):
        log_in(qtbot, vm, window)
        qtbot.waitUntil(lambda: idle(vm), timeout=WAIT)
        assert window.pages.currentIndex() == 1 and "Sari" in window.header.text()
    with QueueEngine.open(site, clock=clock) as engine:
        kinds = [e.kind for e in engine.events_after(0)]
        assert "staff_login" in kinds


def test_staff_log_in_from_the_keyboard_alone_with_enter_after_each_field(qtbot, site, clock):
    # Enter after the name did nothing, and people typed their password into the name field
    with counter_app(qtbot, site, clock) as (vm, window):
        qtbot.waitUntil(lambda: window.counter_choice.count() > 0, timeout=WAIT)
        window.counter_choice.setCurrentIndex(window.counter_choice.findData("L1"))
        window.activateWindow()
        window.username.setFocus()
        qtbot.keyClicks(window.username, "sari")
        qtbot.keyClick(window.username, Qt.Key.Key_Return)
        qtbot.waitUntil(window.password.hasFocus, timeout=WAIT)
        qtbot.keyClicks(window.password, "rahasia123")
        qtbot.keyClick(window.password, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: idle(vm) and window.pages.currentIndex() == 1, timeout=WAIT)
        assert window.username.text() == "sari"


def test_staff_change_their_own_password_at_the_login_page_then_log_in_with_it(qtbot, site, clock):
    with counter_app(qtbot, site, clock) as (vm, window):
        qtbot.waitUntil(lambda: window.counter_choice.count() > 0, timeout=WAIT)
        assert not window.new_password.isVisible() and window.counter_choice.isVisible()
        qtbot.mouseClick(window.change_toggle, Qt.MouseButton.LeftButton)
        assert window.new_password.isVisible() and not window.counter_choice.isVisible()
        assert window.login_button.text() == "Ganti kata sandi"
        assert window.login_form.labelForField(window.password).text() == "Kata sandi sekarang"

        def change(current: str, new: str, again: str) -> str:
            window.username.setText("sari")
            window.password.setText(current)
            window.new_password.setText(new)
            window.new_again.setText(again)
            vm.message = ""
            qtbot.mouseClick(window.login_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: not vm.busy and vm.message != "", timeout=WAIT)
            return vm.message

        assert change("rahasia123", "kata-baru-1", "kata-baru-2") == (
            "Kata sandi baru dan ulangannya tidak sama"
        )
        assert change("tebakan-1", "kata-baru-1", "kata-baru-1") == (
            "Nama pengguna atau kata sandi salah"
        )
        assert window.new_password.isVisible()  # still changing, the fields emptied
        assert window.password.text() == window.new_password.text() == ""
        assert change("rahasia123", "kata-baru-1", "kata-baru-1").startswith("Kata sandi diganti")
        assert not window.new_password.isVisible() and window.counter_choice.isVisible()
        log_in(qtbot, vm, window, password="kata-baru-1")
        qtbot.waitUntil(lambda: idle(vm) and window.pages.currentIndex() == 1, timeout=WAIT)


def test_a_password_the_admin_set_turns_the_login_into_choosing_ones_own(qtbot, site, clock):
    with QueueEngine.open(site, clock=clock) as engine:
        engine.set_password("sari", "dari-admin-1", temporary=True)
    with counter_app(qtbot, site, clock) as (vm, window):
        log_in(qtbot, vm, window, password="dari-admin-1")
        qtbot.waitUntil(lambda: not vm.busy and vm.message != "", timeout=WAIT)
        assert vm.message.startswith("Kata sandi ini sementara")
        assert window.pages.currentIndex() == 0 and window.new_password.isVisible()
        assert window.username.text() == "sari"  # kept: the current password again, then hers
        window.password.setText("dari-admin-1")
        window.new_password.setText("milik-sari-1")
        window.new_again.setText("milik-sari-1")
        qtbot.mouseClick(window.login_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not window.new_password.isVisible(), timeout=WAIT)
        log_in(qtbot, vm, window, password="milik-sari-1")
        qtbot.waitUntil(lambda: idle(vm) and window.pages.currentIndex() == 1, timeout=WAIT)


def test_a_wrong_password_is_refused_plainly_and_repeated_ones_must_wait(qtbot, site, clock):
    with counter_app(qtbot, site, clock) as (vm, window):
        for _ in range(3):
            log_in(qtbot, vm, window, password="salah-salah")
            qtbot.waitUntil(lambda: not vm.busy and vm.message != "", timeout=WAIT)
            assert vm.message == "Nama pengguna atau kata sandi salah"
            vm.message = ""
        log_in(qtbot, vm, window)  # even the right password must wait now
        qtbot.waitUntil(lambda: not vm.busy and vm.message != "", timeout=WAIT)
        assert vm.message.startswith("Terlalu banyak percobaan")
        assert window.pages.currentIndex() == 0
    with counter_app(qtbot, site, clock) as (vm, window):  # a restarted app still waits
        log_in(qtbot, vm, window)
        qtbot.waitUntil(lambda: not vm.busy and vm.message != "", timeout=WAIT)
        assert vm.message.startswith("Terlalu banyak percobaan")


def test_the_wait_after_wrong_passwords_counts_down_live_then_allows_a_try(qtbot, site, clock):
    with counter_app(qtbot, site, clock) as (vm, window):
        for _ in range(4):
            log_in(qtbot, vm, window, password="salah-salah")
            qtbot.waitUntil(lambda: not vm.busy and vm.message != "", timeout=WAIT)
        assert vm.locked and not window.login_button.isEnabled()
        vm.locked_until = time.monotonic() + 3.5  # the engine's 30 s, shortened for the test

        def seconds_shown() -> int | None:
            found = re.search(r"dalam (\d+) detik", window.login_message.text())
            return int(found.group(1)) if found else None

        qtbot.waitUntil(lambda: (seconds_shown() or 99) <= 4, timeout=WAIT)  # the new wait
        first = seconds_shown()
        assert first is not None
        qtbot.waitUntil(lambda: (seconds_shown() or 0) < first, timeout=WAIT)  # it counts down
        qtbot.waitUntil(lambda: window.login_message.text() == "", timeout=WAIT)
        assert window.login_button.isEnabled()


def test_logging_in_at_another_counter_ends_the_session_on_this_one(qtbot, site, clock):
    with counter_app(qtbot, site, clock) as (vm, window):
        log_in(qtbot, vm, window)
        qtbot.waitUntil(lambda: idle(vm), timeout=WAIT)
        with QueueEngine.open(site, clock=clock) as engine:
            engine.login("sari", "rahasia123", "L2", place="pc-2")
        qtbot.waitUntil(lambda: vm.member is None, timeout=WAIT)
        assert vm.message.startswith("Sesi di loket ini berakhir")
        assert window.pages.currentIndex() == 0


def test_a_supervisor_closing_this_counter_from_elsewhere_ends_the_session(qtbot, site, clock):
    with counter_app(qtbot, site, clock) as (vm, window):
        log_in(qtbot, vm, window)
        qtbot.waitUntil(lambda: idle(vm), timeout=WAIT)
        with QueueEngine.open(site, clock=clock) as engine:
            engine.set_counter_state("L1", CounterState.CLOSED, by="super1")
            assert [c.staff for c in engine.board().counters if c.code == "L1"] == [None]
        qtbot.waitUntil(lambda: vm.member is None, timeout=WAIT)
        assert vm.message.startswith("Sesi di loket ini berakhir")
        assert window.pages.currentIndex() == 0


@pytest.mark.parametrize("how", ["buttons", "shortcuts"])
def test_every_action_ends_in_the_right_database_state(qtbot, site, clock, how):
    def press(window, action, key):
        if how == "buttons":
            qtbot.mouseClick(window.buttons[action], Qt.MouseButton.LeftButton)
        else:
            qtbot.keyClick(window, key)

    with counter_app(qtbot, site, clock) as (vm, window):
        log_in(qtbot, vm, window)
        qtbot.waitUntil(lambda: idle(vm), timeout=WAIT)
        steps = [
            ("next", Qt.Key.Key_F1, "A001", TicketState.CALLED),
            ("recall", Qt.Key.Key_F2, "A001", TicketState.CALLED),
            ("start", Qt.Key.Key_F3, "A001", TicketState.SERVING),
            ("finish", Qt.Key.Key_F4, "A001", TicketState.DONE),
            ("next", Qt.Key.Key_F1, "A002", TicketState.CALLED),
            ("skip", Qt.Key.Key_F5, "A002", TicketState.NO_SHOW),
        ]
        for action, key, number, state in steps:
            qtbot.waitUntil(lambda action=action: vm.enabled(action), timeout=WAIT)
            press(window, action, key)
            qtbot.waitUntil(lambda: idle(vm) and not vm._debounce.isActive(), timeout=WAIT)
            assert state_of(site, clock, number).state == state, action
        assert state_of(site, clock, "A001").call_count == 2
        qtbot.waitUntil(lambda: vm.enabled("pause"), timeout=WAIT)  # the view has caught up
        press(window, "pause", Qt.Key.Key_F8)
        qtbot.waitUntil(lambda: vm.view.counter.state == CounterState.PAUSED, timeout=WAIT)
        assert "Loket sedang istirahat" in window.notice.text()
        assert not window.buttons["next"].isEnabled()
        qtbot.waitUntil(lambda: vm.enabled("resume"), timeout=WAIT)
        press(window, "resume", Qt.Key.Key_F9)
        qtbot.waitUntil(lambda: vm.view.counter.state == CounterState.OPEN, timeout=WAIT)


def test_the_days_figures_say_none_served_yet_until_a_visit_ends_then_its_average(
    qtbot, site, clock
):
    with counter_app(qtbot, site, clock) as (vm, window):
        serve_first(qtbot, vm, window)
        assert window.figures.text() == "Hari ini: belum ada yang selesai dilayani · 0 tidak hadir"
        vm.act("start")
        qtbot.waitUntil(lambda: idle(vm) and vm.enabled("finish"), timeout=WAIT)
        clock.advance(minutes=12)
        vm.act("finish")
        qtbot.waitUntil(lambda: idle(vm) and vm.view.figures.served == 1, timeout=WAIT)
        assert window.figures.text() == (
            "Hari ini: 1 dilayani · 0 tidak hadir · rata-rata 12 menit (standar 60 menit)"
        )


def test_the_counters_state_in_the_top_bar_reads_as_a_state_not_a_button(qtbot, site, clock):
    # a green "Buka" as tall as the buttons beside it read as a button that opens the counter
    with counter_app(qtbot, site, clock) as (vm, window):
        log_in(qtbot, vm, window)
        qtbot.waitUntil(lambda: idle(vm), timeout=WAIT)
        assert window.state_chip.text() == "● Buka"
        assert window.state_chip.height() < window.buttons["logout"].height() * 0.8
        vm.act("pause")
        qtbot.waitUntil(lambda: window.state_chip.text() == "● Istirahat", timeout=WAIT)


def test_ringkas_turns_the_window_small_and_on_top_and_back_and_it_stays_on_the_screen(
    qtbot, site, clock
):
    # setting the on-top flag hid the window, which then stayed hidden: the counter vanished
    with counter_app(qtbot, site, clock) as (vm, window):
        serve_first(qtbot, vm, window)
        window.compact_toggle.click()
        qtbot.waitUntil(lambda: window.isVisible() and window.width() <= 680, timeout=WAIT)
        assert window.height() <= 560  # beside the agency's own software on a 1366x768 screen
        assert window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
        assert not window.side.isVisible() and window.buttons["next"].isVisible()
        window.compact_toggle.click()
        qtbot.waitUntil(lambda: window.isVisible() and window.width() == 1366, timeout=WAIT)
        assert not window.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
        assert window.side.isVisible()


def test_a_long_staff_name_stays_on_one_line_in_the_small_windows_top_bar(qtbot, site, clock):
    whole = "Loket 1  ·  Raden Ajeng Siti Nurhaliza Rahmawati Putri Kusumawardhani"
    with QueueEngine.open(site, clock=clock) as engine:
        engine.add_user("raden", "rahasia789", display_name=whole.split("·  ")[1])
    with counter_app(qtbot, site, clock) as (vm, window):
        log_in(qtbot, vm, window, user="raden", password="rahasia789")
        qtbot.waitUntil(lambda: idle(vm), timeout=WAIT)
        assert window.header.text() == whole  # the full window has room: wrapped if need be
        window.compact_toggle.click()
        qtbot.waitUntil(lambda: window.width() <= 680, timeout=WAIT)
        header = window.header
        qtbot.waitUntil(lambda: header.text().endswith("…"), timeout=WAIT)
        assert header.text().startswith("Loket 1") and not header.wordWrap()
        width = header.fontMetrics().horizontalAdvance(header.text())
        assert width <= header.contentsRect().width() and header.toolTip() == whole
        window.compact_toggle.click()
        qtbot.waitUntil(lambda: window.header.text() == whole, timeout=WAIT)


def test_actions_that_make_no_sense_now_are_disabled_not_hidden(qtbot, site, clock):
    with counter_app(qtbot, site, clock) as (vm, window):
        log_in(qtbot, vm, window)
        qtbot.waitUntil(lambda: idle(vm), timeout=WAIT)
        enabled = {a: b.isEnabled() for a, b in window.buttons.items()}
        assert all(b.isVisible() for b in window.buttons.values())
        assert enabled == {
            "next": True,
            "recall": False,
            "start": False,
            "finish": False,
            "skip": False,
            "park": False,
            "transfer": False,
            "specific": True,
            "walk_in": True,
            "pause": True,
            "resume": False,
            "logout": True,
        }


def test_transfer_through_the_searchable_list(qtbot, site, clock):
    with counter_app(qtbot, site, clock) as (vm, window):
        serve_first(qtbot, vm, window)

        def choose():
            dialog = shown(ServiceDialog)
            dialog.search.setText("akta")
            dialog.accept()

        QTimer.singleShot(200, choose)
        window.trigger("transfer")
        qtbot.waitUntil(lambda: idle(vm) and vm.current() is None, timeout=WAIT)
    moved = state_of(site, clock, "A001")
    assert (moved.service_code, moved.state, moved.source) == ("AKTA", "waiting", "transfer")


def test_transfer_is_chosen_by_keyboard_confirmed_and_f1_works_right_after(qtbot, site, clock):
    with counter_app(qtbot, site, clock) as (vm, window):
        serve_first(qtbot, vm, window)
        seen = {}

        def choose():
            dialog = shown(ServiceDialog)
            seen["buttons"] = [b.text() for b in dialog.findChildren(QPushButton)]
            qtbot.keyClicks(dialog.search, "e")  # KTP Elektronik, Pajak Kendaraan, Layanan lama
            qtbot.keyClick(dialog.search, Qt.Key.Key_Down)  # the second of them
            seen["chosen"] = dialog.chosen()
            qtbot.keyClick(dialog.search, Qt.Key.Key_Return)

        QTimer.singleShot(200, choose)
        qtbot.keyClick(window, Qt.Key.Key_F6)
        qtbot.waitUntil(lambda: idle(vm) and vm.current() is None, timeout=WAIT)
        assert {"Alihkan", "Batal"} <= set(seen["buttons"]) and "OK" not in seen["buttons"]
        moved = state_of(site, clock, "A001")
        assert moved.service_code == seen["chosen"] != "KTP"
        assert window.message.text().startswith("A001 dialihkan ke")  # said what happened
        qtbot.keyClick(window, Qt.Key.Key_F1)  # no click needed to get the keyboard back
        qtbot.waitUntil(lambda: idle(vm) and vm.current() is not None, timeout=WAIT)


def test_a_ticket_is_sent_to_a_colleagues_counter_from_the_same_list_and_marked_there(
    qtbot, site, clock
):
    with counter_app(qtbot, site, clock) as (vm, window):
        serve_first(qtbot, vm, window)  # A001 (KTP) at L1; L2 and L3 serve KTP too
        with QueueEngine.open(site, clock=clock) as engine:
            engine.close_counter("L2")  # nobody there: not offered
        qtbot.waitUntil(lambda: "L2" not in vm.view.colleagues, timeout=WAIT)
        seen = {}

        def choose():
            dialog = shown(ServiceDialog)
            items = [dialog.list.item(r).text() for r in range(dialog.list.count())]
            seen["desks"] = [i for i in items if i.startswith("→")]
            qtbot.keyClicks(dialog.search, "loket 3")
            qtbot.keyClick(dialog.search, Qt.Key.Key_Return)

        QTimer.singleShot(200, choose)
        qtbot.keyClick(window, Qt.Key.Key_F6)
        qtbot.waitUntil(lambda: idle(vm) and vm.current() is None, timeout=WAIT)
        assert seen["desks"] == ["→ Loket 3 (hanya loket itu yang memanggil)"]
        assert window.message.text() == "A001 dialihkan ke Loket 3 dan menunggu dipanggil di sana"
        qtbot.waitUntil(lambda: idle(vm) and vm.view.counter.current is None, timeout=WAIT)
        assert waiting_numbers(window) == ["A002", "A003"]  # A001 waits for Loket 3 only
    with counter_app(qtbot, site, clock) as (vm, window):
        log_in(qtbot, vm, window, user="budi", password="rahasia456", counter="L3")
        qtbot.waitUntil(lambda: idle(vm) and "A001" in waiting_numbers(window), timeout=WAIT)
        row = waiting_numbers(window).index("A001")
        assert window.waiting.item(row, 1).text() == "KTP Elektronik · dialihkan ke loket ini"
        qtbot.waitUntil(lambda: vm.enabled("pause"), timeout=WAIT)
        qtbot.mouseClick(window.buttons["pause"], Qt.MouseButton.LeftButton)  # (Istirahat)
        qtbot.waitUntil(lambda: vm.view.counter.state == CounterState.PAUSED, timeout=WAIT)
        assert window.message.text() == (
            "Istirahat: 1 nomor yang dialihkan ke loket ini menunggu sampai Anda kembali"
        )


def test_a_site_file_loaded_while_logged_in_changes_the_transfer_list_at_once(qtbot, site, clock):
    text = SMALL_SITE.read_text(encoding="utf-8")
    pkb = 'product = "STNK disahkan"\n'
    changed = text.replace(pkb, pkb + "active = false\n")  # closed: nothing of it waits
    changed = changed.replace("active = false\n\n[[counters]]", "\n[[counters]]")  # LAMA open
    changed = changed.replace('services = ["PKB"]', 'services = ["LAMA"]')
    with counter_app(qtbot, site, clock) as (vm, window):
        serve_first(qtbot, vm, window)
        before = [code for code, _ in vm.transfer_choices()]
        assert "PKB" in before and "LAMA" not in before
        qtbot.wait(4 * REFRESH_DEBOUNCE_MS)  # the refresh the call's own event brings is over
        with QueueEngine.open(site, clock=clock) as engine:
            engine.load_site(parse_site(changed))  # PKB closed, LAMA opened
        qtbot.waitUntil(lambda: "LAMA" in dict(vm.transfer_choices()), timeout=WAIT)
        assert "PKB" not in dict(vm.transfer_choices())
        assert dict(vm.transfer_choices())["LAMA"] == "Layanan lama (SAMSAT)"


def test_a_refusal_reads_in_red_and_an_account_of_what_was_done_does_not(qtbot, site, clock):
    with counter_app(qtbot, site, clock) as (vm, window):
        serve_first(qtbot, vm, window)
        vm.act("park")
        qtbot.waitUntil(lambda: idle(vm) and "A001 ditunda" in window.message.text(), timeout=WAIT)
        assert window.message.property("error") is False
        vm.act("specific", "Z999")  # no such number today
        qtbot.waitUntil(lambda: idle(vm) and vm.message_is_error, timeout=WAIT)
        assert "Z999" in window.message.text() and window.message.property("error") is True
        vm.act("next")
        qtbot.waitUntil(lambda: idle(vm) and vm.current() is not None, timeout=WAIT)
        assert window.message.property("error") is False  # the refusal is not left standing


def waiting_numbers(window) -> list[str]:
    return [window.waiting.item(r, 0).text() for r in range(window.waiting.rowCount())]


def test_a_walk_in_is_served_at_once_in_one_of_the_counters_own_services(qtbot, site, clock):
    with counter_app(qtbot, site, clock) as (vm, window):
        serve_first(qtbot, vm, window)  # A001 held at L1: the walk-in ends it as next would
        seen = {}

        def choose():
            dialog = shown(ServiceDialog)
            seen["services"] = [dialog.list.item(r).text() for r in range(dialog.list.count())]
            seen["buttons"] = [b.text() for b in dialog.findChildren(QPushButton)]
            qtbot.keyClicks(dialog.search, "akta")
            qtbot.keyClick(dialog.search, Qt.Key.Key_Return)

        QTimer.singleShot(200, choose)
        qtbot.keyClick(window, Qt.Key.Key_F10)
        qtbot.waitUntil(lambda: idle(vm) and vm.current().number == "B001", timeout=WAIT)
        # L1 serves KTP, KK and AKTA, in that order; no other agency's service is offered
        assert [s.split(" (")[0] for s in seen["services"]] == [
            "KTP Elektronik",
            "Kartu Keluarga",
            "Akta Kelahiran",
        ]
        assert {"Layani", "Batal"} <= set(seen["buttons"])
        assert vm.current().state == "serving" and vm.current().source == "walk_in"
        assert "tanpa tiket" in window.details.text()
        assert state_of(site, clock, "A001").state == "done"
        assert not window.buttons["recall"].isEnabled()  # nobody in the waiting room to call


def test_a_skipped_number_is_offered_below_the_queue_and_called_back_with_one_touch(
    qtbot, site, clock
):
    with counter_app(qtbot, site, clock) as (vm, window):
        serve_first(qtbot, vm, window)
        assert not window.call_back.isVisible()  # nobody skipped yet: no empty section
        vm.act("skip")  # A001 did not come
        first = window.call_back_buttons[0]
        qtbot.waitUntil(lambda: idle(vm) and first.isVisible(), timeout=WAIT)
        assert first.text() == "A001" and first.isEnabled()
        assert not window.call_back_buttons[1].isVisible()
        assert window.call_back_title.text() == (
            "DILEWATI HARI INI (1): SENTUH UNTUK MEMANGGIL LAGI"
        )
        qtbot.mouseClick(first, Qt.MouseButton.LeftButton)  # here after all: called again
        qtbot.waitUntil(lambda: idle(vm) and vm.current() is not None, timeout=WAIT)
        assert vm.current().number == "A001" and vm.current().state == "called"
        qtbot.waitUntil(lambda: not window.call_back.isVisible(), timeout=WAIT)


def test_f11_parks_the_visit_and_the_parked_number_comes_first_in_the_call_back_list(
    qtbot, site, clock
):
    with counter_app(qtbot, site, clock) as (vm, window):
        serve_first(qtbot, vm, window)
        vm.act("start")
        qtbot.waitUntil(lambda: idle(vm) and vm.current().state == "serving", timeout=WAIT)
        assert window.buttons["park"].isEnabled()
        qtbot.keyClick(window, Qt.Key.Key_F11)  # A001 must fetch a paper first
        qtbot.waitUntil(lambda: idle(vm) and vm.current() is None, timeout=WAIT)
        assert "A001 ditunda" in window.message.text()
        vm.act("next")  # A002 meanwhile, who does not come
        qtbot.waitUntil(lambda: idle(vm) and vm.current() is not None, timeout=WAIT)
        vm.act("skip")
        second = window.call_back_buttons[1]
        qtbot.waitUntil(lambda: idle(vm) and second.isVisible(), timeout=WAIT)
        first = window.call_back_buttons[0]
        assert (first.text(), second.text()) == ("A001", "A002")
        assert first.property("parked") is True and second.property("parked") is False
        assert "(ditunda)" in first.toolTip() and "(tidak hadir)" in second.toolTip()
        assert window.call_back_title.text() == (
            "DITUNDA DI SINI (1) · DILEWATI HARI INI (1): SENTUH UNTUK MEMANGGIL LAGI"
        )
        qtbot.mouseClick(first, Qt.MouseButton.LeftButton)  # back with the paper
        qtbot.waitUntil(lambda: idle(vm) and vm.current() is not None, timeout=WAIT)
        assert (vm.current().number, vm.current().state) == ("A001", "called")
        qtbot.waitUntil(lambda: window.call_back_buttons[0].text() == "A002", timeout=WAIT)
        assert not window.call_back_buttons[1].isVisible()


def test_the_dialogs_a_counter_asks_with_are_gone_once_answered(qtbot, site, clock):
    # each was a child of the window for as long as the window lived: one more a question
    with counter_app(qtbot, site, clock) as (vm, window):
        serve_first(qtbot, vm, window)
        asked = []

        def cancel() -> None:
            dialog = shown(QDialog)
            asked.append(type(dialog).__name__)
            dialog.reject()

        for action in ("transfer", "specific", "transfer", "specific"):
            QTimer.singleShot(200, cancel)
            window.trigger(action)
        assert asked == ["ServiceDialog", "QInputDialog"] * 2
        qtbot.waitUntil(lambda: not window.findChildren(QDialog), timeout=WAIT)
        assert vm.current().number == "A001"  # cancelled: nothing happened to the ticket


@pytest.mark.parametrize("answer", ["finish", "stay"])
def test_ctrl_q_with_a_ticket_held_says_why_and_offers_to_finish_first(qtbot, site, clock, answer):
    with counter_app(qtbot, site, clock) as (vm, window):
        log_in(qtbot, vm, window)
        qtbot.waitUntil(lambda: idle(vm), timeout=WAIT)
        vm.act("next")
        qtbot.waitUntil(lambda: idle(vm) and vm.current() is not None, timeout=WAIT)
        said = {}

        def reply():
            box = shown(QMessageBox)
            said["text"] = box.text()
            wanted = "Selesai lalu Keluar" if answer == "finish" else "Kembali Melayani"
            next(b for b in box.buttons() if b.text() == wanted).click()

        QTimer.singleShot(200, reply)
        qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        assert said["text"].startswith("Nomor A001 masih dilayani di loket ini")
        if answer == "finish":
            qtbot.waitUntil(lambda: vm.member is None and not vm.busy, timeout=WAIT)
            assert state_of(site, clock, "A001").state == TicketState.DONE
        else:
            qtbot.wait(200)
            assert vm.member is not None and vm.current().number == "A001"


def test_the_work_view_fits_1366_by_768_with_every_label_whole(qtbot, site, clock):
    with counter_app(qtbot, site, clock) as (vm, window):
        log_in(qtbot, vm, window)
        qtbot.waitUntil(lambda: idle(vm), timeout=WAIT)
        vm.act("next")
        qtbot.waitUntil(lambda: idle(vm) and vm.current() is not None, timeout=WAIT)
        window.resize(1366, 768)
        qtbot.wait(100)
        area = window.rect()
        for action, button in window.buttons.items():
            corner = button.mapTo(window, button.rect().bottomRight())
            assert area.contains(corner), action  # on screen, not below the fold
            assert button.fontMetrics().horizontalAdvance(button.text()) < button.width()
        assert window.number.font().pixelSize() >= 64 or window.number.fontInfo().pixelSize() >= 64
        primary, others = window.buttons["next"], [window.buttons[a] for a in ("recall", "skip")]
        assert all(primary.height() > b.height() for b in others)  # the obvious first action
        assert window.buttons["start"].property("likely") is True  # called: start is next


def test_a_service_named_by_one_long_word_never_widens_the_window(qtbot, db_url, clock, tmp_path):
    long_name = "Pendaftaran" * 12  # wider than the screen in one word
    site = tmp_path / "site.toml"
    site.write_text(
        SMALL_SITE.read_text().replace('name = "KTP Elektronik"', f'name = "{long_name}"')
    )
    with QueueEngine.open(db_url, clock=clock) as engine:
        engine.load_site(load_site_file(site))
        engine.add_user("sari", "rahasia123", display_name="Sari")
        engine.issue_ticket("KTP")
    with counter_app(qtbot, db_url, clock) as (vm, window):
        window.resize(1366, 768)
        log_in(qtbot, vm, window)
        qtbot.waitUntil(lambda: idle(vm), timeout=WAIT)
        vm.act("next")
        qtbot.waitUntil(lambda: idle(vm) and vm.current() is not None, timeout=WAIT)
        qtbot.wait(100)
        assert window.service.text().replace("\u200b", "") == long_name
        label = window.service  # the word breaks over lines inside the card
        assert label.height() >= 2 * label.fontMetrics().height()
        assert window.width() == 1366  # the waiting list stays beside the work, on the screen
        corner = window.waiting.mapTo(window, window.waiting.rect().bottomRight())
        assert window.rect().contains(corner)


def test_call_a_number_out_of_order(qtbot, site, clock, monkeypatch):
    monkeypatch.setattr(CounterWindow, "ask_number", lambda self: "a3")
    with counter_app(qtbot, site, clock) as (vm, window):
        log_in(qtbot, vm, window)
        qtbot.waitUntil(lambda: idle(vm), timeout=WAIT)
        qtbot.keyClick(window, Qt.Key.Key_F7)
        qtbot.waitUntil(lambda: idle(vm) and vm.current() is not None, timeout=WAIT)
        assert vm.current().number == "A003"


def test_a_ticket_changed_elsewhere_gives_a_message_and_refreshes(qtbot, site, clock):
    with counter_app(qtbot, site, clock) as (vm, window):
        log_in(qtbot, vm, window)
        qtbot.waitUntil(lambda: idle(vm), timeout=WAIT)
        vm.act("next")
        qtbot.waitUntil(lambda: idle(vm) and vm.current() is not None, timeout=WAIT)
        with QueueEngine.open(site, clock=clock) as supervisor:
            supervisor.finish("L1")  # someone finished it from another PC
        vm.act("start")  # the view still showed it as called
        qtbot.waitUntil(
            lambda: idle(vm) and vm.message != "" and vm.current() is None, timeout=WAIT
        )
        assert "Loket L1 tidak sedang memanggil" in vm.message


def test_two_counter_windows_pressing_next_together_get_different_tickets(qtbot, site, clock):
    with counter_app(qtbot, site, clock) as (one, w1), counter_app(qtbot, site, clock) as (two, w2):
        log_in(qtbot, one, w1, "sari", "rahasia123", "L1")
        log_in(qtbot, two, w2, "budi", "rahasia456", "L3")
        qtbot.waitUntil(lambda: idle(one) and idle(two), timeout=WAIT)
        one.act("next")
        two.act("next")
        qtbot.waitUntil(
            lambda: idle(one) and idle(two) and bool(one.current() and two.current()), timeout=WAIT
        )
        assert {one.current().number, two.current().number} == {"A001", "A002"}


def test_the_call_button_box_drives_this_counter_and_no_other(qtbot, site, clock):
    with (
        VirtualButtonBox() as box,
        counter_app(qtbot, site, clock, buttons=box.path) as (vm, window),
    ):
        log_in(qtbot, vm, window)
        qtbot.waitUntil(lambda: idle(vm) and vm.buttons_connected is True, timeout=WAIT)
        box.press("3:NEXT")  # another counter's button
        box.press("1:NEXT")
        qtbot.waitUntil(lambda: idle(vm) and vm.current() is not None, timeout=WAIT)
        assert vm.current().number == "A001"
        box.press("1:NEXT")  # a bounce
        box.press("1:RECALL")
        qtbot.waitUntil(lambda: state_of(site, clock, "A001").call_count == 2, timeout=WAIT)
        # a press while an action runs is ignored: wait until the recall has come back
        qtbot.waitUntil(lambda: idle(vm) and vm.current().call_count == 2, timeout=WAIT)
        box.press("1:FINISH")
        qtbot.waitUntil(
            lambda: state_of(site, clock, "A001").state == TicketState.DONE, timeout=WAIT
        )
        assert state_of(site, clock, "A002").state == TicketState.WAITING
        qtbot.waitUntil(lambda: idle(vm) and vm.current() is None, timeout=WAIT)
        qtbot.wait(int(DEBOUNCE_SECONDS * 1000))  # so this press is not taken for the bounce
        box.press("1:NEXT")
        qtbot.waitUntil(lambda: idle(vm) and vm.current() is not None, timeout=WAIT)
        box.press("1:TUNDA")  # a paper to fetch: parked, the counter free for the next
        qtbot.waitUntil(
            lambda: state_of(site, clock, "A002").state == TicketState.PARKED, timeout=WAIT
        )


def test_a_stopped_counter_app_leaves_no_thread_running(qtbot, site, clock):
    with VirtualButtonBox() as box:
        before = set(threading.enumerate())
        with counter_app(qtbot, site, clock, buttons=box.path) as (vm, window):
            log_in(qtbot, vm, window)
            qtbot.waitUntil(lambda: idle(vm) and vm.buttons_connected is True, timeout=WAIT)
            box.press("1:NEXT")
            qtbot.waitUntil(lambda: idle(vm) and vm.current() is not None, timeout=WAIT)
            assert threads_started_since(before)  # database, change feed, call buttons
        assert_none_left(qtbot, before)


def test_an_unplugged_button_box_shows_a_warning_and_comes_back(qtbot, site, clock, tmp_path):
    link = tmp_path / "ttyUSB-buttons"
    first = VirtualButtonBox()
    os.symlink(first.path, link)
    with counter_app(qtbot, site, clock, buttons=str(link)) as (vm, window):
        log_in(qtbot, vm, window)
        qtbot.waitUntil(lambda: idle(vm) and vm.buttons_connected is True, timeout=WAIT)
        first.unplug()
        link.unlink()
        qtbot.waitUntil(lambda: vm.buttons_connected is False, timeout=WAIT)
        assert "Tombol panggil terputus" in window.notice.text()
        second = VirtualButtonBox()
        os.symlink(second.path, link)
        qtbot.waitUntil(lambda: vm.buttons_connected is True, timeout=WAIT)
        second.press("1:NEXT")
        qtbot.waitUntil(lambda: idle(vm) and vm.current() is not None, timeout=WAIT)
        second.unplug()


def test_logout_closes_the_counter_and_is_recorded(qtbot, site, clock):
    with counter_app(qtbot, site, clock) as (vm, window):
        log_in(qtbot, vm, window)
        qtbot.waitUntil(lambda: idle(vm), timeout=WAIT)
        qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: vm.member is None and not vm.busy, timeout=WAIT)
        assert window.pages.currentIndex() == 0
    with QueueEngine.open(site, clock=clock) as engine:
        assert engine.counter_view("L1").counter.state == CounterState.CLOSED
        assert engine.events_after(0)[-1].kind == "staff_logout"


@pytest.mark.postgres
def test_a_database_away_at_start_is_waited_out_with_one_call_button_reader(
    qtbot, pg_through_proxy, clock, monkeypatch
):
    monkeypatch.setattr("counter.viewmodel.RETRY_MS", 100)  # many retries while it is away
    url, proxy = pg_through_proxy
    with QueueEngine.open(url, clock=clock) as engine:
        engine.load_site(load_site_file(SMALL_SITE))
        engine.add_user("sari", "rahasia123")
        engine.issue_ticket("KTP")
    proxy.cut()
    with VirtualButtonBox() as box, counter_app(qtbot, url, clock, buttons=box.path) as (vm, w):
        qtbot.waitUntil(lambda: vm.offline and vm.buttons_connected is True, timeout=20_000)
        qtbot.wait(1500)  # the login screen retries its list of counters all the while
        proxy.restore()
        log_in(qtbot, vm, w)
        qtbot.waitUntil(lambda: idle(vm) and not vm.offline, timeout=20_000)
        readers = [t for t in threading.enumerate() if t.name == "call buttons" and t.is_alive()]
        assert len(readers) == 1
        box.press("1:NEXT")
        qtbot.waitUntil(lambda: idle(vm) and vm.current() is not None, timeout=WAIT)


@pytest.mark.postgres
def test_the_actions_wait_out_a_lost_database_and_come_back(qtbot, pg_through_proxy, clock):
    url, proxy = pg_through_proxy
    with QueueEngine.open(url, clock=clock) as engine:
        engine.load_site(load_site_file(SMALL_SITE))
        engine.add_user("sari", "rahasia123")
        engine.issue_ticket("KTP")
    with counter_app(qtbot, url, clock) as (vm, window):
        log_in(qtbot, vm, window)
        qtbot.waitUntil(lambda: idle(vm), timeout=WAIT)
        proxy.cut()
        vm.refresh()
        qtbot.waitUntil(lambda: vm.offline, timeout=20_000)
        assert window.banner.isVisible() and not window.buttons["next"].isEnabled()
        assert vm.act("next") is False
        proxy.restore()
        qtbot.waitUntil(lambda: not vm.offline and idle(vm), timeout=20_000)
        assert window.buttons["next"].isEnabled()
        vm.act("next")
        qtbot.waitUntil(lambda: idle(vm) and vm.current() is not None, timeout=WAIT)
