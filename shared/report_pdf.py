"""The printable monthly report (PDF): what a head of an MPP signs and sends to the regency.

Per agency or for the whole MPP: the period, the figures per service against their targets,
the total, the definitions, and a place to sign. Drawn with reportlab's built-in fonts (no
download, no font file needed).
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import Final
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from shared.domain.report import Report
from shared.i18n import Lang, figure
from shared.report_export import AT, header, scope, table

# the columns that fit a page, after the row's name
COLUMNS: Final = tuple(
    AT[key]
    for key in (
        *("arrived", "refused_closed", "refused_quota", "called", "served", "no_show"),
        *("transferred", "wait_mean", "wait_p90", "wait_max", "service_mean", "within_target"),
        *("service_level", "no_show_rate", "utilisation"),
    )
)
TITLE = {"id": "Laporan Kinerja Pelayanan", "en": "Service Performance Report"}
PERIOD = {"id": "Periode", "en": "Period"}
SIGN = {
    "id": ("Mengetahui,", "Kepala Mal Pelayanan Publik", "(nama dan tanda tangan)"),
    "en": ("Acknowledged,", "Head of the Public Service Mall", "(name and signature)"),
}
DEFINITIONS = {"id": "Definisi", "en": "Definitions"}


def to_pdf(report: Report, lang: Lang, site_name: str, zone: ZoneInfo) -> bytes:
    styles = getSampleStyleSheet()
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=f"{TITLE[lang]} {site_name}",
    )
    within = escape(" · ".join(f"{label}: {value}" for label, value in scope(report, lang)))
    made = report.generated_at.astimezone(zone)
    story = [
        Paragraph(f"{TITLE[lang]} · {escape(site_name)}", styles["Title"]),
        Paragraph(
            f"{PERIOD[lang]}: {report.date_from:%d-%m-%Y} s/d {report.date_to:%d-%m-%Y}"
            + (f" · {within}" if within else "")
            + f" · {_stamp(made)}",
            styles["Normal"],
        ),
        Spacer(1, 5 * mm),
        _figures(report, lang),
        Spacer(1, 5 * mm),
        Paragraph(DEFINITIONS[lang], styles["Heading3"]),
    ]
    story += [
        Paragraph(f"<b>{key}</b>: {text.get(lang)}", styles["BodyText"])
        for key, text in report.definitions.items()
    ]
    story += signature(lang)
    document.build(story)
    return out.getvalue()


def signature(lang: Lang) -> list[Flowable]:
    """The place where the head of the MPP acknowledges a printed report."""
    normal = getSampleStyleSheet()["Normal"]
    block: list[Flowable] = [Paragraph(line, normal) for line in SIGN[lang][:2]]
    block += [Spacer(1, 18 * mm), Paragraph(SIGN[lang][2], normal)]
    return [Spacer(1, 10 * mm), KeepTogether(block)]


def _figures(report: Report, lang: Lang) -> Table:
    """The figures, a row per group named as people read it (a service's name, not its code)."""
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7, leading=8)
    names = header(lang)
    heads = [names[AT["group"]], *(names[i] for i in COLUMNS)]
    lines = table(report, lang)
    rows = [
        [Paragraph(_bold(escape(str(line[AT["name"]])), n == len(lines) - 1), small)]
        + [_shown(line[i], lang) for i in COLUMNS]
        for n, line in enumerate(lines)
    ]
    grid = Table(
        [[Paragraph(h, small) for h in heads], *rows],
        repeatRows=1,
        hAlign="LEFT",
        colWidths=[52 * mm, *([None] * len(COLUMNS))],
    )
    grid.setStyle(
        TableStyle(
            [
                ("FONTSIZE", (0, 0), (-1, -1), 7.5),
                ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6f0")),
                ("FONTNAME", (0, -1), (-1, -1), "Helvetica-Bold"),
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return grid


def _shown(value: object, lang: Lang) -> str:
    """A figure as the report's language writes numbers ("5,5" in Bahasa Indonesia)."""
    if isinstance(value, int | float):
        return figure(value, lang)
    return "" if value is None else str(value)


def _bold(text: str, bold: bool) -> str:
    return f"<b>{text}</b>" if bold else text


def _stamp(moment: datetime) -> str:
    return f"{moment:%d-%m-%Y %H:%M}"
