"""Charts for the report page, as numbers for inline SVG (drawn on the server, no script, no CDN).

Each chart is plain data: bars with their height as a share of the tallest, or heatmap cells
with a shade; the template draws them with SVG attributes only (the CSP allows no inline style).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from shared.domain.report import Report, ReportRow
from shared.i18n import Lang

SERVICE_LEVEL_GOAL = 0.8  # the share within target that the report marks (red below it)


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    shown: str  # the value as printed above the bar
    share: float  # 0..1 of the chart's height
    alert: bool = False
    title: str = ""  # what the bar is, in full (a service's name): its tooltip


def named(found: list[Bar], report: Report, lang: Lang) -> list[Bar]:
    """The bars with their rows' names (see Report.names) as their tooltips."""
    return [replace(bar, title=report.name(bar.label, lang)) for bar in found]


@dataclass(frozen=True, slots=True)
class Cell:
    row: int
    column: int
    shown: str
    shade: float  # 0..1


def bars(
    rows: Sequence[ReportRow],
    value: Callable[[ReportRow], float | None],
    shown: Callable[[float], str],
    alert: Callable[[float], bool] = lambda _v: False,
    ceiling: float | None = None,
) -> list[Bar]:
    """One bar per row with a value; heights relative to `ceiling` or to the largest value."""
    values = [(row.key, value(row)) for row in rows]
    present = [(key, v) for key, v in values if v is not None]
    top = ceiling or max((v for _, v in present), default=0.0) or 1.0
    return [Bar(key, shown(v), min(1.0, v / top), alert(v)) for key, v in present]


def arrivals(rows: Sequence[ReportRow]) -> list[Bar]:
    return bars(rows, lambda r: float(r.arrived), lambda v: f"{v:.0f}")


def arrivals_per_day(rows: Sequence[ReportRow]) -> list[Bar]:
    """Arrivals per day, labelled DD/MM."""
    return [replace(bar, label=f"{bar.label[8:10]}/{bar.label[5:7]}") for bar in arrivals(rows)]


def mean_wait(rows: Sequence[ReportRow]) -> list[Bar]:
    return bars(rows, lambda r: r.wait.mean, lambda v: f"{v:.0f}")


def service_level(rows: Sequence[ReportRow]) -> list[Bar]:
    return bars(
        rows,
        lambda r: r.service_level,
        lambda v: f"{100 * v:.0f}%",
        alert=lambda v: v < SERVICE_LEVEL_GOAL,
        ceiling=1.0,
    )


def utilisation(rows: Sequence[ReportRow]) -> list[Bar]:
    """Each counter's service time over its open time (a counter never open has no bar)."""
    return bars(rows, lambda r: r.utilisation, lambda v: f"{100 * v:.0f}%", ceiling=1.0)


def heatmap(counts: dict[tuple[int, int], int]) -> tuple[list[int], list[Cell]]:
    """Arrivals by (weekday 1-7, hour): the hours that occur, and a shaded cell per pair."""
    hours = sorted({hour for _, hour in counts})
    top = max(counts.values(), default=0) or 1
    cells = [
        Cell(weekday - 1, hours.index(hour), str(n), n / top)
        for (weekday, hour), n in sorted(counts.items())
    ]
    return hours, cells
