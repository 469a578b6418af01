"""How well the shown waits came true: each estimate against the real wait it promised.

A ticket's real wait is its first call minus its issue (the original ticket only: a transfer's
second queue is not what the citizen was told about). An estimate is "within" when it is off by
at most max(5 minutes, 25% of the real wait). Where a range was shown (high above low), the
real wait should fall inside it. p90 is the nearest-rank 90th percentile.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from shared.domain.estimate import WaitEstimate

TOLERANCE_MINUTES: Final = 5.0
TOLERANCE_SHARE: Final = 0.25


@dataclass(frozen=True, slots=True)
class Outcome:
    """One shown estimate and the wait that followed it, in minutes."""

    shown: WaitEstimate
    real: float

    @property
    def error(self) -> float:
        return self.shown.minutes - self.real

    @property
    def within(self) -> bool:
        return abs(self.error) <= max(TOLERANCE_MINUTES, TOLERANCE_SHARE * self.real)


def _p90(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def accuracy(outcomes: Iterable[Outcome]) -> dict[str, Any]:
    """The figures of a set of outcomes (all None when there are none)."""
    rows = list(outcomes)
    if not rows:
        return {"count": 0}
    errors = [o.error for o in rows]
    ranged = [o for o in rows if o.shown.is_range]
    return {
        "count": len(rows),
        "mean_real": round(statistics.fmean(o.real for o in rows), 1),
        "mean_error": round(statistics.fmean(errors), 1),
        "median_abs_error": round(statistics.median(abs(e) for e in errors), 1),
        "p90_abs_error": round(_p90([abs(e) for e in errors]), 1),
        "within": round(sum(o.within for o in rows) / len(rows), 3),
        "ranges": len(ranged),
        "in_range": (
            round(sum(o.shown.low <= o.real <= o.shown.high for o in ranged) / len(ranged), 3)
            if ranged
            else None
        ),
        "median_range_width": (
            statistics.median(o.shown.high - o.shown.low for o in ranged) if ranged else None
        ),
    }


def by_group(outcomes: Iterable[tuple[str, Outcome]]) -> dict[str, dict[str, Any]]:
    """`accuracy` per group key (a service code, an hour of issue), sorted by key."""
    groups: dict[str, list[Outcome]] = {}
    for key, outcome in outcomes:
        groups.setdefault(key, []).append(outcome)
    return {key: accuracy(groups[key]) for key in sorted(groups)}
