"""A report as a table, CSV or an Excel workbook (a cover sheet, then one sheet per grouping).

The CLI and the console both export through here, so every file has the same columns and the
same definitions written next to its figures.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

from shared.domain.report import Report, ReportRow
from shared.i18n import Lang
from shared.sheet_text import as_text

HEADER: dict[Lang, tuple[str, ...]] = {
    "id": (
        "Kelompok",
        "Datang",
        "Kiosk",
        "Janji",
        "Langsung",
        "Ditolak: tutup",
        "Ditolak: kuota",
        "Dipanggil",
        "Dilayani",
        "Tidak hadir",
        "Dialihkan",
        "Kedaluwarsa",
        "Tunggu rata2 (mnt)",
        "Tunggu p50",
        "Tunggu p90",
        "Tunggu maks",
        "Layanan rata2 (mnt)",
        "Layanan p50",
        "Layanan p90",
        "Layanan maks",
        "Dalam target",
        "Tingkat layanan (%)",
        "Tidak hadir (%)",
        "Layanan > standar",
        "Loket buka (mnt)",
        "Loket jeda (mnt)",
        "Utilisasi (%)",
    ),
    "en": (
        "Group",
        "Arrived",
        "Kiosk",
        "Appointment",
        "Walk-in",
        "Refused: closed",
        "Refused: quota",
        "Called",
        "Served",
        "No-show",
        "Transferred",
        "Expired",
        "Wait mean (min)",
        "Wait p50",
        "Wait p90",
        "Wait max",
        "Service mean (min)",
        "Service p50",
        "Service p90",
        "Service max",
        "Within target",
        "Service level (%)",
        "No-show rate (%)",
        "Service > standard",
        "Counter open (min)",
        "Counter paused (min)",
        "Utilisation (%)",
    ),
}


def _number(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def cells(row: ReportRow) -> list[object]:
    """One row's values, in HEADER's order (minutes to 0.1, shares as percentages)."""
    return [
        row.key,
        row.arrived,
        row.by_source["kiosk"],
        row.by_source["appointment"],
        row.by_source["walk_in"],
        row.refused["closed"],
        row.refused["quota"],
        row.called,
        row.served,
        row.no_show,
        row.transferred,
        row.expired,
        _number(row.wait.mean),
        _number(row.wait.p50),
        _number(row.wait.p90),
        _number(row.wait.max),
        _number(row.service.mean),
        _number(row.service.p50),
        _number(row.service.p90),
        _number(row.service.max),
        row.within_target,
        _number(None if row.service_level is None else 100 * row.service_level),
        _number(None if row.no_show_rate is None else 100 * row.no_show_rate),
        row.over_service_minutes,
        _number(row.open_minutes),
        _number(row.paused_minutes),
        _number(None if row.utilisation is None else 100 * row.utilisation),
    ]


def table(report: Report) -> list[list[object]]:
    """The report's rows and its total, each as `cells`."""
    return [cells(row) for row in (*report.rows, report.total)]


def to_csv(report: Report, lang: Lang) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER[lang])
    writer.writerows(["" if v is None else v for v in line] for line in table(report))
    return out.getvalue()


def to_xlsx(reports: Sequence[Report], lang: Lang, title: str) -> bytes:
    """A workbook: the cover (period, filters, definitions), then a sheet per report."""
    book = Workbook()
    cover = book.active
    assert cover is not None
    first = reports[0]
    cover.title = "Laporan" if lang == "id" else "Report"
    cover.append([title])
    cover["A1"].font = Font(bold=True, size=14)
    cover.append([f"{first.date_from.isoformat()} .. {first.date_to.isoformat()}"])
    for key, value in first.filters.items():  # as asked in the URL: text, never a formula
        cover.append([key, as_text(value)])
    cover.append([f"{first.generated_at:%Y-%m-%d %H:%M} UTC"])
    cover.append([])
    for key, text in first.definitions.items():
        cover.append([key, text.get(lang)])
    cover.column_dimensions["B"].width = 110
    for report in reports:
        sheet = book.create_sheet(report.by)
        sheet.append(list(HEADER[lang]))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for line in table(report):
            sheet.append(line)
        sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
