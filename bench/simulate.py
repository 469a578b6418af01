"""Simulator benchmark: a 10,000-ticket day with 200 counters, single-process and parallel, on
SQLite and PostgreSQL.

    python bench/simulate.py [--tickets 10000] [--counters 200] [--parallel 8] [--no-pg]

Prints wall time and tickets per second of each run; asserts nothing. The 200 counters are the
example site's, scaled up per agency (the simulator's what-if).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from engine import PG_DEFAULT, postgres_database  # noqa: E402

from shared.simulator.model import Settings  # noqa: E402
from shared.simulator.run import simulate  # noqa: E402
from shared.site_config import SiteConfig, load_site_file  # noqa: E402

SITE = ROOT / "examples" / "mpp-kabupaten-bekasi.toml"
MONDAY = date(2026, 11, 30)


def scaled_counters(site: SiteConfig, total: int) -> dict[str, int]:
    """Counters per agency in the example's proportions, adding up to `total`."""
    own = {a.code: sum(1 for c in site.counters if c.agency == a.code) for a in site.agencies}
    base = sum(own.values())
    counts = {a: max(1, n * total // base) for a, n in own.items()}
    biggest = max(counts, key=lambda a: counts[a])
    counts[biggest] += total - sum(counts.values())
    return counts


@contextmanager
def nothing() -> Iterator[None]:
    yield None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--counters", type=int, default=200)
    parser.add_argument("--parallel", type=int, default=8)
    parser.add_argument("--day-seconds", type=float, default=60.0)
    parser.add_argument("--pg", default=os.environ.get("ANTRIAN_TEST_PG", PG_DEFAULT))
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    site = load_site_file(SITE)
    settings = Settings(
        tickets=args.tickets, seed=1, day=MONDAY, counters=scaled_counters(site, args.counters)
    )
    print(
        f"Antrian simulator benchmark: {args.tickets:,} tickets, {args.counters} counters, "
        f"example site"
    )
    backends = [("SQLite", nothing)] + (
        [] if args.no_pg else [("PostgreSQL", lambda: postgres_database(args.pg))]
    )
    for label, database in backends:
        for parallel in (0, args.parallel):
            with database() as url:
                outcome = simulate(
                    site, settings, url, parallel=parallel, day_seconds=args.day_seconds
                )
            tickets = outcome.report["tickets"]
            status = (
                "invariants hold"
                if not outcome.problems
                else (f"{len(outcome.problems)} INVARIANTS BROKEN")
            )
            print(
                f"  {label:10} {outcome.mode:15} {outcome.seconds:7.1f} s  "
                f"{outcome.tickets_per_second:7.0f} tickets/s  ({tickets['issued']:,} issued, "
                f"{tickets['served']:,} served, waiting p90 "
                f"{outcome.report['waiting_minutes']['all']['p90']} min; {status})"
            )


if __name__ == "__main__":
    main()
