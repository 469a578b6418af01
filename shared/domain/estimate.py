"""How long a citizen will wait: people ahead x average service time / counters serving."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final

MIN_SAMPLES: Final = 3  # below this, the service's configured minutes are more honest


def average_service_minutes(recent_minutes: Sequence[float], configured: float) -> float:
    """The mean of today's recent service times, or the configured figure when too few are known."""
    if len(recent_minutes) < MIN_SAMPLES:
        return configured
    return sum(recent_minutes) / len(recent_minutes)


def estimate_wait_minutes(people_ahead: int, service_minutes: float, open_counters: int) -> int:
    """Whole minutes until the citizen is called; counters not yet open count as one."""
    if people_ahead <= 0:
        return 0
    return math.ceil(people_ahead * service_minutes / max(1, open_counters))
