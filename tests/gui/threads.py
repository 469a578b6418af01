"""What an app leaves running once it has stopped, for the apps' pytest-qt tests."""

from __future__ import annotations

import threading


def threads_started_since(before: set[threading.Thread]) -> list[str]:
    """The names of the Python threads alive now that were not in `before`."""
    return sorted(thread.name for thread in threading.enumerate() if thread not in before)


def assert_none_left(qtbot, before: set[threading.Thread]) -> None:
    """Every thread the app started ends within a few seconds of its stop()."""

    def none_left() -> None:
        assert threads_started_since(before) == []

    qtbot.waitUntil(none_left, timeout=5_000)
