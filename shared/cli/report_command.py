"""`antrian report`: performance against the service standards, as text, JSON, CSV or XLSX."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

from shared.cli.commands import engine_for
from shared.domain.report import GROUPINGS, Report
from shared.domain.values import jsonable
from shared.engine.reports import ReportQuery
from shared.i18n import env_lang
from shared.report_export import AT, header, table, to_csv, to_xlsx
from shared.report_pdf import to_pdf


def add_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    report = sub.add_parser("report", help="performance against the service standards")
    report.add_argument("--from", dest="date_from", type=iso_day, required=True, help="YYYY-MM-DD")
    report.add_argument("--to", dest="date_to", type=iso_day, required=True, help="YYYY-MM-DD")
    report.add_argument("--by", default="service", choices=GROUPINGS)
    report.add_argument("--agency", action="append", default=[], help="agency code (repeat)")
    report.add_argument("--service")
    report.add_argument("--counter")
    report.add_argument("--staff")
    output = report.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="JSON on stdout")
    output.add_argument("--csv", metavar="FILE", help="write CSV")
    output.add_argument("--xlsx", metavar="FILE", help="write XLSX (a sheet per grouping)")
    output.add_argument("--pdf", metavar="FILE", help="write the printable report (PDF)")
    report.set_defaults(handler=run)


def iso_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text[:20]}") from None


def run(args: argparse.Namespace) -> int:
    lang = env_lang()

    def query(by: str) -> ReportQuery:
        return ReportQuery(
            args.date_from,
            args.date_to,
            by,
            tuple(args.agency),
            args.service,
            args.counter,
            args.staff,
        )

    with engine_for(args) as engine:
        if args.xlsx:
            found = engine.grouped_reports(query(args.by), GROUPINGS)
            reports = [found[by] for by in GROUPINGS]
            Path(args.xlsx).write_bytes(to_xlsx(reports, lang, "Antrian"))
            print(args.xlsx)
            return 0
        report = engine.report(query(args.by))
        if args.pdf:
            site = engine.catalogue().site_name
            Path(args.pdf).write_bytes(to_pdf(report, lang, site, engine.zone))
            print(args.pdf)
            return 0
    if args.json:
        print(json.dumps(jsonable(report), ensure_ascii=False))
    elif args.csv:
        Path(args.csv).write_text(to_csv(report, lang), encoding="utf-8")
        print(args.csv)
    else:
        print_report(report, lang)
    return 0


def print_report(report: Report, lang: str) -> None:
    names = header(lang)
    shown = [
        AT[key]
        for key in (
            *("group", "arrived", "refused_closed", "refused_quota", "called", "served"),
            *("no_show", "wait_mean", "wait_p90", "service_level"),
        )
    ]
    print(f"{report.date_from} .. {report.date_to}  {report.filters or ''}")
    print("  ".join(f"{names[i]:>12}" for i in shown))
    for line in table(report, lang):
        print("  ".join(f"{'' if line[i] is None else line[i]!s:>12}" for i in shown))
