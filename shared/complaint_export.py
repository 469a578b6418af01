"""The monthly complaints table (received, answered on time, resolved on time or late, open,
overdue; per agency and category) as CSV or XLSX."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

from shared.domain.complaints import CATEGORIES, REPORT_HEADER, MonthFigures
from shared.i18n import Lang


def rows(figures: Sequence[MonthFigures], lang: Lang) -> list[list[object]]:
    return [
        [
            f.month,
            f.agency,
            CATEGORIES[f.category][1].get(lang),
            f.received,
            f.responded_on_time,
            f.resolved_on_time,
            f.resolved_late,
            f.open,
            f.overdue,
        ]
        for f in figures
    ]


def to_csv(figures: Sequence[MonthFigures], lang: Lang) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(REPORT_HEADER[lang])
    writer.writerows(rows(figures, lang))
    return out.getvalue()


def to_xlsx(figures: Sequence[MonthFigures], lang: Lang, title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Pengaduan" if lang == "id" else "Complaints"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(list(REPORT_HEADER[lang]))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows(figures, lang):
        sheet.append(row)
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
