"""Wait-estimate benchmark: how often the wait shown at issue came true, over simulated days.

    python bench/estimate.py [--seeds 5] [--processes 2] [--days-before 0] [--by-hour]
                             [--by-counters] [--walk-in-share 0] [--park-share 0]
                             [--send-share 0]

Runs the day simulator (single process, SQLite) on the example site at 600, 1,000 and 1,500
tickets and on the small test site at 200, each with several seeds (each day after
`--days-before` working days at the same load, which the forecast learns from as in use), and
prints per load level: tickets called, the share within max(5 min, 25%) of the real wait (and
its lowest and highest over the days), the mean error (estimate minus real) next to the mean
real wait, the median and p90 absolute error (the median over the days), and where a range was
shown, the share of real waits inside it and its median width; then the same for the live
estimate of the ticket pages; with `--by-hour`, the waits shown at issue again per hour of
issue, and with `--by-counters`, per number of counters serving the ticket's service. With
`--walk-in-share`, people are also served at a counter without a ticket, that share of the
tickets; with `--park-share`, that share of the visits is parked for a missing paper and called
back later; with `--send-share`, that share of the visits ends with its number sent on to a
colleague's counter, where it waits for that counter alone. Asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shared.simulator.model import Settings  # noqa: E402
from shared.simulator.run import simulate  # noqa: E402
from shared.site_config import load_site_file  # noqa: E402

SITES = {
    "example": ROOT / "examples" / "mpp-kabupaten-bekasi.toml",
    "small": ROOT / "tests" / "data" / "small-site.toml",
}
LEVELS = (("example", 600), ("example", 1000), ("example", 1500), ("small", 200))
MONDAY = date(2026, 11, 30)


def one_day(
    site: str,
    tickets: int,
    seed: int,
    days_before: int = 0,
    walk_in_share: float = 0.0,
    park_share: float = 0.0,
    send_share: float = 0.0,
) -> dict[str, Any]:
    outcome = simulate(
        load_site_file(SITES[site]),
        Settings(
            tickets=tickets,
            seed=seed,
            day=MONDAY,
            days_before=days_before,
            walk_in_share=walk_in_share,
            park_share=park_share,
            send_share=send_share,
        ),
    )
    if outcome.problems:
        raise SystemExit(f"{site} {tickets} seed {seed}: invariants broken: {outcome.problems[:3]}")
    return dict(outcome.report["estimate"])


def counters_serving(site: str) -> dict[str, int]:
    """Per service of the site: how many active counters serve it."""
    counts: dict[str, int] = {}
    for counter in load_site_file(SITES[site]).counters:
        if counter.active:
            for code in counter.services:
                counts[code] = counts.get(code, 0) + 1
    return counts


def pooled(days: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Figures over several days: shares and means weighted by count, medians over the days."""
    days = [d for d in days if d["count"]]
    total = sum(d["count"] for d in days)
    ranges = sum(d["ranges"] for d in days)

    def weighted(key: str, weight: str = "count") -> float:
        return sum(d[key] * d[weight] for d in days if d[key] is not None) / max(
            1, sum(d[weight] for d in days if d[key] is not None)
        )

    return {
        "count": total,
        "within": weighted("within"),
        "days": (min(d["within"] for d in days), max(d["within"] for d in days)),
        "mean_error": weighted("mean_error"),
        "mean_real": weighted("mean_real"),
        "median_abs_error": statistics.median(d["median_abs_error"] for d in days),
        "p90_abs_error": statistics.median(d["p90_abs_error"] for d in days),
        "ranges": ranges,
        "in_range": weighted("in_range", "ranges") if ranges else None,
        "width": (
            statistics.median(d["median_range_width"] for d in days if d["ranges"])
            if ranges
            else None
        ),
    }


def as_day(f: dict[str, Any]) -> dict[str, Any]:
    """Pooled figures of one day's services, in the shape of one day's figures."""
    return f | {"median_range_width": f["width"]}


def row(label: str, f: dict[str, Any]) -> str:
    bias = f["mean_error"] / f["mean_real"] if f["mean_real"] else 0.0
    ranged = (
        f"{f['ranges'] / f['count']:5.0%} shown, {f['in_range']:5.1%} inside, "
        f"median width {f['width']:.0f} min"
        if f["ranges"]
        else "none shown"
    )
    return (
        f"  {label:24} {f['count']:6,}  {f['within']:6.1%} "
        f"({f['days'][0]:4.0%}-{f['days'][1]:4.0%})  {f['mean_error']:+7.1f} "
        f"({bias:+4.0%}) {f['mean_real']:6.1f}  {f['median_abs_error']:5.1f} "
        f"{f['p90_abs_error']:6.1f}   {ranged}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--days-before", type=int, default=0)
    parser.add_argument("--walk-in-share", type=float, default=0.0)
    parser.add_argument("--park-share", type=float, default=0.0)
    parser.add_argument("--send-share", type=float, default=0.0)
    parser.add_argument("--by-hour", action="store_true", help="at issue, per hour of issue too")
    parser.add_argument(
        "--by-counters",
        action="store_true",
        help="at issue, per number of counters serving the service too",
    )
    args = parser.parse_args()
    jobs = [
        (site, n, seed, args.days_before, args.walk_in_share, args.park_share, args.send_share)
        for site, n in LEVELS
        for seed in range(1, args.seeds + 1)
    ]
    with ProcessPoolExecutor(args.processes) as pool:
        results = list(pool.map(one_day, *zip(*jobs, strict=True)))
    print(
        "  day                      called  within (days)       mean error     real  |err| p50"
        "   p90   ranges"
    )
    levels = {
        (site, n): [r for (s, t, *_), r in zip(jobs, results, strict=True) if (s, t) == (site, n)]
        for site, n in LEVELS
    }
    for kind in ("at_issue", "live"):
        print(f" {'at issue (kiosk, paper ticket)' if kind == 'at_issue' else 'live (phone page)'}")
        for (site, n), days in levels.items():
            print(row(f"{site} {n:,} x{args.seeds}", pooled([d[kind] for d in days])))
    if args.by_hour:
        print(" at issue, per hour of issue")
        for (site, n), days in levels.items():
            for hour in sorted({hour for day in days for hour in day["by_hour"]}):
                hourly = [d["by_hour"][hour] for d in days if hour in d["by_hour"]]
                print(row(f"{site} {n:,} {hour}", pooled(hourly)))
    if args.by_counters:
        print(" at issue, per number of counters serving the service")
        for (site, n), days in levels.items():
            serving = counters_serving(site)
            for count in sorted(set(serving.values())):
                of_day = [
                    [v for s, v in d["by_service"].items() if serving.get(s) == count] for d in days
                ]
                grouped = [as_day(pooled(services)) for services in of_day if services]
                if grouped:
                    print(row(f"{site} {n:,} {count}-counter", pooled(grouped)))


if __name__ == "__main__":
    main()
