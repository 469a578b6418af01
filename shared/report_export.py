"""A report as a table, CSV or an Excel workbook (a cover sheet, then one sheet per grouping).

The CLI and the console both export through here, so every file has the same columns and the
same definitions written next to its figures.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Final

from openpyxl import Workbook
from openpyxl.styles import Font

from shared.domain.report import Report, ReportRow
from shared.i18n import Lang, tr
from shared.sheet_text import as_text

# every column of a report table: its key, then its header in Bahasa Indonesia and in English
COLUMNS: Final[tuple[tuple[str, str, str], ...]] = (
    ("group", "Kelompok", "Group"),
    ("name", "Nama", "Name"),
    ("arrived", "Datang", "Arrived"),
    ("kiosk", "Kiosk", "Kiosk"),
    ("appointment", "Janji", "Appointment"),
    ("walk_in", "Langsung", "Walk-in"),
    ("refused_closed", "Ditolak: tutup", "Refused: closed"),
    ("refused_quota", "Ditolak: kuota", "Refused: quota"),
    ("called", "Dipanggil", "Called"),
    ("served", "Dilayani", "Served"),
    ("no_show", "Tidak hadir", "No-show"),
    ("transferred", "Dialihkan", "Transferred"),
    ("expired", "Kedaluwarsa", "Expired"),
    ("wait_mean", "Tunggu rata2 (mnt)", "Wait mean (min)"),
    ("wait_p50", "Tunggu p50", "Wait p50"),
    ("wait_p90", "Tunggu p90", "Wait p90"),
    ("wait_max", "Tunggu maks", "Wait max"),
    ("service_mean", "Layanan rata2 (mnt)", "Service mean (min)"),
    ("service_p50", "Layanan p50", "Service p50"),
    ("service_p90", "Layanan p90", "Service p90"),
    ("service_max", "Layanan maks", "Service max"),
    ("within_target", "Dalam target", "Within target"),
    ("service_level", "Tingkat layanan (%)", "Service level (%)"),
    ("no_show_rate", "Tidak hadir (%)", "No-show rate (%)"),
    ("over_standard", "Layanan > standar", "Service > standard"),
    ("open_minutes", "Loket buka (mnt)", "Counter open (min)"),
    ("paused_minutes", "Loket jeda (mnt)", "Counter paused (min)"),
    ("utilisation", "Utilisasi (%)", "Utilisation (%)"),
)
HEADER: Final[dict[Lang, tuple[str, ...]]] = {
    "id": tuple(c[1] for c in COLUMNS),
    "en": tuple(c[2] for c in COLUMNS),
}
AT: Final = {key: i for i, (key, _, _) in enumerate(COLUMNS)}  # a column's place by its key


# a filter's label: the console's word for what it filters
FILTER_LABELS: Final = {
    "agency": "console_agencies",
    "service": "console_service",
    "counter": "console_counter",
    "staff": "console_staff",
}


def scope(report: Report, lang: Lang) -> list[tuple[str, str]]:
    """The report's filters as people read them: ("Instansi", "Dinas Kependudukan ...")."""
    named = report.filter_names
    return [(tr(FILTER_LABELS[kind], lang), named[kind].get(lang)) for kind in report.filters]


def grouping_title(by: str, lang: Lang) -> str:
    """A grouping as a title or a sheet's name, as the console names it ("Layanan", "Hari dalam
    minggu"); at most 31 characters, all a worksheet's name may hold."""
    name = tr(f"console_by_{by}", lang)
    return (name[:1].upper() + name[1:])[:31]


def header(lang: Lang) -> tuple[str, ...]:
    """The columns' headers in `lang`; in Bahasa Indonesia for a language without its own."""
    return HEADER.get(lang, HEADER["id"])


def _number(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def cells(row: ReportRow, name: str) -> list[object]:
    """One row's values, in HEADER's order (minutes to 0.1, shares as percentages)."""
    return [
        row.key,
        name,
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


def table(report: Report, lang: Lang) -> list[list[object]]:
    """The report's rows and its total, each as `cells`, named in `lang`."""
    return [cells(row, report.name(row.key, lang)) for row in (*report.rows, report.total)]


def _typed_safe(report: Report, lang: Lang) -> list[list[object]]:
    """`table`, with each name (a staff member's is typed by people) as text, never a formula."""
    lines = table(report, lang)
    for line in lines:
        line[AT["name"]] = as_text(str(line[AT["name"]]))
    return lines


def to_csv(report: Report, lang: Lang) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header(lang))
    writer.writerows(["" if v is None else v for v in line] for line in _typed_safe(report, lang))
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
    for label, value in scope(first, lang):  # as asked in the URL: text, never a formula
        cover.append([label, as_text(value)])
    cover.append([f"{first.generated_at:%Y-%m-%d %H:%M} UTC"])
    cover.append([])
    for key, text in first.definitions.items():
        cover.append([key, text.get(lang)])
    cover.column_dimensions["B"].width = 110
    for report in reports:
        sheet = book.create_sheet(grouping_title(report.by, lang))
        sheet.append(list(header(lang)))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for line in _typed_safe(report, lang):
            sheet.append(line)
        sheet.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
