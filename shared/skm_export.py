"""The SKM report in the layout of PermenPAN-RB 14/2017 (XLSX and PDF): the period and its
respondents against the visits served, the recapitulation of every questionnaire (U1..U9 per
respondent), the sum, NRR and weighted NRR per element, the IKM with its grade and quality
words (with exactly 1/9, and the regulation's 0.111 figure beside it), the respondents' profile,
and the index per group."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any, Final
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from shared.domain.skm import (
    CODES,
    ELEMENTS,
    PROFILE,
    REGULATION_WEIGHT,
    Response,
    SkmReport,
    profile_counts,
)
from shared.i18n import Lang, figure, tr
from shared.report_export import grouping_title
from shared.report_pdf import signature
from shared.sheet_text import as_text

WORDS: Final[dict[str, dict[str, str]]] = {
    "id": {
        "title": "Laporan Survei Kepuasan Masyarakat (SKM)",
        "basis": "PermenPAN-RB Nomor 14 Tahun 2017",
        "period": "Periode",
        "respondents": "Jumlah responden",
        "served": "Kunjungan selesai (populasi)",
        "minimum": "Sampel minimum (Krejcie-Morgan)",
        "too_few": "Responden kurang dari sampel minimum: indeks belum mewakili populasi.",
        "recap": "Rekapitulasi jawaban",
        "no": "No",
        "day": "Tanggal",
        "service": "Layanan",
        "channel": "Cara",
        "sum": "Jumlah nilai per unsur",
        "nrr": "NRR per unsur",
        "weighted": "NRR tertimbang (x 1/9)",
        "regulation": "NRR tertimbang (x 0,111)",
        "ikm": "IKM (jumlah NRR tertimbang x 25)",
        "ikm_regulation": "IKM dengan bobot 0,111 peraturan",
        "grade": "Mutu pelayanan",
        "weight_note": (
            "Bobot 0,111 x 9 unsur = 0,999 menurunkan setiap indeks 0,1%; indeks ini menimbang "
            "dengan tepat 1/9 dan mencantumkan angka dengan 0,111 sebagai pembanding."
        ),
        "elements": "Unsur pelayanan",
        "profile": "Profil responden",
        "not_given": "tidak diisi",
        "groups": "IKM per kelompok",
        "suggestions": "Saran dan masukan",
    },
    "en": {
        "title": "Community Satisfaction Survey (SKM) report",
        "basis": "PermenPAN-RB Regulation No. 14 of 2017",
        "period": "Period",
        "respondents": "Respondents",
        "served": "Visits finished (the population)",
        "minimum": "Minimum sample (Krejcie-Morgan)",
        "too_few": "Fewer respondents than the minimum sample: the index does not yet represent "
        "the population.",
        "recap": "Recapitulation of the answers",
        "no": "No",
        "day": "Day",
        "service": "Service",
        "channel": "Channel",
        "sum": "Sum of scores per element",
        "nrr": "NRR per element",
        "weighted": "Weighted NRR (x 1/9)",
        "regulation": "Weighted NRR (x 0.111)",
        "ikm": "IKM (sum of weighted NRR x 25)",
        "ikm_regulation": "IKM with the regulation's 0.111 weight",
        "grade": "Service quality",
        "weight_note": (
            "The weight 0.111 x 9 elements = 0.999 lowers every index by 0.1%; this index weights "
            "with exactly 1/9 and shows the 0.111 figure beside it."
        ),
        "elements": "Elements",
        "profile": "Respondents' profile",
        "not_given": "not given",
        "groups": "IKM per group",
        "suggestions": "Suggestions",
    },
}
BOLD = Font(bold=True)
SHADE = PatternFill("solid", fgColor="DDE6F0")


def _grade_text(report: SkmReport, lang: Lang) -> str:
    grade = report.overall.grade
    return f"{grade.letter} ({grade.quality.get(lang)})" if grade else "-"


def _element_rows(report: SkmReport, lang: Lang) -> list[list[object]]:
    """Per element: code, name, sum, NRR, NRR x 1/9, NRR x 0.111."""
    result, n = report.overall, report.overall.respondents
    return [
        [
            element.code,
            element.name.get(lang),
            round(nrr * n),
            round(nrr, 3),
            round(nrr / len(ELEMENTS), 3),
            round(nrr * REGULATION_WEIGHT, 3),
        ]
        for element, nrr in zip(ELEMENTS, result.nrr, strict=True)
    ]


def _profile_rows(responses: Sequence[Response], lang: Lang) -> list[list[object]]:
    counts = profile_counts(responses)
    names = {key: dict(choices) for key, choices in PROFILE.items()}
    rows: list[list[object]] = []
    for key, values in counts.items():
        for value, count in sorted(values.items(), key=lambda item: (item[0] == "", item[0])):
            label = names[key][value].get(lang) if value else WORDS[lang]["not_given"]
            rows.append([tr(f"skm_{key}", lang), label, count])
    return rows


def to_xlsx(report: SkmReport, responses: Sequence[Response], lang: Lang, site_name: str) -> bytes:
    w = WORDS[lang]
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "IKM"
    summary.append([f"{w['title']} · {site_name}"])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([w["basis"]])
    summary.append([w["period"], f"{report.start.isoformat()} .. {report.end.isoformat()}"])
    summary.append([w["respondents"], report.overall.respondents])
    summary.append([w["served"], report.served])
    summary.append([w["minimum"], report.minimum])
    if report.too_few:
        summary.append([w["too_few"]])
    summary.append([])
    summary.append(["", w["elements"], w["sum"], w["nrr"], w["weighted"], w["regulation"]])
    for cell in summary[summary.max_row]:
        cell.font, cell.fill = BOLD, SHADE
    for row in _element_rows(report, lang):
        summary.append(row)
    summary.append([])
    summary.append([w["ikm"], round(report.overall.ikm, 2)])
    summary.append([w["ikm_regulation"], round(report.overall.regulation_ikm, 2)])
    summary.append([w["grade"], _grade_text(report, lang)])
    for cell in summary[summary.max_row - 2 : summary.max_row]:
        cell[0].font = BOLD
    summary.append([w["weight_note"]])
    summary.column_dimensions["A"].width = 34
    summary.column_dimensions["B"].width = 44

    recap = book.create_sheet("Rekap" if lang == "id" else "Recap")
    recap.append([w["no"], w["day"], w["service"], w["channel"], *CODES])
    for cell in recap[1]:
        cell.font, cell.fill = BOLD, SHADE
    for number, response in enumerate(responses, start=1):
        recap.append(
            [
                number,
                response.day.isoformat(),
                response.service,
                response.channel,
                *response.answers,
            ]
        )
    n = report.overall.respondents
    recap.append([w["sum"], "", "", "", *(round(v * n) for v in report.overall.nrr)])
    recap.append([w["nrr"], "", "", "", *(round(v, 3) for v in report.overall.nrr)])
    recap.append(
        [w["weighted"], "", "", "", *(round(v / len(ELEMENTS), 3) for v in report.overall.nrr)]
    )
    for row in recap.iter_rows(min_row=recap.max_row - 2):
        row[0].font = BOLD
    recap.freeze_panes = "E2"

    profile = book.create_sheet("Profil" if lang == "id" else "Profile")
    profile.append([w["profile"], "", ""])
    profile["A1"].font = BOLD
    for row in _profile_rows(responses, lang):
        profile.append(row)

    said = [r for r in responses if r.suggestion]
    if said:
        notes = book.create_sheet("Saran" if lang == "id" else "Suggestions")
        notes.append([w["day"], w["service"], w["suggestions"]])
        for cell in notes[1]:
            cell.font, cell.fill = BOLD, SHADE
        for response in said:
            notes.append([response.day.isoformat(), response.service, as_text(response.suggestion)])
        notes.column_dimensions["C"].width = 100

    if report.groups:
        groups = book.create_sheet(grouping_title(report.by, lang))
        groups.append([_grouped_by(report, lang), "", w["respondents"], "IKM", w["grade"], *CODES])
        for cell in groups[1]:
            cell.font, cell.fill = BOLD, SHADE
        for group in report.groups:
            grade = group.result.grade
            groups.append(
                [
                    group.code,
                    group.name.get(lang),
                    group.result.respondents,
                    round(group.result.ikm, 2),
                    f"{grade.letter} ({grade.quality.get(lang)})" if grade else "-",
                    *(round(v, 3) for v in group.result.nrr),
                ]
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def to_pdf(report: SkmReport, responses: Sequence[Response], lang: Lang, site_name: str) -> bytes:
    """The report a head of an MPP signs: the figures, the index, the profile, per group (the
    per-respondent recapitulation is in the XLSX, where it can run to thousands of rows)."""
    w = WORDS[lang]
    styles = getSampleStyleSheet()
    out = io.BytesIO()
    document = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"{w['title']} {site_name}",
    )
    story: list[Flowable] = [
        Paragraph(f"{w['title']}<br/>{escape(site_name)}", styles["Title"]),
        Paragraph(w["basis"], styles["Normal"]),
        Paragraph(
            f"{w['period']}: {report.start:%d-%m-%Y} s/d {report.end:%d-%m-%Y} · "
            f"{w['respondents']}: {report.overall.respondents} · {w['served']}: {report.served}"
            f" · {w['minimum']}: {report.minimum}",
            styles["Normal"],
        ),
    ]
    if report.too_few:
        story.append(Paragraph(f"<b>{w['too_few']}</b>", styles["Normal"]))
    story.append(Spacer(1, 5 * mm))
    header: list[object] = ["", w["elements"], w["sum"], w["nrr"], w["weighted"], w["regulation"]]
    story.append(_grid([header, *_element_rows(report, lang)], lang))
    story.append(Spacer(1, 4 * mm))
    story.append(
        _grid(
            [
                [w["ikm"], figure(report.overall.ikm, lang, 2)],
                [w["grade"], _grade_text(report, lang)],
                [w["ikm_regulation"], figure(report.overall.regulation_ikm, lang, 2)],
            ],
            lang,
            header=False,
        )
    )
    story.append(Paragraph(w["weight_note"], styles["BodyText"]))
    story.append(Paragraph(w["profile"], styles["Heading3"]))
    story.append(_grid([["", "", "n"], *_profile_rows(responses, lang)], lang))
    if report.groups:
        story.append(Paragraph(w["groups"], styles["Heading3"]))
        rows: list[list[object]] = [
            [_grouped_by(report, lang), w["respondents"], "IKM", w["grade"]]
        ]
        for group in report.groups:
            grade = group.result.grade
            rows.append(
                [
                    f"{group.name.get(lang)} ({group.code})",
                    group.result.respondents,
                    figure(group.result.ikm, lang, 2),
                    grade.letter if grade else "-",
                ]
            )
        story.append(_grid(rows, lang))
    story += signature(lang)
    document.build(story)
    return out.getvalue()


def _grouped_by(report: SkmReport, lang: Lang) -> str:
    """The groups' column header: "Layanan", "Instansi", as the console's choice names them."""
    return grouping_title(report.by, lang)


def _cell(value: object, style: Any, lang: Lang) -> object:
    if isinstance(value, str):
        return Paragraph(escape(value), style)
    return figure(value, lang, 3) if isinstance(value, int | float) else str(value)


def _grid(rows: list[list[object]], lang: Lang, header: bool = True) -> Table:
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=8, leading=9.5)
    cells = [[_cell(v, small, lang) for v in r] for r in rows]
    grid = Table(cells, repeatRows=1 if header else 0, hAlign="LEFT")
    style: list[Any] = [
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde6f0")))
    grid.setStyle(TableStyle(style))
    return grid
