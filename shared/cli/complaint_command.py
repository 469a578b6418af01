"""`antrian complaint`: file a complaint, list what is open or overdue, move one a step."""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path
from typing import Any

from shared.cli.commands import engine_for
from shared.cli.report_command import iso_day
from shared.complaint_export import rows, to_csv, to_xlsx
from shared.domain.complaints import (
    CATEGORIES,
    CHANNELS,
    REPORT_HEADER,
    STATUS_NAMES,
    Complaint,
    Status,
    shown_reference,
)
from shared.engine.complaints import NewComplaint
from shared.i18n import env_lang


def add_command(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    complaint = sub.add_parser("complaint", help="the complaints register (SP4N-LAPOR!)")
    actions = complaint.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="record a complaint")
    add.add_argument("--agency", required=True)
    add.add_argument("--category", required=True, choices=tuple(CATEGORIES))
    add.add_argument("--channel", required=True, choices=tuple(CHANNELS))
    add.add_argument("--lapor-id", help="SP4N-LAPOR!'s tracking number")
    add.add_argument("--service", help="the service it is about")
    add.add_argument("--ticket", help="today's ticket number it is about")
    add.add_argument("--contact", help="the complainant's phone or email (kept from the public)")
    add.add_argument("text", help="what the complainant said")
    add.add_argument("--json", action="store_true", help="JSON on stdout")
    add.set_defaults(handler=run_add)
    listing = actions.add_parser("list", help="open complaints, by deadline")
    listing.add_argument("--overdue", action="store_true", help="only those past a deadline")
    listing.add_argument("--all", action="store_true", help="closed ones too")
    listing.add_argument("--json", action="store_true", help="JSON on stdout")
    listing.set_defaults(handler=run_list)
    report = actions.add_parser("report", help="per month, agency and category")
    report.add_argument("--from", dest="date_from", type=iso_day, required=True, help="YYYY-MM-DD")
    report.add_argument("--to", dest="date_to", type=iso_day, required=True, help="YYYY-MM-DD")
    output = report.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="JSON on stdout")
    output.add_argument("--csv", metavar="FILE", help="write CSV")
    output.add_argument("--xlsx", metavar="FILE", help="write XLSX")
    report.set_defaults(handler=run_report)
    move = actions.add_parser("update", help="move a complaint one step")
    move.add_argument("reference")
    move.add_argument("--status", required=True, choices=[s.value for s in Status])
    move.add_argument("--answer", help="the public answer (ditanggapi) or reason (ditolak)")
    move.set_defaults(handler=run_update)


def complaint_json(complaint: Complaint) -> dict[str, Any]:
    return {
        "reference": shown_reference(complaint.reference),
        "received_at": complaint.received_at.isoformat(),
        "agency": complaint.agency,
        "service": complaint.service,
        "ticket": complaint.ticket,
        "category": complaint.category,
        "channel": complaint.channel,
        "lapor_id": complaint.lapor_id,
        "status": complaint.status.value,
        "response_due": complaint.response_due.isoformat(),
        "resolution_due": complaint.resolution_due.isoformat(),
        "answer": complaint.answer,
        "reason": complaint.reason,
    }


def run_add(args: argparse.Namespace) -> int:
    new = NewComplaint(
        args.agency,
        args.category,
        args.channel,
        args.text,
        args.lapor_id,
        args.service,
        args.ticket,
        contact=args.contact,
    )
    with engine_for(args) as engine:
        complaint = engine.file_complaint(new)
    if args.json:
        print(json.dumps(complaint_json(complaint), ensure_ascii=False))
    else:
        print(
            f"{shown_reference(complaint.reference)}  {complaint.agency}  "
            f"{complaint.response_due.isoformat()} / {complaint.resolution_due.isoformat()}"
        )
    return 0


def run_list(args: argparse.Namespace) -> int:
    with engine_for(args) as engine:
        found = engine.complaints(open_only=not args.all)
        today = engine.clock.now().astimezone(engine.zone).date()
    if args.overdue:
        found = [c for c in found if c.overdue(today)]
    if args.json:
        print(json.dumps([complaint_json(c) for c in found], ensure_ascii=False))
        return 0
    lang = env_lang()
    for c in found:
        mark = "TERLAMBAT/OVERDUE" if c.overdue(today) else ""
        print(
            f"{shown_reference(c.reference)}  {c.agency:<10} {STATUS_NAMES[c.status].get(lang):<24}"
            f" {c.resolution_due.isoformat()}  {mark}"
        )
    return 0


def run_update(args: argparse.Namespace) -> int:
    with engine_for(args) as engine:
        complaint = engine.move_complaint(args.reference, Status(args.status), args.answer)
    print(
        f"{shown_reference(complaint.reference)}  {STATUS_NAMES[complaint.status].get(env_lang())}"
    )
    return 0


def run_report(args: argparse.Namespace) -> int:
    lang = env_lang()
    with engine_for(args) as engine:
        figures = engine.complaint_report(args.date_from, args.date_to)
        site = engine.catalogue().site_name
    if args.json:
        print(json.dumps([dataclasses.asdict(f) for f in figures], ensure_ascii=False))
    elif args.csv:
        Path(args.csv).write_text(to_csv(figures, lang), encoding="utf-8")
        print(args.csv)
    elif args.xlsx:
        Path(args.xlsx).write_bytes(to_xlsx(figures, lang, site))
        print(args.xlsx)
    else:
        print("  ".join(REPORT_HEADER[lang]))
        for row in rows(figures, lang):
            print("  ".join(str(v) for v in row))
    return 0
