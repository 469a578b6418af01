"""The announcement queue: order, the stale-drop cap, once per display across a restart, and
never mute after a move to a new database."""

from datetime import datetime, timedelta

import pytest

from display.announcements import NOTHING_YET, Announcement, AnnouncementQueue
from tests.conftest import JAKARTA

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=JAKARTA)


def call(event_id, at=NOW):
    return Announcement(event_id, at, f"A{event_id:03d}", "1", "Loket 1", False, False)


def drain(queue):
    taken = []
    while (announcement := queue.take()) is not None:
        taken.append(announcement.event_id)
    return taken


def test_calls_are_announced_in_order():
    queue = AnnouncementQueue(None, cap=5)
    for event_id in (3, 4, 9):
        assert queue.offer(call(event_id), NOW)
    assert drain(queue) == [3, 4, 9]


def test_many_calls_at_once_keep_only_the_newest_up_to_the_cap():
    queue = AnnouncementQueue(None, cap=3)
    for event_id in range(1, 9):
        queue.offer(call(event_id), NOW)
    assert drain(queue) == [6, 7, 8]
    assert queue.dropped == 5


def test_a_call_is_never_announced_twice():
    queue = AnnouncementQueue(None)
    queue.offer(call(5), NOW)
    assert drain(queue) == [5]
    assert not queue.offer(call(5), NOW)
    assert not queue.offer(call(4), NOW)


def test_after_a_restart_old_calls_are_not_replayed_and_new_ones_are_voiced(tmp_path):
    state = tmp_path / "announced.txt"
    before = AnnouncementQueue(state)
    before.offer(call(7), NOW)
    drain(before)
    after = AnnouncementQueue(state)  # the display restarted
    assert not after.offer(call(7), NOW)
    assert after.offer(call(8), NOW)


def test_a_call_older_than_the_limit_is_not_announced():
    queue = AnnouncementQueue(None, max_age=timedelta(seconds=90))
    assert not queue.offer(call(1, NOW - timedelta(minutes=5)), NOW)
    assert queue.offer(call(2, NOW - timedelta(seconds=30)), NOW)


def test_a_display_moved_to_a_new_database_voices_its_calls_though_numbered_lower(tmp_path):
    state = tmp_path / "announced.txt"
    before = AnnouncementQueue(state)
    before.offer(call(48_213), NOW)
    drain(before)
    later = NOW + timedelta(minutes=20)
    after = AnnouncementQueue(state)  # the same PC, now on a new PostgreSQL database
    assert after.offer(call(1, later), later)
    assert after.offer(call(2, later), later)
    assert drain(after) == [1, 2]


def test_a_call_numbered_and_made_before_the_last_one_announced_is_not_voiced(tmp_path):
    queue = AnnouncementQueue(tmp_path / "announced.txt")
    queue.offer(call(9, NOW), NOW)
    drain(queue)
    assert not queue.offer(call(8, NOW - timedelta(seconds=2)), NOW)
    assert not queue.offer(call(9, NOW), NOW)


@pytest.mark.parametrize(
    "content", ["rusak", "7", "7 2026-11-30T09:00:00", "7 kemarin", "7 8 9", "\xff\xfe"]
)
def test_an_unreadable_state_file_starts_afresh(tmp_path, content):
    state = tmp_path / "announced.txt"
    state.write_bytes(content.encode("latin-1"))
    assert AnnouncementQueue(state).last_announced == NOTHING_YET
