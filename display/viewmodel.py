"""The waiting-room board's logic, without any screen.

It loads the board once, then applies each event of the change feed to its list models row by
row, by the board's fold (shared.domain.board_fold, proved to give what a fresh read of the
board gives, so nothing is ever reloaded "in case"). While the database is away the board keeps
its last state with an offline mark; when it is back the board is loaded again, which catches
up on everything missed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Property, QObject, Signal, Slot

from display.announcements import Announcement
from display.player import AnnouncementPlayer
from display.settings import DisplaySettings
from shared.domain.board_fold import BoardView, fold, view_of
from shared.domain.states import CounterState, EventKind
from shared.domain.values import Board, Catalogue, Event, ServiceWaiting
from shared.engine import QueueEngine
from shared.i18n import Lang, as_lang, clock_text, tr, wait_text
from shared.qt.engine_view_model import EngineViewModel
from shared.qt.list_model import DictListModel
from shared.qt.qml_types import QVARIANT, QVARIANT_LIST

log = logging.getLogger(__name__)

RETRY_MS = 3000
WAITS_MS = 15_000  # after the queue moved, the waits shown are read again within this long
MEDIA_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".mp4", ".webm", ".mkv")


class BoardViewModel(EngineViewModel):
    changed = Signal()
    callShown = Signal(int)

    def __init__(
        self,
        settings: DisplaySettings,
        engine_factory: Callable[[], QueueEngine],
        player: AnnouncementPlayer | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(engine_factory, parent)
        self.settings = settings
        self.player = player
        self._lang: Lang = settings.language
        self._offline = False
        self._site = ""
        self._ticker: tuple[str, ...] = ()
        self._counter_codes: set[str] = set()
        self._zone_services: set[str] | None = None
        self._service_names: dict[str, str] = {}
        self._view: BoardView | None = None  # what the board shows, as the feed keeps it
        # One rule for the box and the highlighted tile: the call being announced; when none is,
        # the newest call (the calls still to be announced are at the top of the recent list).
        self._newest: dict[str, Any] = {}
        self._announced: dict[str, Any] | None = None
        self.counters = DictListModel(
            ["code", "name", "number", "current", "state", "stateText", "priority", "highlight"],
            "code",
            self,
        )
        self.recent = DictListModel(
            ["eventId", "number", "counterName", "counterNumber", "time", "priority", "recall"],
            "eventId",
            self,
        )
        self.waiting = DictListModel(["code", "name", "count", "wait"], "code", self)
        self._retry = self._timer(RETRY_MS, self.reload)
        self._waits = self._timer(WAITS_MS, self.refresh_waits)
        self._clock = self._timer(1000, self.changed.emit, repeat=True)
        if player is not None:
            player.speaking.connect(self._speaking)
            player.silent.connect(lambda: self._speaking(None))

    # ------------------------------------------------------------------------ lifecycle

    def start(self) -> None:
        self.reload()
        self._clock.start()

    def stop(self) -> None:
        super().stop()
        if self.player is not None:
            self.player.stop()

    @Slot()
    def reload(self) -> None:
        """Load the whole board (at start, after a reconnection, now and then)."""
        zone = self.settings.zone

        def load() -> tuple[Board, Catalogue]:
            engine = self._engine_now()
            return engine.board(zone, recent=self.settings.recent), engine.catalogue()

        self._db.run(load, self._loaded, self._failed)

    def _failed(self, error: Exception) -> None:
        log.warning("display: cannot load the board: %s", error)
        self._set_offline(True)
        self._retry.start()

    def _loaded(self, result: tuple[Board, Catalogue]) -> None:
        board, catalogue = result
        self._site = board.site_name
        self._ticker = self.settings.ticker or tuple(t.get(self._lang) for t in board.ticker)
        self._counter_codes = {c.code for c in board.counters}
        self._view = view_of(board, self.settings.recent)
        zone = self.settings.zone
        self._zone_services = (
            None
            if zone is None
            else {s.code for a in catalogue.agencies if a.zone == zone for s in a.services}
        )
        self._service_names = {
            s.code: s.name.get(self._lang) for a in catalogue.agencies for s in a.services
        }
        self.counters.reset(
            [
                self._counter_row(
                    c.code,
                    c.name,
                    c.number,
                    c.state,
                    c.current.number if c.current else "",
                    bool(c.current and c.current.priority),
                )
                for c in board.counters
            ]
        )
        self.recent.reset(
            [
                self._recent_row(
                    call.event_id,
                    call.number,
                    call.counter_name,
                    call.counter_number,
                    call.at,
                    call.priority,
                    call.recall,
                )
                for call in board.recent_calls
            ]
        )
        self.waiting.reset(
            [
                {
                    "code": w.service_code,
                    "name": w.service_name.get(self._lang),
                    "count": w.waiting,
                    "wait": self._wait_words(w),
                }
                for w in board.waiting
            ]
        )
        if board.recent_calls and not self._newest:
            last = board.recent_calls[0]
            self._newest = _call(
                last.event_id,
                last.number,
                last.counter_name,
                last.counter_number,
                last.recall,
                last.priority,
            )
        if self.player is not None:  # calls made while it was away; the queue voices each once
            now = self.engine_time()
            for call in reversed(board.recent_calls):
                self.player.offer(
                    Announcement(
                        call.event_id,
                        call.at,
                        call.number,
                        call.counter_number,
                        call.counter_name,
                        call.recall,
                        call.priority,
                    ),
                    now,
                )
        self._follow(board.last_event_id, self.apply_event, self._feed_status)
        self._set_offline(False)
        self.changed.emit()

    def _feed_status(self, online: bool) -> None:
        if not online:
            self._set_offline(True)
        elif self._offline:
            self.reload()  # catch up on whatever happened while away

    def _set_offline(self, offline: bool) -> None:
        if offline != self._offline:
            self._offline = offline
            self.changed.emit()

    # -------------------------------------------------------------------------- events

    @Slot(object)
    def apply_event(self, event: Event) -> None:
        """One event of the feed: the board's fold (shared.domain.board_fold) gives what the
        board shows after it; only the rows that changed are touched."""
        if self._view is None:
            return
        if event.kind == EventKind.SITE_LOADED:  # counters added, renamed, renumbered
            self.reload()
            return
        old = self._view
        new = self._view = fold(old, event)
        if new is old:
            return
        for code, line in new.counters.items():
            before = old.counters[code]
            if line == before:
                continue
            changes: dict[str, Any] = {}
            if line.state != before.state:
                changes.update(state=line.state.value, stateText=self._state_text(line.state))
            if (line.current, line.priority) != (before.current, before.priority):
                changes.update(current=line.current or "", priority=line.priority)
                if line.current is None:
                    changes["highlight"] = False
            self.counters.update(code, **changes)
        if new.recent[:1] != old.recent[:1]:
            self._on_call(event)
        for service in old.waiting.keys() | new.waiting.keys():
            count = new.waiting.get(service, 0)
            if count != old.waiting.get(service, 0) and self._in_zone(service):
                self._set_count(service, count)

    def _on_call(self, event: Event) -> None:
        if event.counter_code not in self._counter_codes or event.number is None:
            return
        row = self.counters.rows[self.counters.find(event.counter_code)]
        self.recent.prepend(
            self._recent_row(
                event.id,
                event.number,
                row["name"],
                row["number"],
                event.at,
                event.priority,
                event.kind == EventKind.RECALLED,
            ),
            self.settings.recent,
        )
        self._newest = _call(
            event.id,
            event.number,
            row["name"],
            row["number"],
            event.kind == EventKind.RECALLED,
            event.priority,
        )
        self.changed.emit()
        self.callShown.emit(event.id)
        if self.player is not None:
            self.player.offer(
                Announcement(
                    event.id,
                    event.at,
                    event.number,
                    row["number"],
                    row["name"],
                    event.kind == EventKind.RECALLED,
                    event.priority,
                ),
                self.engine_time(),
            )

    def _speaking(self, announcement: Announcement | None) -> None:
        self._announced = (
            None
            if announcement is None
            else _call(
                announcement.event_id,
                announcement.number,
                announcement.counter_name,
                announcement.counter_number,
                announcement.recall,
                announcement.priority,
            )
        )
        for row in self.counters.rows:
            speaking = (
                announcement is not None
                and row["current"] == announcement.number
                and row["number"] == announcement.counter_number
            )
            if row["highlight"] != speaking:
                self.counters.update(row["code"], highlight=speaking)
        self.changed.emit()

    def _in_zone(self, service: str) -> bool:
        return self._zone_services is None or service in self._zone_services

    @Slot()
    def refresh_waits(self) -> None:
        """Read the waits for a ticket taken now again (in the background; the counts follow
        the feed meanwhile)."""
        zone = self.settings.zone

        def load() -> Board:
            return self._engine_now().board(zone, recent=0)

        def loaded(board: Board) -> None:
            for w in board.waiting:
                self.waiting.update(w.service_code, wait=self._wait_words(w))

        def failed(error: Exception) -> None:
            log.warning("display: cannot read the waits: %s", error)

        self._db.run(load, loaded, failed)

    def _wait_words(self, waiting: ServiceWaiting) -> str:
        return "" if waiting.wait is None else wait_text(waiting.wait, self._lang)

    def _set_count(self, service: str, count: int) -> None:
        row = self.waiting.find(service)
        if count == 0:
            self.waiting.remove(service)
        elif row >= 0:
            self.waiting.update(service, count=count)
        else:
            name = self._service_names.get(service, service)
            self.waiting.upsert({"code": service, "name": name, "count": count, "wait": ""})
        if not self._waits.isActive():
            self._waits.start()

    # ---------------------------------------------------------------------------- rows

    def _state_text(self, state: CounterState) -> str:
        return {
            CounterState.PAUSED: tr("display_paused", self._lang),
            CounterState.CLOSED: tr("display_closed", self._lang),
        }.get(state, "")

    def _counter_row(
        self, code: str, name: str, number: str, state: CounterState, current: str, priority: bool
    ) -> dict[str, Any]:
        return {
            "code": code,
            "name": name,
            "number": number,
            "current": current,
            "state": state.value,
            "stateText": self._state_text(state),
            "priority": priority,
            "highlight": False,
        }

    def _recent_row(
        self,
        event_id: int,
        number: str,
        counter_name: str,
        counter_number: str,
        at: Any,
        priority: bool,
        recall: bool,
    ) -> dict[str, Any]:
        zone = self._engine.zone if self._engine else None
        return {
            "eventId": event_id,
            "number": number,
            "counterName": counter_name,
            "counterNumber": counter_number,
            "time": at.astimezone(zone).strftime("%H:%M"),
            "priority": priority,
            "recall": recall,
        }

    # ---------------------------------------------------------------------- properties

    @Property(str, notify=changed)
    def siteName(self) -> str:
        return self._site

    @Property(str, notify=changed)
    def now(self) -> str:
        if self._engine is None:
            return ""
        return clock_text(self._engine.clock.now().astimezone(self._engine.zone), self._lang)

    @Property(str, notify=changed)
    def ticker(self) -> str:
        return "     •     ".join(self._ticker)

    @Property(bool, notify=changed)
    def offline(self) -> bool:
        return self._offline

    @Property(QVARIANT, notify=changed)
    def calling(self) -> dict[str, Any]:
        """The call in the big box: the one being announced, else the newest."""
        if self._announced is not None:
            return {**self._announced, "speaking": True}
        return {**self._newest, "speaking": False}

    @Property(QObject, constant=True)
    def counterList(self) -> DictListModel:
        return self.counters

    @Property(QObject, constant=True)
    def recentList(self) -> DictListModel:
        return self.recent

    @Property(QObject, constant=True)
    def waitingList(self) -> DictListModel:
        return self.waiting

    @Property(QVARIANT_LIST, constant=True)
    def media(self) -> list[str]:
        folder = self.settings.media
        if folder is None or not folder.is_dir():
            return []
        return [
            Path(p).resolve().as_uri()
            for p in sorted(folder.iterdir())
            if p.suffix.lower() in MEDIA_SUFFIXES
        ]

    @Property(str, notify=changed)
    def lang(self) -> str:
        return self._lang

    @Slot(str, str, result=str)
    def t(self, key: str, lang: str) -> str:
        return tr(key, as_lang(lang))


def _call(
    event_id: int, number: str, counter_name: str, counter_number: str, recall: bool, priority: bool
) -> dict[str, Any]:
    """A call as the big box shows it."""
    return {
        "eventId": event_id,
        "number": number,
        "counterName": counter_name,
        "counterNumber": counter_number,
        "recall": recall,
        "priority": priority,
    }
