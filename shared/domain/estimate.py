"""How a projected call becomes the wait a citizen is shown: one figure, or a range when the
spread is wide.

The spread of a call time comes from the visits before it: each desk serving the service works
through about ahead / desks of them, each varying by `spread` (a coefficient of variation); from
the tickets that cut in ahead meanwhile (priority arrivals, transfers), as many as expected on
average but a Poisson number of them, each a whole visit; and from what the projection does not
see (breaks taken late, no-shows called again), a share of the wait itself. The visits are
those of the calling desk, whatever their services: a 5-minute service sharing a desk with a
20-minute one waits through 20-minute visits. (The desks are not taken as independent: their
spreads move together, by the hour's arrivals and the break window, and measured so, ranges
that shrink with more desks held fewer real waits.) The range covers the middle 80% of that
spread, rounded outwards to 5 minutes (to half hours once it starts an hour or more away, as
such waits are told in hours); it is shown only when that middle 80% is at least RANGE_FROM
minutes wide.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

Z_80: Final = 1.2816  # 10% of waits fall below the range, 10% above
UNSEEN: Final = 0.15  # the unseen part of the spread, as a share of the wait
RANGE_FROM: Final = 10  # minutes: a narrower range is shown as one figure
STEP: Final = 5  # the range's ends are multiples of this
LONG_FROM: Final = 60  # minutes: a range starting this far away or more is told in hours...
LONG_STEP: Final = 30  # ...and its ends are whole or half hours


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
    cut_in: float = 0.0,
) -> WaitEstimate:
    """The wait for a call projected `call_in` minutes from now, after `ahead` calls at the
    `desks` serving the service, whose visits last `minutes` on average (the calling desk's,
    whatever their services), while tickets cutting in take the share `cut_in` of its time."""
    point = max(1 if ahead else 0, round(call_in))
    visits = ahead / max(1, desks) + (1 if call_in > 0 else 0)  # and the visit now going on
    cut_ins = visits * cut_in / (1 - cut_in)  # expected; their count varies as much (Poisson)
    sd = math.sqrt(
        minutes**2 * (spread**2 * visits + (1 + spread**2) * cut_ins) + (UNSEEN * call_in) ** 2
    )
    bottom = max(0.0, call_in - Z_80 * sd)
    step = LONG_STEP if bottom >= LONG_FROM else STEP
    low = step * math.floor(bottom / step)
    high = step * math.ceil((call_in + Z_80 * sd) / step)
    if closes_in is not None and call_in > closes_in:  # "more than" the time left
        return WaitEstimate(point, max(0, math.floor(closes_in)), point, past_closing=True)
    if 2 * Z_80 * sd < RANGE_FROM:
        return WaitEstimate.exact(point)
    return WaitEstimate(point, low, max(high, point))
