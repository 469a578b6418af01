"""The announcement queue: in call order, one at a time, each call once per display.

- Calls queue and never overlap (the player takes the next only when the last has finished).
- When many calls come at once, at most `cap` wait: the oldest waiting ones are dropped (the
  screen still shows every call).
- Once per display, also across a restart: the last call announced (its event id and time) is
  kept in a small state file, and a call at or before it in both is never announced again. On
  a restart or a reconnection the display offers the board's recent calls, so calls made while
  it was away are still voiced, while calls older than `max_age` are not replayed. A call made
  after the mark but numbered at or below it is voiced: a new database (a new site, a move from
  SQLite to PostgreSQL) numbers its events from 1 again, and must not leave the display mute
  until its numbers pass the old ones.
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Announcement:
    event_id: int
    at: datetime
    number: str
    counter_number: str
    counter_name: str
    recall: bool
    priority: bool


@dataclass(frozen=True, slots=True)
class Mark:
    """The last call announced."""

    event_id: int
    at: datetime

    @classmethod
    def of(cls, announcement: Announcement) -> Mark:
        return cls(announcement.event_id, announcement.at)

    def covers(self, announcement: Announcement) -> bool:
        return announcement.event_id <= self.event_id and announcement.at <= self.at


NOTHING_YET = Mark(0, datetime.min.replace(tzinfo=UTC))


class AnnouncementQueue:
    def __init__(
        self, state_file: Path | None, cap: int = 5, max_age: timedelta = timedelta(seconds=90)
    ) -> None:
        self.state_file = state_file
        self.cap = cap
        self.max_age = max_age
        self.waiting: deque[Announcement] = deque()
        self.last_announced = self._read()
        self.dropped = 0

    def _read(self) -> Mark:
        if self.state_file is None or not self.state_file.exists():
            return NOTHING_YET
        try:
            event_id, at = self.state_file.read_text().split()
            mark = Mark(int(event_id), datetime.fromisoformat(at))
            if mark.at.tzinfo is None:
                raise ValueError("a time without its zone")
            return mark
        except (OSError, ValueError):
            log.warning(
                "display: unreadable announcement state %s; starting afresh", self.state_file
            )
            return NOTHING_YET

    def offer(self, announcement: Announcement, now: datetime) -> bool:
        """Queue a call; False when it was announced before, is already queued, or is stale."""
        newest = Mark.of(self.waiting[-1]) if self.waiting else self.last_announced
        if newest.covers(announcement):
            return False
        if now - announcement.at > self.max_age:
            return False
        self.waiting.append(announcement)
        while len(self.waiting) > self.cap:
            self.waiting.popleft()
            self.dropped += 1
        return True

    def take(self) -> Announcement | None:
        """The next call to announce, recorded as announced from this moment on."""
        if not self.waiting:
            return None
        announcement = self.waiting.popleft()
        self.last_announced = Mark.of(announcement)
        if self.state_file is not None:
            try:
                self.state_file.parent.mkdir(parents=True, exist_ok=True)
                self.state_file.write_text(f"{announcement.event_id} {announcement.at.isoformat()}")
            except OSError:
                log.warning("display: cannot write %s", self.state_file)
        return announcement
