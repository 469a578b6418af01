"""How long a visit at the counter takes per service, learned from the visits seen.

A service's own visits are few and vary much (one visit's spread is about half its length), so
its pace is drawn towards a prior: what the site's visits say of it, a line through all of them
(counter minutes = overhead + scale x the configured minutes: calling a citizen to the counter
costs the same whatever the service, the rest grows with the service's own length), or the
service's own last days. How strongly is learned from the same visits (empirical Bayes): where
the services' means stray from their priors no more than their few visits explain, the prior
knows each service's pace better than its own visits do; where they stray more (configured
minutes that are off one way for one service and the other way for another), each service's
own visits count for more.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

LINE_SAMPLES: Final = 5  # below this many visits the site's line is not drawn
DEFAULT_WEIGHT: Final = 10.0  # the prior counts as this many visits when it cannot be learned
WEIGHT_RANGE: Final = (1.0, 200.0)  # and between these when it is
WEIGHT_SERVICES: Final = 3  # learned from this many services with WEIGHT_VISITS visits each
WEIGHT_VISITS: Final = 5


@dataclass(frozen=True, slots=True)
class Line:
    """Counter minutes of a visit as a function of the service's configured minutes, drawn
    through the visits of services configured between `shortest` and `longest`: beyond them it
    is not stretched but scaled (the share of the configured minutes at the nearer end), so a
    line seen only on short services says nothing wild about a long one."""

    overhead: float = 0.0
    scale: float = 1.0
    shortest: float = 0.0
    longest: float = math.inf

    def minutes(self, configured: float) -> float:
        end = min(max(configured, self.shortest), self.longest)
        at_end = self.overhead + self.scale * end
        return at_end if end == configured else at_end * configured / end


def site_line(
    visits: Mapping[str, Sequence[float]], configured: Mapping[str, float], fallback: Line
) -> Line:
    """The least-squares line through every visit (minutes) against its service's configured
    minutes; a share of the configured minutes when they are all alike or the line would have
    a negative overhead; `fallback` with fewer than LINE_SAMPLES visits."""
    groups = [
        (configured[s], len(vs), math.fsum(vs))
        for s, vs in visits.items()
        if configured.get(s) and vs
    ]
    count = sum(n for _, n, _ in groups)
    if count < LINE_SAMPLES:
        return fallback
    share = Line(0.0, math.fsum(total / c for c, _, total in groups) / count)
    mean_x = math.fsum(c * n for c, n, _ in groups) / count
    spread_x = math.fsum(n * (c - mean_x) ** 2 for c, n, _ in groups)
    if spread_x <= 1e-9 * count:
        return share
    slope = math.fsum((c - mean_x) * total for c, _, total in groups) / spread_x
    intercept = math.fsum(total for _, _, total in groups) / count - slope * mean_x
    if intercept < 0 or slope <= 0:
        return share
    return Line(intercept, slope, min(c for c, _, _ in groups), max(c for c, _, _ in groups))


def prior_weight(visits: Mapping[str, Sequence[float]], priors: Mapping[str, float]) -> float:
    """How many visits a service's prior counts as: the spread of one visit over the spread of
    the services' true paces about their priors (what the means' scatter shows beyond their
    sampling noise), both relative to the prior; DEFAULT_WEIGHT with too few services."""
    groups = [
        [v / priors[s] for v in vs]
        for s, vs in visits.items()
        if len(vs) >= WEIGHT_VISITS and priors.get(s, 0.0) > 0
    ]
    if len(groups) < WEIGHT_SERVICES:
        return DEFAULT_WEIGHT
    means = [math.fsum(g) / len(g) for g in groups]
    squares = math.fsum((v - m) ** 2 for g, m in zip(groups, means, strict=True) for v in g)
    within = squares / sum(len(g) - 1 for g in groups)  # pooled variance of one visit
    between = math.fsum((m - 1) ** 2 - within / len(g) for g, m in zip(groups, means, strict=True))
    between /= len(groups)
    low, high = WEIGHT_RANGE
    if between <= within / high:
        return high
    return max(low, within / between)


def learned_minutes(
    visits: Mapping[str, Sequence[float]], priors: Mapping[str, float], weight: float
) -> dict[str, float]:
    """Each service's pace: its visits' mean drawn towards its prior, which counts as `weight`
    visits."""
    return {
        s: (sum(visits.get(s, ())) + weight * prior) / (len(visits.get(s, ())) + weight)
        for s, prior in priors.items()
    }
