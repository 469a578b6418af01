"""Qt's own messages into Python's logging, at levels that fit them.

QML warnings stay warnings. Qt Multimedia speaks for itself on every sound it plays (FFmpeg's
version, "No audio device detected", VA-API libraries it could not load): each distinct line
is logged once at INFO and its repeats at DEBUG, so a display's log and the demo's terminal are
not flooded four lines a call.
"""

from __future__ import annotations

import ctypes
import logging
from pathlib import Path

import PySide6
from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
CHATTY = ("qt.multimedia", "qt.qpa.sound")  # categories that report on each sound played
CHATTY_TEXTS = ("PulseAudioService:", "No audio device detected")  # the same, uncategorised
AV_LOG_WARNING = 24  # FFmpeg's log levels: 32 is INFO, the "Input #0, wav, ..." of every file
REMEMBERED = 1000  # distinct chatty lines kept to tell a repeat from a first


class QtLogRouter:
    """The message handler: one Python logger per Qt category (under `qt.`)."""

    def __init__(self) -> None:
        self.seen: set[str] = set()

    def level(self, kind: QtMsgType, category: str, message: str) -> int:
        level = LEVELS.get(kind, logging.WARNING)
        chatty = category.startswith(CHATTY) or message.startswith(CHATTY_TEXTS)
        if not chatty or level >= logging.ERROR:
            return level
        if message in self.seen:
            return logging.DEBUG
        if len(self.seen) < REMEMBERED:
            self.seen.add(message)
        return min(level, logging.INFO)

    def __call__(self, kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        category = context.category or "default"
        name = category if category.startswith("qt.") else f"qt.{category}"
        logging.getLogger(name).log(self.level(kind, category, message), "%s", message)


def route_qt_messages() -> QtLogRouter:
    """Send Qt's messages to Python's logging from now on."""
    router = QtLogRouter()
    qInstallMessageHandler(router)
    return router


def quiet_ffmpeg() -> bool:
    """Keep FFmpeg (inside Qt Multimedia) to its warnings and errors: at its default level it
    prints four lines to stderr for each sound file it opens, bypassing Qt's logging. False
    where PySide6 brings no FFmpeg of its own (a system Qt keeps its own settings)."""
    for library in sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libavutil.so.*")):
        try:
            ctypes.CDLL(str(library)).av_log_set_level(AV_LOG_WARNING)
        except (OSError, AttributeError):
            continue
        return True
    return False
