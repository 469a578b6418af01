"""Plays announcements one after another: chime, then the voice; highlights while speaking.

The sounds are rendered on a worker thread (espeak-ng takes tens of milliseconds) and played
with QtMultimedia. The end of a sound is taken from its length, not from the player's signals,
so a PC without a working audio device still moves on (and the screen still highlights).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, QUrl, Signal

from display.announcements import Announcement, AnnouncementQueue
from display.audio import Sound, Speaker
from display.phrases import call_phrase
from shared.i18n import Lang
from shared.qt.qt_log import quiet_ffmpeg
from shared.qt.runner import OpRunner

if TYPE_CHECKING:  # QtMultimedia is imported when sound is wanted (it needs libpulse0)
    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

log = logging.getLogger(__name__)
GAP_MS = 400  # silence between two announcements


class AnnouncementPlayer(QObject):
    speaking = Signal(object)  # the Announcement being voiced now
    silent = Signal()

    def __init__(
        self,
        queue: AnnouncementQueue,
        speaker: Speaker,
        *,
        lang: Lang = "id",
        number_mode: str = "digits",
        zero: str = "nol",
        templates: Mapping[str, str] | None = None,
        volume: float = 1.0,
        play_audio: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.queue = queue
        self.speaker = speaker
        self.lang, self.number_mode, self.zero = lang, number_mode, zero
        self.templates = dict(templates or {})
        self.current: Announcement | None = None
        self.played: list[Announcement] = []  # the last few, for tests and diagnostics
        self._renderer = OpRunner(self)
        self._step = QTimer(self)
        self._step.setSingleShot(True)
        self._step.timeout.connect(self._next_sound)
        self._sounds: list[Sound] = []
        self._output: QAudioOutput | None = None
        self._media: QMediaPlayer | None = None
        self._stopped = False
        if play_audio:
            self._open_audio(volume)

    def _open_audio(self, volume: float) -> None:
        try:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
        except ImportError as error:  # libpulse0 missing: show calls without sound
            log.warning("display: no QtMultimedia (%s); calls are shown, not voiced", error)
            return
        self._output = QAudioOutput(self)
        self._output.setVolume(volume)
        self._media = QMediaPlayer(self)
        self._media.setAudioOutput(self._output)
        quiet_ffmpeg()

    def offer(self, announcement: Announcement, now: datetime) -> None:
        """Queue a call made at `announcement.at` by the database's clock, read `now`."""
        if self.queue.offer(announcement, now) and self.current is None:
            self._start_next()

    def stop(self) -> None:
        """Voice nothing more: the sound playing ends, the calls still queued stay unvoiced (not
        recorded as announced, so a display started again voices them if they are recent)."""
        self._stopped = True
        self._step.stop()
        self._renderer.close()
        if self._media is not None:
            self._media.stop()

    def _start_next(self) -> None:
        if self._stopped:
            return
        announcement = self.queue.take()
        if announcement is None:
            self.current = None
            self.silent.emit()
            return
        self.current = announcement
        self.played = [*self.played[-49:], announcement]
        self.speaking.emit(announcement)
        phrase = call_phrase(
            announcement.number,
            announcement.counter_number,
            recall=announcement.recall,
            lang=self.lang,
            mode=self.number_mode,
            zero=self.zero,
            templates=self.templates,
        )
        lang = self.lang
        self._renderer.run(
            lambda: self.speaker.sounds(phrase, lang),
            self._play,
            lambda error: self._play([self.speaker.chime]),
        )

    def _play(self, sounds: list[Sound]) -> None:
        self._sounds = list(sounds)
        self._next_sound()

    def _next_sound(self) -> None:
        if not self._sounds:  # still "speaking" during the gap, so nothing can overlap
            QTimer.singleShot(GAP_MS, self._start_next)
            return
        sound = self._sounds.pop(0)
        if self._media is not None:
            self._media.setSource(QUrl.fromLocalFile(str(sound.path)))
            self._media.play()
        self._step.start(int(sound.seconds * 1000) + 50)

    @property
    def busy(self) -> bool:
        return self.current is not None
