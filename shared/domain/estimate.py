"""How a projected call becomes the wait a citizen is shown: one figure, or a range when the
spread is wide.

The spread of a call time comes from the visits before it: each desk serving the service works
through about ahead / desks of them, each varying by `spread` (a coefficient of variation), plus
what the projection does not see (transfers, breaks taken late, no-shows called again), a share
of the wait itself. The range covers the middle 80% of that spread, rounded outwards to 5
minutes; it is shown only when that middle 80% is at least RANGE_FROM minutes wide.

The figure is the one most likely to come true as the citizen is promised, within max(5 min,
25%) of the real wait: a wait of W comes true for a figure between 0.8 W and 1.33 W, a window
that reaches further above the figure than below it, so where the spread is wide the likeliest
figure sits a little under the projected call (never more than TRUE_SHIFT under it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

Z_80: Final = 1.2816  # 10% of waits fall below the range, 10% above
UNSEEN: Final = 0.15  # the unseen part of the spread, as a share of the wait
RANGE_FROM: Final = 10  # minutes: a narrower range is shown as one figure
STEP: Final = 5  # the range's ends are multiples of this
TOLERANCE: Final = 0.25  # a wait shown "comes true" within max(TOLERANCE_MINUTES, 25%)
TOLERANCE_MINUTES: Final = 5.0
TRUE_SHIFT: Final = 0.1  # the figure is at most this share under the projected call


@dataclass(frozen=True, slots=True)
class WaitEstimate:
    """The wait shown to a citizen, in whole minutes: the likeliest figure and a range around
    it (`low` == `high` when the spread is narrow enough for one number)."""

    minutes: int
    low: int
    high: int
    # the projection passes the service's closing time: `low` is the time left until then
    past_closing: bool = False

    @classmethod
    def exact(cls, minutes: int) -> WaitEstimate:
        return cls(minutes, minutes, minutes)

    @property
    def is_range(self) -> bool:
        return self.high > self.low


def shown_wait(
    call_in: float,
    ahead: int,
    desks: int,
    minutes: float,
    spread: float,
    closes_in: float | None,
) -> WaitEstimate:
    """The wait for a call projected `call_in` minutes from now, after `ahead` calls at the
    `desks` serving the service, whose visits last `minutes` on average."""
    visits = ahead / max(1, desks) + (1 if call_in > 0 else 0)  # and the visit now going on
    sd = math.sqrt((spread * minutes) ** 2 * visits + (UNSEEN * call_in) ** 2)
    point = max(1 if ahead else 0, likeliest_true(call_in, sd))
    low = STEP * math.floor(max(0.0, call_in - Z_80 * sd) / STEP)
    high = STEP * math.ceil((call_in + Z_80 * sd) / STEP)
    if closes_in is not None and call_in > closes_in:  # "more than" the time left
        return WaitEstimate(point, max(0, math.floor(closes_in)), point, past_closing=True)
    if 2 * Z_80 * sd < RANGE_FROM:
        return WaitEstimate.exact(point)
    return WaitEstimate(point, low, max(high, point))


def comes_true(figure: float, mean: float, sd: float) -> float:
    """The probability that a wait ~ Normal(mean, sd) comes within max(5 min, 25%) of `figure`:
    W between figure / 1.25 and figure / 0.75, or within 5 minutes of it."""
    low = min(figure / (1 + TOLERANCE), figure - TOLERANCE_MINUTES)
    high = max(figure / (1 - TOLERANCE), figure + TOLERANCE_MINUTES)

    def below(x: float) -> float:
        return 0.5 * (1 + math.erf((x - mean) / (sd * math.sqrt(2))))

    return below(high) - below(low)


def likeliest_true(call_in: float, sd: float) -> int:
    """The whole-minute figure from the projected call down to TRUE_SHIFT under it that most
    likely comes true (the projected call itself on a tie, or when the spread is nil)."""
    best = round(call_in)
    if sd <= 0 or call_in <= 0:
        return best
    lowest = math.floor(call_in * (1 - TRUE_SHIFT))
    score = comes_true(best, call_in, sd)
    for figure in range(best - 1, lowest - 1, -1):
        chance = comes_true(figure, call_in, sd)
        if chance > score + 1e-6:  # clearly likelier, not a rounding of a tie
            best, score = figure, chance
    return best
