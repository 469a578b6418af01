"""`antrian skm`: paper survey forms typed in, and the IKM of a period (text or JSON)."""

from __future__ import annotations

import argparse
import getpass
import json
from datetime import date
from pathlib import Path
from typing import Any

from shared.cli.commands import engine_for
from shared.cli.report_command import iso_day
from shared.domain.skm import CODES, ELEMENTS, SkmReport, SkmResult
from shared.engine.survey import SKM_GROUPINGS, SurveyAnswer
from shared.i18n import Lang, env_lang, figure, tr, tr_count
from shared.skm_export import to_pdf, to_xlsx


def add_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    skm = sub.add_parser("skm", help="the satisfaction survey (SKM) and its index (IKM)")
    actions = skm.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="type in a paper form")
    add.add_argument("--ticket", required=True, help="the visit's ticket number, e.g. A012")
    add.add_argument("--answers", required=True, type=_answers, help="nine of 1-4: 4,3,4,...")
    add.add_argument("--date", type=iso_day, help="the visit's day (default today), YYYY-MM-DD")
    add.set_defaults(handler=run_add)
    report = actions.add_parser("report", help="the IKM of a period")
    report.add_argument("--from", dest="date_from", type=iso_day, required=True, help="YYYY-MM-DD")
    report.add_argument("--to", dest="date_to", type=iso_day, required=True, help="YYYY-MM-DD")
    report.add_argument("--by", default="element", choices=SKM_GROUPINGS)
    report.add_argument("--agency", help="one agency's visits")
    output = report.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="JSON on stdout")
    output.add_argument("--xlsx", metavar="FILE", help="write the regulation's report (XLSX)")
    output.add_argument("--pdf", metavar="FILE", help="write the printable report (PDF)")
    report.set_defaults(handler=run_report)


def _answers(text: str) -> tuple[int, ...]:
    """Nine answers as typed: "4,3,4,4,3,4,4,3,4" (the engine checks count and range)."""
    try:
        return tuple(int(part) for part in text.replace(" ", "").split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(tr("skm_bad_answers", env_lang())) from None


def run_add(args: argparse.Namespace) -> int:
    with engine_for(args) as engine:
        day: date | None = args.date
        receipt = engine.answer_survey(
            SurveyAnswer(args.answers, "paper", entered_by=getpass.getuser()),
            number=args.ticket,
            day=day,
        )
    print(f"{receipt.number} {receipt.day.isoformat()} {receipt.service.get(env_lang())}: OK")
    return 0


def run_report(args: argparse.Namespace) -> int:
    lang = env_lang()
    with engine_for(args) as engine:
        report = engine.skm_report(args.date_from, args.date_to, args.by, args.agency)
        if args.xlsx or args.pdf:
            responses = engine.skm_responses(args.date_from, args.date_to, args.agency)
            site = engine.catalogue().site_name
            make = to_xlsx if args.xlsx else to_pdf
            Path(args.xlsx or args.pdf).write_bytes(make(report, responses, lang, site))
            print(args.xlsx or args.pdf)
            return 0
    if args.json:
        print(json.dumps(report_json(report), ensure_ascii=False))
    else:
        print_report(report, lang)
    return 0


def result_json(result: SkmResult) -> dict[str, Any]:
    grade = result.grade
    return {
        "respondents": result.respondents,
        "nrr": {code: round(value, 4) for code, value in zip(CODES, result.nrr, strict=True)},
        "ikm": round(result.ikm, 2),
        "ikm_regulation_weight": round(result.regulation_ikm, 2),
        "grade": grade.letter if grade else None,
        "quality": {"id": grade.quality.id, "en": grade.quality.en} if grade else None,
    }


def report_json(report: SkmReport) -> dict[str, Any]:
    return {
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "by": report.by,
        **result_json(report.overall),
        "served": report.served,
        "minimum_sample": report.minimum,
        "too_few": report.too_few,
        "channels": report.channels,
        "groups": [
            {"code": g.code, "name": {"id": g.name.id, "en": g.name.en}, **result_json(g.result)}
            for g in report.groups
        ],
    }


def print_report(report: SkmReport, lang: Lang) -> None:
    overall = report.overall
    print(tr("skm_report_title", lang, start=report.start, end=report.end))
    print(tr_count("skm_respondents", lang, overall.respondents, served=report.served))
    if report.too_few:
        print(tr("skm_too_few", lang, minimum=report.minimum))
    if not overall.respondents:
        return
    weak = set(overall.lowest())
    for element, nrr in zip(ELEMENTS, overall.nrr, strict=True):
        mark = "  <" if element.code in weak else ""
        print(f"  {element.code}  {element.name.get(lang):<42} {figure(nrr, lang, 2):>5}{mark}")
    grade = overall.grade
    assert grade is not None
    print(
        tr(
            "skm_index",
            lang,
            ikm=figure(overall.ikm, lang, 2),
            grade=grade.letter,
            quality=grade.quality.get(lang),
            regulation=figure(overall.regulation_ikm, lang, 2),
        )
    )
    for group in report.groups:
        g = group.result.grade
        print(
            f"  {group.code:<16} {group.name.get(lang)[:40]:<40} {group.result.respondents:>5}  "
            f"{figure(group.result.ikm, lang, 2):>6}  {g.letter if g else '-'}"
        )
