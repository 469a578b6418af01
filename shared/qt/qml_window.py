"""Starting a QML window over a view model, and capturing it to PNG (the --screenshot modes)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QQmlApplicationEngine
from PySide6.QtQuick import QQuickImageProvider, QQuickWindow, QSGRendererInterface

from shared.qt.qt_log import route_qt_messages


def application(offscreen: bool = False, software: bool = False) -> QGuiApplication:
    """The app object; offscreen for screenshots and machines without a screen.

    `software` renders Qt Quick with its own rasteriser, repainting only what changed, instead
    of OpenGL (which on a PC without a graphics chip is Mesa's llvmpipe redrawing the whole
    window every frame).
    """
    if offscreen:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    os.environ.setdefault("QT_QUICK_CONTROLS_STYLE", "Basic")
    existing = QGuiApplication.instance()
    if isinstance(existing, QGuiApplication):
        return existing
    if software:
        QQuickWindow.setGraphicsApi(QSGRendererInterface.GraphicsApi.Software)
    route_qt_messages()
    return QGuiApplication([])


def load_window(
    qml: Path, vm: QObject, providers: dict[str, QQuickImageProvider] | None = None
) -> tuple[QQmlApplicationEngine, QQuickWindow]:
    """The QML file's window, with `vm` as its required property."""
    engine = QQmlApplicationEngine()
    for name, provider in (providers or {}).items():
        engine.addImageProvider(name, provider)
    engine.setInitialProperties({"vm": vm})
    engine.load(QUrl.fromLocalFile(str(qml)))
    roots = engine.rootObjects()
    if not roots or not isinstance(roots[0], QQuickWindow):
        raise RuntimeError(f"{qml} did not load (see the QML errors above)")
    return engine, roots[0]


def fitted(width: int, height: int, room_width: int, room_height: int) -> tuple[int, int]:
    """`width` x `height` made smaller, keeping its shape, until it fits the room (never larger)."""
    scale = min(1.0, room_width / width, room_height / height)
    return max(1, int(width * scale)), max(1, int(height * scale))


def show_window(window: QQuickWindow, width: int, height: int, fullscreen: bool) -> None:
    """Full screen, or a window of the configured shape that fits the screen it opens on (a
    1080x1920 kiosk on a 1080-pixel desktop would lose its bottom buttons)."""
    if fullscreen:
        window.setFlag(Qt.WindowType.FramelessWindowHint)
        # the full-screen state is a request to the window manager: on a bare X session (a
        # TV's or a kiosk's, started by xinit) nobody grants it, so the window also takes the
        # screen's whole geometry itself
        window.setGeometry(window.screen().geometry())
        window.showFullScreen()
        return
    room = window.screen().availableGeometry()
    window.resize(*fitted(width, height, room.width(), room.height()))
    window.show()


def settle(milliseconds: int = 150) -> None:
    """Let Qt process events (bindings, layout, rendering) for a moment."""
    loop = QEventLoop()
    QTimer.singleShot(milliseconds, loop.quit)
    loop.exec()


def capture(window: QQuickWindow, path: Path, milliseconds: int = 150) -> Path:
    """Save what the window shows now as a PNG."""
    settle(milliseconds)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grabWindow().save(str(path)):
        raise OSError(f"cannot write {path}")
    return path


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Process Qt events until `condition()` holds; TimeoutError after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the view did not reach the expected state")
        settle(5)
