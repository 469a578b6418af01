"""Driving a QML window in tests: find items by objectName, tap them, read what is visible."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtQuick import QQuickItem, QQuickWindow


def find(window: QQuickWindow, name: str) -> QQuickItem | None:
    """The item with this objectName in the window's visual tree (QML items are not all
    QObject children of the window, so findChild misses some)."""
    pending = [window.contentItem()]
    while pending:
        node = pending.pop()
        if node.objectName() == name:
            return node
        pending.extend(node.childItems())
    return None


def item(window: QQuickWindow, name: str) -> QQuickItem:
    found = find(window, name)
    if found is None:
        raise LookupError(f"no QML item named {name!r}")
    return found


def tap(qtbot, window: QQuickWindow, name: str) -> None:
    """Click the centre of the item once it is shown and laid out where the click lands.

    An item that has just become visible is placed by its layout on the next polish; clicking
    its old position would press whatever was there (a neighbouring button), so this waits
    until the item under the centre point is the target itself, twice in a row.
    """
    qtbot.waitUntil(lambda: _shown(window, name), timeout=5000)
    target = item(window, name)
    seen: list[QPointF] = []

    def settled() -> bool:
        centre = target.mapToScene(QPointF(target.width() / 2, target.height() / 2))
        seen.append(centre)
        hit = _item_at(window.contentItem(), centre)
        return len(seen) > 1 and seen[-2] == centre and _within(hit, target)

    qtbot.waitUntil(settled, timeout=5000)
    centre = seen[-1]
    qtbot.mouseClick(
        window, Qt.MouseButton.LeftButton, pos=QPoint(int(centre.x()), int(centre.y()))
    )


def _item_at(node: QQuickItem, scene_point: QPointF) -> QQuickItem | None:
    """The topmost visible item under a scene point (what a press there reaches first)."""
    if not node.isVisible() or node.opacity() == 0:
        return None
    for child in sorted(reversed(node.childItems()), key=lambda c: c.z(), reverse=True):
        found = _item_at(child, scene_point)
        if found is not None:
            return found
    if node.contains(node.mapFromScene(scene_point)) and node.width() > 0:
        return node
    return None


def _within(node: QQuickItem | None, ancestor: QQuickItem) -> bool:
    while node is not None:
        if node == ancestor:
            return True
        node = node.parentItem()
    return False


def _shown(window: QQuickWindow, name: str) -> bool:
    found = find(window, name)
    return found is not None and found.isVisible() and found.width() > 0


def visible_texts(window: QQuickWindow, cut_only: bool = False) -> list[str]:
    """The text of every visible Text item (labels, buttons, tiles) on screen now; with
    `cut_only`, only those shown cut short (elided, or past their maximum lines)."""
    texts = []

    def walk(node: QQuickItem) -> None:
        if not node.isVisible() or node.opacity() == 0:
            return
        text = node.property("text")
        shown = isinstance(text, str) and text and node.inherits("QQuickText")
        if shown and (not cut_only or node.property("truncated")):
            texts.append(text)
        for child in node.childItems():
            walk(child)

    walk(window.contentItem())
    return texts


def text(window: QQuickWindow, name: str) -> str | None:
    """The text of the named item, or None while it does not exist yet."""
    found = find(window, name)
    return None if found is None else found.property("text")


def past_the_window(window: QQuickWindow) -> list[str]:
    """The visible texts and buttons that reach past the window's edges, where nobody can see
    or tap them (what scrolls in a list or a flickable pane, or moves in a clipped one such as
    a running text, is judged by the pane alone)."""
    found = []

    def walk(node: QQuickItem) -> None:
        if not node.isVisible() or node.opacity() == 0:
            return
        text = node.property("text")
        shown = node.inherits("QQuickText") and isinstance(text, str) and text
        pane = node.inherits("QQuickFlickable") or node.clip()
        if shown or pane or node.inherits("QQuickAbstractButton"):
            box = node.mapRectToScene(node.boundingRect())
            if (
                box.left() < -0.5
                or box.top() < -0.5
                or box.right() > window.width() + 0.5
                or box.bottom() > window.height() + 0.5
            ):
                found.append(node.objectName() or str(text or node.metaObject().className()))
        if pane:
            return
        for child in node.childItems():
            walk(child)

    walk(window.contentItem())
    return found
