"""How often any single figure can fall within max(5 min, 25%) of a wait at one counter.

    python bench/single_counter_ceiling.py [--samples 20000]

A model, not the simulator: one counter with N visits ahead, each lognormal around 10 minutes
with the simulator's spread (0.45), and priority tickets cutting in, a Poisson number of them
(0.1 per visit ahead, the example site's busy morning), each a visit more. For each N it draws
the waits and prints the share within tolerance of the best single figure there is for them
(found by trying figures from 60% to 130% of their mean) and of the mean itself. It shows what
the wait estimate's target asks of a service served by one counter alone. Asserts nothing.
"""

from __future__ import annotations

import argparse
import math
import random
import statistics

MEDIAN_VISIT = 10.0
SIGMA = 0.45  # shared.simulator.model.Settings.service_sigma
CUT_INS_PER_VISIT = 0.1


def poisson(rng: random.Random, mean: float) -> int:
    """Knuth's method: fine for the small means here."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def waits(rng: random.Random, ahead: int, samples: int) -> list[float]:
    def visits(n: int) -> float:
        return sum(rng.lognormvariate(math.log(MEDIAN_VISIT), SIGMA) for _ in range(n))

    return [visits(ahead + poisson(rng, CUT_INS_PER_VISIT * ahead)) for _ in range(samples)]


def within(figure: float, real: list[float]) -> float:
    return sum(abs(figure - r) <= max(5.0, 0.25 * r) for r in real) / len(real)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--samples", type=int, default=20000)
    args = parser.parse_args()
    rng = random.Random(1)
    print("  visits ahead   mean wait   best figure within   the mean within")
    for ahead in (3, 5, 10, 20):
        real = waits(rng, ahead, args.samples)
        mean = statistics.fmean(real)
        best = max(within(mean * (0.6 + 0.01 * step), real) for step in range(71))
        print(f"  {ahead:12}   {mean:6.1f} min   {best:18.1%}   {within(mean, real):15.1%}")


if __name__ == "__main__":
    main()
