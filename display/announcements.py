"""The announcement queue: in call order, one at a time, each call once per display.

- Calls queue and never overlap (the player takes the next only when the last has finished).
- When many calls come at once, at most `cap` wait: the oldest waiting ones are dropped (the
  screen still shows every call).
- Once per display, also across a restart: the id of the last call announced is kept in a
  small state file; a call with an id at or below it is never announced again, and on restart
  the display follows from there, so calls made during a short restart are still voiced, while
  calls older than `max_age` are not replayed.
"""

from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
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

    def _read(self) -> int:
        if self.state_file is None or not self.state_file.exists():
            return 0
        try:
            return int(self.state_file.read_text().strip() or 0)
        except (OSError, ValueError):
            log.warning(
                "display: unreadable announcement state %s; starting afresh", self.state_file
            )
            return 0

    def offer(self, announcement: Announcement, now: datetime) -> bool:
        """Queue a call; False when it was announced before, is already queued, or is stale."""
        newest = self.waiting[-1].event_id if self.waiting else self.last_announced
        if announcement.event_id <= newest:
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
        self.last_announced = announcement.event_id
        if self.state_file is not None:
            try:
                self.state_file.parent.mkdir(parents=True, exist_ok=True)
                self.state_file.write_text(str(announcement.event_id))
            except OSError:
                log.warning("display: cannot write %s", self.state_file)
        return announcement
