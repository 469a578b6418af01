"""Guessing limits: after a few wrong passwords or PINs, each next try waits, doubling."""

from __future__ import annotations

from typing import Final

FREE_ATTEMPTS: Final = 3  # wrong tries before the first wait
FIRST_LOCK_SECONDS: Final = 30
MAX_LOCK_SECONDS: Final = 15 * 60


def lock_seconds(failures: int) -> int:
    """How long to refuse every try after `failures` wrong ones in a row."""
    if failures < FREE_ATTEMPTS:
        return 0
    return int(min(MAX_LOCK_SECONDS, FIRST_LOCK_SECONDS * 2 ** min(failures - FREE_ATTEMPTS, 20)))
