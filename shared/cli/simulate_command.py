"""`antrian simulate`: a day of the site through the real engine, then a report."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from shared.errors import UserError
from shared.simulator.model import Settings, parse_arrivals, parse_counters
from shared.simulator.report import format_report
from shared.simulator.run import simulate
from shared.site_config import load_site_file


def add_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    sim = sub.add_parser("simulate", help="simulate a day of a site (capacity planning, load test)")
    sim.add_argument("--site", required=True, help="site file (TOML)")
    sim.add_argument(
        "--db", dest="sim_db", help="database to use (default: a fresh temporary SQLite file)"
    )
    sim.add_argument("--tickets", type=int, default=800, help="arrivals in the day")
    sim.add_argument("--arrivals", default="morning", help="morning, flat, or 8=10,9=25,...")
    sim.add_argument("--counters", help="counters open per agency, e.g. DUKCAPIL=4,SAMSAT=2")
    sim.add_argument("--seed", type=int, default=1)
    sim.add_argument("--date", help="the simulated day (default: the next working day)")
    sim.add_argument(
        "--days-before",
        type=int,
        default=0,
        help="working days simulated first, so the wait forecast has recent days to learn from",
    )
    sim.add_argument("--priority-share", type=float, default=0.08)
    sim.add_argument("--no-show-share", type=float, default=0.05)
    sim.add_argument("--transfer-share", type=float, default=0.03)
    sim.add_argument("--no-breaks", action="store_true", help="counters take no midday break")
    sim.add_argument(
        "--booked-share",
        type=float,
        default=0.0,
        help="of arrivals for services taking appointments: booked ahead (0-1)",
    )
    sim.add_argument(
        "--booked-no-show", type=float, default=0.1, help="of bookings: never come (0-1)"
    )
    sim.add_argument(
        "--walk-in-share",
        type=float,
        default=0.0,
        help="people served at a counter without a ticket, as a share of --tickets (0-1)",
    )
    sim.add_argument(
        "--park-share",
        type=float,
        default=0.0,
        help="visits parked for a missing paper, the citizen called back later (0-1)",
    )
    sim.add_argument(
        "--send-share",
        type=float,
        default=0.0,
        help="visits ending with the number sent on to a colleague's counter (0-1)",
    )
    sim.add_argument(
        "--parallel", type=int, default=0, help="drive the day from K OS processes (the load test)"
    )
    sim.add_argument(
        "--day-seconds",
        type=float,
        default=60.0,
        help="with --parallel: real seconds the day is compressed into",
    )
    sim.add_argument("--json", action="store_true")
    sim.set_defaults(handler=run)


def _share(name: str, value: float) -> float:
    if not 0 <= value <= 1:
        raise UserError("sim_bad_value", name=name, value=value)
    return value


def settings_from(args: argparse.Namespace, site_counters: dict[str, int] | None) -> Settings:
    if args.tickets < 1:
        raise UserError("sim_bad_value", name="--tickets", value=args.tickets)
    if args.days_before < 0:
        raise UserError("sim_bad_value", name="--days-before", value=args.days_before)
    if args.parallel < 0 or args.day_seconds <= 0:
        raise UserError(
            "sim_bad_value",
            name="--parallel/--day-seconds",
            value=f"{args.parallel}/{args.day_seconds}",
        )
    try:
        day = date.fromisoformat(args.date) if args.date else None
    except ValueError:
        raise UserError("sim_bad_value", name="--date", value=args.date) from None
    return Settings(
        tickets=args.tickets,
        arrivals=parse_arrivals(args.arrivals),
        priority_share=_share("--priority-share", args.priority_share),
        no_show_share=_share("--no-show-share", args.no_show_share),
        transfer_share=_share("--transfer-share", args.transfer_share),
        booked_share=_share("--booked-share", args.booked_share),
        booked_no_show=_share("--booked-no-show", args.booked_no_show),
        walk_in_share=_share("--walk-in-share", args.walk_in_share),
        park_share=_share("--park-share", args.park_share),
        send_share=_share("--send-share", args.send_share),
        breaks=not args.no_breaks,
        seed=args.seed,
        counters=site_counters,
        day=day,
        days_before=args.days_before,
    )


def run(args: argparse.Namespace) -> int:
    site = load_site_file(args.site)
    counts = parse_counters(args.counters, site) if args.counters else None
    settings = settings_from(args, counts)
    if settings.day is not None and settings.day in site.site.holidays:
        named = dict(site.site.holidays.of_year(settings.day.year)).get(settings.day)
        raise UserError("sim_day_off", day=settings.day.isoformat(), name=named or "holidays")
    outcome = simulate(
        site, settings, args.sim_db or args.db, parallel=args.parallel, day_seconds=args.day_seconds
    )
    run_facts = {
        "mode": outcome.mode,
        "database": outcome.database,
        "seconds": round(outcome.seconds, 2),
        "tickets_per_second": round(outcome.tickets_per_second, 1),
    }
    if args.json:
        print(
            json.dumps(
                {"report": outcome.report, "invariants": outcome.problems, "run": run_facts},
                ensure_ascii=False,
            )
        )
    else:
        print(format_report(outcome.report))
        print(
            f"  run: {outcome.mode}, {outcome.seconds:.1f} s, "
            f"{outcome.tickets_per_second:.0f} tickets/s, {outcome.database}"
        )
    if outcome.problems:
        error = UserError("sim_broken", count=len(outcome.problems))
        print(error.line(), file=sys.stderr)
        for problem in outcome.problems[:20]:
            print(f"  {problem}", file=sys.stderr)
        return 1
    return 0
