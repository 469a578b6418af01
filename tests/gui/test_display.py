"""The waiting-room board: calls reach the screen and the voice, in order, never overlapping;
offline and back; memory stays flat over thousands of calls (pytest-qt, offscreen)."""

from __future__ import annotations

import contextlib
import gc
import itertools
import threading
import tracemalloc
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from display.announcements import Announcement, AnnouncementQueue
from display.app import QML
from display.audio import Speaker, write_chime
from display.player import AnnouncementPlayer
from display.settings import load
from display.viewmodel import BoardViewModel
from shared.clock import ManualClock
from shared.domain.states import EventKind
from shared.domain.values import Event
from shared.engine import QueueEngine
from shared.i18n import wait_text
from shared.qt.qml_window import load_window
from shared.site_config import load_site_file, parse_site
from tests.conftest import EXAMPLE_SITE, JAKARTA, SMALL_SITE
from tests.gui.qml_driver import item, past_the_window, text, visible_texts
from tests.gui.threads import assert_none_left, threads_started_since
from tests.unit.test_audio import tone

WAIT = 10_000
MORNING = datetime(2026, 11, 30, 9, 0, tzinfo=JAKARTA)


@pytest.fixture
def clock():
    return ManualClock(MORNING)


def short_speaker(tmp_path, seconds=0.1) -> Speaker:
    """A speaker whose chime lasts 0.1 s, so the tests hear many calls quickly."""
    chime = tmp_path / "chime.wav"
    tone(chime, seconds)
    return Speaker([], write_chime(tmp_path / "real-chime.wav").__class__(chime, seconds))


def make_player(tmp_path, clock, cap=5, seconds=0.1) -> AnnouncementPlayer:
    return AnnouncementPlayer(
        AnnouncementQueue(tmp_path / "announced.txt", cap),
        short_speaker(tmp_path, seconds),
        play_audio=False,
    )


@contextlib.contextmanager
def open_board(url, clock, player, **settings):
    config = replace(load(None, url), fullscreen=False, **settings)
    vm = BoardViewModel(config, lambda: QueueEngine.open(url, clock=clock, actor="display"), player)
    _engine, window = load_window(QML, vm)
    window.resize(1920, 1080)
    window.show()
    vm.start()
    try:
        yield vm, window
    finally:
        vm.stop()
        window.close()


@pytest.fixture
def site(db_url, clock):
    with QueueEngine.open(db_url, clock=clock) as engine:
        engine.load_site(load_site_file(SMALL_SITE))
    return db_url


def test_a_call_at_a_counter_appears_on_the_board_and_is_voiced(qtbot, site, clock, tmp_path):
    player = make_player(tmp_path, clock)
    with (
        open_board(site, clock, player) as (vm, window),
        QueueEngine.open(site, clock=clock) as desk,
    ):
        qtbot.waitUntil(lambda: vm.siteName == "MPP Uji", timeout=WAIT)
        desk.issue_ticket("KTP")
        desk.issue_ticket("KTP")
        with qtbot.waitSignal(player.speaking, timeout=WAIT) as spoken:
            desk.call_next("L3")
        assert spoken.args[0].number == "A001" and spoken.args[0].counter_number == "3"
        qtbot.waitUntil(lambda: text(window, "current_L3") == "A001")
        assert item(window, "callingNumber").property("text") == "A001"
        assert vm.recent.rows[0]["number"] == "A001"
        assert {r["code"]: r["count"] for r in vm.waiting.rows} == {"KTP": 1}


def test_a_site_file_loaded_while_the_board_runs_shows_and_voices_its_new_and_renumbered_counters(
    qtbot, site, clock, tmp_path
):
    player = make_player(tmp_path, clock)
    text_of_site = SMALL_SITE.read_text(encoding="utf-8")
    renumbered = text_of_site.replace('code = "L3"\nnumber = "3"', 'code = "L3"\nnumber = "7"')
    added = renumbered + '\n[[counters]]\ncode = "L5"\nnumber = "5"\nservices = ["KK"]\n'
    with (
        open_board(site, clock, player) as (vm, window),
        QueueEngine.open(site, clock=clock) as desk,
    ):
        qtbot.waitUntil(lambda: vm.siteName == "MPP Uji", timeout=WAIT)
        desk.load_site(parse_site(added))  # L3 is Loket 7 now; L5 opens
        qtbot.waitUntil(lambda: vm.counters.find("L5") >= 0, timeout=WAIT)
        desk.issue_ticket("KK")
        desk.issue_ticket("KTP")
        with qtbot.waitSignal(player.speaking, timeout=WAIT) as spoken:
            desk.call_next("L5")
        assert (spoken.args[0].number, spoken.args[0].counter_number) == ("A001", "5")
        qtbot.waitUntil(lambda: text(window, "current_L5") == "A001")
        with qtbot.waitSignal(player.speaking, timeout=WAIT) as spoken:
            desk.call_next("L3")
        assert (spoken.args[0].number, spoken.args[0].counter_number) == ("A002", "7")


def test_a_walk_in_shows_at_its_counter_but_is_neither_listed_nor_voiced(
    qtbot, site, clock, tmp_path
):
    player = make_player(tmp_path, clock)
    heard = []
    player.speaking.connect(lambda a: heard.append(a.number))
    with (
        open_board(site, clock, player) as (vm, window),
        QueueEngine.open(site, clock=clock) as desk,
    ):
        qtbot.waitUntil(lambda: vm.siteName == "MPP Uji", timeout=WAIT)
        desk.issue_ticket("KTP")
        desk.serve_walk_in("L1", "KTP")  # A002, served at once at L1
        qtbot.waitUntil(lambda: text(window, "current_L1") == "A002", timeout=WAIT)
        with qtbot.waitSignal(player.speaking, timeout=WAIT):
            desk.call_next("L3")  # A001: the call after it is voiced as ever
        qtbot.waitUntil(lambda: not player.busy, timeout=WAIT)
        assert heard == ["A001"]
        assert [r["number"] for r in vm.recent.rows] == ["A001"]


def test_the_box_and_the_highlighted_tile_show_the_call_being_announced(
    qtbot, site, clock, tmp_path
):
    player = make_player(tmp_path, clock, seconds=1.5)  # long enough for a second call to wait

    def highlighted():
        return [r["code"] for r in vm.counters.rows if r["highlight"]]

    with (
        open_board(site, clock, player) as (vm, window),
        QueueEngine.open(site, clock=clock) as desk,
    ):
        qtbot.waitUntil(lambda: vm.siteName != "", timeout=WAIT)
        desk.issue_ticket("KTP")
        desk.issue_ticket("KTP")
        with qtbot.waitSignal(player.speaking, timeout=WAIT):
            desk.call_next("L1")
        desk.call_next("L3")  # called while A001 is still being announced
        qtbot.waitUntil(lambda: vm.recent.rows[0]["number"] == "A002", timeout=WAIT)
        assert text(window, "callingNumber") == "A001" and vm.calling["speaking"]
        assert highlighted() == ["L1"]  # the same call as the box, not the newest
        qtbot.waitUntil(lambda: vm.calling["number"] == "A002", timeout=WAIT)
        assert vm.calling["speaking"] and highlighted() == ["L3"]
        qtbot.waitUntil(lambda: not player.busy, timeout=WAIT)
        assert text(window, "callingNumber") == "A002"  # the newest stays in the box, calm
        assert not vm.calling["speaking"] and highlighted() == []


def test_counter_names_on_a_34_tile_board_are_large_and_never_cut(qtbot, db_url, clock, tmp_path):
    long_name = "Loket Pelayanan Terpadu Kesehatan dan Perizinan"
    site_file = tmp_path / "site.toml"
    site_file.write_text(
        EXAMPLE_SITE.read_text().replace('code = "L34"\n', f'code = "L34"\nname = "{long_name}"\n')
    )
    with QueueEngine.open(db_url, clock=clock) as desk:
        desk.load_site(load_site_file(site_file))
    with open_board(db_url, clock, None) as (vm, window):
        qtbot.waitUntil(lambda: len(vm.counters.rows) == 34, timeout=WAIT)
        qtbot.wait(300)  # laid out
        for row in vm.counters.rows:
            label = item(window, f"counterName_{row['code']}")
            assert not label.property("truncated"), row["name"]
            assert label.property("contentWidth") <= label.property("width") + 1
        assert text(window, "counterName_L34") == long_name
        assert item(window, "counterName_L01").property("contentHeight") >= 24  # of 1080 rows


BOARD_SIZES = {
    "tv-1080p": (1920, 1080),
    "tv-4k": (3840, 2160),
    "monitor-1366": (1366, 768),
    "monitor-4x3": (1024, 768),
    "monitor-5x4": (1280, 1024),
    "tv-upright": (1080, 1920),
}


@pytest.mark.parametrize("size", BOARD_SIZES.values(), ids=BOARD_SIZES.keys())
def test_every_text_of_a_busy_board_is_on_the_screen_whatever_its_size(qtbot, db_url, clock, size):
    with QueueEngine.open(db_url, clock=clock) as desk:
        desk.load_site(load_site_file(EXAMPLE_SITE))
        services = [s.code for a in desk.catalogue().agencies for s in a.services]
        for service in services[:20]:
            desk.issue_ticket(service)
            desk.issue_ticket(service)
        for counter in ("L01", "L05", "L09", "L14", "L20", "L27"):
            desk.call_next(counter)
        desk.pause("L33")
    with open_board(db_url, clock, None) as (vm, window):
        window.resize(*size)
        qtbot.waitUntil(lambda: len(vm.recent.rows) >= 3 and bool(vm.waiting.rows), timeout=WAIT)
        qtbot.wait(300)  # laid out
        assert past_the_window(window) == []


def test_an_upright_tv_shows_the_board_as_large_with_the_lists_below_the_counters(
    qtbot, site, clock
):
    with open_board(site, clock, None) as (vm, window):
        qtbot.waitUntil(lambda: vm.siteName != "", timeout=WAIT)

        def laid_out(width: int, height: int) -> tuple[int, float, float]:
            window.resize(width, height)
            qtbot.wait(200)
            grid, recent = item(window, "counterGrid"), item(window, "recentList")
            grid_bottom = grid.mapToScene(grid.boundingRect().bottomLeft()).y()
            recent_top = recent.mapToScene(recent.boundingRect().topLeft()).y()
            return (
                item(window, "callingNumber").property("font").pixelSize(),
                grid_bottom,
                recent_top,
            )

        side_size, side_grid, side_recent = laid_out(1920, 1080)
        up_size, up_grid, up_recent = laid_out(1080, 1920)
        assert up_size == side_size  # not shrunk to a 1080-pixel-wide landscape board
        assert side_recent < side_grid  # beside the counters
        assert up_recent > up_grid  # below them


def test_the_waiting_list_shows_the_wait_for_a_ticket_taken_now(qtbot, site, clock, tmp_path):
    with open_board(site, clock, None) as (vm, window), QueueEngine.open(site, clock=clock) as desk:
        qtbot.waitUntil(lambda: vm.siteName != "", timeout=WAIT)
        assert item(window, "nobodyWaiting").property("visible")  # said, not an empty panel
        for _ in range(3):  # S1 alone serves PKB, 10 minutes each: a fourth waits 30
            desk.issue_ticket("PKB")
        qtbot.waitUntil(lambda: [r["count"] for r in vm.waiting.rows] == [3], timeout=WAIT)
        vm.refresh_waits()  # what the board does by itself a little after the queue moved
        qtbot.waitUntil(lambda: vm.waiting.rows[0]["wait"] != "", timeout=WAIT)
        assert vm.waiting.rows[0]["code"] == "PKB"
        assert vm.waiting.rows[0]["wait"] == wait_text(desk.catalogue().service("PKB").wait, "id")
        assert "menit" in vm.waiting.rows[0]["wait"]
        assert not item(window, "nobodyWaiting").property("visible")


@contextlib.contextmanager
def fourteen_services_waiting(qtbot, db_url, clock, site_file=EXAMPLE_SITE):
    """The example site's board with one ticket waiting for each of its first 14 services:
    the board's view model, its window and waiting list, a desk and those services."""
    with QueueEngine.open(db_url, clock=clock) as desk:
        desk.load_site(load_site_file(site_file))
        services = [s.code for a in desk.catalogue().agencies for s in a.services][:14]
    with (
        open_board(db_url, clock, None) as (vm, window),
        QueueEngine.open(db_url, clock=clock) as desk,
    ):
        qtbot.waitUntil(lambda: vm.siteName != "", timeout=WAIT)
        for service in services:
            desk.issue_ticket(service)
        listing = item(window, "waitingList")
        qtbot.waitUntil(lambda: listing.property("count") == 14, timeout=WAIT)
        yield vm, window, listing, desk, services


def test_more_services_than_fit_are_shown_page_by_page(qtbot, db_url, clock):
    with fourteen_services_waiting(qtbot, db_url, clock) as (_vm, window, listing, _, _):
        qtbot.waitUntil(lambda: listing.property("pages") > 1, timeout=WAIT)
        assert item(window, "waitingPage").property("text").startswith("1 / ")
        listing.setProperty("pageInterval", 100)
        qtbot.waitUntil(lambda: listing.property("page") == 1, timeout=WAIT)
        assert listing.property("contentY") > 0  # the next services are the ones in view
        pages = listing.property("pages")
        assert item(window, "waitingPage").property("text") == f"2 / {pages}"


def test_the_names_of_a_page_of_waiting_services_share_one_size_at_which_all_fit(
    qtbot, db_url, clock, tmp_path
):
    # each long name was made smaller on its own, so one page mixed three sizes of type
    from PySide6.QtGui import QFont, QFontMetricsF

    site_file = tmp_path / "site.toml"
    long_name = "Penerbitan Kartu Keluarga karena Perubahan Data"
    site_file.write_text(EXAMPLE_SITE.read_text().replace("Penerbitan Kartu Keluarga", long_name))
    with fourteen_services_waiting(qtbot, db_url, clock, site_file) as (_, window, listing, _, _):
        window.resize(1366, 768)
        listing.setProperty("pageInterval", 3_600_000)  # turned here, not by the timer
        for page in range(listing.property("pages")):
            listing.setProperty("page", page)
            qtbot.wait(200)
            names = [
                n
                for r in listing.property("contentItem").childItems()
                if r.isVisible()
                for n in r.childItems()
                if n.objectName() == "waitingName"
            ]
            assert names
            sizes = {n.property("font").pixelSize() for n in names}
            assert len(sizes) == 1, sizes  # one size on the page
            font = QFont(names[0].property("font"))
            widest = max(QFontMetricsF(font).horizontalAdvance(n.property("text")) for n in names)
            room = min(n.property("width") for n in names)
            assert widest <= room + 1  # all of every name, at that size
            largest = int(listing.property("nameLargest"))  # 28 pixels on a 1080-row screen
            assert sizes == {largest} or widest > room - 40  # no smaller than the longest needs


def test_on_an_upright_tv_each_waiting_service_has_its_name_whole_above_its_wait(
    qtbot, db_url, clock
):
    # beside its wait and count in half the TV's width, most names were cut ("Pendampingan NIB m…")
    from PySide6.QtGui import QFont, QFontMetricsF

    with fourteen_services_waiting(qtbot, db_url, clock) as (_, window, listing, _, _):
        window.resize(1080, 1920)
        listing.setProperty("pageInterval", 3_600_000)  # turned here, not by the timer
        qtbot.waitUntil(lambda: listing.property("stacked"), timeout=WAIT)
        qtbot.wait(200)  # the rows laid out anew at their height
        shown = page = 0
        while page < listing.property("pages"):
            listing.setProperty("page", page)
            qtbot.wait(200)
            page += 1
            for row in listing.property("contentItem").childItems():
                if not (row.isVisible() and row.property("name")):
                    continue
                parts = {p.objectName(): p for p in row.childItems() if p.objectName()}
                name, wait = parts["waitingName"], parts["waitingWait"]
                assert wait.y() >= name.y() + name.height() - 1  # on the line below
                width = QFontMetricsF(QFont(name.property("font"))).horizontalAdvance(
                    name.property("text")
                )
                assert width <= name.width() + 1, name.property("text")  # all of it
                shown += 1
        assert shown == 14  # every service, page by page


def test_a_page_of_waiting_services_starts_at_its_first_row_after_rows_come_and_go(
    qtbot, db_url, clock
):
    # a row removed above the view moved the list's origin, and the page then began a row
    # early (or late, after an insertion), repeating or skipping a service
    with fourteen_services_waiting(qtbot, db_url, clock) as (vm, _window, listing, desk, services):
        listing.setProperty("pageInterval", 3_600_000)  # turned here, not by the timer

        def page_shown_right(page: int) -> bool:
            """The page's rows from its top, and none of another page peeking in."""
            listing.setProperty("page", page)
            qtbot.wait(100)
            top = listing.property("contentY")
            shown = sorted(
                (r.y(), r.property("name"))
                for r in listing.property("contentItem").childItems()
                if r.isVisible() and r.property("name")
            )
            first, size = page * listing.property("perPage"), listing.property("perPage")
            wanted = [r["name"] for r in vm.waiting.rows[first : first + size]]
            return abs(shown[0][0] - top) < 1 and [name for _, name in shown] == wanted

        assert page_shown_right(1)
        desk.call_next("L01")  # the first service's only ticket: its row leaves the list
        qtbot.waitUntil(lambda: listing.property("count") == 13, timeout=WAIT)
        assert page_shown_right(1) and page_shown_right(0)
        desk.issue_ticket(services[0])  # and comes back
        qtbot.waitUntil(lambda: listing.property("count") == 14, timeout=WAIT)
        assert page_shown_right(0) and page_shown_right(1)


def test_the_last_page_of_waiting_services_starts_at_the_top_after_the_window_is_resized(
    qtbot, db_url, clock
):
    # a resize pulled the list's end up to the view's bottom: the last page's rows stood low,
    # under a gap, as in the demo's display window
    with fourteen_services_waiting(qtbot, db_url, clock) as (_vm, window, listing, _, _):
        listing.setProperty("pageInterval", 3_600_000)  # turned here, not by the timer
        qtbot.waitUntil(lambda: listing.property("pages") > 1, timeout=WAIT)
        listing.setProperty("page", listing.property("pages") - 1)
        for width, height in ((1900, 1070), (1600, 900), (1920, 1080)):
            window.resize(width, height)
            qtbot.wait(200)
            listing.setProperty("page", listing.property("pages") - 1)
            qtbot.wait(100)
            rows = [
                r.y()
                for r in listing.property("contentItem").childItems()
                if r.isVisible() and r.property("name")
            ]
            assert rows, (width, height)
            assert abs(min(rows) - listing.property("contentY")) < 2, (width, height)


def test_board_rows_change_one_by_one_as_events_arrive(qtbot, site, clock, tmp_path):
    with open_board(site, clock, None) as (vm, window), QueueEngine.open(site, clock=clock) as desk:
        qtbot.waitUntil(lambda: vm.siteName != "", timeout=WAIT)
        resets = []
        vm.counters.modelReset.connect(lambda: resets.append(1))
        desk.issue_ticket("KTP")
        desk.call_next("L1")
        desk.finish("L1")
        desk.pause("L2")
        qtbot.waitUntil(lambda: text(window, "current_L2") == "Istirahat", timeout=WAIT)
        assert text(window, "current_L1") == "—"
        assert resets == []  # updated in place, never reloaded


def test_calls_are_voiced_in_order_one_after_another(qtbot, tmp_path, clock):
    player = make_player(tmp_path, clock)
    spans = []
    player.speaking.connect(lambda a: spans.append([a.event_id, datetime.now(), None]))
    player.silent.connect(lambda: None)
    for event_id in (1, 2, 3):
        player.offer(
            Announcement(event_id, clock.now(), f"A00{event_id}", "1", "Loket 1", False, False),
            clock.now(),
        )
    qtbot.waitUntil(lambda: len(spans) == 3 and not player.busy, timeout=WAIT)
    assert [s[0] for s in spans] == [1, 2, 3]
    starts = [s[1] for s in spans]
    # each starts only after the previous chime (0.1 s) and the gap have passed: no overlap
    assert all(b - a >= timedelta(seconds=0.1) for a, b in itertools.pairwise(starts))


def test_a_stopped_display_leaves_no_thread_running(qtbot, site, clock, tmp_path):
    before = set(threading.enumerate())
    player = make_player(tmp_path, clock)
    with (
        open_board(site, clock, player) as (vm, _window),
        QueueEngine.open(site, clock=clock) as desk,
    ):
        qtbot.waitUntil(lambda: vm.siteName != "", timeout=WAIT)
        desk.issue_ticket("KTP")
        with qtbot.waitSignal(player.silent, timeout=WAIT):
            desk.call_next("L1")
        assert threads_started_since(before)  # database, change feed, the voice's renderer
    assert_none_left(qtbot, before)


def test_a_display_stopped_between_two_calls_leaves_the_second_unvoiced_for_next_time(
    qtbot, tmp_path, clock
):
    # it used to take the next call in the gap after stopping: recorded as announced, never heard
    player = make_player(tmp_path, clock)
    heard = []
    player.speaking.connect(lambda a: heard.append(a.number))
    for event_id in (1, 2):
        player.offer(
            Announcement(event_id, clock.now(), f"A00{event_id}", "1", "Loket 1", False, False),
            clock.now(),
        )
    qtbot.waitUntil(lambda: heard == ["A001"], timeout=WAIT)
    player.stop()
    qtbot.wait(1000)  # the chime (0.1 s) and the gap (0.4 s) twice over
    assert heard == ["A001"]
    again = make_player(tmp_path, clock)  # the display started again reads what was voiced
    assert again.queue.offer(player.queue.waiting[0], clock.now())


def test_a_burst_of_calls_is_capped_but_all_are_shown(qtbot, site, clock, tmp_path):
    player = make_player(tmp_path, clock, cap=2)
    heard = []
    player.speaking.connect(lambda a: heard.append(a.number))
    with (
        open_board(site, clock, player, recent=10) as (vm, _window),
        QueueEngine.open(site, clock=clock) as desk,
    ):
        qtbot.waitUntil(lambda: vm.siteName != "", timeout=WAIT)
        for _ in range(6):
            desk.issue_ticket("KTP")
        for counter in ("L1", "L3", "L1", "L3", "L1", "L3"):
            desk.call_next(counter)
        qtbot.waitUntil(lambda: len(vm.recent.rows) == 6, timeout=WAIT)
        qtbot.waitUntil(lambda: not player.busy and len(heard) == 3, timeout=WAIT)
    assert heard[0] == "A001"  # the first was already being spoken
    assert heard[-2:] == ["A005", "A006"]  # then only the newest two waited
    assert len(heard) == 3


def test_each_call_is_voiced_once_even_after_the_display_restarts(qtbot, site, clock, tmp_path):
    with QueueEngine.open(site, clock=clock) as desk:
        for _ in range(3):
            desk.issue_ticket("KTP")
        first = make_player(tmp_path, clock)
        with open_board(site, clock, first) as (vm, _window):
            qtbot.waitUntil(lambda: vm.siteName != "", timeout=WAIT)
            with qtbot.waitSignal(first.speaking, timeout=WAIT):
                desk.call_next("L1")
            qtbot.waitUntil(lambda: not first.busy, timeout=WAIT)
        clock.advance(seconds=20)
        desk.call_next("L3")  # while the display restarts
        clock.advance(seconds=20)
        second = make_player(tmp_path, clock)
        heard = []
        second.speaking.connect(lambda a: heard.append(a.number))
        with open_board(site, clock, second) as (vm, _window):
            qtbot.waitUntil(lambda: heard == ["A002"], timeout=WAIT)
            qtbot.waitUntil(lambda: not second.busy, timeout=WAIT)
            with qtbot.waitSignal(second.speaking, timeout=WAIT):
                desk.call_next("L1")
            qtbot.waitUntil(lambda: not second.busy, timeout=WAIT)
    assert heard == ["A002", "A003"]


def test_a_call_older_than_the_limit_is_shown_but_not_voiced_when_the_display_opens(
    qtbot, site, clock, tmp_path
):
    with QueueEngine.open(site, clock=clock) as desk:
        desk.issue_ticket("KTP")
        desk.call_next("L1")
    clock.advance(minutes=5)
    player = make_player(tmp_path, clock)
    heard = []
    player.speaking.connect(lambda a: heard.append(a.number))
    with open_board(site, clock, player) as (_vm, window):
        qtbot.waitUntil(lambda: text(window, "current_L1") == "A001", timeout=WAIT)
        qtbot.wait(300)
    assert heard == []


def test_a_zone_board_shows_and_voices_only_its_zone(qtbot, site, clock, tmp_path):
    player = make_player(tmp_path, clock)
    heard = []
    player.speaking.connect(lambda a: heard.append(a.number))
    with (
        open_board(site, clock, player, zone="lantai-2") as (vm, _window),
        QueueEngine.open(site, clock=clock) as desk,
    ):
        qtbot.waitUntil(lambda: vm.siteName != "", timeout=WAIT)
        assert [r["code"] for r in vm.counters.rows] == ["S1"]
        desk.issue_ticket("KTP")
        desk.issue_ticket("PKB")
        desk.call_next("L1")
        desk.call_next("S1")
        qtbot.waitUntil(lambda: heard == ["C001"], timeout=WAIT)
        assert [r["code"] for r in vm.waiting.rows] == []


def test_memory_stays_flat_over_thousands_of_calls(qtbot, site, clock, tmp_path):
    player = make_player(tmp_path, clock)
    with open_board(site, clock, player) as (vm, _window):
        qtbot.waitUntil(lambda: vm.siteName != "", timeout=WAIT)

        def calls(start, count):
            for i in range(start, start + count):
                vm.apply_event(
                    Event(
                        id=10_000 + i,
                        at=clock.now(),
                        day=clock.now().date(),
                        kind=EventKind.CALLED,
                        actor="x",
                        ticket_id=i,
                        number=f"A{i % 999 + 1:03d}",
                        service_code="KTP",
                        counter_code=("L1", "L2", "L3")[i % 3],
                        from_state="waiting",
                        to_state="called",
                    )
                )

        calls(0, 500)  # warm up caches
        gc.collect()
        tracemalloc.start()
        calls(500, 1000)
        gc.collect()
        baseline = tracemalloc.get_traced_memory()[0]
        calls(1500, 4000)
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
    assert after <= baseline * 1.2 + 64 * 1024


@pytest.mark.postgres
def test_the_board_keeps_its_state_offline_and_catches_up(qtbot, pg_through_proxy, clock, tmp_path):
    url, proxy = pg_through_proxy
    with QueueEngine.open(url, clock=clock) as engine:
        engine.load_site(load_site_file(SMALL_SITE))
        engine.issue_ticket("KTP")
        engine.issue_ticket("KTP")
        engine.call_next("L1")
    player = make_player(tmp_path, clock)
    heard = []
    player.speaking.connect(lambda a: heard.append(a.number))
    with open_board(url, clock, player) as (vm, window):
        qtbot.waitUntil(lambda: text(window, "current_L1") == "A001", timeout=WAIT)
        qtbot.waitUntil(lambda: heard == ["A001"] and not player.busy, timeout=WAIT)
        proxy.cut()
        qtbot.waitUntil(lambda: vm.offline, timeout=20_000)
        assert item(window, "offlineMark").property("visible") is True
        assert text(window, "current_L1") == "A001"  # the last state stays
        with QueueEngine.open(pg_url_direct(url, proxy), clock=clock) as desk:
            desk.call_next("L3")  # happens while the board is cut off
        proxy.restore()
        qtbot.waitUntil(lambda: not vm.offline, timeout=20_000)
        qtbot.waitUntil(lambda: text(window, "current_L3") == "A002", timeout=WAIT)
        assert "Terputus: menyambung kembali..." not in visible_texts(window)
        qtbot.waitUntil(lambda: heard == ["A001", "A002"], timeout=WAIT)  # voiced on return


def pg_url_direct(url: str, proxy) -> str:
    from sqlalchemy.engine import make_url

    host, port = proxy.target
    return make_url(url).set(host=host, port=port).render_as_string(False)
