"""The report's bar charts: a few bars stand side by side, many lie one per line across the
page (service levels of an MPP's fifty services, utilisation of its thirty counters)."""

from __future__ import annotations

import re

from jinja2 import Environment, FileSystemLoader

from shared.domain.report import ReportRow, Spread
from web import charts
from web.app import HERE


def row(key: str, utilisation: float | None) -> ReportRow:
    nothing = Spread(0, None, None, None, None)
    return ReportRow(
        key, 0, {}, {}, 0, 0, 0, 0, 0, nothing, nothing, 0, None, None, 0, None, None, utilisation
    )


def drawn(bars: list[charts.Bar]) -> str:
    templates = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)
    template = templates.get_template("_bars.html")
    return template.render(bars=bars, title="Utilisasi", _=lambda key: key)


def test_utilisation_has_a_bar_per_counter_that_was_open_and_none_for_one_never_open():
    bars = charts.utilisation([row("L1", 0.5), row("L2", None), row("L3", 1.2)])
    assert [(b.label, b.shown, b.share) for b in bars] == [("L1", "50%", 0.5), ("L3", "120%", 1.0)]


def test_a_few_bars_stand_side_by_side_and_many_lie_one_per_line_across_the_page():
    few = drawn(charts.utilisation([row(f"L{n}", n / 20) for n in range(1, 13)]))
    assert 'class="chart"' in few and "…" not in few
    many = drawn(charts.utilisation([row(f"LOKET-PANJANG-{n:02d}", n / 40) for n in range(1, 35)]))
    assert 'class="chart wide"' in many
    labels = re.findall(r'text-anchor="end"[^>]*>([^<]+)<', many)
    assert labels == [f"LOKET-PANJANG-{n:02d}" for n in range(1, 35)]  # every one, whole
    assert len(re.findall(r"<rect ", many)) == 34
